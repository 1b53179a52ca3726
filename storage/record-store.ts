/**
 * Records and their indexes.
 *
 * Sublevels:
 *   records       id → wire bytes, or a pointer to them in the blob log (blob-log.ts)
 *   by-time       issuedAt␀id → summary
 *   by-consignment, by-type, by-issuer   value␀issuedAt␀id → summary
 *   superseded-by id → id of the record that replaces it
 * A summary is type␀issuer␀consignment, so filters are applied on the index
 * without loading records. A record and all its index entries are one batch.
 */
import { base64urlDecode, base64urlEncode, parseRecord, type SignedRecord } from '../record/index.js'
import { keyPrefixes, type Bytes, type Database, type Sublevel, type WriteOp } from './database.js'
import { auditRecords, type AuditReport, type RecordCheck } from './record-audit.js'

const SEP = '\u0000'
/** Upper bound of a key range whose keys continue with SEP. */
const AFTER_SEP = '\u0001'
export const MAX_PAGE = 500
/** Index entries one page may scan before it returns what it has with a cursor. */
const MAX_SCAN = 10_000
/** The fewest index entries asked of LevelDB at once, for a page whose filters skip some. */
const MIN_BATCH = 64

export type IndexName = 'time' | 'consignment' | 'type' | 'issuer'

export interface RecordQuery {
  readonly consignment?: string
  readonly type?: string
  readonly issuer?: string
  /** issuedAt ≥ since (record timestamp form). */
  readonly since?: string
  readonly limit: number
  readonly cursor?: string
  /** Newest first (a cursor of one order does not serve the other). */
  readonly newestFirst?: boolean
}

export interface RecordPage {
  readonly records: Bytes[]
  /** Present when more may follow; pass it back as `cursor`. */
  readonly next?: string
}

export class CursorError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'CursorError'
  }
}

function summaryOf (record: SignedRecord): string {
  const e = record.envelope
  return `${e.type}${SEP}${e.issuer}${SEP}${e.consignment ?? ''}`
}

export class RecordStore {
  private readonly records: Sublevel<Bytes>
  private readonly indexes: Record<IndexName, Sublevel<string>>
  private readonly supersededBy: Sublevel<string>

  constructor (private readonly db: Database) {
    this.records = db.sublevel<Bytes>('records', 'blob')
    this.indexes = {
      time: db.sublevel<string>('by-time', 'utf8'),
      consignment: db.sublevel<string>('by-consignment', 'utf8'),
      type: db.sublevel<string>('by-type', 'utf8'),
      issuer: db.sublevel<string>('by-issuer', 'utf8')
    }
    this.supersededBy = db.sublevel<string>('superseded-by', 'utf8')
  }

  async get (id: string): Promise<Bytes | undefined> {
    return await this.db.resolve(await this.records.get(id))
  }

  async getMany (ids: readonly string[]): Promise<Array<Bytes | undefined>> {
    return await this.db.resolveMany(await this.records.getMany(ids as string[]))
  }

  async has (id: string): Promise<boolean> {
    return (await this.records.get(id)) !== undefined
  }

  async supersessorOf (id: string): Promise<string | undefined> {
    return await this.supersededBy.get(id)
  }

  /** The operations that store a new record with its index entries. */
  putOps (record: SignedRecord): WriteOp[] {
    const e = record.envelope
    const summary = summaryOf(record)
    const tail = `${e.issuedAt}${SEP}${record.id}`
    const ops: WriteOp[] = [
      { type: 'put', sublevel: this.records, key: record.id, value: record.bytes },
      { type: 'put', sublevel: this.indexes.time, key: tail, value: summary },
      { type: 'put', sublevel: this.indexes.type, key: `${e.type}${SEP}${tail}`, value: summary },
      { type: 'put', sublevel: this.indexes.issuer, key: `${e.issuer}${SEP}${tail}`, value: summary }
    ] as WriteOp[]
    if (e.consignment !== undefined) {
      ops.push({ type: 'put', sublevel: this.indexes.consignment, key: `${e.consignment}${SEP}${tail}`, value: summary } as WriteOp)
    }
    if (e.supersedes !== undefined) {
      ops.push({ type: 'put', sublevel: this.supersededBy, key: e.supersedes, value: record.id } as WriteOp)
    }
    return ops
  }

  /** Replaces the stored bytes of a record already indexed (e.g. with more fields disclosed). */
  replaceOps (record: SignedRecord): WriteOp[] {
    return [{ type: 'put', sublevel: this.records, key: record.id, value: record.bytes } as WriteOp]
  }

  async put (record: SignedRecord, extra: WriteOp[] = []): Promise<void> {
    await this.db.commit([...this.putOps(record), ...extra])
  }

  /**
   * One page of records matching every given filter, oldest first. Uses the
   * most selective index the query names.
   */
  async list (query: RecordQuery): Promise<RecordPage> {
    const { ids, next } = await this.listIds(query)
    const records = (await this.getMany(ids)).filter((r): r is Bytes => r !== undefined)
    return next === undefined ? { records } : { records, next }
  }

  /** The ids of one page of `list`, without reading the records. */
  async listIds (query: RecordQuery): Promise<{ ids: string[], next?: string }> {
    const limit = Math.max(1, Math.min(query.limit, MAX_PAGE))
    // The narrowest index that answers, the others filtering what it gives:
    // a type asked for beside an issuer is most often a rare one (the node's
    // own grants or certificates, among a million records it issued).
    const [index, prefix]: [IndexName, string] =
      query.consignment !== undefined
        ? ['consignment', `${query.consignment}${SEP}`]
        : query.type !== undefined
          ? ['type', `${query.type}${SEP}`]
          : query.issuer !== undefined
            ? ['issuer', `${query.issuer}${SEP}`]
            : ['time', '']
    const reverse = query.newestFirst === true
    const order = reverse ? `${index}-desc` : index
    const range: { gt?: string, gte?: string, lt?: string, reverse: boolean } = { reverse }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, order)
    if (after !== undefined && !after.startsWith(prefix)) throw new CursorError('cursor does not belong to this query')
    if (reverse) {
      range.gte = `${prefix}${query.since ?? ''}`
      if (after !== undefined) range.lt = after
      else if (prefix !== '') range.lt = `${prefix.slice(0, -1)}${AFTER_SEP}`
    } else {
      if (after !== undefined) range.gt = after
      else range.gte = `${prefix}${query.since ?? ''}`
      if (prefix !== '') range.lt = `${prefix.slice(0, -1)}${AFTER_SEP}`
    }

    const ids: string[] = []
    let scanned = 0
    let last: string | undefined
    let exhausted = true
    const iterator = this.indexes[index].iterator(range)
    try {
      // Entries come in batches, each one trip to LevelDB's thread: a page
      // whose entries all match is one batch, not one trip per entry.
      while (exhausted) {
        const batch = await iterator.nextv(Math.min(MAX_SCAN - scanned, Math.max(limit - ids.length, MIN_BATCH)))
        if (batch.length === 0) break
        for (const [key, summary] of batch) {
          last = key
          scanned++
          const [type, issuer, consignment] = summary.split(SEP)
          const issuedAt = key.slice(prefix.length, prefix.length + 24)
          if ((query.type === undefined || type === query.type) &&
              (query.issuer === undefined || issuer === query.issuer) &&
              (query.consignment === undefined || consignment === query.consignment) &&
              (query.since === undefined || issuedAt >= query.since)) {
            ids.push(key.slice(key.lastIndexOf(SEP) + 1))
          }
          if (ids.length >= limit || scanned >= MAX_SCAN) {
            exhausted = false
            break
          }
        }
      }
    } finally {
      await iterator.close()
    }
    return exhausted || last === undefined ? { ids } : { ids, next: encodeCursor(order, last) }
  }

  /**
   * Checks every record (readable, `check` passes, stored under its id) and
   * every index entry against the records: see record-audit.ts.
   */
  async audit (check: RecordCheck): Promise<AuditReport> {
    return await auditRecords({
      records: this.records,
      indexes: { 'by-time': this.indexes.time, 'by-type': this.indexes.type, 'by-issuer': this.indexes.issuer, 'by-consignment': this.indexes.consignment, 'superseded-by': this.supersededBy },
      resolveMany: async stored => await this.db.resolveMany(stored),
      entriesOf: record => this.putOps(record).slice(1).map(op => {
        const put = op as WriteOp & { sublevel: Sublevel<string>, value: string }
        return { index: put.sublevel, key: put.key, value: put.value }
      }),
      idOf: (index, key, value) => index === this.supersededBy ? value : key.slice(key.lastIndexOf(SEP) + 1),
      parse: bytes => parseRecord(bytes)
    }, check)
  }

  /** The references of the consignments records are held for, in order (at most `max`). */
  async consignmentRefs (max: number): Promise<string[]> {
    return (await keyPrefixes(this.indexes.consignment)).slice(0, max)
  }

  /** Every record of a consignment, oldest first (at most `max`). */
  async consignment (ref: string, max: number): Promise<Bytes[]> {
    // all(): the keys in batches, not one trip to LevelDB's thread each.
    const keys = await this.indexes.consignment.keys({ gte: `${ref}${SEP}`, lt: `${ref}${AFTER_SEP}`, limit: max }).all()
    const ids = keys.map(key => key.slice(key.lastIndexOf(SEP) + 1))
    return (await this.getMany(ids)).filter((r): r is Bytes => r !== undefined)
  }
}

function encodeCursor (index: string, key: string): string {
  return base64urlEncode(new TextEncoder().encode(`${index}${SEP}${key}`))
}

function decodeCursor (cursor: string, index: string): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(base64urlDecode(cursor))
  } catch {
    throw new CursorError('cursor is not one this node issued')
  }
  const cut = text.indexOf(SEP)
  if (cut < 0) throw new CursorError('cursor is not one this node issued')
  if (text.slice(0, cut) !== index) throw new CursorError('cursor does not belong to this query')
  return text.slice(cut + 1)
}
