/**
 * Verifies received records on worker threads, a delivery at a time, so that a
 * receiver catching up on a backlog uses more than one core. Small deliveries
 * are verified on the calling thread: a hand-off costs more than it saves there;
 * so is everything until a worker has loaded.
 */
import { Worker } from 'node:worker_threads'
import { parseRecord, RecordError, verifyRecord } from '../record/index.js'
import type { VerifyReply, VerifyRequest } from './verify-worker.js'

const WORKER_URL = new URL('./verify-thread.js', import.meta.url)
/** Below this many records a delivery is verified in place. */
const MIN_OFFLOAD = 8

interface Slot {
  worker: Worker
  ready: boolean
  pending: Map<number, { resolve: (refusals: ReadonlyArray<string | null>) => void, reject: (err: Error) => void }>
}

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
  private readonly slots: Slot[] = []
  private nextId = 0
  private closed = false

  constructor (size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn())
  }

  private spawn (): Slot {
    const worker = new Worker(WORKER_URL)
    const slot: Slot = { worker, ready: false, pending: new Map() }
    worker.on('message', (reply: VerifyReply | 'ready') => {
      if (reply === 'ready') {
        slot.ready = true
        return
      }
      const { id, refusals } = reply
      const pending = slot.pending.get(id)
      if (pending === undefined) return
      slot.pending.delete(id)
      if (slot.pending.size === 0) worker.unref()
      pending.resolve(refusals)
    })
    const fail = (err: Error): void => {
      for (const p of slot.pending.values()) p.reject(err)
      slot.pending.clear()
      // A worker that died is replaced, so one bad moment does not stop verification.
      const index = this.slots.indexOf(slot)
      if (!this.closed && index >= 0) this.slots[index] = this.spawn()
    }
    worker.on('error', fail)
    worker.on('exit', code => { if (!this.closed) fail(new Error(`verify worker exited with code ${code}`)) })
    worker.unref()
    return slot
  }

  /** Per record, why it does not verify, or null if it does. */
  async refusals (records: readonly Uint8Array[]): Promise<Array<string | null>> {
    const ready = this.slots.filter(s => s.ready)
    if (ready.length === 0 || records.length < MIN_OFFLOAD) return records.map(refusalOf)
    let slot = ready[0] as Slot
    for (const s of ready) if (s.pending.size < slot.pending.size) slot = s
    const id = this.nextId++
    const refusals = await new Promise<ReadonlyArray<string | null>>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref()
      slot.pending.set(id, { resolve, reject })
      slot.worker.postMessage({ id, records } satisfies VerifyRequest)
    })
    if (refusals.length !== records.length) throw new Error('verify worker answered for another number of records')
    return [...refusals]
  }

  async close (): Promise<void> {
    this.closed = true
    await Promise.all(this.slots.map(async s => await s.worker.terminate()))
    for (const s of this.slots) for (const p of s.pending.values()) p.reject(new Error('verify pool closed'))
  }
}
