/**
 * Sizes the batches of what a recipient is owed. A batch reads only as many
 * records as fit about one request's bytes, so a backlog of records of
 * megabytes each is not read into memory 256 at a time; it is then split into
 * delivery requests the recipient will take: each within MAX_REQUEST_BYTES,
 * and the answer it will bring (the receipts listing every copy, field by
 * field) within MAX_RESPONSE_BYTES. Without this, a backlog of large records
 * would make one request the receiver refuses, again at every retry, and
 * nothing behind it would ever go.
 */
import { deliveryBytes, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, REQUEST_FRAME_BYTES, type Delivery } from '../../protocols/deliver.js'

/**
 * What a response spends besides its acknowledgements: its frame, and each
 * receipt's envelope and signature (a receipt lists at most 256 copies).
 */
export const RESPONSE_FRAME_BYTES = 64 * 1024
/**
 * At most what one leaf of a receipt costs: its salt, its path (records, i,
 * fields, j) and the heads, and its digest in the envelope; its value comes on
 * top.
 */
const RECEIPT_LEAF_BYTES = 96
/** An acknowledged copy's result and record id. */
const COPY_BYTES = 32 + RECEIPT_LEAF_BYTES + 128

/** At most what acknowledging a copy adds to a response: `fields` as the receipt lists them (none for a whole copy). */
export function acknowledgementBytes (fields: readonly string[], purpose?: string): number {
  let bytes = COPY_BYTES
  if (purpose !== undefined) bytes += RECEIPT_LEAF_BYTES + Buffer.byteLength(purpose)
  if (fields.length === 1 && fields[0] === '') return bytes
  for (const field of fields) bytes += RECEIPT_LEAF_BYTES + Buffer.byteLength(field)
  return bytes
}

/**
 * Consecutive runs of `items`, each fit for one request. A single copy too
 * large for either limit goes alone: the receiver's refusal then names it.
 */
export function splitRequests<T extends { readonly delivery: Delivery, readonly fields: readonly string[] }> (items: readonly T[]): T[][] {
  const requests: T[][] = []
  let current: T[] = []
  let request = REQUEST_FRAME_BYTES
  let response = RESPONSE_FRAME_BYTES
  for (const item of items) {
    const sent = deliveryBytes(item.delivery)
    const answered = acknowledgementBytes(item.fields, item.delivery.purpose)
    if (current.length > 0 && (request + sent > MAX_REQUEST_BYTES || response + answered > MAX_RESPONSE_BYTES)) {
      requests.push(current)
      current = []
      request = REQUEST_FRAME_BYTES
      response = RESPONSE_FRAME_BYTES
    }
    current.push(item)
    request += sent
    response += answered
  }
  if (current.length > 0) requests.push(current)
  return requests
}

/** Bytes of records one batch reads, about: one request's worth. */
export const BATCH_BYTES = MAX_REQUEST_BYTES
/** Records read first, to learn how large a batch's records run. */
const FIRST_READ = 4

/**
 * The records of the leading `ids` that fit within `budget` bytes, at least
 * one: a few read first, then as many more as their sizes suggest still fit.
 * A record that is gone reads as undefined and costs nothing.
 */
export async function readWithin (ids: readonly string[], read: (ids: string[]) => Promise<Array<Uint8Array | undefined>>, budget = BATCH_BYTES): Promise<Array<Uint8Array | undefined>> {
  const records: Array<Uint8Array | undefined> = []
  let bytes = 0
  let next = FIRST_READ
  while (records.length < ids.length && bytes < budget) {
    for (const record of await read(ids.slice(records.length, records.length + next))) {
      if (records.length > 0 && bytes + (record?.length ?? 0) > budget) return records
      records.push(record)
      bytes += record?.length ?? 0
    }
    const average = Math.max(1, bytes / records.length)
    next = Math.max(1, Math.floor((budget - bytes) / average))
  }
  return records
}
