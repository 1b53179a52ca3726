/**
 * /keruen/query/1.0.0 — a participant asks another for records it holds; the
 * holder answers with what its grants let the asker see.
 *
 *   request   { v: 1, query: query.request record bytes }
 *   answer    { v: 1, answer: query.answer record bytes, records: [ record wire bytes, … ] }
 *           | { v: 1, slowDown: milliseconds to wait, reason: text }
 *
 * /keruen/query-receipt/1.0.0 — the asker acknowledges what it received.
 *
 *   request   { v: 1, receipt: delivery.receipt record bytes }
 *   answer    { v: 1, kept: true } | { v: 1, refused: text } | { v: 1, slowDown, reason }
 *
 * Each side of each exchange is one message, closed after it. A peer over its
 * limits (protocols/peer-limits.ts) gets `slowDown` and is not read further:
 * a stream costs it little, so a flood is answered "slow down", stream by
 * stream, rather than reset — after the wait it asks for (a second at most),
 * so that a peer ignoring it spends its streams waiting, not the holder's CPU.
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { encodeCanonical } from '../record/index.js'
import { decodeMessage } from './messages.js'
import type { PeerLimits } from './peer-limits.js'
import { slowDownOf, tellToSlowDown, type SlowDown } from './slow-down.js'

export type { SlowDown }
import { FrameError, readMessage, writeMessage } from './stream-io.js'

export const QUERY_PROTOCOL = '/keruen/query/1.0.0'
export const QUERY_RECEIPT_PROTOCOL = '/keruen/query-receipt/1.0.0'
/** A query is one small record. */
export const MAX_QUERY_BYTES = 64 * 1024
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024
export const MAX_RECEIPT_BYTES = 8 * 1024 * 1024
/** How long a request over its peer's limits is held before it is told to slow down. */
export const SLOW_DOWN_HOLD_MS = 1000

export type QueryReply = { readonly answer: Uint8Array, readonly records: Uint8Array[] } | SlowDown
export type ReceiptReply = { readonly kept: true } | { readonly refused: string } | SlowDown

export function parseQueryRequest (bytes: Uint8Array): Uint8Array {
  const { query, ...rest } = decodeMessage(bytes, 'query request')
  if (Object.keys(rest).length !== 1 || !(query instanceof Uint8Array)) throw new FrameError('query request must be { v: 1, query }')
  return query
}

export function parseQueryReply (bytes: Uint8Array): QueryReply {
  const message = decodeMessage(bytes, 'query answer')
  const slow = slowDownOf(message)
  if (slow !== undefined) return slow
  const { answer, records, ...rest } = message
  if (Object.keys(rest).length !== 1 || !(answer instanceof Uint8Array) || !Array.isArray(records) || !records.every(r => r instanceof Uint8Array)) {
    throw new FrameError('query answer must be { v: 1, answer, records: [byte strings] } or { v: 1, slowDown, reason }')
  }
  return { answer, records: records as Uint8Array[] }
}

export function parseReceiptRequest (bytes: Uint8Array): Uint8Array {
  const { receipt, ...rest } = decodeMessage(bytes, 'query receipt')
  if (Object.keys(rest).length !== 1 || !(receipt instanceof Uint8Array)) throw new FrameError('query receipt must be { v: 1, receipt }')
  return receipt
}

export function parseReceiptReply (bytes: Uint8Array): ReceiptReply {
  const message = decodeMessage(bytes, 'query receipt answer')
  const slow = slowDownOf(message)
  if (slow !== undefined) return slow
  if (message.kept === true && Object.keys(message).length === 2) return { kept: true }
  if (typeof message.refused === 'string' && Object.keys(message).length === 2) return { refused: message.refused }
  throw new FrameError('query receipt answer must be { v: 1, kept: true }, { v: 1, refused } or { v: 1, slowDown, reason }')
}

export interface QueryServerOptions {
  /** What one peer may ask: queries and receipts each have their own allowance. */
  readonly limits: { readonly queries: PeerLimits, readonly receipts: PeerLimits }
  /** The holder's answer to a query (a signed "nothing" included): never throws for what the asker sent. */
  readonly answer: (peer: string, query: Uint8Array) => Promise<{ answer: Uint8Array, records: Uint8Array[] }>
  /** Keeps a receipt; why not, if it is not kept. */
  readonly keep: (peer: string, receipt: Uint8Array) => Promise<string | undefined>
  readonly onRefusedRequest?: (peer: string, reason: string) => void
  readonly onSlowedDown?: (peer: string, reason: string) => void
  readonly timeoutMs: number
}

/** Serves one request of `peer` under `limits`: told to slow down when over them, else read (within `maxBytes`), handled and answered. */
async function serveLimited (peer: string, stream: Stream, limits: PeerLimits, maxBytes: number, options: QueryServerOptions,
  handle: (request: Uint8Array) => Promise<Uint8Array>): Promise<void> {
  const admission = limits.enter(peer)
  if (!admission.ok) {
    options.onSlowedDown?.(peer, admission.reason)
    // Said after the wait it asks for (a second at most): a peer that ignores it and asks at once still asks no faster than its streams allow.
    await tellToSlowDown(stream, admission, options.timeoutMs, Math.min(admission.retryAfterMs, SLOW_DOWN_HOLD_MS))
    return
  }
  try {
    const request = await readMessage(stream, maxBytes, options.timeoutMs)
    limits.spend(peer, request.length)
    const reply = await handle(request)
    limits.spend(peer, reply.length)
    await writeMessage(stream, reply, options.timeoutMs)
  } catch (err) {
    options.onRefusedRequest?.(peer, (err as Error).message)
    stream.abort(err as Error)
  } finally {
    admission.done()
  }
}

export async function serveQueries (host: Pick<Libp2p, 'handle'>, options: QueryServerOptions): Promise<void> {
  await host.handle(QUERY_PROTOCOL, async (stream: Stream, connection: Connection) => {
    const peer = connection.remotePeer.toString()
    await serveLimited(peer, stream, options.limits.queries, MAX_QUERY_BYTES, options, async request => {
      const { answer, records } = await options.answer(peer, parseQueryRequest(request))
      return encodeCanonical({ v: 1, answer, records })
    })
  }, { maxInboundStreams: 256 })
  await host.handle(QUERY_RECEIPT_PROTOCOL, async (stream: Stream, connection: Connection) => {
    const peer = connection.remotePeer.toString()
    await serveLimited(peer, stream, options.limits.receipts, MAX_RECEIPT_BYTES, options, async request => {
      const refusal = await options.keep(peer, parseReceiptRequest(request))
      return encodeCanonical(refusal === undefined ? { v: 1, kept: true } : { v: 1, refused: refusal })
    })
  }, { maxInboundStreams: 256 })
}

export async function unserveQueries (host: Pick<Libp2p, 'unhandle'>): Promise<void> {
  await host.unhandle(QUERY_PROTOCOL)
  await host.unhandle(QUERY_RECEIPT_PROTOCOL)
}

/** Asks on a fresh stream and waits for the answer. */
export async function sendQuery (connection: Connection, query: Uint8Array, timeoutMs: number): Promise<QueryReply> {
  const stream = await connection.newStream(QUERY_PROTOCOL, { signal: AbortSignal.timeout(timeoutMs) })
  await writeMessage(stream, encodeCanonical({ v: 1, query }), timeoutMs)
  return parseQueryReply(await readMessage(stream, MAX_ANSWER_BYTES, timeoutMs))
}

export async function sendQueryReceipt (connection: Connection, receipt: Uint8Array, timeoutMs: number): Promise<ReceiptReply> {
  const stream = await connection.newStream(QUERY_RECEIPT_PROTOCOL, { signal: AbortSignal.timeout(timeoutMs) })
  await writeMessage(stream, encodeCanonical({ v: 1, receipt }), timeoutMs)
  return parseReceiptReply(await readMessage(stream, 64 * 1024, timeoutMs))
}
