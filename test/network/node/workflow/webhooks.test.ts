/**
 * Webhooks: notifications reach a subscriber's URL signed with its secret, in
 * order and once each, survive the subscriber being down and the node
 * restarting, and follow the subscription's filter.
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRecord, ed25519Signer, recordToJson, timestamp } from '../../../../record/index.js'
import { json } from '../../../support/network.js'
import { fixture, openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'

interface Received { headers: Record<string, string | string[] | undefined>, body: string }

describe('webhooks', function () {
  this.timeout(60_000)
  let server: Server
  let url: string
  let up = true
  const received: Received[] = []
  let t: TempNode
  const other = ed25519Signer(new Uint8Array(32).fill(9))

  const foreignInvoice = async (n: number): Promise<string> => {
    const record = createRecord(other, { type: 'trade.invoice', consignment: `6KZ123456789012-WH${n}`, issuedAt: timestamp(), data: await fixture('trade.invoice') })
    const response = await t.request('POST', '/v1/records/import', { body: recordToJson(record) })
    assert.equal(response.status, 201)
    return record.id
  }

  before(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => { body += chunk.toString() })
      req.on('end', () => {
        if (!up) {
          res.writeHead(503).end()
          return
        }
        received.push({ headers: req.headers, body })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/keruen`
    t = await openTempNode({ webhooks: { retryMs: 50, maxRetryMs: 200 } })
  })
  after(async () => {
    await t.close()
    server.close()
  })

  it('refuses a subscription that is not one, precisely', async () => {
    const notHttp = await t.request('POST', '/v1/subscriptions', { body: { url: 'ftp://example.org/x' } })
    assert.equal(notHttp.status, 400)
    assert.deepEqual((await json(notHttp)).errors, [{ path: '/url', message: 'must be http or https' }])
    const badFilter = await t.request('POST', '/v1/subscriptions', { body: { url, filter: { events: ['record.deleted'] } } })
    assert.equal(badFilter.status, 400)
    assert.equal((await t.request('GET', '/v1/subscriptions/nope/deliveries')).status, 404)
  })

  it('delivers each notification signed, in order, once — across an outage and a restart', async () => {
    const subscription = await json(await t.request('POST', '/v1/subscriptions', { body: { url, filter: { events: ['record.received'] } } }))
    assert.equal(typeof subscription.secret, 'string')
    assert.equal((await json(await t.request('GET', '/v1/subscriptions'))).subscriptions[0].secret, undefined)

    const first = await foreignInvoice(1)
    await until(() => received.length === 1, 'the first notification')
    const [hit] = received as [Received]
    const signature = String(hit.headers['keruen-signature'])
    const [, seconds, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? []
    assert.equal(mac, createHmac('sha256', subscription.secret).update(`${seconds as string}.${hit.body}`).digest('hex'))
    assert.equal(hit.headers['keruen-event'], 'record.received')
    const body = JSON.parse(hit.body)
    assert.equal(body.event, 'record.received')
    assert.equal(body.data.record, first)
    assert.equal(body.data.issuer, other.participant)
    assert.equal(hit.headers['keruen-delivery'], `${subscription.id as string}/${body.id as string}`)

    // The subscriber goes down; two more records arrive.
    up = false
    const later = [await foreignInvoice(2), await foreignInvoice(3)]
    await until(async () => (await json(await t.request('GET', `/v1/subscriptions/${subscription.id as string}/deliveries`))).attempts >= 2, 'failed attempts')
    const waiting = await json(await t.request('GET', `/v1/subscriptions/${subscription.id as string}/deliveries`))
    assert.equal(waiting.pending.length, 2)
    assert.equal(waiting.lastError, 'answered 503')

    // The node restarts while the subscriber is still down; then the subscriber returns.
    t = await t.reopen()
    up = true
    await until(() => received.length === 3, 'the queued notifications after the restart')
    await new Promise(resolve => setTimeout(resolve, 300))
    assert.deepEqual(received.map(r => JSON.parse(r.body).data.record), [first, ...later])
    const log = await json(await t.request('GET', `/v1/subscriptions/${subscription.id as string}/deliveries`))
    assert.deepEqual(log.pending, [])
    assert.equal(log.delivered.length, 3)
    assert.ok(log.delivered.every((d: any) => d.responseStatus === 204))
  })

  it('follows the filter: own records are not "received", other events and types are left out', async () => {
    const before = received.length
    const own = await t.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: '6KZ123456789012-WH9', data: await fixture('trade.invoice') } })
    assert.equal(own.status, 201)
    const onlyWaybills = await json(await t.request('POST', '/v1/subscriptions', { body: { url, filter: { types: ['transport.waybill'] } } }))
    await foreignInvoice(4)
    await until(() => received.length === before + 1, 'the invoice notification of the first subscription')
    await new Promise(resolve => setTimeout(resolve, 300))
    assert.equal(received.length, before + 1)
    assert.equal((await json(await t.request('GET', `/v1/subscriptions/${onlyWaybills.id as string}/deliveries`))).delivered.length, 0)
    assert.equal((await t.request('DELETE', `/v1/subscriptions/${onlyWaybills.id as string}`)).status, 204)
    assert.equal((await t.request('DELETE', `/v1/subscriptions/${onlyWaybills.id as string}`)).status, 404)
  })
})
