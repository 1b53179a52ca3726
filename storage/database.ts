/**
 * The node's LevelDB database and its write path.
 *
 * Every logical write is a list of operations committed as one atomic batch.
 * Writes are durable (synced) before they are acknowledged; to keep that
 * affordable, writes that arrive while a batch is being synced are grouped into
 * the next batch (group commit). Each logical write still lands whole or not at all.
 */
import { Level } from 'level'
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level'

export type Bytes = Uint8Array
export type Sublevel<V> = AbstractSublevel<Level<string, Bytes>, string | Bytes, string, V>
export type WriteOp = AbstractBatchOperation<Level<string, Bytes>, string, unknown>

export interface DatabaseOptions {
  /** Sync each batch to disk before acknowledging it (default true). */
  readonly durable?: boolean
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
  private queue: Pending[] = []
  private flushing: Promise<void> | undefined

  private constructor (level: Level<string, Bytes>, options: DatabaseOptions) {
    this.level = level
    this.durable = options.durable ?? true
  }

  static async open (location: string, options: DatabaseOptions = {}): Promise<Database> {
    // Records are a few kilobytes of incompressible salts and digests; a larger
    // write buffer means fewer level-0 flushes and fewer write stalls.
    const level = new Level<string, Bytes>(location, { valueEncoding: 'view', writeBufferSize: 32 * 1024 * 1024 } as { valueEncoding: 'view' })
    try {
      await level.open()
    } catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') throw new DatabaseLockedError(location)
      throw err
    }
    return new Database(level, options)
  }

  sublevel<V> (name: string, valueEncoding: 'view' | 'utf8' | 'json'): Sublevel<V> {
    return this.level.sublevel<string, V>(name, { valueEncoding }) as unknown as Sublevel<V>
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
        await this.level.batch(group.flatMap(p => p.ops) as never, { sync: this.durable })
        for (const p of group) p.resolve()
      } catch (err) {
        // A failed group says nothing of each write alone: retry them one by one so
        // that one bad write does not fail its neighbours.
        if (group.length === 1) {
          group[0]?.reject(err)
        } else {
          for (const p of group) {
            try {
              await this.level.batch(p.ops as never, { sync: this.durable })
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
