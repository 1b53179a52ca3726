/**
 * How the node presents a stored record: its envelope fields, its data as far
 * as disclosed, whether it verifies right now, and its transport form.
 */
import {
  dataOf, isComplete, parseRecord, recordToJson, RecordError, verifyRecord,
  type DataObject, type Envelope, type RecordJson, type SignedRecord
} from '../../record/index.js'

/** The envelope's fields (less the version and the digests), then what the node makes of the record. */
export interface RecordView extends Omit<Envelope, 'v' | 'digests'> {
  readonly id: string
  readonly data: DataObject
  /** Whether every field is disclosed (false for a partial copy shared by its issuer). */
  readonly complete: boolean
  readonly fields: { readonly disclosed: number, readonly total: number }
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
  let reason: string | undefined
  if (!signedHere) {
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
  return {
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
    expired: e.validUntil !== undefined && e.validUntil <= now,
    record: recordToJson(record)
  }
}

/** A view of stored bytes; bytes that no longer parse are reported, not thrown. */
export function viewOfBytes (id: string, bytes: Uint8Array, now: string): RecordView | { id: string, verified: false, reason: string } {
  try {
    return viewOf(parseRecord(bytes), now)
  } catch (err) {
    if (!(err instanceof RecordError)) throw err
    return { id, verified: false, reason: `${err.code}: ${err.message}` }
  }
}
