/**
 * Store-and-forward state: the outbox of records still owed to each recipient,
 * and the index of delivery receipts by record.
 *
 *   outbox              recipient␀issuedAt␀recordId␀share → OutboxEntry
 *                       (share: a digest of purpose and fields, since one record may
 *                       be owed to one recipient several times, in different parts)
 *   receipts-by-record  recordId␀receiver␀receiptId␀acknowledged → acknowledged
 *                       (a digest of sender, purpose and fields: one receipt may
 *                       list two copies of one record), so that a replayed
 *                       delivery finds its receipt without reading any record
 */
import { base64urlEncode, sha256 } from '../record/index.js'
import { keyPrefixes, type Database, type Sublevel, type WriteOp } from './database.js'

const SEP = '\u0000'

export interface OutboxEntry {
  readonly recordId: string
  readonly recipient: string
  readonly queuedAt: string
  /** Field patterns the recipient gets; the whole record when absent. */
  readonly fields?: readonly string[]
  /** The grants that allow it: if all are revoked before it goes, it does not go. */
  readonly grants?: readonly string[]
  /** Purpose or procedure given to the receiver. */
  readonly purpose?: string
}

/** A share to queue: the record, and what of it goes to whom. */
export type Share = Omit<OutboxEntry, 'queuedAt'> & { readonly issuedAt: string }

export class DeliveryStore {
  private readonly outbox: Sublevel<OutboxEntry>
  private readonly receipts: Sublevel<string>

  constructor (db: Database) {
    this.outbox = db.sublevel<OutboxEntry>('outbox', 'json')
    this.receipts = db.sublevel<string>('receipts-by-record', 'utf8')
  }

  private key (share: Share): string {
    const which = share.purpose === undefined && share.fields === undefined
      ? ''
      : base64urlEncode(sha256(new TextEncoder().encode(JSON.stringify([share.purpose ?? null, share.fields ?? null])))).slice(0, 16)
    return `${share.recipient}${SEP}${share.issuedAt}${SEP}${share.recordId}${SEP}${which}`
  }

  /** Queues a share; goes in the batch of the record or decision that causes it, so neither exists without the other. */
  enqueueOps (share: Share, queuedAt: string): WriteOp[] {
    const { issuedAt, ...rest } = share
    const entry: OutboxEntry = { ...rest, queuedAt }
    return [{ type: 'put', sublevel: this.outbox, key: this.key(share), value: entry } as WriteOp]
  }

  /**
   * The next records owed to one recipient, oldest first, with their keys;
   * after `after` when given, so that a drain does not rescan what it has just
   * delivered (deleted keys still cost LevelDB a step each).
   */
  async pendingFor (recipient: string, limit: number, after?: string): Promise<Array<{ key: string, entry: OutboxEntry }>> {
    return keyed(await this.outbox.iterator({ gt: after ?? `${recipient}${SEP}`, lt: `${recipient}\u0001`, limit }).all())
  }

  /** The copies of one record still owed to one recipient (usually none, or one). */
  async pendingCopies (recipient: string, issuedAt: string, recordId: string): Promise<OutboxEntry[]> {
    const prefix = `${recipient}${SEP}${issuedAt}${SEP}${recordId}${SEP}`
    return await this.outbox.values({ gte: prefix, lt: `${recipient}${SEP}${issuedAt}${SEP}${recordId}\u0001` }).all()
  }

  /** Recipients that have records waiting. */
  async recipients (): Promise<string[]> {
    return await keyPrefixes(this.outbox)
  }

  /** The first `limit` entries of the outbox, by recipient and age, with their keys. */
  async all (limit: number): Promise<Array<{ key: string, entry: OutboxEntry }>> {
    return keyed(await this.outbox.iterator({ limit }).all())
  }

  async count (): Promise<number> {
    let n = 0
    for await (const _ of this.outbox.keys()) n++
    return n
  }

  dequeueOps (keys: readonly string[]): WriteOp[] {
    return keys.map(key => ({ type: 'del', sublevel: this.outbox, key } as WriteOp))
  }

  /** Index entry of a receipt; `acknowledges` identifies what it is for (sender, purpose, fields). */
  receiptOps (recordId: string, receiver: string, receiptId: string, acknowledges: string): WriteOp[] {
    return [{ type: 'put', sublevel: this.receipts, key: `${recordId}${SEP}${receiver}${SEP}${receiptId}${SEP}${acknowledges}`, value: acknowledges } as WriteOp]
  }

  /** The receipt `receiver` signed for this record acknowledging exactly `acknowledges`, if any. */
  async receiptFor (recordId: string, receiver: string, acknowledges: string): Promise<string | undefined> {
    const prefix = `${recordId}${SEP}${receiver}${SEP}`
    for await (const [key, value] of this.receipts.iterator({ gt: prefix, lt: `${recordId}${SEP}${receiver}\u0001` })) {
      if (value === acknowledges) return key.slice(prefix.length).split(SEP)[0]
    }
    return undefined
  }

  /** Every receipt of a record, by receiver, each once. */
  async receiptsOf (recordId: string): Promise<Array<{ receiver: string, receiptId: string }>> {
    const rows = await this.receipts.keys({ gt: `${recordId}${SEP}`, lt: `${recordId}\u0001` }).all()
    const seen = new Set<string>()
    const out: Array<{ receiver: string, receiptId: string }> = []
    for (const key of rows) {
      const [receiver, receiptId] = key.slice(recordId.length + 1).split(SEP) as [string, string]
      if (seen.has(`${receiver}${SEP}${receiptId}`)) continue
      seen.add(`${receiver}${SEP}${receiptId}`)
      out.push({ receiver, receiptId })
    }
    return out
  }
}

/** Outbox rows as entries beside their keys. */
function keyed (rows: Array<[string, OutboxEntry]>): Array<{ key: string, entry: OutboxEntry }> {
  return rows.map(([key, entry]) => ({ key, entry }))
}
