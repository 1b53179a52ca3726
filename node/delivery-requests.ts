/**
 * Splits what a recipient is owed into delivery requests it will take: each
 * request within MAX_REQUEST_BYTES, and the answer it will bring (the receipts
 * listing every copy, field by field) within MAX_RESPONSE_BYTES. Without this,
 * a backlog of large records would make one request the receiver refuses,
 * again at every retry, and nothing behind it would ever go.
 */
import { deliveryBytes, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, REQUEST_FRAME_BYTES, type Delivery } from '../protocols/deliver.js'

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
