/**
 * /keruen/deliver/2.0.0 — a sender hands records to an admitted peer and gets
 * one answer per record: a signed receipt that lists it, or why it was refused.
 *
 *   request   { v: 1, records: [ record wire bytes, … ], purposes?: [ text | null, … ] }   same order
 *   response  { v: 1, receipts: [ receipt wire bytes, … ],
 *               results: [ { receipt: index into receipts } | { refused: text }, … ] }   same order
 *
 *   or        { v: 1, slowDown: milliseconds to wait, reason }   the sender is over its limits (protocols/peer-limits.ts)
 *
 * One receipt usually answers the whole request, so the receiver signs once and
 * the sender verifies once per request, not per record. A copy received before
 * is answered with the receipt it got then.
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { encodeCanonical, type CborValue } from '../record/index.js'
import { decodeMessage } from './messages.js'
import type { PeerLimits } from './peer-limits.js'
import { slowDownOf, tellToSlowDown } from './slow-down.js'
import { FrameError, readMessage, writeMessage } from './stream-io.js'

/** The receiver asks the sender to wait before its next request. */
export class SlowDownError extends FrameError {
  constructor (readonly retryAfterMs: number, reason: string) {
    super(`the receiver asks to slow down (${reason}): wait ${retryAfterMs} ms`)
    this.name = 'SlowDownError'
  }
}

export const DELIVER_PROTOCOL = '/keruen/deliver/2.0.0'
export const MAX_BATCH_RECORDS = 256
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024
/** What a request spends besides its deliveries: its map, keys and array heads. */
export const REQUEST_FRAME_BYTES = 64

export const MAX_PURPOSE_LENGTH = 128
/**
 * Requests one peer may have open at once, over all its connections: twice
 * what a keruen sender keeps in flight, so an honest sender never meets it,
 * while a peer that opens streams and stalls cannot hold more than this many
 * request buffers and handlers.
 */
export const MAX_REQUESTS_PER_PEER = 8

export type DeliveryResult = { readonly receipt: Uint8Array } | { readonly refused: string }

/** One record handed over, with the purpose the sender gives for it. */
export interface Delivery {
  readonly record: Uint8Array
  readonly purpose?: string
}

/** At most what one delivery adds to a request: its record and purpose with their heads (a character takes at most 4 bytes). */
export function deliveryBytes (delivery: Delivery): number {
  return delivery.record.length + 9 + (delivery.purpose === undefined ? 1 : 3 + 4 * delivery.purpose.length)
}

export function parseRequest (bytes: Uint8Array): Delivery[] {
  const { records, purposes, ...rest } = decodeMessage(bytes, 'delivery request')
  if (Object.keys(rest).length !== 1) throw new FrameError('delivery request must be { v: 1, records, purposes? }')
  if (!Array.isArray(records) || records.length === 0 || records.length > MAX_BATCH_RECORDS || !records.every(r => r instanceof Uint8Array)) {
    throw new FrameError(`delivery request must carry 1 to ${MAX_BATCH_RECORDS} records as byte strings`)
  }
  if (purposes !== undefined && (!Array.isArray(purposes) || purposes.length !== records.length ||
      !purposes.every(p => p === null || (typeof p === 'string' && p.length > 0 && p.length <= MAX_PURPOSE_LENGTH)))) {
    throw new FrameError(`delivery purposes must be one text of at most ${MAX_PURPOSE_LENGTH} characters, or null, per record`)
  }
  return (records as Uint8Array[]).map((record, i) => {
    const purpose = (purposes as CborValue[] | undefined)?.[i]
    return typeof purpose === 'string' ? { record, purpose } : { record }
  })
}

/** The results of a response, each receipt index resolved to the receipt's bytes (one array shared by the records it lists). */
export function parseResponse (bytes: Uint8Array, expected: number): DeliveryResult[] {
  const message = decodeMessage(bytes, 'delivery response')
  const slow = slowDownOf(message)
  if (slow !== undefined) throw new SlowDownError(slow.slowDown, slow.reason)
  const { receipts, results, ...rest } = message
  if (Object.keys(rest).length !== 1 || !Array.isArray(results) || results.length !== expected) {
    throw new FrameError(`delivery response must be { v: 1, receipts, results } with ${expected} results`)
  }
  if (!Array.isArray(receipts) || receipts.length > expected || !receipts.every(r => r instanceof Uint8Array)) {
    throw new FrameError(`delivery response must carry at most ${expected} receipts as byte strings`)
  }
  return (results as CborValue[]).map((r, i) => {
    const result = r as Record<string, CborValue>
    if (typeof r === 'object' && r !== null && Object.keys(r).length === 1) {
      if (typeof result.receipt === 'number' && Number.isInteger(result.receipt) && result.receipt >= 0 && result.receipt < receipts.length) {
        return { receipt: receipts[result.receipt] as Uint8Array }
      }
      if (typeof result.refused === 'string') return { refused: result.refused }
    }
    throw new FrameError(`delivery result ${i} must be { receipt: index of a receipt } or { refused }`)
  })
}

/** The response of `results`: each distinct receipt once, the results pointing at it. */
export function encodeResponse (results: readonly DeliveryResult[]): Uint8Array {
  const receipts: Uint8Array[] = []
  const index = new Map<Uint8Array, number>()
  const encoded = results.map(r => {
    if ('refused' in r) return { refused: r.refused }
    let i = index.get(r.receipt)
    if (i === undefined) {
      i = receipts.push(r.receipt) - 1
      index.set(r.receipt, i)
    }
    return { receipt: i }
  })
  return encodeCanonical({ v: 1, receipts, results: encoded })
}

export interface DeliverServerOptions {
  /** Whether the peer passed the handshake (waiting for it to end, if need be); others are not served. */
  readonly admitted: (peer: string) => boolean | Promise<boolean>
  readonly accept: (sender: string, deliveries: Delivery[]) => Promise<DeliveryResult[]>
  readonly onRefusedRequest?: (peer: string, reason: string) => void
  /** What one sender may ask: requests a second, at once, bytes a minute; over them it is told to slow down. */
  readonly limits?: PeerLimits
  readonly timeoutMs: number
}

export async function serveDeliveries (host: Pick<Libp2p, 'handle'>, options: DeliverServerOptions): Promise<void> {
  /** Requests being served, per peer. */
  const open = new Map<string, number>()
  await host.handle(DELIVER_PROTOCOL, async (stream: Stream, connection: Connection) => {
    const peer = connection.remotePeer.toString()
    const count = open.get(peer) ?? 0
    // Counted from the first moment, admission wait included: a peer not yet
    // judged can hold streams too.
    if (count >= MAX_REQUESTS_PER_PEER) {
      const reason = `more than ${MAX_REQUESTS_PER_PEER} delivery requests at once`
      options.onRefusedRequest?.(peer, reason)
      stream.abort(new Error(reason))
      return
    }
    const admission = options.limits?.enter(peer)
    if (admission !== undefined && !admission.ok) {
      options.onRefusedRequest?.(peer, `slowed down: ${admission.reason}`)
      await tellToSlowDown(stream, admission, options.timeoutMs)
      return
    }
    open.set(peer, count + 1)
    try {
      await serveRequest(peer, stream, options)
    } finally {
      if (admission?.ok === true) admission.done()
      const left = (open.get(peer) ?? 1) - 1
      if (left > 0) open.set(peer, left)
      else open.delete(peer)
    }
  }, { maxInboundStreams: 16 })
}

async function serveRequest (peer: string, stream: Stream, options: DeliverServerOptions): Promise<void> {
  if (!(await options.admitted(peer))) {
    options.onRefusedRequest?.(peer, 'peer not admitted')
    stream.abort(new Error('not admitted'))
    return
  }
  let records: Delivery[]
  try {
    const request = await readMessage(stream, MAX_REQUEST_BYTES, options.timeoutMs)
    options.limits?.spend(peer, request.length)
    records = parseRequest(request)
  } catch (err) {
    options.onRefusedRequest?.(peer, (err as Error).message)
    stream.abort(err as Error)
    return
  }
  const results = await options.accept(peer, records)
  const response = encodeResponse(results)
  options.limits?.spend(peer, response.length)
  await writeMessage(stream, response, options.timeoutMs)
}

/** Sends one batch on a fresh stream and waits for the answers. */
export async function sendDeliveries (connection: Connection, deliveries: readonly Delivery[], timeoutMs: number): Promise<DeliveryResult[]> {
  const stream = await connection.newStream(DELIVER_PROTOCOL, { signal: AbortSignal.timeout(timeoutMs) })
  const records = deliveries.map(d => d.record)
  // Purposes only when one is given, so plain deliveries stay as small as before.
  const purposes = deliveries.some(d => d.purpose !== undefined) ? deliveries.map(d => d.purpose ?? null) : undefined
  // Sized up front: a batch is a megabyte or more, which a growing buffer would copy again at every doubling.
  const size = deliveries.reduce((sum, d) => sum + deliveryBytes(d), REQUEST_FRAME_BYTES)
  await writeMessage(stream, encodeCanonical({ v: 1, records, ...(purposes !== undefined && { purposes }) }, size), timeoutMs)
  return parseResponse(await readMessage(stream, MAX_RESPONSE_BYTES, timeoutMs), records.length)
}
