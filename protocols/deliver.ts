/**
 * /keruen/deliver/1.0.0 — a sender hands records to an admitted peer and gets
 * one answer per record: the receiver's signed receipt, or why it refused.
 *
 *   request   { v: 1, records: [ record wire bytes, … ], purposes?: [ text | null, … ] }   same order
 *   response  { v: 1, results: [ { receipt: wire bytes } | { refused: text }, … ] }   same order
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { encodeCanonical, type CborValue } from '../record/index.js'
import { decodeMessage } from './messages.js'
import { FrameError, readMessage, writeMessage } from './stream-io.js'

export const DELIVER_PROTOCOL = '/keruen/deliver/1.0.0'
export const MAX_BATCH_RECORDS = 256
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

export const MAX_PURPOSE_LENGTH = 128

export type DeliveryResult = { readonly receipt: Uint8Array } | { readonly refused: string }

/** One record handed over, with the purpose the sender gives for it. */
export interface Delivery {
  readonly record: Uint8Array
  readonly purpose?: string
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

export function parseResponse (bytes: Uint8Array, expected: number): DeliveryResult[] {
  const { results, ...rest } = decodeMessage(bytes, 'delivery response')
  if (Object.keys(rest).length !== 1 || !Array.isArray(results) || results.length !== expected) {
    throw new FrameError(`delivery response must be { v: 1, results } with ${expected} results`)
  }
  return (results as CborValue[]).map((r, i) => {
    const result = r as Record<string, CborValue>
    if (typeof r === 'object' && r !== null && Object.keys(r).length === 1) {
      if (result.receipt instanceof Uint8Array) return { receipt: result.receipt }
      if (typeof result.refused === 'string') return { refused: result.refused }
    }
    throw new FrameError(`delivery result ${i} must be { receipt } or { refused }`)
  })
}

export interface DeliverServerOptions {
  /** Whether the peer passed the handshake; others are not served. */
  readonly admitted: (peer: string) => boolean
  readonly accept: (sender: string, deliveries: Delivery[]) => Promise<DeliveryResult[]>
  readonly onRefusedRequest?: (peer: string, reason: string) => void
  readonly timeoutMs: number
}

export async function serveDeliveries (host: Libp2p, options: DeliverServerOptions): Promise<void> {
  await host.handle(DELIVER_PROTOCOL, async (stream: Stream, connection: Connection) => {
    const peer = connection.remotePeer.toString()
    if (!options.admitted(peer)) {
      options.onRefusedRequest?.(peer, 'peer not admitted')
      stream.abort(new Error('not admitted'))
      return
    }
    let records: Delivery[]
    try {
      records = parseRequest(await readMessage(stream, MAX_REQUEST_BYTES, options.timeoutMs))
    } catch (err) {
      options.onRefusedRequest?.(peer, (err as Error).message)
      stream.abort(err as Error)
      return
    }
    const results = await options.accept(peer, records)
    await writeMessage(stream, encodeCanonical({ v: 1, results: results.map(r => 'receipt' in r ? { receipt: r.receipt } : { refused: r.refused }) }))
  }, { maxInboundStreams: 16 })
}

/** Sends one batch on a fresh stream and waits for the answers. */
export async function sendDeliveries (connection: Connection, deliveries: readonly Delivery[], timeoutMs: number): Promise<DeliveryResult[]> {
  const stream = await connection.newStream(DELIVER_PROTOCOL, { signal: AbortSignal.timeout(timeoutMs) })
  const records = deliveries.map(d => d.record)
  // Purposes only when one is given, so plain deliveries stay as small as before.
  const purposes = deliveries.some(d => d.purpose !== undefined) ? deliveries.map(d => d.purpose ?? null) : undefined
  await writeMessage(stream, encodeCanonical({ v: 1, records, ...(purposes !== undefined && { purposes }) }))
  return parseResponse(await readMessage(stream, MAX_RESPONSE_BYTES, timeoutMs), records.length)
}
