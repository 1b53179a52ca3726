/**
 * Signs records on worker threads so that signing uses every core and the
 * event loop stays free for the API and the network. With no workers, records
 * are signed on the calling thread.
 */
import { Worker } from 'node:worker_threads'
import { createRecord, parseRecord, RecordError, type RecordDraft, type SignedRecord, type Signer, type RecordErrorCode } from '../record/index.js'
import type { SignReply } from './signing-worker.js'

interface Pending { resolve: (bytes: Uint8Array) => void, reject: (err: Error) => void }

interface Slot { worker: Worker, pending: Map<number, Pending> }

const WORKER_URL = new URL('./signing-thread.js', import.meta.url)

export class SigningPool {
  private readonly slots: Slot[] = []
  private nextId = 0
  private closed = false

  constructor (private readonly signer: Signer, private readonly seed: Uint8Array, size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn())
  }

  get size (): number {
    return this.slots.length
  }

  private spawn (): Slot {
    const worker = new Worker(WORKER_URL, { workerData: { seed: this.seed } })
    const slot: Slot = { worker, pending: new Map() }
    worker.on('message', (reply: SignReply) => {
      const pending = slot.pending.get(reply.id)
      if (pending === undefined) return
      slot.pending.delete(reply.id)
      if (slot.pending.size === 0) worker.unref()
      if ('bytes' in reply) pending.resolve(reply.bytes)
      else pending.reject(reply.error.record ? new RecordError(reply.error.code as RecordErrorCode, reply.error.message) : new Error(reply.error.message))
    })
    const fail = (err: Error): void => {
      for (const p of slot.pending.values()) p.reject(err)
      slot.pending.clear()
      // A worker that died is replaced, so one bad moment does not disable signing.
      const index = this.slots.indexOf(slot)
      if (!this.closed && index >= 0) this.slots[index] = this.spawn()
    }
    worker.on('error', fail)
    worker.on('exit', code => { if (!this.closed) fail(new Error(`signing worker exited with code ${code}`)) })
    // An idle worker must not keep the process alive; a busy one must.
    worker.unref()
    return slot
  }

  /** Builds and signs a record; throws RecordError for drafts the format refuses. */
  async sign (draft: RecordDraft): Promise<SignedRecord> {
    if (this.slots.length === 0) return createRecord(this.signer, draft)
    let slot = this.slots[0] as Slot
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s
    const id = this.nextId++
    const bytes = await new Promise<Uint8Array>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref()
      slot.pending.set(id, { resolve, reject })
      slot.worker.postMessage({ id, draft })
    })
    return parseRecord(bytes)
  }

  async close (): Promise<void> {
    this.closed = true
    await Promise.all(this.slots.map(async s => await s.worker.terminate()))
    for (const s of this.slots) for (const p of s.pending.values()) p.reject(new Error('signing pool closed'))
  }
}
