/**
 * Payments on real nodes: customs publishes its schedule of rates and the
 * exchange rates of the day; the trader's node, holding its import
 * declaration, works out what it owes, and the preference once a certificate
 * of origin proves the apricots Uzbek.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { repoFile } from '../../../support/repo.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { lorryAndApricots, publishRates } from '../../../support/reference-data.js'

const load = async (path: string): Promise<any> => JSON.parse(await readFile(repoFile(path), 'utf8'))

describe('payments of a declaration between nodes', function () {
  this.timeout(60_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode

  before(async () => {
    authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    await certify(authority, trader, 'trader')
    await certify(authority, customs, 'agency', { competence: 'customs' })
    await connect(trader, customs)
    for (const t of [trader, customs]) await t.node.policy.refreshDirectory()
  })
  after(async () => { for (const t of [trader, customs, authority]) await t?.close() })

  it('works out the duties, VAT and fee of an import declaration, with the preference a certificate of origin proves', async () => {
    await publishRates(customs, [trader])
    const declaration = await lorryAndApricots()
    const ref = (await json(await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', data: declaration } }))).consignment
    const payments = await json(await trader.request('GET', `/v1/consignments/${String(ref)}/payments`))
    assert.equal(payments.schedule.issuer, customs.node.participant)
    assert.deepEqual(payments.totals, { duty: '4295455.22', excise: '0.00', vat: '4410000.62', fees: '20000.00', total: '8725455.84' })
    // The certificate of origin proves the apricots' origin: the CIS preference applies.
    const certificate = { ...(await load('test/fixtures/records/cert.origin.json')), originCountry: 'UZ' }
    assert.equal((await trader.request('POST', '/v1/records', { body: { type: 'cert.origin', consignment: ref, data: certificate } })).status, 201)
    const preferred = await json(await trader.request('GET', `/v1/consignments/${String(ref)}/payments`))
    assert.equal(preferred.totals.total, '8404728.57')
    assert.equal(preferred.items[1].payments[0].preferential, true)
    assert.equal((await trader.request('GET', '/v1/consignments/6KZ123456789012-NONE0001/payments')).status, 404)
  })
})
