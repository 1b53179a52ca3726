/**
 * A data folder examined with its node stopped (`keruen doctor`): what
 * LevelDB dropped when it opened the database, and every record and index
 * entry checked: each record's signature, digests, type and schema, and the
 * record store's indexes against the records.
 */
import { join } from 'node:path'
import { builtinTypes } from '../../record/types/index.js'
import { TypeRegistry } from '../../record/types/registry.js'
import { Database, RecordStore, type AuditReport, type DroppedData } from '../../storage/index.js'
import { receivedRefusal } from '../records/record-check.js'
import { BLOB_DIR, DataDirError, DB_DIR, isInitialised } from './data-dir.js'

export interface Examination extends AuditReport {
  /** The database folder examined. */
  readonly folder: string
  /** What LevelDB dropped of its log when it opened the database for this examination. */
  readonly dropped: DroppedData | undefined
}

/** Examines the data folder `dataDir`; a node running on it holds the database and this fails with DatabaseLockedError. */
export async function examineDataFolder (dataDir: string): Promise<Examination> {
  if (!await isInitialised(dataDir)) throw new DataDirError(`${dataDir} holds no keruen node (no node.key): pass the node's folder with --data`)
  const db = await Database.open(join(dataDir, DB_DIR), { blobs: join(dataDir, BLOB_DIR) })
  try {
    const types = new TypeRegistry(builtinTypes)
    const report = await new RecordStore(db).audit(bytes => receivedRefusal(types, bytes))
    return { folder: db.location, dropped: db.dropped, ...report }
  } finally {
    await db.close()
  }
}
