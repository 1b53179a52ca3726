/**
 * What the records bench needs over HTTP: a keep-alive client in a worker
 * thread, and the same creation behind bare routes, one of Node.js's own HTTP
 * server and one of Hono on the server keruen's API runs on, to tell the
 * HTTP stack's own cost from that of keruen's API.
 */
import { Hono } from 'hono'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Worker } from 'node:worker_threads'
import { minimalView } from '../api/routes/records.js'
import { listenApi, type ApiServer } from '../api/server.js'
import type { NodeApi } from '../node/node-api.js'
import type { CreateRecordInput } from '../node/records/record-service.js'

/**
 * The client runs in a worker thread so that the server keeps the main thread
 * to itself, as it would with the ERP in another process or on another
 * machine. It posts `warmup` requests one at a time, says `measuring`, then
 * posts `count` with `concurrency` in flight and answers the seconds they took.
 */
const CLIENT = `
const http = require('node:http')
const { parentPort, workerData: w } = require('node:worker_threads')
const agent = new http.Agent({ keepAlive: true, maxSockets: w.concurrency })
const target = new URL(w.url)
const body = Buffer.from(w.body)
function post () {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { ...w.headers, 'content-length': body.length } }, res => {
      res.resume()
      res.on('end', () => res.statusCode === 201 ? resolve() : reject(new Error('POST ' + target.pathname + ' answered ' + res.statusCode)))
    })
    req.on('error', reject)
    req.end(body)
  })
}
;(async () => {
  for (let i = 0; i < w.warmup; i++) await post()
  let next = 0
  parentPort.postMessage('measuring')
  const started = performance.now()
  await Promise.all(Array.from({ length: w.concurrency }, async () => { while (next++ < w.count) await post() }))
  parentPort.postMessage((performance.now() - started) / 1000)
})().catch(err => { parentPort.postMessage({ error: String(err) }) })
`

export interface HttpLoad {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly count: number
  readonly concurrency: number
}

/** When the timed requests start (the warm-up is over), and when they are done, with the seconds they took. */
export interface LoadHooks {
  readonly measuring: () => void
  readonly finished: (seconds: number) => void
}

/** Posts `load` from a worker thread, and resolves once it is stopped. */
export async function postFromWorker (load: HttpLoad, hooks: LoadHooks, warmup = 200): Promise<void> {
  const worker = new Worker(CLIENT, { eval: true, workerData: { ...load, warmup } })
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: number | 'measuring' | { error: string }) => {
        if (m === 'measuring') {
          hooks.measuring()
        } else if (typeof m === 'number') {
          // Before the worker is stopped: that is not part of the figure.
          hooks.finished(m)
          resolve()
        } else {
          reject(new Error(m.error))
        }
      })
      worker.once('error', reject)
    })
  } finally {
    await worker.terminate()
  }
}

/**
 * `POST /v1/records` creating records with `node` behind a bare Hono route on
 * the server keruen's API runs on (listenApi): no token, no host or size
 * check, no schema check of the request, the body parsed by Hono; the answer
 * is keruen's to `Prefer: return=minimal` (minimalView). What the
 * HTTP stack costs by itself; not something to serve.
 */
export async function startBareRoute (node: Pick<NodeApi, 'records'>): Promise<ApiServer> {
  const app = new Hono()
  app.post('/v1/records', async c => {
    const { record } = await node.records.create(await c.req.json())
    c.header('location', `/v1/records/${record.id}`)
    return c.json(minimalView(record), 201)
  })
  const listener = await listenApi('127.0.0.1', 0)
  listener.attach(app)
  return listener
}

/**
 * The same with Node.js's HTTP server and nothing else: whatever path is
 * posted to, the body is read whole, parsed and created. The least any HTTP
 * API costs here; not something to serve.
 */
export async function startNodeHttpRoute (node: Pick<NodeApi, 'records'>): Promise<ApiServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    req.on('end', () => {
      node.records.create(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CreateRecordInput).then(({ record }) => {
        res.writeHead(201, { 'content-type': 'application/json', location: `/v1/records/${record.id}` })
        res.end(JSON.stringify(minimalView(record)))
      }, (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(err))
      })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close(err => err != null ? reject(err) : resolve()))
      server.closeAllConnections()
      await closed
    }
  }
}
