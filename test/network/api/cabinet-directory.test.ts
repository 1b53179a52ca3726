/**
 * The participant directory in the cabinet over HTTP: the participants an
 * authority certified, listed and searched by name, legal id, role, country,
 * competence and status; a revoked participant's profile with its
 * revocation's reason; an unknown or malformed id answered with 404.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { ed25519Signer } from '../../../record/index.js'
import { certify, certifyParticipant } from '../../support/network.js'
import { openTempNode, type TempNode } from '../../support/temp-node.js'

describe('the participant directory in the cabinet', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  const bank = ed25519Signer(randomBytes(32)).participant
  const customs = ed25519Signer(randomBytes(32)).participant
  let cookie = ''

  const browse = async (path: string, lang = 'en'): Promise<Response> =>
    await authority.api.request(path, { headers: { 'accept-language': lang, ...(cookie !== '' && { cookie }) } })
  const page = async (path: string, lang = 'en'): Promise<string> => {
    const response = await browse(path, lang)
    assert.equal(response.status, 200, path)
    return await response.text()
  }
  /** The names in the directory's table, in order. */
  const listed = (html: string): string[] =>
    [...(/<table id="directory-table"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '').matchAll(/<td><a href="\/directory\/[^"]+">([^<]*)<\/a>/g)].map(m => m[1] as string)

  before(async () => {
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ registration authority', country: 'KZ' } })
    trader = await openTempNode({ profile: { role: 'trader', name: 'trader', country: 'KZ' } })
    await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit LLP', legalId: '180540012345', aeo: '2' })
    let bankCertificate = ''
    for (const body of [
      { participant: customs, role: 'agency', name: 'State Revenue Committee', country: 'KZ', legalId: '990240008718', competence: 'customs' },
      { participant: bank, role: 'bank', name: 'Halyk Bank JSC', country: 'UZ', legalId: '940140000385' }
    ]) {
      const { id } = await certifyParticipant(authority, body)
      if (body.participant === bank) bankCertificate = id
    }
    assert.equal((await authority.request('POST', '/v1/trust/revocations', { body: { certificate: bankCertificate, reason: 'banking licence withdrawn' } })).status, 201)
    const { password } = await authority.node.accounts.add({ id: 'erlan', name: 'Erlan', role: 'viewer' })
    const login = await authority.api.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'erlan', password, next: '/' }).toString()
    })
    assert.equal(login.status, 303)
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  })
  after(async () => {
    for (const t of [authority, trader]) await t?.close()
  })

  it('is linked from the header and lists every certified participant, sorted by name, with status and authority', async () => {
    assert.match(await page('/'), /<a href="\/directory">Directory<\/a>/)
    const html = await page('/directory')
    assert.deepEqual(listed(html).filter(n => n !== 'KZ registration authority'), ['Almaty Dried Fruit LLP', 'Halyk Bank JSC', 'State Revenue Committee'])
    assert.match(html, /Participants found: \d+\./)
    assert.doesNotMatch(html, /narrow the search/)
    const row = /<tr data-participant="[^"]+">(?:(?!<\/tr>)[\s\S])*?Almaty Dried Fruit LLP[\s\S]*?<\/tr>/.exec(html)?.[0] ?? ''
    assert.match(row, /trader/)
    assert.match(row, /180540012345/)
    assert.match(row, /type 2/)
    assert.match(row, /data-status="valid"/)
    assert.match(row, /KZ registration authority/)
    assert.match(html, /Halyk Bank JSC[\s\S]*?data-status="revoked"/)
    // The search form: a GET form with a label for each field.
    for (const field of ['q', 'role', 'country', 'competence', 'status']) assert.match(html, new RegExp(`<label for="${field}">`))
    assert.match(html, /<form method="get" action="\/directory"/)
  })

  it('finds participants by name, legal id, role, country, competence and status, and says so when none matches', async () => {
    assert.deepEqual(listed(await page('/directory?q=halyk')), ['Halyk Bank JSC'])
    assert.deepEqual(listed(await page('/directory?q=990240008718')), ['State Revenue Committee'])
    assert.deepEqual(listed(await page('/directory?role=trader')), ['Almaty Dried Fruit LLP'])
    assert.deepEqual(listed(await page('/directory?country=uz')), ['Halyk Bank JSC'])
    assert.deepEqual(listed(await page('/directory?competence=Customs')), ['State Revenue Committee'])
    assert.deepEqual(listed(await page('/directory?status=revoked')), ['Halyk Bank JSC'])
    const filled = await page('/directory?role=agency&status=valid&q=revenue')
    assert.deepEqual(listed(filled), ['State Revenue Committee'])
    assert.match(filled, /<option value="agency" selected="">/)
    assert.match(filled, /<input type="text" id="q" name="q" value="revenue"/)
    const none = await page('/directory?q=nobody&role=broker')
    assert.deepEqual(listed(none), [])
    assert.match(none, /No participant matches the search\./)
    assert.match(await page('/directory?q=nobody', 'ru'), /Ни один участник не подходит/)
    assert.match(await page('/directory?q=nobody', 'kk'), /Іздеу шартына сай қатысушы жоқ/)
  })

  it('shows a revoked participant\'s profile with its certificates and the revocation\'s reason', async () => {
    const html = await page(`/directory/${bank}`)
    assert.match(html, /<h1>Halyk Bank JSC <span class="badge bad" data-status="revoked">revoked<\/span><\/h1>/)
    assert.match(html, /940140000385/)
    assert.match(html, /UZ/)
    assert.match(html, /<li>revoked [^<]*: banking licence withdrawn<\/li>/)
    assert.match(html, /not connected/)
    assert.match(html, /No address known/)
    assert.equal([...html.matchAll(/<tr data-certificate="/g)].length, 1)
    const ru = await page(`/directory/${bank}`, 'ru')
    assert.match(ru, /отозван [^<]*: banking licence withdrawn/)
    const trader_ = await page(`/directory/${trader.node.participant}`)
    assert.match(trader_, /data-status="valid"/)
    assert.match(trader_, /Certified by/)
  })

  it('answers an unknown participant and a malformed id with the cabinet\'s 404 page', async () => {
    for (const path of [`/directory/${ed25519Signer(randomBytes(32)).participant}`, '/directory/not-a-participant', '/directory/%3Cscript%3E']) {
      const response = await browse(path)
      assert.equal(response.status, 404, path)
      assert.match(await response.text(), /There is no such page or document here\./)
    }
  })

  it('asks who is not signed in to sign in first', async () => {
    const response = await authority.api.request('/directory')
    assert.equal(response.status, 303)
    assert.match(response.headers.get('location') ?? '', /^\/login/)
  })
})
