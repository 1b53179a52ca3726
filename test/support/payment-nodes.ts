/**
 * The nodes a declaration is paid between, for the cabinet's tests: an
 * authority; a trader that declares a lorry and dried apricots, shares the
 * declaration with customs and applies for its import; customs (an agency
 * certified for customs) with its rates, its import procedure and a red rule
 * for lorries; and a bank.
 */
import assert from 'node:assert/strict'
import { certify, connect, json, networkedNode } from './network.js'
import { lorryAndApricots, publishRates } from './reference-data.js'
import { openTempNode, type TempNode } from './temp-node.js'
import { until } from './until.js'

export const IMPORT = 'KZ.customs.import-declaration'
export const LORRY_REASON = 'Inspect the vehicle identification number against the papers'

export interface PaymentNodes {
  readonly authority: TempNode
  readonly trader: TempNode
  readonly customs: TempNode
  readonly bank: TempNode
  /** The consignment declared. */
  readonly ref: string
  /** Its application to customs. */
  readonly application: string
  close: () => Promise<void>
}

export async function openPaymentNodes (): Promise<PaymentNodes> {
  const authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
  const trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit LLP' } })
  const customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
  const bank = await networkedNode({ profile: { role: 'bank', country: 'KZ', name: 'Halyk Bank' } })
  await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit LLP' })
  await certify(authority, customs, 'agency', { competence: 'customs', name: 'State Revenue Committee' })
  await certify(authority, bank, 'bank', { name: 'Halyk Bank' })
  await connect(trader, customs)
  await connect(trader, bank)
  await connect(bank, customs)
  for (const t of [trader, customs, bank]) await t.node.policy.refreshDirectory()
  await publishRates(customs, [trader])
  assert.equal((await customs.request('POST', '/v1/profiles', {
    body: { procedure: IMPORT, title: 'Import declaration', elements: [{ id: 'goods', type: 'customs.declaration', path: '/items/*/hsCode' }] }
  })).status, 201)
  assert.equal((await customs.request('POST', '/v1/risk-rules', {
    body: { rule: 'lorries', title: 'Lorries', priority: 10, validFrom: '2026-01-01', when: { goods: ['870421'] }, outcome: 'red', reason: LORRY_REASON }
  })).status, 201)
  const declaration = await lorryAndApricots()
  const ref = (await json(await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', data: declaration, share: [customs.node.participant] } }))).consignment as string
  await until(async () => (await trader.request('GET', `/v1/profiles/${IMPORT}?agency=${customs.node.participant}`)).status === 200, 'the trader to hold customs\' profile')
  const applied = await json(await trader.request('POST', `/v1/consignments/${ref}/applications`, { body: { procedure: IMPORT, agency: customs.node.participant } }))
  const application = applied.application.id as string
  await until(async () => (await json(await customs.request('GET', `/v1/applications/${application}/evaluations`))).evaluations?.length > 0, 'customs to evaluate the application')
  return {
    authority,
    trader,
    customs,
    bank,
    ref,
    application,
    close: async () => { for (const t of [trader, customs, bank, authority]) await t.close() }
  }
}
