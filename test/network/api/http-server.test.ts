/**
 * The API over a real HTTP server on 127.0.0.1, as an ERP reaches it: bodies
 * with a declared length and chunked bodies, under and over the size limit.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { startApiServer, type ApiServer } from '../../../api/server.js'
import type { DataObject } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const LIMIT = 8 * 1024

interface Answer { readonly status: number, readonly type: string, readonly body: any, readonly headers: http.IncomingHttpHeaders }

/** Sends `chunks` as the body: with Content-Length when `declared`, else chunked. */
async function post (server: ApiServer, token: string, chunks: string[], declared: boolean, extra: Record<string, string> = {}): Promise<Answer> {
  const body = chunks.join('')
  const headers: Record<string, string | number> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra }
  if (declared) headers['content-length'] = Buffer.byteLength(body)
  return await new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/v1/records`, { method: 'POST', headers }, response => {
      const parts: Buffer[] = []
      response.on('data', (part: Buffer) => parts.push(part))
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(parts).toString('utf8')), headers: response.headers })
      })
    })
    // The server may answer and close before an oversized body is all sent.
    request.on('error', err => { if ((err as NodeJS.ErrnoException).code !== 'EPIPE' && (err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err) })
    for (const chunk of chunks) request.write(chunk)
    request.end()
  })
}

describe('API over HTTP', function () {
  let t: TempNode
  let server: ApiServer
  let invoice: DataObject

  beforeEach(async () => {
    t = await openTempNode({ config: { maxBodyBytes: LIMIT } })
    server = await startApiServer(t.node)
    invoice = await fixture('trade.invoice')
  })
  afterEach(async () => {
    await server.close()
    await t.close()
  })

  const count = async (): Promise<number> => (await t.node.records.list({ limit: 100 })).records.length
  const record = (filler = ''): string => JSON.stringify({ type: 'trade.invoice', data: { ...invoice, ...(filler !== '' && { remarks: filler }) } })

  it('creates a record from a body with a declared length and from a chunked one', async () => {
    const text = record()
    const declared = await post(server, t.node.identity.apiToken, [text], true)
    assert.equal(declared.status, 201, JSON.stringify(declared.body))
    const chunked = await post(server, t.node.identity.apiToken, [text.slice(0, 100), text.slice(100)], false)
    assert.equal(chunked.status, 201, JSON.stringify(chunked.body))
    assert.deepEqual(chunked.body.data, declared.body.data)
    assert.equal(await count(), 2)
  })

  it('answers a new record with its headers, and only its id, type, consignment and time when asked for return=minimal', async () => {
    const text = JSON.stringify({ type: 'trade.invoice', consignment: '6KZ123456789012-HTTP0001', data: invoice })
    const full = await post(server, t.node.identity.apiToken, [text], true, { 'idempotency-key': 'order-1' })
    assert.equal(full.status, 201)
    assert.equal(full.type, 'application/json')
    assert.equal(full.headers.location, `/v1/records/${String(full.body.id)}`)
    assert.equal(full.headers['preference-applied'], undefined)
    assert.equal(full.headers['idempotent-replayed'], undefined)
    assert.deepEqual(full.body.data, invoice)

    const minimal = await post(server, t.node.identity.apiToken, [text], true, { prefer: 'return=minimal' })
    assert.equal(minimal.status, 201)
    assert.equal(minimal.type, 'application/json')
    assert.equal(minimal.headers['preference-applied'], 'return=minimal')
    assert.equal(minimal.headers.location, `/v1/records/${String(minimal.body.id)}`)
    assert.equal(Number(minimal.headers['content-length']), Buffer.byteLength(JSON.stringify(minimal.body)))
    assert.deepEqual(Object.keys(minimal.body).sort(), ['consignment', 'id', 'issuedAt', 'type'])
    assert.equal(minimal.body.consignment, '6KZ123456789012-HTTP0001')

    const again = await post(server, t.node.identity.apiToken, [text], true, { 'idempotency-key': 'order-1', prefer: 'return=minimal' })
    assert.equal(again.status, 201)
    assert.equal(again.body.id, full.body.id)
    assert.equal(again.headers['idempotent-replayed'], 'true')
    assert.equal(await count(), 2)
  })

  it('refuses with 413 a declared length over the limit, and a chunked body that grows over it, storing nothing', async () => {
    const text = record('x'.repeat(LIMIT))
    for (const declared of [true, false]) {
      const chunks = declared ? [text] : text.match(/[^]{1,1000}/g) as string[]
      const answer = await post(server, t.node.identity.apiToken, chunks, declared)
      assert.equal(answer.status, 413, `declared: ${declared}`)
      assert.match(answer.type, /^application\/problem\+json/)
      assert.equal(answer.body.type, 'urn:keruen:problem:payload-too-large')
    }
    assert.equal(await count(), 0)
  })

  it('answers a chunked body over the limit with 413 and Connection: close, and closes, so a client does not wait on that connection', async () => {
    const port = new URL(server.url).port
    const socket = net.connect(Number(port), '127.0.0.1')
    let received = ''
    socket.on('data', (chunk: Buffer) => { received += chunk.toString() })
    const closed = new Promise<void>(resolve => socket.on('close', () => { resolve() }))
    socket.on('error', () => {})
    await new Promise<void>(resolve => socket.on('connect', () => { resolve() }))
    socket.write(`POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${t.node.identity.apiToken}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n')
    const chunk = 'x'.repeat(4096)
    for (let i = 0; i < 4 && !socket.destroyed; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)
    await closed
    assert.match(received, /^HTTP\/1\.1 413 /)
    assert.match(received, /\r\nconnection: close\r\n/i)
    assert.equal(await count(), 0)
  })

  it('answers only requests addressed to a name it listens on: a rebound hostname gets 421, the token-free routes too', async () => {
    const port = new URL(server.url).port
    const get = async (host: string, path: string): Promise<number> => await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path, headers: { host, authorization: `Bearer ${t.node.identity.apiToken}` } }, response => {
        response.resume()
        resolve(response.statusCode ?? 0)
      }).on('error', reject)
    })
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST']) assert.equal(await get(host, '/healthz'), 200, host)
    assert.equal(await get(`attacker.example:${port}`, '/healthz'), 421)
    assert.equal(await get('attacker.example', '/v1/records'), 421)
    assert.equal(await get('127.0.0.1.attacker.example', '/v1/node'), 421)
  })

  it('answers requests the HTTP parser refuses with a problem too: a bad header character, a 60 KB URL', async () => {
    const port = Number(new URL(server.url).port)
    const raw = async (request: string): Promise<string> => await new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.write(request) })
      let received = ''
      socket.on('data', (chunk: Buffer) => { received += chunk.toString() })
      socket.on('close', () => { resolve(received) })
      socket.on('error', reject)
    })
    const bad = await raw('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\u0001b\r\n\r\n')
    assert.match(bad, /^HTTP\/1\.1 400 /)
    assert.match(bad, /content-type: application\/problem\+json/)
    assert.equal(JSON.parse(bad.slice(bad.indexOf('\r\n\r\n') + 4)).type, 'urn:keruen:problem:malformed-request')
    const long = await raw(`GET /v1/records?x=${'a'.repeat(60 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
    assert.match(long, /^HTTP\/1\.1 431 /)
    assert.equal(JSON.parse(long.slice(long.indexOf('\r\n\r\n') + 4)).type, 'urn:keruen:problem:headers-too-large')
  })
})
