/**
 * The participant directory: a node lists the participants whose certificates
 * reached it by trust gossip and handshakes, finds them by role, country,
 * competence, name and legal id, and shows one participant's certificates,
 * revocations, addresses and connection.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { ed25519Signer } from '../../../../record/index.js'
import type { TempNode } from '../../../support/temp-node.js'
import { certify, certifyParticipant, connect, json, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'

interface Entry {
  participant: string
  name: string
  legalId?: string
  country: string
  role: string
  competence?: string
  status: string
  reason: string
  certificate: string
  validFrom: string
  validUntil?: string
  authority: { participant: string, name?: string }
}

describe('participant directory', function () {
  this.timeout(60_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  const sps = ed25519Signer(randomBytes(32)).participant
  const bank = ed25519Signer(randomBytes(32)).participant
  let bankCertificate: string

  const directory = async (query = ''): Promise<{ participants: Entry[], matched: number, more: boolean }> => {
    const response = await trader.request('GET', `/v1/directory${query}`)
    const body = await json(response)
    assert.equal(response.status, 200, JSON.stringify(body))
    return body
  }
  const names = (page: { participants: Entry[] }): string[] => page.participants.map(p => p.name)

  before(async () => {
    authority = await networkedNode({ profile: { role: 'authority', name: 'KZ registration authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', name: 'trader' } })
    customs = await networkedNode({ profile: { role: 'agency', name: 'customs' } })
    await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit LLP', legalId: '180540012345', aeo: '2' })
    await certify(authority, customs, 'agency', { name: 'State Revenue Committee', legalId: '990240008718', competence: 'customs' })
    // The trader learns the authority's and customs' certificates in the handshakes.
    await connect(trader, authority)
    await connect(trader, customs)
    // These it hears of only by trust gossip from the authority.
    for (const body of [
      { participant: sps, role: 'agency', name: 'Phytosanitary Control Committee', country: 'KZ', legalId: '990240001111', competence: 'phytosanitary' },
      { participant: bank, role: 'bank', name: 'Halyk Bank JSC', country: 'KZ', legalId: '940140000385' }
    ]) {
      const { id } = await certifyParticipant(authority, body)
      if (body.participant === bank) bankCertificate = id
    }
    await until(async () => (await directory()).matched === 5, 'the trader to learn of five certified participants')
  })
  after(async () => {
    for (const t of [authority, trader, customs]) await t?.close()
  })

  it('lists every certified participant it knows, sorted by name, with its certificate and authority', async () => {
    const all = await directory()
    assert.deepEqual(names(all), ['Almaty Dried Fruit LLP', 'Halyk Bank JSC', 'KZ registration authority', 'Phytosanitary Control Committee', 'State Revenue Committee'])
    assert.equal(all.more, false)
    const exporter = all.participants[0] as Entry
    assert.equal(exporter.participant, trader.node.participant)
    assert.equal(exporter.role, 'trader')
    assert.equal(exporter.legalId, '180540012345')
    assert.equal(exporter.country, 'KZ')
    assert.equal((exporter as Entry & { aeo?: string }).aeo, '2')
    assert.equal(exporter.status, 'valid')
    assert.match(exporter.validFrom, /^\d{4}-\d\d-\d\dT/)
    assert.equal(exporter.validUntil, undefined)
    // The trader's trust list names the authority without a label: its name comes from its own certificate.
    assert.deepEqual(exporter.authority, { participant: authority.node.participant, name: 'KZ registration authority' })
    const limited = await directory('?limit=2')
    assert.deepEqual(names(limited), ['Almaty Dried Fruit LLP', 'Halyk Bank JSC'])
    assert.equal(limited.matched, 5)
    assert.equal(limited.more, true)
  })

  it('finds agencies by role and competence, in any case', async () => {
    const agencies = await directory('?role=agency')
    assert.deepEqual(agencies.participants.map(p => [p.name, p.competence]), [['Phytosanitary Control Committee', 'phytosanitary'], ['State Revenue Committee', 'customs']])
    assert.deepEqual(names(await directory('?competence=Customs')), ['State Revenue Committee'])
    assert.deepEqual(names(await directory('?role=agency&competence=PHYTOSANITARY&country=KZ')), ['Phytosanitary Control Committee'])
    assert.deepEqual(names(await directory('?role=bank')), ['Halyk Bank JSC'])
    assert.deepEqual(names(await directory('?country=BY')), [])
  })

  it('finds participants by part of a name or of a legal id', async () => {
    assert.deepEqual(names(await directory('?q=dried')), ['Almaty Dried Fruit LLP'])
    assert.deepEqual(names(await directory('?q=COMMITTEE')), ['Phytosanitary Control Committee', 'State Revenue Committee'])
    assert.deepEqual(names(await directory('?q=990240008718')), ['State Revenue Committee'])
    // White space in a legal id searched for is ignored.
    assert.deepEqual(names(await directory(`?q=${encodeURIComponent('180 540')}`)), ['Almaty Dried Fruit LLP'])
    assert.deepEqual(names(await directory('?q=nobody')), [])
  })

  it('shows a participant\'s profile: its certificates, addresses and connection', async () => {
    await until(async () => (await json(await trader.request('GET', `/v1/directory/${customs.node.participant}`))).addresses.length > 0, 'the trader to keep where customs listens')
    const profile = await json(await trader.request('GET', `/v1/directory/${customs.node.participant}`))
    assert.equal(profile.name, 'State Revenue Committee')
    assert.equal(profile.competence, 'customs')
    assert.equal(profile.status, 'valid')
    assert.equal(profile.connected, true)
    assert.ok(profile.addresses.every((a: string) => a.startsWith('/ip4/')), JSON.stringify(profile.addresses))
    assert.equal(profile.certificates.length, 1)
    assert.equal(profile.certificates[0].id, profile.certificate)
    assert.deepEqual(profile.certificates[0].revocations, [])
    // The bank has no node: nothing is known of where it listens.
    const bankProfile = await json(await trader.request('GET', `/v1/directory/${bank}`))
    assert.equal(bankProfile.connected, false)
    assert.deepEqual(bankProfile.addresses, [])
  })

  it('shows a revoked participant as revoked, with the reason', async () => {
    const revoked = await authority.request('POST', '/v1/trust/revocations', { body: { certificate: bankCertificate, reason: 'banking licence withdrawn' } })
    assert.equal(revoked.status, 201)
    const revocation = await json(revoked)
    await until(async () => (await json(await trader.request('GET', `/v1/directory/${bank}`))).status === 'revoked', 'the revocation to reach the trader')
    const profile = await json(await trader.request('GET', `/v1/directory/${bank}`))
    assert.equal(profile.name, 'Halyk Bank JSC')
    assert.equal(profile.certificate, bankCertificate)
    assert.match(profile.reason, /was revoked by its issuer/)
    assert.equal(profile.certificates[0].status, 'revoked')
    assert.deepEqual(profile.certificates[0].revocations.map((r: { id: string, reason: string }) => [r.id, r.reason]), [[revocation.id, 'banking licence withdrawn']])
    assert.deepEqual(names(await directory('?status=revoked')), ['Halyk Bank JSC'])
    assert.ok(!names(await directory('?status=valid')).includes('Halyk Bank JSC'))
    assert.equal((await directory('?role=bank')).participants[0]?.status, 'revoked')
  })

  it('refuses bad query values and ids with a problem naming the field', async () => {
    for (const [query, path] of [
      ['?role=pirate', '/query/role'],
      ['?country=kz', '/query/country'],
      ['?country=KAZ', '/query/country'],
      [`?q=${'x'.repeat(257)}`, '/query/q'],
      ['?status=sleeping', '/query/status'],
      ['?limit=0', '/query/limit'],
      ['?limit=1001', '/query/limit'],
      ['?colour=red', '/query/colour']
    ] as const) {
      const response = await trader.request('GET', `/v1/directory${query}`)
      assert.equal(response.status, 400, query)
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
      const problem = await json(response)
      assert.equal(problem.type, 'urn:keruen:problem:invalid-request')
      assert.deepEqual(problem.errors.map((e: { path: string }) => e.path), [path], query)
    }
    const malformed = await trader.request('GET', '/v1/directory/nobody')
    assert.equal(malformed.status, 400)
    assert.equal((await json(malformed)).errors[0].path, '/params/participant')
    const unknown = await trader.request('GET', `/v1/directory/${ed25519Signer(randomBytes(32)).participant}`)
    assert.equal(unknown.status, 404)
    assert.equal((await json(unknown)).type, 'urn:keruen:problem:not-found')
  })
})
