/**
 * What other components write in a new record's own batch: indexes (trust,
 * applications, receipts) and queues (the outbox, webhook notifications).
 * Each registers by name in its start() and removes itself in its stop(), so
 * a reader sees who adds what to every record's write.
 */
import type { SignedRecord } from '../../record/index.js'
import type { WriteOp } from '../../storage/index.js'
import type { CreateRecordInput } from './record-service.js'

/**
 * Write operations for a record about to be stored. `input` is the request,
 * for records this node creates; `replaced`: a record already held gains
 * fields (another copy arrived), nothing new happened.
 */
export type RecordIndexer = (record: SignedRecord, input: CreateRecordInput | undefined, replaced: boolean) => WriteOp[]

export class RecordIndexes {
  private readonly indexers = new Map<string, RecordIndexer>()

  add (name: string, indexer: RecordIndexer): void {
    if (this.indexers.has(name)) throw new Error(`record indexer ${name} is already registered`)
    this.indexers.set(name, indexer)
  }

  remove (name: string): void {
    this.indexers.delete(name)
  }

  get names (): string[] {
    return [...this.indexers.keys()]
  }

  opsFor (record: SignedRecord, input?: CreateRecordInput, replaced = false): WriteOp[] {
    const ops: WriteOp[] = []
    for (const indexer of this.indexers.values()) ops.push(...indexer(record, input, replaced))
    return ops
  }
}
