/**
 * /keruen/trust/1.0.0 — certificates and revocations travel to every node.
 * A node that learns a trust record it did not hold passes it on to its
 * admitted peers, so a revocation reaches the whole network within a few hops;
 * a record a node already holds goes no further, so the flood ends.
 *
 *   message   { v: 1, records: [ record wire bytes, … ] }   one-way, no answer
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { encodeCanonical } from '../record/index.js'
import { decodeMessage } from './messages.js'
import { FrameError, readOneWayMessage, writeMessage } from './stream-io.js'

export const TRUST_PROTOCOL = '/keruen/trust/1.0.0'
export const MAX_TRUST_RECORDS = 64
export const MAX_TRUST_BYTES = 1024 * 1024

export interface TrustGossipOptions {
  readonly admitted: (peer: string) => boolean
  /**
   * Whether a peer sending trust records is admitted, waiting for its
   * handshake if it has not ended: a peer that has just admitted this node
   * sends the revocations it holds before this node's judgement of it is in.
   */
  readonly admission: (peer: string) => Promise<boolean>
  /** Stores what arrived; the node passes on whatever was new to it (see broadcast). */
  readonly learn: (from: string, records: Uint8Array[]) => Promise<void>
  readonly onRefused?: (peer: string, reason: string) => void
  readonly timeoutMs: number
}

function parse (bytes: Uint8Array): Uint8Array[] {
  const { records, ...rest } = decodeMessage(bytes, 'trust message')
  if (Object.keys(rest).length !== 1 || !Array.isArray(records) || records.length > MAX_TRUST_RECORDS || !records.every(r => r instanceof Uint8Array)) {
    throw new FrameError(`trust message must be { v: 1, records } with at most ${MAX_TRUST_RECORDS} byte strings`)
  }
  return records as Uint8Array[]
}

export class TrustGossip {
  constructor (private readonly host: Libp2p, private readonly options: TrustGossipOptions) {}

  async start (): Promise<void> {
    await this.host.handle(TRUST_PROTOCOL, async (stream: Stream, connection: Connection) => {
      const peer = connection.remotePeer.toString()
      if (!(await this.options.admission(peer))) {
        stream.abort(new Error('not admitted'))
        return
      }
      let records: Uint8Array[]
      try {
        records = parse(await readOneWayMessage(stream, MAX_TRUST_BYTES, this.options.timeoutMs))
      } catch (err) {
        this.options.onRefused?.(peer, (err as Error).message)
        stream.abort(err as Error)
        return
      }
      await this.options.learn(peer, records)
    })
  }

  async stop (): Promise<void> {
    await this.host.unhandle(TRUST_PROTOCOL)
  }

  /** Sends trust records to every admitted peer but `except`; unreachable peers catch up once admitted again (see send). */
  async broadcast (records: readonly Uint8Array[], except?: string): Promise<void> {
    await this.sendOn(this.admittedConnections(peer => peer !== except), records)
  }

  /** Sends trust records to one admitted peer, in as many messages as they take. */
  async send (peer: string, records: readonly Uint8Array[]): Promise<void> {
    await this.sendOn(this.admittedConnections(p => p === peer).slice(0, 1), records)
  }

  private admittedConnections (wanted: (peer: string) => boolean): Connection[] {
    return this.host.getConnections().filter(c => {
      const peer = c.remotePeer.toString()
      return wanted(peer) && c.status === 'open' && this.options.admitted(peer)
    })
  }

  private async sendOn (connections: readonly Connection[], records: readonly Uint8Array[]): Promise<void> {
    await Promise.allSettled(connections.map(async connection => {
      for (const message of messagesOf(records)) {
        const stream = await connection.newStream(TRUST_PROTOCOL, { signal: AbortSignal.timeout(this.options.timeoutMs) })
        await writeMessage(stream, encodeCanonical({ v: 1, records: message }), this.options.timeoutMs)
      }
    }))
  }
}

/** What a message's frame and each record's head add to the records themselves, at most. */
const FRAME_BYTES = 64
const HEAD_BYTES = 9

/** Records split into messages within MAX_TRUST_RECORDS and MAX_TRUST_BYTES; a record too large for any is left out. */
export function messagesOf (records: readonly Uint8Array[]): Uint8Array[][] {
  const messages: Uint8Array[][] = []
  let current: Uint8Array[] = []
  let bytes = FRAME_BYTES
  for (const record of records) {
    const size = record.length + HEAD_BYTES
    if (FRAME_BYTES + size > MAX_TRUST_BYTES) continue
    if (current.length >= MAX_TRUST_RECORDS || bytes + size > MAX_TRUST_BYTES) {
      messages.push(current)
      current = []
      bytes = FRAME_BYTES
    }
    current.push(record)
    bytes += size
  }
  if (current.length > 0) messages.push(current)
  return messages
}
