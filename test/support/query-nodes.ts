/**
 * Real nodes for asking a participant from the cabinet: an authority, a
 * carrier whose pull grant lets customs see when, where and what happened
 * to its consignment (and nothing of the cargo), a trader that grants
 * customs nothing, and customs, connected to both.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { nextMillisecond } from './clock.js'
import { certify, connect, json, networkedNode } from './network.js'
import { repoFile } from './repo.js'
import { openTempNode, type TempNode } from './temp-node.js'

export const ARRIVAL = 'KZ.customs.border-arrival'
export const QUERY_REF = '6KZ123456789012-ASK0001'

export interface QueryNodes {
  readonly authority: TempNode
  readonly carrier: TempNode
  readonly trader: TempNode
  readonly customs: TempNode
  /** The carrier's events of QUERY_REF, oldest first. */
  readonly events: string[]
  close: () => Promise<void>
}

export async function openQueryNodes (): Promise<QueryNodes> {
  const authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
  const carrier = await networkedNode({ profile: { role: 'carrier', country: 'KZ', name: 'Silk Road Logistics' } })
  const trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
  const customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
  await certify(authority, carrier, 'carrier', { name: 'Silk Road Logistics' })
  await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit' })
  await certify(authority, customs, 'agency', { competence: 'customs', name: 'State Revenue Committee' })
  await connect(customs, carrier)
  await connect(customs, trader)
  for (const t of [carrier, trader, customs]) await t.node.policy.refreshDirectory()
  const post = async (t: TempNode, path: string, body: unknown): Promise<any> => {
    const response = await t.request('POST', path, { body })
    const answer = await json(response)
    assert.equal(response.status, 201, JSON.stringify(answer))
    return answer
  }
  await post(carrier, '/v1/policies', { types: ['event.shipment'], to: { competence: 'customs' }, fields: ['/eventTime', '/bizStep', '/readPoint/unLocode'], purpose: ARRIVAL, mode: 'pull' })
  const event = JSON.parse(await readFile(repoFile('test/fixtures/records/event.shipment.json'), 'utf8'))
  const events: string[] = []
  for (const [bizStep, unLocode] of [['departing', 'KZALA'], ['arriving', 'KZKOR']]) {
    events.push((await post(carrier, '/v1/records', { type: 'event.shipment', consignment: QUERY_REF, data: { ...event, eventID: `urn:uuid:${crypto.randomUUID()}`, bizStep, readPoint: { ...event.readPoint, unLocode } } })).id)
    await nextMillisecond()
  }
  return {
    authority,
    carrier,
    trader,
    customs,
    events,
    close: async () => { for (const t of [customs, trader, carrier, authority]) await t.close() }
  }
}
