/**
 * Store-and-forward state: the outbox of records still owed to each recipient,
 * and the index of delivery receipts by record.
 *
 *   outbox              recipient␀issuedAt␀recordId → OutboxEntry
 *   receipts-by-record  recordId␀receiver → receipt record id
 */
import type { Database, Sublevel, WriteOp } from './database.js'

const SEP = '\u0000'

export interface OutboxEntry {
  readonly recordId: string
  readonly recipient: string
  readonly queuedAt: string
}

export class DeliveryStore {
  private readonly outbox: Sublevel<OutboxEntry>
  private readonly receipts: Sublevel<string>

  constructor (db: Database) {
    this.outbox = db.sublevel<OutboxEntry>('outbox', 'json')
    this.receipts = db.sublevel<string>('receipts-by-record', 'utf8')
  }

  private key (recipient: string, issuedAt: string, recordId: string): string {
    return `${recipient}${SEP}${issuedAt}${SEP}${recordId}`
  }

  /** Queues a record for a recipient; goes in the record's own batch so neither exists without the other. */
  enqueueOps (recipient: string, recordId: string, issuedAt: string, queuedAt: string): WriteOp[] {
    const entry: OutboxEntry = { recordId, recipient, queuedAt }
    return [{ type: 'put', sublevel: this.outbox, key: this.key(recipient, issuedAt, recordId), value: entry } as WriteOp]
  }

  /**
   * The next records owed to one recipient, oldest first, with their keys;
   * after `after` when given, so that a drain does not rescan what it has just
   * delivered (deleted keys still cost LevelDB a step each).
   */
  async pendingFor (recipient: string, limit: number, after?: string): Promise<Array<{ key: string, entry: OutboxEntry }>> {
    const rows = await this.outbox.iterator({ gt: after ?? `${recipient}${SEP}`, lt: `${recipient}\u0001`, limit }).all()
    return rows.map(([key, entry]) => ({ key, entry }))
  }

  /** Recipients that have records waiting. */
  async recipients (): Promise<string[]> {
    const out: string[] = []
    let after = ''
    // Skip from one recipient to the next instead of reading every entry.
    for (;;) {
      const [key] = await this.outbox.keys({ gt: after, limit: 1 }).all()
      if (key === undefined) return out
      const recipient = key.slice(0, key.indexOf(SEP))
      out.push(recipient)
      after = `${recipient}\u0001`
    }
  }

  async all (limit: number): Promise<OutboxEntry[]> {
    return await this.outbox.values({ limit }).all()
  }

  async count (): Promise<number> {
    let n = 0
    for await (const _ of this.outbox.keys()) n++
    return n
  }

  dequeueOps (keys: readonly string[]): WriteOp[] {
    return keys.map(key => ({ type: 'del', sublevel: this.outbox, key } as WriteOp))
  }

  receiptOps (recordId: string, receiver: string, receiptId: string): WriteOp[] {
    return [{ type: 'put', sublevel: this.receipts, key: `${recordId}${SEP}${receiver}`, value: receiptId } as WriteOp]
  }

  async receiptOf (recordId: string, receiver: string): Promise<string | undefined> {
    return await this.receipts.get(`${recordId}${SEP}${receiver}`)
  }

  async receiptsOf (recordId: string): Promise<Array<{ receiver: string, receiptId: string }>> {
    const rows = await this.receipts.iterator({ gt: `${recordId}${SEP}`, lt: `${recordId}\u0001` }).all()
    return rows.map(([key, receiptId]) => ({ receiver: key.slice(recordId.length + 1), receiptId }))
  }
}
