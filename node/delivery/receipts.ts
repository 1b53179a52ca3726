/**
 * Delivery receipts: what a receipt says, which receipt acknowledges which
 * copy, and the index that finds every receipt of a record. A receipt counts
 * only when its signer is the recipient, its sender this node, and it lists
 * exactly the copy sent (those fields, that purpose).
 */
import { MAX_RECEIPT_RECORDS } from '../../record/types/delivery-receipt.js'
import { RecordTypes } from '../../record/types/names.js'
import {
  base64urlEncode, dataOf, isComplete, parseRecord, pathText, RecordError, sha256, verifyRecord,
  type CborValue, type SignedRecord
} from '../../record/index.js'
import type { DeliveryStore, RecordStore, WriteOp } from '../../storage/index.js'
import { acknowledgementBytes } from './delivery-requests.js'

export const RECEIPT = RecordTypes.deliveryReceipt

/** What a receipt says of one copy it acknowledges. */
export interface ReceiptEntry {
  readonly record: string
  readonly fields: readonly string[]
  readonly purpose?: string
}

export interface ReceiptData {
  readonly sender: string
  readonly receivedAt: string
  readonly records: readonly ReceiptEntry[]
}

/** One receipt of one record, as `receipts()` lists them. */
export interface ReceiptOfRecord extends ReceiptEntry {
  readonly receiver: string
  readonly receivedAt: string
  readonly receipt: SignedRecord
}

export interface CheckedReceipt {
  readonly record: SignedRecord
  readonly data: ReceiptData
  /** The data's entries by record id: a receipt is looked up once per record it lists. */
  readonly byRecord: ReadonlyMap<string, readonly ReceiptEntry[]>
}

/** The fields of a whole copy, as a receipt lists them. */
export const WHOLE: readonly string[] = ['']

/** The data of a complete, well-formed receipt; undefined otherwise (schema checks came first where it was stored). */
export function receiptData (receipt: SignedRecord): ReceiptData | undefined {
  if (receipt.envelope.type !== RECEIPT || !isComplete(receipt)) return undefined
  try {
    const data = dataOf(receipt)
    if (typeof data.sender !== 'string' || typeof data.receivedAt !== 'string' || !Array.isArray(data.records)) return undefined
    const records: ReceiptEntry[] = []
    for (const item of data.records) {
      const e = item as Record<string, unknown>
      if (typeof e !== 'object' || e === null || typeof e.record !== 'string') return undefined
      if (e.fields !== undefined && (!Array.isArray(e.fields) || !e.fields.every(f => typeof f === 'string'))) return undefined
      if (e.purpose !== undefined && typeof e.purpose !== 'string') return undefined
      records.push({ record: e.record, fields: (e.fields as string[] | undefined) ?? WHOLE, ...(typeof e.purpose === 'string' && { purpose: e.purpose }) })
    }
    return { sender: data.sender, receivedAt: data.receivedAt, records }
  } catch {
    return undefined
  }
}

/** A receipt from `recipient` for records from `sender`, checked; else why it does not count. */
export function checkReceipt (bytes: Uint8Array, recipient: string, sender: string): CheckedReceipt | string {
  try {
    const record = parseRecord(bytes)
    verifyRecord(record)
    if (record.envelope.type !== RECEIPT || record.envelope.issuer !== recipient) return 'receipt not signed by the recipient'
    const data = receiptData(record)
    if (data === undefined) return 'receipt is not a complete delivery.receipt'
    if (data.sender !== sender) return 'receipt for another sender'
    const byRecord = new Map<string, ReceiptEntry[]>()
    for (const entry of data.records) {
      const same = byRecord.get(entry.record)
      if (same === undefined) byRecord.set(entry.record, [entry])
      else same.push(entry)
    }
    return { record, data, byRecord }
  } catch (err) {
    if (err instanceof RecordError) return `receipt does not verify: ${err.message}`
    throw err
  }
}

/** Why a checked receipt does not acknowledge this copy, or undefined if it does. */
export function acknowledges (receipt: CheckedReceipt, recordId: string, fields: readonly string[], purpose: string | undefined): string | undefined {
  const wanted = JSON.stringify(fields)
  const entries = receipt.byRecord.get(recordId)
  if (entries === undefined) return 'receipt does not list the record'
  if (!entries.some(e => e.purpose === purpose)) return 'receipt names another purpose'
  if (!entries.some(e => e.purpose === purpose && JSON.stringify(e.fields) === wanted)) return 'receipt acknowledges other fields than were sent'
  return undefined
}

/** An entry as a receipt's data holds it: a whole copy without its fields, one leaf fewer per record. */
export function entryData (entry: ReceiptEntry): Record<string, CborValue> {
  const whole = entry.fields.length === 1 && entry.fields[0] === ''
  return { record: entry.record, ...(!whole && { fields: [...entry.fields] }), ...(entry.purpose !== undefined && { purpose: entry.purpose }) }
}

/** Bytes one receipt may take, about, well under a record's limit, so that copies with long field lists split over several. */
const RECEIPT_BYTES = 6 * 1024 * 1024

/** Copies to acknowledge, in groups that each fit one receipt. */
export function receiptGroups<T extends { entry: ReceiptEntry }> (items: readonly T[]): T[][] {
  const groups: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const item of items) {
    const size = acknowledgementBytes(item.entry.fields, item.entry.purpose)
    if (current.length > 0 && (bytes + size > RECEIPT_BYTES || current.length >= MAX_RECEIPT_RECORDS)) {
      groups.push(current)
      current = []
      bytes = 0
    }
    current.push(item)
    bytes += size
  }
  if (current.length > 0) groups.push(current)
  return groups
}

/** The fields a copy discloses, as a receipt lists them: [""] for all, else each leaf's pointer in order. */
export function fieldsOf (record: SignedRecord): string[] {
  if (isComplete(record)) return ['']
  return record.disclosures.map(d => pathText(d.path)).sort()
}

/** Keys of what receipts acknowledge, by their text: nearly every copy one sender sends has the same. */
const acknowledgedKeys = new Map<string, string>()

/** What a receipt acknowledges, as one key: sender, purpose and fields. */
export function acknowledged (sender: unknown, purpose: unknown, fields: unknown): string {
  const text = JSON.stringify([sender, purpose ?? null, fields])
  let key = acknowledgedKeys.get(text)
  if (key === undefined) {
    key = base64urlEncode(sha256(new TextEncoder().encode(text)))
    if (acknowledgedKeys.size >= 1024) acknowledgedKeys.clear()
    acknowledgedKeys.set(text, key)
  }
  return key
}

/** The receipts this node holds, found by the record they acknowledge. */
export class ReceiptBook {
  constructor (private readonly deliveries: DeliveryStore, private readonly store: RecordStore, private readonly self: string) {}

  /** Index entries for a receipt newly stored here: only this node's own (see indexOps). */
  storedOps (record: SignedRecord): WriteOp[] {
    return record.envelope.issuer === this.self ? this.indexOps(record) : []
  }

  /**
   * Index entries for a receipt, one per copy it acknowledges. Only two kinds
   * are indexed: receipts this node signs (so that a copy received again gets
   * the same receipt) and receipts the outbox checked against what it sent.
   * Any other stored receipt (imported, or delivered as a record) says nothing
   * of who received what from this node.
   */
  indexOps (record: SignedRecord): WriteOp[] {
    if (record.envelope.type !== RECEIPT) return []
    const receipt = receiptData(record)
    if (receipt === undefined) return []
    return receipt.records.flatMap(entry =>
      this.deliveries.receiptOps(entry.record, record.envelope.issuer, record.id, acknowledged(receipt.sender, entry.purpose, entry.fields)))
  }

  /** Every receipt of one record: who signed it, the receipt, and what it says of this record. */
  async of (recordId: string): Promise<ReceiptOfRecord[]> {
    const out: ReceiptOfRecord[] = []
    for (const { receiver, receiptId } of await this.deliveries.receiptsOf(recordId)) {
      const bytes = await this.store.get(receiptId)
      if (bytes === undefined) continue
      const receipt = parseRecord(bytes)
      const data = receiptData(receipt)
      // A receipt lists a record once per copy acknowledged (whole, or other fields).
      for (const entry of data?.records ?? []) {
        if (entry.record === recordId) out.push({ receiver, receipt, receivedAt: (data as ReceiptData).receivedAt, ...entry })
      }
    }
    return out
  }

  /** The receipt this node signed for the same copy before, if it did: a replay gets the same receipt. */
  async signedFor (recordId: string, receiver: string, acknowledgedKey: string): Promise<Uint8Array | undefined> {
    const existing = await this.deliveries.receiptFor(recordId, receiver, acknowledgedKey)
    return existing !== undefined ? await this.store.get(existing) : undefined
  }
}
