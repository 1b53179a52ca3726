/**
 * Idempotency keys of record submissions: the key, a fingerprint of the request
 * that used it, and the record it produced. Written in the same batch as the
 * record, so a retried request finds either both or neither.
 */
import type { Database, Sublevel, WriteOp } from './database.js'

export interface IdempotencyEntry {
  /** Digest of the request body the key was first used with. */
  readonly fingerprint: string
  readonly recordId: string
  readonly at: string
}

export class IdempotencyStore {
  private readonly entries: Sublevel<IdempotencyEntry>

  constructor (db: Database) {
    this.entries = db.sublevel<IdempotencyEntry>('idempotency', 'json')
  }

  async get (key: string): Promise<IdempotencyEntry | undefined> {
    return await this.entries.get(key)
  }

  putOps (key: string, entry: IdempotencyEntry): WriteOp[] {
    return [{ type: 'put', sublevel: this.entries, key, value: entry } as WriteOp]
  }
}
