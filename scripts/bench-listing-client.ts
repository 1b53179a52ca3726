/**
 * The store bench's listing client: a worker thread of its own, with a heap of
 * its own, that lists consignments one after another over one keep-alive
 * connection with node:http, reads each answer whole and parses it, as an ERP
 * would. Kept apart from the bench's main thread, whose heap holds what the
 * rest of the bench left, so that its collections do not count as the node's
 * latency.
 */
import { request, Agent } from 'node:http'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'

interface ClientData { readonly url: string, readonly token: string, readonly expected: number }
type Reply = { readonly times: number[] } | { readonly error: string }

/** Lists each consignment of `refs` in turn; the time of each, in ms, from asking to the page parsed. */
async function listAll (data: ClientData, agent: Agent, refs: readonly string[]): Promise<number[]> {
  const base = new URL(data.url)
  const times: number[] = []
  for (const ref of refs) {
    const started = performance.now()
    const page = await new Promise<{ records?: unknown[] }>((resolve, reject) => {
      const path = `/v1/records?consignment=${encodeURIComponent(ref)}&limit=${data.expected}`
      request({ agent, host: base.hostname, port: base.port, path, headers: { authorization: `Bearer ${data.token}` } }, res => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`listing ${ref} answered ${res.statusCode ?? '?'}`))
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records?: unknown[] })
        })
        res.on('error', reject)
      }).on('error', reject).end()
    })
    times.push(performance.now() - started)
    if (page.records?.length !== data.expected) throw new Error(`listing ${ref} gave ${page.records?.length ?? 'no'} records, not ${data.expected}`)
  }
  return times
}

if (!isMainThread && (workerData as { listingClient?: ClientData } | undefined)?.listingClient !== undefined) {
  const data = (workerData as { listingClient: ClientData }).listingClient
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  parentPort?.on('message', (refs: string[] | 'close') => {
    if (refs === 'close') {
      agent.destroy()
      parentPort?.close()
      return
    }
    listAll(data, agent, refs).then(
      times => parentPort?.postMessage({ times } satisfies Reply),
      (err: Error) => parentPort?.postMessage({ error: err.message } satisfies Reply))
  })
}

/** The client, seen from the bench: list() runs a round of listings on the worker. */
export class ListingClient {
  private readonly worker: Worker

  constructor (url: string, token: string, expected: number) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { listingClient: { url, token, expected } satisfies ClientData } })
  }

  async list (refs: readonly string[]): Promise<number[]> {
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.worker.once('message', resolve)
      this.worker.once('error', reject)
      this.worker.postMessage(refs)
    })
    this.worker.removeAllListeners('error')
    if ('error' in reply) throw new Error(reply.error)
    return reply.times
  }

  async close (): Promise<void> {
    this.worker.postMessage('close')
    await new Promise(resolve => this.worker.once('exit', resolve))
  }
}
