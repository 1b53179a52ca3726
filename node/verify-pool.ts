/**
 * Verifies received records on worker threads, a delivery at a time, so that a
 * receiver catching up on a backlog uses more than one core. Small deliveries
 * are verified on the calling thread: a hand-off costs more than it saves there;
 * so is everything until a worker has loaded.
 */
import { parseRecord, RecordError, verifyRecord } from '../record/index.js'
import { WorkerPool } from './worker-pool.js'

const WORKER_URL = new URL('./verify-thread.js', import.meta.url)
/** Below this many records a delivery is verified in place. */
const MIN_OFFLOAD = 8

/** Why a record does not verify, or null if it does. */
export function refusalOf (bytes: Uint8Array): string | null {
  try {
    verifyRecord(parseRecord(bytes))
    return null
  } catch (err) {
    if (err instanceof RecordError) return `${err.code}: ${err.message}`
    throw err
  }
}

export class VerifyPool {
  private readonly workers: WorkerPool<readonly Uint8Array[], Array<string | null>>

  constructor (size: number) {
    this.workers = new WorkerPool(WORKER_URL, size, 'verify')
  }

  /** Whether a worker has loaded. */
  get ready (): boolean {
    return this.workers.ready
  }

  /** Per record, why it does not verify, or null if it does. */
  async refusals (records: readonly Uint8Array[]): Promise<Array<string | null>> {
    if (!this.workers.ready || records.length < MIN_OFFLOAD) return records.map(refusalOf)
    const refusals = await this.workers.request(records)
    if (refusals.length !== records.length) throw new Error('verify worker answered for another number of records')
    return refusals
  }

  async close (): Promise<void> {
    await this.workers.close()
  }
}
