/**
 * Checks received records on worker threads, a delivery at a time, so that a
 * receiver catching up on a backlog uses more than one core. Small deliveries
 * are checked on the calling thread: a hand-off costs more than it saves there;
 * so is everything until a worker has loaded.
 */
import type { TypeRegistry } from '../../record/types/registry.js'
import { receivedRefusal } from '../records/record-check.js'
import { WorkerPool } from './worker-pool.js'

const WORKER_URL = new URL('./verify-worker.js', import.meta.url)
/** Below this many records a delivery is checked in place. */
const MIN_OFFLOAD = 8

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
    const refusals = await this.workers.request(records)
    if (refusals.length !== records.length) throw new Error('verify worker answered for another number of records')
    return refusals
  }

  async close (): Promise<void> {
    await this.workers.close()
  }
}
