/**
 * How the node presents a stored record: its envelope fields, its data as far
 * as disclosed, whether it verifies right now, and its transport form.
 */
import {
  dataOf, isComplete, parseHead, parseRecord, recordToJson, RecordError, transcribeDisclosures, verifyRecord, writeRecordJson,
  type DataObject, type Envelope, type JsonWriter, type RecordHead, type RecordJson, type SignedRecord
} from '../../record/index.js'
import { checkedBytes, refuses, storedBytes, verdictOf, type Verdict } from './record-memo.js'

/** The envelope's fields (less the version and the digests), then what the node makes of the record. */
export interface RecordView extends Omit<Envelope, 'v' | 'digests'> {
  readonly id: string
  readonly data: DataObject
  /** Whether every field is disclosed (false for a partial copy shared by its issuer). */
  readonly complete: boolean
  readonly fields: { readonly disclosed: number, readonly total: number }
  /**
   * The issuer's signature and every disclosed field's digest hold: checked
   * when the record was stored, and again at read time only when asked.
   */
  readonly verified: boolean
  /** Why verification failed, when it did. */
  readonly reason?: string
  /** validUntil has passed: the record may not be reused as a valid document. */
  readonly expired: boolean
  readonly record: RecordJson
}

/**
 * The view of a record, verified now unless `signedHere` says this node has just
 * built and signed it (verifying its own fresh signature would prove nothing).
 */
export function viewOf (record: SignedRecord, now: string, signedHere = false): RecordView {
  const base = timelessView(record, signedHere)
  return { ...base, expired: expiredBy(base.validUntil, now) }
}

/** Whether a record valid until `validUntil` has expired at `now` (both normalised instants, which sort as text). */
const expiredBy = (validUntil: string | undefined, now: string): boolean => validUntil !== undefined && validUntil <= now

/** Views of records the memo handed out, bar the one field that depends on the time, with the verdict each was built on. */
const timelessViews = new WeakMap<SignedRecord, { readonly verdict: Verdict, readonly view: Omit<RecordView, 'expired'> }>()

function timelessView (record: SignedRecord, signedHere: boolean): Omit<RecordView, 'expired'> {
  const verdict = verdictOf(record)
  const known = timelessViews.get(record)
  // A record read from the store may be verified later, with another verdict.
  if (known !== undefined && known.verdict === verdict) return known.view
  let reason = verdict?.verified === false ? verdict.reason : undefined
  if (!signedHere && verdict === undefined) {
    try {
      verifyRecord(record)
    } catch (err) {
      if (!(err instanceof RecordError)) throw err
      reason = `${err.code}: ${err.message}`
    }
  }
  const e = record.envelope
  let data: DataObject = {}
  try {
    data = dataOf(record)
  } catch (err) {
    if (!(err instanceof RecordError)) throw err
  }
  const view = {
    id: record.id,
    type: e.type,
    issuer: e.issuer,
    ...(e.consignment !== undefined && { consignment: e.consignment }),
    issuedAt: e.issuedAt,
    ...(e.validUntil !== undefined && { validUntil: e.validUntil }),
    ...(e.supersedes !== undefined && { supersedes: e.supersedes }),
    data,
    complete: isComplete(record),
    fields: { disclosed: record.disclosures.length, total: e.digests.length },
    verified: reason === undefined,
    ...(reason !== undefined && { reason }),
    record: recordToJson(record)
  }
  // Only a record the memo vouches for is shared by later callers; others may be anyone's object.
  if (verdict !== undefined) timelessViews.set(record, { verdict, view })
  return view
}

/** How a stored record is read: `verify` checks its signature and digests again now. */
export interface ReadOptions { readonly verify?: boolean }

/** The record in stored bytes, verified again if asked. */
function readStored (bytes: Uint8Array, options: ReadOptions): ReturnType<typeof storedBytes> {
  return options.verify === true ? checkedBytes(bytes) : storedBytes(bytes)
}

/** A view of stored bytes; bytes that no longer parse are reported, not thrown. */
export function viewOfBytes (id: string, bytes: Uint8Array, now: string, options: ReadOptions = {}): RecordView | { id: string, verified: false, reason: string } {
  const read = readStored(bytes, options)
  return read.record === undefined ? { id, verified: false, reason: read.reason } : viewOf(read.record, now)
}

/** The view of stored bytes that parse (a damaged store throws the RecordError that says how). */
export function viewOfStored (bytes: Uint8Array, now: string, options: ReadOptions = {}): RecordView {
  const read = readStored(bytes, options)
  return read.record === undefined ? viewOf(parseRecord(bytes), now) : viewOf(read.record, now)
}

/**
 * Writes `JSON.stringify(viewOfStored(bytes, now, options))`, in UTF-8, and
 * straight from the bytes when it can: no parsed record, data or view is
 * built, kept or left for the garbage collector, which is what a node listing
 * records at random among a million would otherwise spend its time on. Bytes
 * this process found bad, bytes to verify again, and bytes that do not read
 * as the store keeps them take the way through the view, which says why.
 * `head`: the bytes' head (parseHead), when the caller has read it already.
 */
export function writeStoredView (out: JsonWriter, bytes: Uint8Array, now: string, options: ReadOptions = {}, head?: RecordHead): void {
  if (options.verify === true || refuses(bytes) || !wroteStraight(out, bytes, now, head)) out.value(viewOfStored(bytes, now, options))
}

/** Writes the view from the bytes, its keys in the order timelessView and viewOf give them; false, having written nothing, where the view would say more. */
function wroteStraight (out: JsonWriter, bytes: Uint8Array, now: string, known: RecordHead | undefined): boolean {
  let head: RecordHead
  try {
    // The bytes are the store's, verified when they were stored.
    head = known ?? parseHead(bytes)
  } catch (err) {
    if (err instanceof RecordError) return false
    throw err
  }
  const e = head.envelope
  const disclosures = transcribeDisclosures(head.disclosures, e.digests.length)
  if (disclosures === undefined) return false
  const mark = out.length
  out.raw('{"id":').string(head.id).raw(',"type":').string(e.type).raw(',"issuer":').string(e.issuer)
  if (e.consignment !== undefined) out.raw(',"consignment":').string(e.consignment)
  out.raw(',"issuedAt":').string(e.issuedAt)
  if (e.validUntil !== undefined) out.raw(',"validUntil":').string(e.validUntil)
  if (e.supersedes !== undefined) out.raw(',"supersedes":').string(e.supersedes)
  out.raw(',"data":')
  if (!disclosures.writeData(out)) {
    out.truncate(mark)
    return false
  }
  const disclosed = disclosures.count
  out.raw(`,"complete":${String(disclosed === e.digests.length)},"fields":{"disclosed":${disclosed},"total":${e.digests.length}},"verified":true,"record":`)
  writeRecordJson(out, head, disclosures)
  out.raw(`,"expired":${String(expiredBy(e.validUntil, now))}}`)
  return true
}
