/**
 * The worker side of worker-pool.ts: answers each request with `handle`, and
 * says when it has loaded.
 */
import { parentPort, type Transferable } from 'node:worker_threads'
import { READY, type WorkerReply, type WorkerRequest } from './worker-pool.js'

export function serveRequests<Request, Reply> (handle: (payload: Request) => { reply: Reply, transfer?: Transferable[] }): void {
  const port = parentPort
  if (port === null) throw new Error('a pool worker must run in a worker thread')
  port.on('message', ({ id, payload }: WorkerRequest<Request>) => {
    const { reply, transfer } = handle(payload)
    port.postMessage({ id, reply } satisfies WorkerReply<Reply>, transfer ?? [])
  })
  port.postMessage(READY)
}
