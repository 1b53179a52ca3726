/**
 * Signs records on worker threads so that signing uses every core and the
 * event loop stays free for the API and the network. With no workers, or
 * until one has loaded, records are signed on the calling thread, a few per
 * turn of the event loop (turns.ts).
 */
import { CanonicalError, createRecord, parseRecord, RecordError, type RecordDraft, type RecordErrorCode, type SignedRecord, type Signer } from '../../record/index.js'
import type { SignReply } from './signing-worker.js'
import { Turns } from './turns.js'
import { WorkerPool } from './worker-pool.js'

const WORKER_URL = new URL('./signing-worker.js', import.meta.url)

export class SigningPool {
  private readonly workers: WorkerPool<RecordDraft, SignReply>
  private readonly turns = new Turns()

  constructor (private readonly signer: Signer, seed: Uint8Array, size: number) {
    this.workers = new WorkerPool(WORKER_URL, size, 'signing', { seed })
  }

  /** Whether a worker has loaded. */
  get ready (): boolean {
    return this.workers.ready
  }

  /** Builds and signs a record; throws RecordError for drafts the format refuses. */
  async sign (draft: RecordDraft): Promise<SignedRecord> {
    if (!this.workers.ready) return await this.turns.run(() => createRecord(this.signer, draft))
    const reply = await this.workers.request(draft)
    if ('error' in reply) {
      const e = reply.error
      if (!e.record) throw new Error(e.message)
      const cause = e.canonical === undefined ? undefined : new CanonicalError(e.canonical.reason, e.canonical.segments)
      throw new RecordError(e.code as RecordErrorCode, e.message, { cause, location: e.location })
    }
    return parseRecord(reply.bytes)
  }

  async close (): Promise<void> {
    await this.workers.close()
  }
}
