/**
 * Checks received records on worker threads, a delivery at a time, so that a
 * receiver catching up on a backlog uses more than one core. Small deliveries
 * are checked on the calling thread: a hand-off costs more than it saves there;
 * so is everything until a worker has loaded. While every worker has a
 * delivery in hand, the calling thread checks the next one itself, a slice at
 * a time so that it keeps answering between slices: then every core verifies.
 */
import type { TypeRegistry } from '../../record/types/registry.js'
import { receivedRefusal } from '../records/record-check.js'
import { WorkerPool } from './worker-pool.js'

const WORKER_URL = new URL('./verify-worker.js', import.meta.url)
/** Below this many records a delivery is checked in place. */
const MIN_OFFLOAD = 8
/** Records the calling thread checks before it lets other work run: some milliseconds. */
const SLICE = 16

export class VerifyPool {
  private readonly workers: WorkerPool<readonly Uint8Array[], Array<string | null>>

  /** `types`: the node's registry, for records checked in place; the workers hold the built-in types. */
  constructor (size: number, private readonly types: TypeRegistry) {
    this.workers = new WorkerPool(WORKER_URL, size, 'verify')
  }

  /** Whether a worker has loaded. */
  get ready (): boolean {
    return this.workers.ready
  }

  /** Resolves once a worker has loaded, or after `ms`: true if one has (see WorkerPool.loaded). */
  async loaded (ms: number): Promise<boolean> {
    return await this.workers.loaded(ms)
  }

  /** Per record, why it is refused (see receivedRefusal), or null if it may be stored. */
  async refusals (records: readonly Uint8Array[]): Promise<Array<string | null>> {
    if (!this.workers.ready || records.length < MIN_OFFLOAD) return records.map(bytes => receivedRefusal(this.types, bytes))
    if (this.workers.saturated) return await this.inSlices(records)
    const refusals = await this.workers.request(records)
    if (refusals.length !== records.length) throw new Error('verify worker answered for another number of records')
    return refusals
  }

  /** Checks on this thread, yielding to the event loop between slices. */
  private async inSlices (records: readonly Uint8Array[]): Promise<Array<string | null>> {
    const refusals: Array<string | null> = []
    for (let start = 0; start < records.length; start += SLICE) {
      if (start > 0) await new Promise(resolve => setImmediate(resolve))
      for (const bytes of records.slice(start, start + SLICE)) refusals.push(receivedRefusal(this.types, bytes))
    }
    return refusals
  }

  async close (): Promise<void> {
    await this.workers.close()
  }
}
