/**
 * The life of a decision in the agency's cabinet over HTTP: the officer sees
 * the decision in force with its standing, and forms to amend, suspend,
 * reinstate and withdraw it, each sent with the session's CSRF token and only
 * by a role that decides; a form shown before the decision was amended
 * changes nothing.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createRecord, ed25519Signer, timestamp } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-CABDEC1'

describe('the life of a decision in the cabinet', function () {
  this.timeout(60_000)
  let t: TempNode
  let application: string
  let decision: string
  const passwords = new Map<string, string>()

  const browse = async (method: string, path: string, init: { cookie?: string, form?: Record<string, string>, lang?: string } = {}): Promise<Response> =>
    await t.api.request(path, {
      method,
      headers: {
        ...(init.cookie !== undefined && { cookie: init.cookie }),
        ...(init.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
        'accept-language': init.lang ?? 'en'
      },
      ...(init.form !== undefined && { body: new URLSearchParams(init.form).toString() })
    })
  const cookieOf = (response: Response): string => (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const signIn = async (name: string): Promise<{ cookie: string, csrf: string }> => {
    const response = await browse('POST', '/login', { form: { login: name, password: passwords.get(name) as string, next: '/' } })
    assert.equal(response.status, 303, name)
    const cookie = cookieOf(response)
    return { cookie, csrf: csrfOf(await (await browse('GET', '/', { cookie })).text()) }
  }
  const page = async (cookie: string, lang = 'en'): Promise<string> => {
    const response = await browse('GET', `/applications/${application}`, { cookie, lang })
    assert.equal(response.status, 200)
    return await response.text()
  }
  const standing = (html: string): string | undefined => /id="decision-status" data-status="([a-z]+)"/.exec(html)?.[1]

  before(async () => {
    t = await openTempNode({ profile: { role: 'agency', country: 'KZ', name: 'Plant quarantine inspectorate' } })
    // A trader's application to this agency, as delivery would have brought it.
    const trader = ed25519Signer(randomBytes(32))
    const submitted = createRecord(trader, {
      type: 'application.submission', consignment: CONSIGNMENT, issuedAt: timestamp(), data: { ...await fixture('application.submission'), agency: t.node.participant }
    })
    assert.equal((await t.request('POST', '/v1/records/import', { body: submitted.bytes, headers: { 'content-type': 'application/cbor' } })).status, 201)
    application = submitted.id
    const decided = await t.request('POST', `/v1/applications/${application}/decision`, { body: { kind: 'certificate', number: 'KZ-PC-2026-000001', summary: 'Free from quarantine pests.' } })
    assert.equal(decided.status, 200)
    decision = ((await decided.json()) as { decision: { id: string } }).decision.id
    for (const [id, role] of [['bolat', 'officer'], ['aigerim', 'declarant']] as const) {
      passwords.set(id, (await t.node.accounts.add({ id, name: id === 'bolat' ? 'Bolat Nurlanov' : 'Aigerim Seitkali', role })).password)
    }
  })
  after(async () => { await t?.close() })

  it('shows the officer the decision in force and the forms that change it; a declarant sees the standing, and no form', async () => {
    const officer = await signIn('bolat')
    const html = await page(officer.cookie)
    assert.equal(standing(html), 'valid')
    assert.match(html, /in force/)
    for (const action of ['amend', 'suspend', 'withdraw']) {
      assert.match(html, new RegExp(`<form method="post" action="/applications/${application}/${action}">`), action)
    }
    assert.ok(!html.includes(`/applications/${application}/reinstate`), 'nothing to reinstate')
    assert.match(html, new RegExp(`name="decision" value="${decision}"`))
    const declarant = await signIn('aigerim')
    const seen = await page(declarant.cookie)
    assert.equal(standing(seen), 'valid')
    assert.ok(!seen.includes(`/applications/${application}/suspend`), 'a declarant is not offered the officer\'s forms')
  })

  it('takes a change only with the session\'s CSRF token, from a role that decides, with a reason', async () => {
    const officer = await signIn('bolat')
    const form = { decision, reason: 'Live pests found at the re-inspection of lot 3.' }
    assert.equal((await browse('POST', `/applications/${application}/suspend`, { cookie: officer.cookie, form })).status, 403)
    assert.equal((await browse('POST', `/applications/${application}/suspend`, { cookie: officer.cookie, form: { ...form, _csrf: 'forged' } })).status, 403)
    const declarant = await signIn('aigerim')
    const byDeclarant = await browse('POST', `/applications/${application}/suspend`, { cookie: declarant.cookie, form: { ...form, _csrf: declarant.csrf } })
    assert.equal(byDeclarant.status, 403)
    assert.match(await byDeclarant.text(), /Your role does not allow this/)
    const noReason = await browse('POST', `/applications/${application}/suspend`, { cookie: officer.cookie, form: { decision, reason: ' ', _csrf: officer.csrf } })
    assert.equal(noReason.status, 422)
    assert.match(await noReason.text(), /Not done: state the reason/)
    assert.equal(standing(await page(officer.cookie)), 'valid', 'nothing was signed')
  })

  it('suspends, reinstates, amends and withdraws, each shown on the page in the person\'s language', async () => {
    const officer = await signIn('bolat')
    const send = async (action: string, form: Record<string, string>): Promise<Response> =>
      await browse('POST', `/applications/${application}/${action}`, { cookie: officer.cookie, form: { ...form, _csrf: officer.csrf } })

    const until = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
    const suspended = await send('suspend', { decision, reason: 'Live pests found at the re-inspection of lot 3.', until })
    assert.equal(suspended.status, 303)
    assert.equal(suspended.headers.get('location'), `/applications/${application}`)
    let html = await page(officer.cookie)
    assert.equal(standing(html), 'suspended')
    assert.match(html, new RegExp(`up to and including ${until}`))
    assert.match(html, /Live pests found at the re-inspection of lot 3\./)
    assert.match(html, /decision suspended/, 'the timeline has the suspension')
    assert.match(html, new RegExp(`action="/applications/${application}/reinstate"`))
    assert.match(await page(officer.cookie, 'ru'), /приостановлено/)
    assert.match(await page(officer.cookie, 'kk'), /тоқтатыла тұрды/)

    assert.equal((await send('reinstate', { decision, reason: 'Lot 3 was fumigated.' })).status, 303)
    assert.equal(standing(await page(officer.cookie)), 'valid')

    assert.equal((await send('amend', { decision, number: 'KZ-PC-2026-000001/1', summary: 'Free from quarantine pests; lot 3 fumigated.', validUntil: '' })).status, 303)
    html = await page(officer.cookie)
    assert.equal(standing(html), 'valid')
    assert.match(html, /KZ-PC-2026-000001\/1/)
    assert.match(html, /version 2/)
    assert.match(html, /decision amended/)
    const current = /name="decision" value="([a-z0-9]+)"/.exec(html)?.[1] as string
    assert.notEqual(current, decision)

    // A form shown before the amendment names the earlier version: refused, and said why.
    const stale = await send('withdraw', { decision, reason: 'stale page' })
    assert.equal(stale.status, 409)
    assert.match(await stale.text(), /was amended by/)

    assert.equal((await send('withdraw', { decision: current, reason: 'The goods were not presented for the fumigation ordered.' })).status, 303)
    html = await page(officer.cookie)
    assert.equal(standing(html), 'withdrawn')
    assert.match(html, /The goods were not presented for the fumigation ordered\./)
    assert.ok(!html.includes(`/applications/${application}/suspend`), 'a withdrawn decision changes no more')
    assert.match(await page(officer.cookie, 'ru'), /отозвано/)
    const view = await (await t.request('GET', `/v1/applications/${application}`)).json() as { decisionStatus: { status: string, versions: string[] } }
    assert.equal(view.decisionStatus.status, 'withdrawn')
    assert.deepEqual(view.decisionStatus.versions, [decision, current])
  })
})
