/**
 * Per-peer limits on real nodes. A peer flooding the holder with queries is
 * told to slow down (503 with Retry-After through the API), while another
 * peer's queries, spaced as a keruen node asks, are all answered and a
 * delivery to it goes through meanwhile. A sender over the receiver's delivery
 * limits is told to slow down too, waits, and every record still arrives.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { ServiceError } from '../../../../node/errors.js'
import { repoFile } from '../../../support/repo.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'

const PURPOSE = 'KZ.sps.phytosanitary-certificate'
const load = async (type: string): Promise<any> => JSON.parse(await readFile(repoFile(`test/fixtures/records/${type}.json`), 'utf8'))
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('per-peer limits', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let flooder: TempNode
  let sps: TempNode
  let certificate: string

  before(async () => {
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({
      profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' },
      config: { queryLimits: { perSecond: 5, concurrent: 2, bytesPerMinute: 64 * 1024 * 1024 } }
    })
    flooder = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'Customs' } })
    sps = await networkedNode({
      profile: { role: 'agency', country: 'KZ', name: 'Plant quarantine inspectorate' },
      config: { deliveryLimits: { perSecond: 1, concurrent: 1, bytesPerMinute: 64 * 1024 * 1024 } }
    })
    await certify(authority, trader, 'trader')
    await certify(authority, flooder, 'agency', { competence: 'customs' })
    await certify(authority, sps, 'agency', { competence: 'phytosanitary' })
    await connect(flooder, trader)
    await connect(sps, trader)
    for (const t of [trader, flooder, sps]) await t.node.policy.refreshDirectory()
    const grant = (to: Record<string, string>, mode: string): Record<string, unknown> => ({ types: ['cert.origin'], to, fields: [''], purpose: PURPOSE, mode })
    for (const body of [grant({ competence: 'customs' }, 'pull'), grant({ competence: 'phytosanitary' }, 'pull')]) {
      assert.equal((await trader.request('POST', '/v1/policies', { body })).status, 201)
    }
    certificate = (await json(await trader.request('POST', '/v1/records', { body: { type: 'cert.origin', data: await load('cert.origin') } }))).id
  })
  after(async () => { for (const t of [trader, flooder, sps, authority]) await t?.close() })

  it('slows a flooding peer down while another peer\'s queries are all answered', async () => {
    const flood = Array.from({ length: 60 }, async () => await flooder.node.queries.ask(trader.node.participant, { record: certificate }, { purpose: PURPOSE })
      .then(() => 'answered', (err: unknown) => err instanceof ServiceError ? err.code : String(err)))
    // The other peer asks four times a second, as its own limit allows, all through the flood.
    const others: string[] = []
    for (let i = 0; i < 8; i++) {
      const answer = await sps.node.queries.ask(trader.node.participant, { record: certificate }, { purpose: PURPOSE })
      others.push(answer.answer.outcome)
      await sleep(250)
    }
    // A delivery from the holder to the other peer goes through meanwhile too.
    const shared = await json(await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', data: { ...await load('trade.invoice'), number: 'INV-DURING-FLOOD' }, share: [sps.node.participant] } }))
    await until(async () => (await sps.request('GET', `/v1/records/${String(shared.id)}`)).status === 200, 'the delivery to arrive during the flood')
    const outcomes = await Promise.all(flood)
    assert.deepEqual(others, Array(8).fill('records'), 'every query of the other peer answered')
    assert.ok(outcomes.filter(o => o === 'holder-busy').length > 30, JSON.stringify(outcomes))
    assert.ok(outcomes.includes('answered'), 'the flooder is slowed, not shut out')
    assert.deepEqual([...new Set(outcomes)].sort(), ['answered', 'holder-busy'])
    // Through the API: 503, problem+json, and when to ask again.
    let busy: Response | undefined
    for (let i = 0; i < 20 && busy === undefined; i++) {
      const responses = await Promise.all(Array.from({ length: 6 }, async () => await flooder.request('GET', `/v1/participants/${trader.node.participant}/records/${certificate}?purpose=${PURPOSE}`)))
      busy = responses.find(r => r.status === 503)
      await Promise.all(responses.map(async r => await r.text()))
    }
    assert.ok(busy !== undefined)
    assert.equal(busy.headers.get('content-type'), 'application/problem+json')
    assert.ok(Number(busy.headers.get('retry-after')) >= 1)
  })

  it('tells a sender over the receiver\'s delivery limits to slow down, and every record still arrives', async () => {
    const slowed: string[] = []
    const listener = (_peer: string, reason: string): void => { if (reason.startsWith('slowed down')) slowed.push(reason) }
    sps.node.events.on('delivery:refused', listener)
    try {
      assert.equal((await trader.request('POST', '/v1/policies', { body: { types: ['trade.invoice'], to: { competence: 'phytosanitary' }, fields: [''], purpose: PURPOSE } })).status, 201)
      const invoice = await load('trade.invoice')
      // Records in several requests: more than the receiver takes a second.
      const ids: string[] = []
      for (let i = 0; i < 6; i++) {
        ids.push((await json(await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', data: { ...invoice, number: `INV-LIMIT-${i}` } } }))).id)
        await sleep(30)
      }
      await until(async () => (await Promise.all(ids.map(async id => (await sps.request('GET', `/v1/records/${id}`)).status))).every(s => s === 200), 'every invoice to arrive', 60_000)
      assert.ok(slowed.length > 0, 'the receiver slowed the sender down at least once')
    } finally {
      sps.node.events.off('delivery:refused', listener)
    }
  })
})
