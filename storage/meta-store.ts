/**
 * Node metadata: the storage layout version and the participant the database
 * belongs to, checked at start so a data folder is never opened with the wrong
 * key or by an incompatible version.
 */
import type { Database, Sublevel, WriteOp } from './database.js'

export const STORAGE_VERSION = 1

export interface StorageMeta {
  readonly storageVersion: number
  readonly participant: string
  readonly createdAt: string
}

/** The database cannot be opened by this node: another participant's, or of another storage version. */
export class DatabaseMismatchError extends Error {
  readonly code: 'other-participant' | 'storage-version'
  constructor (code: DatabaseMismatchError['code'], message: string) {
    super(message)
    this.name = 'DatabaseMismatchError'
    this.code = code
  }
}

export class MetaStore {
  private readonly meta: Sublevel<StorageMeta>

  constructor (private readonly db: Database) {
    this.meta = db.sublevel<StorageMeta>('meta', 'json')
  }

  /** Records the owner on first use; afterwards refuses a different owner or layout. */
  async claim (participant: string, now: string): Promise<StorageMeta> {
    const existing = await this.meta.get('node')
    if (existing === undefined) {
      const meta: StorageMeta = { storageVersion: STORAGE_VERSION, participant, createdAt: now }
      await this.db.commit([{ type: 'put', sublevel: this.meta, key: 'node', value: meta } as WriteOp])
      return meta
    }
    if (existing.storageVersion !== STORAGE_VERSION) {
      throw new DatabaseMismatchError('storage-version', `the database has storage version ${existing.storageVersion}; this keruen reads version ${STORAGE_VERSION}: run the keruen version that wrote it`)
    }
    if (existing.participant !== participant) {
      throw new DatabaseMismatchError('other-participant', `the database belongs to participant ${existing.participant}, not to this folder's key ${participant}: put back the node.key that goes with it, or use another data folder`)
    }
    return existing
  }
}
