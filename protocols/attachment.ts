/**
 * /keruen/attachment/1.0.0 — a node fetches an attachment it lacks, a chunk
 * at a time, from a node that holds it. One stream carries one request and
 * its answer, so a fetcher has one chunk in flight at a time: the holder never
 * reads ahead of what the fetcher has written.
 *
 *   request   { v: 1, record: record id, digest: hex SHA-256, offset: uint, length: uint }
 *   answer    { v: 1, size: uint, mediaType: text, bytes: byte string }
 *           | { v: 1, refused: text }
 *
 * The holder answers only a peer entitled to the record's `attachments`
 * field (docs/attachments.md); `size` is the whole file's, `bytes` at most
 * `length` of it from `offset`. The fetcher checks the SHA-256 of the whole
 * before it keeps anything under the digest.
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { encodeCanonical, isRecordId } from '../record/index.js'
import { decodeMessage } from './messages.js'
import { FrameError, readMessage, writeMessage } from './stream-io.js'

export const ATTACHMENT_PROTOCOL = '/keruen/attachment/1.0.0'
/** The most one chunk may carry; fetchers ask for 256 KiB. */
export const MAX_CHUNK_BYTES = 1024 * 1024
export const DEFAULT_CHUNK_BYTES = 256 * 1024
const MAX_REQUEST_BYTES = 512
/** What an answer adds to its bytes: the map, its keys, the size and the media type. */
const ANSWER_FRAME_BYTES = 512
const MAX_MEDIA_TYPE_LENGTH = 100
const MAX_REFUSAL_LENGTH = 1000
/** Chunk requests one peer may have open at once, over all its connections. */
export const MAX_CHUNK_REQUESTS_PER_PEER = 4
const DIGEST = /^[0-9a-f]{64}$/

export interface ChunkRequest {
  readonly record: string
  readonly digest: string
  readonly offset: number
  readonly length: number
}

export type ChunkAnswer =
  | { readonly size: number, readonly mediaType: string, readonly bytes: Uint8Array }
  | { readonly refused: string }

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0

export function parseChunkRequest (bytes: Uint8Array): ChunkRequest {
  const { record, digest, offset, length, ...rest } = decodeMessage(bytes, 'attachment request')
  if (Object.keys(rest).length !== 1 || typeof record !== 'string' || !isRecordId(record) || typeof digest !== 'string' || !DIGEST.test(digest) ||
      !isCount(offset) || !isCount(length) || length === 0 || length > MAX_CHUNK_BYTES) {
    throw new FrameError(`attachment request must be { v: 1, record, digest, offset, length } with a record id, a SHA-256 in hex and 1 to ${MAX_CHUNK_BYTES} bytes`)
  }
  return { record, digest, offset, length }
}

export function encodeChunkRequest (request: ChunkRequest): Uint8Array {
  return encodeCanonical({ v: 1, ...request })
}

export function parseChunkAnswer (bytes: Uint8Array, request: ChunkRequest): ChunkAnswer {
  const message = decodeMessage(bytes, 'attachment answer')
  const { refused, size, mediaType, bytes: chunk, ...rest } = message
  if (Object.keys(rest).length === 1 && typeof refused === 'string' && size === undefined && mediaType === undefined && chunk === undefined) {
    return { refused: refused.slice(0, MAX_REFUSAL_LENGTH) }
  }
  if (Object.keys(rest).length !== 1 || refused !== undefined || !isCount(size) || typeof mediaType !== 'string' || mediaType.length > MAX_MEDIA_TYPE_LENGTH ||
      !(chunk instanceof Uint8Array) || chunk.length > request.length || request.offset + chunk.length > size) {
    throw new FrameError('attachment answer must be { v: 1, size, mediaType, bytes } with at most the bytes asked for, within the file, or { v: 1, refused }')
  }
  return { size, mediaType, bytes: chunk }
}

export function encodeChunkAnswer (answer: ChunkAnswer): Uint8Array {
  if ('refused' in answer) return encodeCanonical({ v: 1, refused: answer.refused.slice(0, MAX_REFUSAL_LENGTH) })
  return encodeCanonical({ v: 1, size: answer.size, mediaType: answer.mediaType, bytes: answer.bytes }, answer.bytes.length + ANSWER_FRAME_BYTES)
}

export interface ChunkServerOptions {
  /** Whether the peer passed the handshake (waiting for it to end, if need be); others are not served. */
  readonly admitted: (peer: string) => Promise<boolean>
  readonly serve: (peer: string, request: ChunkRequest) => Promise<ChunkAnswer>
  readonly onRefusedRequest?: (peer: string, reason: string) => void
  readonly timeoutMs: number
}

export async function serveChunks (host: Pick<Libp2p, 'handle'>, options: ChunkServerOptions): Promise<void> {
  const open = new Map<string, number>()
  await host.handle(ATTACHMENT_PROTOCOL, async (stream: Stream, connection: Connection) => {
    const peer = connection.remotePeer.toString()
    const count = open.get(peer) ?? 0
    if (count >= MAX_CHUNK_REQUESTS_PER_PEER) {
      const reason = `more than ${MAX_CHUNK_REQUESTS_PER_PEER} attachment requests at once`
      options.onRefusedRequest?.(peer, reason)
      stream.abort(new Error(reason))
      return
    }
    open.set(peer, count + 1)
    try {
      await serveOne(peer, stream, options)
    } finally {
      const left = (open.get(peer) ?? 1) - 1
      if (left > 0) open.set(peer, left)
      else open.delete(peer)
    }
  }, { maxInboundStreams: 16 })
}

async function serveOne (peer: string, stream: Stream, options: ChunkServerOptions): Promise<void> {
  if (!(await options.admitted(peer))) {
    options.onRefusedRequest?.(peer, 'peer not admitted')
    stream.abort(new Error('not admitted'))
    return
  }
  let request: ChunkRequest
  try {
    request = parseChunkRequest(await readMessage(stream, MAX_REQUEST_BYTES, options.timeoutMs))
  } catch (err) {
    options.onRefusedRequest?.(peer, (err as Error).message)
    stream.abort(err as Error)
    return
  }
  const answer = await options.serve(peer, request)
  await writeMessage(stream, encodeChunkAnswer(answer), options.timeoutMs)
}

/** Asks for one chunk on a fresh stream and waits for the answer. */
export async function requestChunk (connection: Connection, request: ChunkRequest, timeoutMs: number): Promise<ChunkAnswer> {
  const stream = await connection.newStream(ATTACHMENT_PROTOCOL, { signal: AbortSignal.timeout(timeoutMs) })
  await writeMessage(stream, encodeChunkRequest(request), timeoutMs)
  return parseChunkAnswer(await readMessage(stream, Math.min(request.length, MAX_CHUNK_BYTES) + ANSWER_FRAME_BYTES, timeoutMs), request)
}
