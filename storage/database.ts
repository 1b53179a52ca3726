/**
 * The node's LevelDB database and its write path.
 *
 * Every logical write is a list of operations committed as one atomic batch.
 * Writes are durable (synced) before they are acknowledged; to keep that
 * affordable, writes that arrive while a batch is being synced are grouped into
 * the next batch (group commit). Each logical write still lands whole or not at all.
 *
 * After a write fails on the disk, no later write is acknowledged until the
 * database is known to be sound again. LevelDB goes on appending to its log
 * after a failed append, behind a torn log record that the next open drops
 * with everything after it: so writes are refused (StorageUnavailableError)
 * while the database is closed and reopened, which starts a new log, and
 * resume once a synced write reads back.
 *
 * The operations of the node's own sublevels are encoded here (prefixed key,
 * encoded value) and written through a chained batch of the root database,
 * each with the encoding of its encoded form (utf8 or view), so that LevelDB
 * takes them as they are. An array `batch(ops)` would clone and re-check every
 * operation first, which measured several times the cost of the write itself
 * on the thread that serves the API; the node uses neither hooks nor write
 * events, which that path exists for.
 */
import { Level } from 'level'
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level'
import { BlobLog } from './blob-log.js'
import { describeDiskError, hasRoomToReopen, isDiskError, isDiskFull } from './storage-fault.js'
import { droppedAtOpen, type DroppedData } from './recovery-report.js'
import { ExpectedCommits, type ExpectedCommit } from './expected-commits.js'

export type Bytes = Uint8Array
/** What LevelDB stores a sublevel's keys and values as (level's own declaration). */
type StoredFormat = string | Buffer | Uint8Array
export type Sublevel<V> = AbstractSublevel<Level<string, Bytes>, StoredFormat, string, V>
export type WriteOp = AbstractBatchOperation<Level<string, Bytes>, string, unknown>

export interface DatabaseOptions {
  /** Sync each batch to disk before acknowledging it (default true). */
  readonly durable?: boolean
  /** The folder of the blob log (default: beside the database, `<location>-blobs`). */
  readonly blobs?: string
  /** Where one blob file ends and the next begins (tests only). */
  readonly blobSegmentBytes?: number
  /** The least bytes of blob values a batch takes to the blob log (default BLOB_MIN_BYTES). */
  readonly blobMinBytes?: number
  /** How long the blob log may read in place at a time, in ms (default DIRECT_READ_BUDGET_MS; tests only). */
  readonly blobDirectReadMs?: number
  /** How long after a failed write the database is first reopened (default 1 s, then doubling to 30 s). */
  readonly recoveryDelayMs?: number
}

/** Whether the database takes writes, and if not, why and since when. */
export type StorageHealth =
  | { readonly writable: true }
  | { readonly writable: false, readonly reason: string, readonly since: string }

const MAX_RECOVERY_DELAY_MS = 30_000

/**
 * Below this many bytes of blob values, a batch keeps them in LevelDB: the log
 * costs a second sync, which a write of one record would wait for, while
 * compaction costs little at that rate. A delivery of records, or writes
 * grouped under load, go to the log.
 */
export const BLOB_MIN_BYTES = 32 * 1024

/**
 * Table files LevelDB keeps open (its own default is 1 000). It maps each
 * open table into memory and reads it in place, so the pages a node has read
 * count in its RSS: at a million records, with every table open, some 370 MB
 * more, growing with the store. A hundred bound that near 110 MB, for about
 * 20 µs more on a read at random (a table opened again).
 */
const OPEN_TABLE_FILES = 100

/**
 * While writers have announced commits (expectCommit()), a group waits until
 * it holds this many: enough that its synced writes are shared by several
 * records, few enough that with dozens of records in flight the event loop
 * builds the next ones while a group is written, instead of idling until one
 * large group is on disk.
 */
const GROUP_FILL = 8

/**
 * How a sublevel's values are stored. `blob`: bytes kept in the blob log
 * (blob-log.ts), LevelDB holding a pointer, when a batch carries enough of
 * them (BLOB_MIN_BYTES); for large values written once.
 */
type ValueEncoding = 'view' | 'utf8' | 'json' | 'blob'

/** An operation in LevelDB's own terms: the sublevel's prefix on the key, the value encoded. */
interface EncodedOp {
  readonly type: 'put' | 'del'
  readonly key: string
  value?: string | Uint8Array
}

interface Codec {
  readonly prefix: string
  readonly encode: (value: unknown) => string | Uint8Array
  readonly blob: boolean
}

const view = (value: unknown): Uint8Array => {
  if (!(value instanceof Uint8Array)) throw new TypeError('a view value must be a Uint8Array')
  return value
}

const ENCODERS: Record<ValueEncoding, (value: unknown) => string | Uint8Array> = {
  view,
  blob: view,
  utf8: value => {
    if (typeof value !== 'string') throw new TypeError('a utf8 value must be a string')
    return value
  },
  json: value => {
    if (value === undefined) throw new TypeError('a json value must not be undefined')
    return JSON.stringify(value)
  }
}

interface Pending {
  readonly ops: WriteOp[]
  /** The operations encoded; absent for a write that goes the checked way of batch(). */
  readonly plan: Plan | undefined
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
}

interface Plan {
  readonly encoded: EncodedOp[]
  /** The puts whose values may go to the blob log. */
  readonly blobs: EncodedOp[]
  readonly blobBytes: number
}

/** The database is held by another process (LevelDB allows one at a time). */
export class DatabaseLockedError extends Error {
  constructor (location: string) {
    super(`the database at ${location} is in use by another process; stop the keruen node running on this data folder, or go through its API`)
    this.name = 'DatabaseLockedError'
  }
}

/**
 * A write refused, or not acknowledged, because a write failed on the disk and
 * the database has not yet been reopened and found sound. Nothing of the
 * write is acknowledged; it may be retried later (with the same idempotency key).
 */
export class StorageUnavailableError extends Error {
  readonly code = 'KERUEN_STORAGE_UNAVAILABLE'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StorageUnavailableError'
  }
}

/** The database cannot be opened: its folder is full, read-only or otherwise unusable. */
export class DatabaseOpenError extends Error {
  readonly code = 'KERUEN_DATABASE_OPEN'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DatabaseOpenError'
  }
}

export class Database {
  readonly level: Level<string, Bytes>
  readonly durable: boolean
  private readonly codecs = new WeakMap<object, Codec>()
  /** Every sublevel made here: reopened with the database after a failed write. */
  private readonly sublevels: Array<Sublevel<unknown>> = []
  private queue: Pending[] = []
  private flushing: Promise<void> | undefined
  private readonly expected = new ExpectedCommits()
  private readonly blobMinBytes: number
  /** Why writes are refused, while they are. */
  private failure: { readonly reason: string, readonly since: string, readonly cause: unknown } | undefined
  private recovering: Promise<void> | undefined
  private closing = false
  private wake: (() => void) | undefined
  private readonly watchers = new Set<(health: StorageHealth) => void>()
  private readonly probe: Sublevel<Bytes>

  private constructor (
    level: Level<string, Bytes>,
    private blobs: BlobLog,
    readonly location: string,
    /** What LevelDB dropped of its log when it opened this database (see recovery-report.ts). */
    readonly dropped: DroppedData | undefined,
    private readonly options: DatabaseOptions & { readonly blobs: string }
  ) {
    this.level = level
    this.durable = options.durable ?? true
    this.blobMinBytes = options.blobMinBytes ?? BLOB_MIN_BYTES
    this.probe = this.sublevel<Bytes>('health-probe', 'view')
  }

  static async open (location: string, options: DatabaseOptions = {}): Promise<Database> {
    // A larger write buffer means fewer level-0 flushes and fewer write stalls.
    const level = new Level<string, Bytes>(location, { valueEncoding: 'view', writeBufferSize: 32 * 1024 * 1024, maxOpenFiles: OPEN_TABLE_FILES } as { valueEncoding: 'view' })
    try {
      await level.open()
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause
      if (cause?.code === 'LEVEL_LOCKED') throw new DatabaseLockedError(location)
      if (isDiskError(cause) || isDiskError(err)) throw new DatabaseOpenError(`cannot open the database: ${describeDiskError(location, cause ?? err)}`, { cause: err })
      throw err
    }
    // Opened only once LevelDB's lock is held: one process appends at a time.
    const blobDir = options.blobs ?? `${location}-blobs`
    let blobs: BlobLog
    try {
      blobs = await BlobLog.open(blobDir, options.blobSegmentBytes, options.blobDirectReadMs)
    } catch (err) {
      await level.close()
      if (isDiskError(err)) throw new DatabaseOpenError(`cannot open the blob log: ${describeDiskError(blobDir, err)}`, { cause: err })
      throw err
    }
    return new Database(level, blobs, location, await droppedAtOpen(location), { ...options, blobs: blobDir })
  }

  sublevel<V> (name: string, valueEncoding: ValueEncoding): Sublevel<V> {
    const stored = valueEncoding === 'blob' ? 'view' : valueEncoding
    const sublevel: Sublevel<V> = this.level.sublevel<string, V>(name, { valueEncoding: stored })
    this.codecs.set(sublevel, { prefix: sublevel.prefix, encode: ENCODERS[valueEncoding], blob: valueEncoding === 'blob' })
    this.sublevels.push(sublevel as Sublevel<unknown>)
    return sublevel
  }

  /** Whether writes are taken now. */
  health (): StorageHealth {
    const failure = this.failure
    return failure === undefined ? { writable: true } : { writable: false, reason: failure.reason, since: failure.since }
  }

  /** Calls `watcher` each time writes stop or resume; returns the function that stops it. */
  watch (watcher: (health: StorageHealth) => void): () => void {
    this.watchers.add(watcher)
    return () => { this.watchers.delete(watcher) }
  }

  /**
   * The value a `blob` sublevel stores for a key, read back: from the blob log,
   * or as it is when LevelDB holds the value itself (written by an earlier
   * version, or by a batch() that bypassed the log).
   */
  async resolve (stored: Bytes | undefined): Promise<Bytes | undefined> {
    const [value] = await this.resolveMany([stored])
    return value
  }

  /** resolve() for many values at once: neighbours in the log are read together. */
  async resolveMany (stored: ReadonlyArray<Bytes | undefined>): Promise<Array<Bytes | undefined>> {
    const pointers: Uint8Array[] = []
    const at: number[] = []
    stored.forEach((s, i) => {
      if (s !== undefined && BlobLog.isPointer(s)) {
        pointers.push(s)
        at.push(i)
      }
    })
    if (pointers.length === 0) return [...stored]
    const out = [...stored]
    const values = await this.blobs.readMany(pointers)
    at.forEach((i, k) => { out[i] = values[k] })
    return out
  }

  /**
   * `ops` encoded for LevelDB, with the puts that may go to the blob log;
   * undefined if one of them is not in a sublevel of this database. Throws
   * if a value does not fit its sublevel.
   */
  private encode (ops: readonly WriteOp[]): Plan | undefined {
    const encoded: EncodedOp[] = new Array(ops.length)
    const blobs: EncodedOp[] = []
    let blobBytes = 0
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as WriteOp & { sublevel?: object, value?: unknown }
      const codec = op.sublevel === undefined ? undefined : this.codecs.get(op.sublevel)
      // Anything unusual goes the checked way of batch(), which refuses it precisely.
      if (codec === undefined || typeof op.key !== 'string' || (op.type !== 'put' && op.type !== 'del')) return undefined
      const out: EncodedOp = op.type === 'put'
        ? { type: 'put', key: codec.prefix + op.key, value: codec.encode(op.value) }
        : { type: 'del', key: codec.prefix + op.key }
      if (codec.blob && out.type === 'put') {
        blobs.push(out)
        blobBytes += (out.value as Uint8Array).length
      }
      encoded[i] = out
    }
    if (blobBytes > this.blobs.segmentBytes) throw new RangeError(`${blobBytes} bytes do not fit one blob file of ${this.blobs.segmentBytes}`)
    return { encoded, blobs, blobBytes }
  }

  /** Writes the encoded writes of `group` as one batch, their large values first to the blob log. */
  private async write (group: readonly Pending[]): Promise<void> {
    const plans = group.map(p => p.plan as Plan)
    const blobs = plans.flatMap(plan => plan.blobs)
    if (plans.reduce((sum, plan) => sum + plan.blobBytes, 0) >= this.blobMinBytes && blobs.length > 0) {
      // The bytes first, synced as the batch will be: a pointer never leads nowhere.
      const pointers = await this.blobs.append(blobs.map(op => op.value as Uint8Array), this.durable)
      blobs.forEach((op, i) => { op.value = pointers[i] })
    }
    const batch = this.level.batch()
    for (const plan of plans) {
      for (const op of plan.encoded) {
        if (op.type === 'del') {
          batch.del(op.key)
        } else if (typeof op.value === 'string') {
          batch.put<string, string>(op.key, op.value, { valueEncoding: 'utf8' })
        } else {
          batch.put(op.key, op.value as Bytes)
        }
      }
    }
    await batch.write({ sync: this.durable })
  }

  /**
   * Commits `ops` atomically; resolves once they are on disk. Rejects at once
   * a write that cannot be encoded, and with StorageUnavailableError while
   * writes are refused.
   */
  commit (ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve()
    if (this.failure !== undefined) return Promise.reject(this.unavailable())
    let plan: Plan | undefined
    try {
      plan = this.encode(ops)
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ ops, plan, resolve, reject })
      this.flushing ??= this.flush()
      this.expected.changed()
    })
  }

  /**
   * Announces a commit about to be made, so that the group commit waits for
   * it (see ExpectedCommits); end() it once commit() is called, or if it
   * never will be.
   */
  expectCommit (): ExpectedCommit {
    return this.expected.expect()
  }

  private async flush (): Promise<void> {
    while (this.queue.length > 0) {
      while (this.queue.length < GROUP_FILL && this.expected.pending > 0 && !this.closing) await this.expected.untilChanged()
      const group = this.nextGroup()
      if (this.failure !== undefined) {
        for (const p of group) p.reject(this.unavailable())
        continue
      }
      const checked = group[0]?.plan === undefined
      try {
        if (checked) {
          await this.level.batch((group[0] as Pending).ops as never, { sync: this.durable })
        } else {
          await this.write(group)
        }
        for (const p of group) p.resolve()
      } catch (err) {
        // batch() refusing an operation is the fault of that write alone.
        if (checked && !isDiskError(err)) {
          group[0]?.reject(err)
          continue
        }
        this.fail(err)
        for (const p of group) p.reject(this.unavailable())
      }
    }
    this.flushing = undefined
  }

  /**
   * The writes to commit together: those waiting, up to what one blob file
   * holds; a write that goes the checked way goes alone.
   */
  private nextGroup (): Pending[] {
    const first = this.queue[0] as Pending
    let take = 1
    if (first.plan !== undefined) {
      let bytes = first.plan.blobBytes
      for (; take < this.queue.length; take++) {
        const plan = this.queue[take]?.plan
        if (plan === undefined || bytes + plan.blobBytes > this.blobs.segmentBytes) break
        bytes += plan.blobBytes
      }
    }
    return this.queue.splice(0, take)
  }

  private unavailable (): StorageUnavailableError {
    const failure = this.failure
    const reason = failure === undefined ? 'a write failed' : failure.reason
    return new StorageUnavailableError(`writes are refused: ${reason}; the database is being reopened and writes resume once a test write succeeds`, { cause: failure?.cause })
  }

  /** Stops taking writes after `cause`, and starts reopening the database. */
  private fail (cause: unknown): void {
    if (this.failure !== undefined) return
    this.failure = { reason: describeDiskError(this.location, cause), since: new Date().toISOString(), cause }
    this.announce()
    this.recovering = this.recover(isDiskFull(cause))
  }

  /**
   * Reopens the database until a synced write of it reads back, waiting
   * longer after each failure; after a full disk, only once there is room.
   */
  private async recover (full: boolean): Promise<void> {
    let delay = this.options.recoveryDelayMs ?? 1000
    while (!this.closing) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, delay)
        this.wake = () => { clearTimeout(timer); resolve() }
      })
      this.wake = undefined
      if (this.closing) return
      delay = Math.min(delay * 2, MAX_RECOVERY_DELAY_MS)
      try {
        if (full && !await hasRoomToReopen(this.location)) continue
        await this.flushing
        await this.reopen()
        await this.checkWrite()
      } catch {
        continue
      }
      this.failure = undefined
      this.recovering = undefined
      this.announce()
      return
    }
  }

  /** Closes and opens LevelDB and the blob log: LevelDB replays its log and starts a new one. */
  private async reopen (): Promise<void> {
    await this.level.close()
    await this.blobs.close()
    await this.level.open()
    // Sublevels close with their database and do not reopen by themselves.
    for (const sublevel of this.sublevels) await sublevel.open()
    this.blobs = await BlobLog.open(this.options.blobs, this.options.blobSegmentBytes, this.options.blobDirectReadMs)
  }

  /** A synced write that must read back as written (and is then removed). */
  private async checkWrite (): Promise<void> {
    const value = new Uint8Array(16)
    crypto.getRandomValues(value)
    await this.level.batch([{ type: 'put', sublevel: this.probe, key: 'probe', value }] as never, { sync: true })
    const back = await this.probe.get('probe')
    if (back === undefined || Buffer.compare(back, value) !== 0) throw new Error('the test write did not read back')
    await this.level.batch([{ type: 'del', sublevel: this.probe, key: 'probe' }] as never, { sync: true })
  }

  private announce (): void {
    const health = this.health()
    for (const watcher of this.watchers) watcher(health)
  }

  async close (): Promise<void> {
    this.closing = true
    this.wake?.()
    this.expected.changed()
    await this.recovering
    await this.flushing
    await this.level.close()
    await this.blobs.close()
  }
}

/**
 * The distinct first parts of the keys of a sublevel whose keys are
 * `part␀rest`: one seek per part, however many keys each part has.
 */
export async function keyPrefixes<V> (sublevel: Sublevel<V>): Promise<string[]> {
  const out: string[] = []
  let after = ''
  for (;;) {
    const [key] = await sublevel.keys({ gt: after, limit: 1 }).all()
    if (key === undefined) return out
    const prefix = key.slice(0, key.indexOf('\u0000'))
    out.push(prefix)
    after = `${prefix}\u0001`
  }
}
