/**
 * The API over a real HTTP server on 127.0.0.1, as an ERP reaches it: bodies
 * with a declared length and chunked bodies, under and over the size limit.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import { startApiServer, type ApiServer } from '../../../api/server.js'
import type { DataObject } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const LIMIT = 8 * 1024

interface Answer { readonly status: number, readonly type: string, readonly body: any }

/** Sends `chunks` as the body: with Content-Length when `declared`, else chunked. */
async function post (server: ApiServer, token: string, chunks: string[], declared: boolean): Promise<Answer> {
  const body = chunks.join('')
  const headers: Record<string, string | number> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  if (declared) headers['content-length'] = Buffer.byteLength(body)
  return await new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/v1/records`, { method: 'POST', headers }, response => {
      const parts: Buffer[] = []
      response.on('data', (part: Buffer) => parts.push(part))
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(parts).toString('utf8')) })
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
})
