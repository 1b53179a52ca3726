/**
 * Worker threads that answer requests, the mechanics the signing and the
 * verification pools share: each request goes to the least busy worker that
 * has loaded, a worker that dies is replaced and fails only its own requests,
 * and idle workers do not keep the process alive.
 *
 * A worker script answers through `serveRequests` (worker-serve.ts).
 */
import { Worker, type Transferable } from 'node:worker_threads'

/** What travels each way: the worker says 'ready' once, then answers by id. */
export interface WorkerRequest<T> { readonly id: number, readonly payload: T }
export interface WorkerReply<T> { readonly id: number, readonly reply: T }
export const READY = 'ready'

interface Slot<Reply> {
  worker: Worker
  ready: boolean
  pending: Map<number, { resolve: (reply: Reply) => void, reject: (err: Error) => void }>
}

export class WorkerPool<Request, Reply> {
  private readonly slots: Array<Slot<Reply>> = []
  private nextId = 0
  private closed = false
  /** Waiters for the first worker to load (see loaded()). */
  private readonly onLoad = new Set<() => void>()

  /** `name` appears in errors: "signing worker exited with code 1". */
  constructor (private readonly url: URL, size: number, private readonly name: string, private readonly workerData?: unknown) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn())
  }

  /** Whether a worker has loaded; until one has, callers do the work themselves. */
  get ready (): boolean {
    return this.slots.some(s => s.ready)
  }

  private spawn (): Slot<Reply> {
    const worker = new Worker(this.url, { workerData: this.workerData })
    const slot: Slot<Reply> = { worker, ready: false, pending: new Map() }
    worker.on('message', (message: WorkerReply<Reply> | typeof READY) => {
      if (message === READY) {
        slot.ready = true
        for (const resolve of this.onLoad) resolve()
        this.onLoad.clear()
        return
      }
      const pending = slot.pending.get(message.id)
      if (pending === undefined) return
      slot.pending.delete(message.id)
      if (slot.pending.size === 0) worker.unref()
      pending.resolve(message.reply)
    })
    const fail = (err: Error): void => {
      for (const p of slot.pending.values()) p.reject(err)
      slot.pending.clear()
      // A worker that died is replaced, so one bad moment does not disable the pool.
      const index = this.slots.indexOf(slot)
      if (!this.closed && index >= 0) this.slots[index] = this.spawn()
    }
    worker.on('error', fail)
    worker.on('exit', code => { if (!this.closed) fail(new Error(`${this.name} worker exited with code ${code}`)) })
    // An idle worker must not keep the process alive; a busy one must.
    worker.unref()
    return slot
  }

  /**
   * Resolves once a worker has loaded, or after `ms` if none has by then (or
   * the pool has none): true if one has.
   */
  async loaded (ms: number): Promise<boolean> {
    if (this.ready || this.slots.length === 0 || this.closed) return this.ready
    let timer: NodeJS.Timeout | undefined
    const { promise: loaded, resolve } = Promise.withResolvers<void>()
    this.onLoad.add(resolve)
    await Promise.race([loaded, new Promise<void>(resolve => { timer = setTimeout(resolve, ms) })])
    clearTimeout(timer)
    this.onLoad.delete(resolve)
    return this.ready
  }

  /** Sends `payload` to the least busy loaded worker; check `ready` first. */
  async request (payload: Request, transfer: readonly Transferable[] = []): Promise<Reply> {
    const ready = this.slots.filter(s => s.ready)
    let slot = ready[0]
    if (slot === undefined) throw new Error(`no ${this.name} worker has loaded`)
    for (const s of ready) if (s.pending.size < slot.pending.size) slot = s
    const chosen = slot
    const id = this.nextId++
    return await new Promise<Reply>((resolve, reject) => {
      if (chosen.pending.size === 0) chosen.worker.ref()
      chosen.pending.set(id, { resolve, reject })
      chosen.worker.postMessage({ id, payload } satisfies WorkerRequest<Request>, transfer)
    })
  }

  async close (): Promise<void> {
    this.closed = true
    for (const resolve of this.onLoad) resolve()
    this.onLoad.clear()
    await Promise.all(this.slots.map(async s => await s.worker.terminate()))
    for (const s of this.slots) for (const p of s.pending.values()) p.reject(new Error(`${this.name} pool closed`))
  }
}
