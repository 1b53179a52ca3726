/**
 * The records bench over HTTP: the client in a worker thread posts the
 * warm-up, then the timed requests, and says when each part starts and ends;
 * both bare routes create real records; a refused request fails the figure
 * rather than counting.
 */
import assert from 'node:assert/strict'
import { postFromWorker, startBareRoute, startNodeHttpRoute, type HttpLoad } from '../../../scripts/bench-http.js'
import type { ApiServer } from '../../../api/server.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-HTTP'

describe('bench: HTTP load and the bare routes', () => {
  let t: TempNode
  let bare: ApiServer
  let plain: ApiServer
  let load: HttpLoad
  before(async () => {
    t = await openTempNode()
    bare = await startBareRoute(t.node)
    plain = await startNodeHttpRoute(t.node)
    const body = JSON.stringify({ type: 'trade.invoice', consignment: CONSIGNMENT, data: await fixture('trade.invoice') })
    load = { url: `${bare.url}/v1/records`, headers: { 'content-type': 'application/json' }, body, count: 12, concurrency: 4 }
  })
  after(async () => {
    await plain.close()
    await bare.close()
    await t.close()
  })

  it('posts the warm-up, then the timed requests, each a record created', async () => {
    const events: string[] = []
    let seconds = 0
    await postFromWorker(load, {
      measuring: () => { events.push('measuring') },
      finished: s => { events.push('finished'); seconds = s }
    }, 3)
    assert.deepEqual(events, ['measuring', 'finished'])
    assert.ok(seconds > 0 && seconds < 60, `took ${seconds} s`)
    const { records } = await t.node.records.list({ consignment: CONSIGNMENT, limit: 100 })
    assert.equal(records.length, 15)
    assert.ok(records.every(r => r.type === 'trade.invoice'))
  })

  it('creates with node:http alone, and answers 500 for a body it cannot create', async () => {
    const held = async (): Promise<number> => (await t.node.records.list({ consignment: CONSIGNMENT, limit: 100 })).records.length
    const before = await held()
    let finished = false
    await postFromWorker({ ...load, url: `${plain.url}/v1/records`, count: 4 }, { measuring: () => {}, finished: () => { finished = true } }, 0)
    assert.equal(finished, true)
    assert.equal(await held() - before, 4)
    const bad = { ...load, url: `${plain.url}/v1/records`, body: JSON.stringify({ type: 'no.such.type', data: {} }), count: 1 }
    await assert.rejects(postFromWorker(bad, { measuring: () => {}, finished: () => {} }, 0), /answered 500/)
  })

  it('fails when the server refuses a request', async () => {
    const refused = { ...load, url: `${bare.url}/v1/nowhere` }
    let finished = false
    await assert.rejects(postFromWorker(refused, { measuring: () => {}, finished: () => { finished = true } }, 1), /POST \/v1\/nowhere answered 404/)
    assert.equal(finished, false)
  })
})
