/**
 * The node's LevelDB database and its write path.
 *
 * Every logical write is a list of operations committed as one atomic batch.
 * Writes are durable (synced) before they are acknowledged; to keep that
 * affordable, writes that arrive while a batch is being synced are grouped into
 * the next batch (group commit). Each logical write still lands whole or not at all.
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
}

/**
 * Below this many bytes of blob values, a batch keeps them in LevelDB: the log
 * costs a second sync, which a write of one record would wait for, while
 * compaction costs little at that rate. A delivery of records, or writes
 * grouped under load, go to the log.
 */
export const BLOB_MIN_BYTES = 32 * 1024

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
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
}

/** The database is held by another process (LevelDB allows one at a time). */
export class DatabaseLockedError extends Error {
  constructor (location: string) {
    super(`the database at ${location} is in use by another process; stop the keruen node running on this data folder, or go through its API`)
    this.name = 'DatabaseLockedError'
  }
}

export class Database {
  readonly level: Level<string, Bytes>
  readonly durable: boolean
  private readonly codecs = new WeakMap<object, Codec>()
  private queue: Pending[] = []
  private flushing: Promise<void> | undefined

  private readonly blobMinBytes: number

  private constructor (level: Level<string, Bytes>, private readonly blobs: BlobLog, options: DatabaseOptions) {
    this.level = level
    this.durable = options.durable ?? true
    this.blobMinBytes = options.blobMinBytes ?? BLOB_MIN_BYTES
  }

  static async open (location: string, options: DatabaseOptions = {}): Promise<Database> {
    // A larger write buffer means fewer level-0 flushes and fewer write stalls.
    const level = new Level<string, Bytes>(location, { valueEncoding: 'view', writeBufferSize: 32 * 1024 * 1024 } as { valueEncoding: 'view' })
    try {
      await level.open()
    } catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') throw new DatabaseLockedError(location)
      throw err
    }
    // Opened only once LevelDB's lock is held: one process appends at a time.
    let blobs: BlobLog
    try {
      blobs = await BlobLog.open(options.blobs ?? `${location}-blobs`, options.blobSegmentBytes)
    } catch (err) {
      await level.close()
      throw err
    }
    return new Database(level, blobs, options)
  }

  sublevel<V> (name: string, valueEncoding: ValueEncoding): Sublevel<V> {
    const stored = valueEncoding === 'blob' ? 'view' : valueEncoding
    const sublevel: Sublevel<V> = this.level.sublevel<string, V>(name, { valueEncoding: stored })
    this.codecs.set(sublevel, { prefix: sublevel.prefix, encode: ENCODERS[valueEncoding], blob: valueEncoding === 'blob' })
    return sublevel
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
   * `ops` encoded for LevelDB, and which of them put a value to the blob log;
   * undefined if one of them is not in a sublevel of this database.
   */
  private encode (ops: readonly WriteOp[]): { encoded: EncodedOp[], blobs: EncodedOp[] } | undefined {
    const encoded: EncodedOp[] = new Array(ops.length)
    const blobs: EncodedOp[] = []
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as WriteOp & { sublevel?: object, value?: unknown }
      const codec = op.sublevel === undefined ? undefined : this.codecs.get(op.sublevel)
      // Anything unusual goes the checked way of batch(), which refuses it precisely.
      if (codec === undefined || typeof op.key !== 'string' || (op.type !== 'put' && op.type !== 'del')) return undefined
      const out: EncodedOp = op.type === 'put'
        ? { type: 'put', key: codec.prefix + op.key, value: codec.encode(op.value) }
        : { type: 'del', key: codec.prefix + op.key }
      if (codec.blob && out.type === 'put') blobs.push(out)
      encoded[i] = out
    }
    return { encoded, blobs }
  }

  private async write (ops: WriteOp[]): Promise<void> {
    const options = { sync: this.durable }
    const plan = this.encode(ops)
    if (plan === undefined) {
      await this.level.batch(ops as never, options)
      return
    }
    if (this.level.status !== 'open') throw new Error(`the database is ${this.level.status}, not open`)
    const values = plan.blobs.map(op => op.value as Uint8Array)
    if (values.reduce((sum, v) => sum + v.length, 0) >= this.blobMinBytes && values.length > 0) {
      // The bytes first, synced as the batch will be: a pointer never leads nowhere.
      const pointers = await this.blobs.append(values, this.durable)
      plan.blobs.forEach((op, i) => { op.value = pointers[i] })
    }
    const batch = this.level.batch()
    for (const op of plan.encoded) {
      if (op.type === 'del') {
        batch.del(op.key)
      } else if (typeof op.value === 'string') {
        batch.put<string, string>(op.key, op.value, { valueEncoding: 'utf8' })
      } else {
        batch.put(op.key, op.value as Bytes)
      }
    }
    await batch.write(options)
  }

  /** Commits `ops` atomically; resolves once they are on disk. */
  commit (ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.queue.push({ ops, resolve, reject })
      this.flushing ??= this.flush()
    })
  }

  private async flush (): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue
      this.queue = []
      try {
        await this.write(group.flatMap(p => p.ops))
        for (const p of group) p.resolve()
      } catch (err) {
        // A failed group says nothing of each write alone: retry them one by one so
        // that one bad write does not fail its neighbours.
        if (group.length === 1) {
          group[0]?.reject(err)
        } else {
          for (const p of group) {
            try {
              await this.write(p.ops)
              p.resolve()
            } catch (one) {
              p.reject(one)
            }
          }
        }
      }
    }
    this.flushing = undefined
  }

  async close (): Promise<void> {
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
