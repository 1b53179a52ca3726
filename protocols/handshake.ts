/**
 * /keruen/handshake/1.0.0 — after Noise has authenticated a connection, each
 * side sends the other its participant certificates, then judges the peer by
 * them. The side that dialed presents itself first; the side that was dialed
 * presents itself only once it has admitted the dialer. A peer that sends nothing valid within the deadline is disconnected and
 * refused from then on.
 *
 * Message (canonical CBOR): { v: 1, certificates: [ record wire bytes, … ] }
 */
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { encodeCanonical } from '../record/index.js'
import { decodeMessage } from './messages.js'
import { PeerGate } from './peer-gate.js'
import { FrameError, readOneWayMessage, writeMessage } from './stream-io.js'

export const HANDSHAKE_PROTOCOL = '/keruen/handshake/1.0.0'
export const MAX_HANDSHAKE_BYTES = 256 * 1024
export const MAX_CERTIFICATES = 16

export interface Admission {
  readonly admitted: boolean
  readonly reason: string
}

export interface HandshakeOptions {
  /** This node's certificate records (wire bytes) to present. */
  readonly ownCertificates: () => Promise<Uint8Array[]>
  /** Stores what the peer presented and judges it. */
  readonly admit: (peer: string, certificates: Uint8Array[]) => Promise<Admission>
  readonly onAdmitted?: (peer: string, reason: string) => void
  readonly onRefused?: (peer: string, reason: string) => void
  /** How long a peer has to present itself (default 10 s). */
  readonly timeoutMs?: number
}

function parseHello (bytes: Uint8Array): Uint8Array[] {
  const { certificates, ...rest } = decodeMessage(bytes, 'handshake')
  if (Object.keys(rest).length !== 1) throw new FrameError('handshake must be { v: 1, certificates: [...] }')
  if (!Array.isArray(certificates) || certificates.length > MAX_CERTIFICATES || !certificates.every(c => c instanceof Uint8Array)) {
    throw new FrameError(`handshake certificates must be at most ${MAX_CERTIFICATES} byte strings`)
  }
  return certificates as Uint8Array[]
}

export class Handshake {
  private readonly admitted = new Set<string>()
  /** Who waits for a peer's handshake to end, and how to tell them the outcome. */
  private readonly waiting = new Map<string, Set<(admitted: boolean) => void>>()
  private readonly timeoutMs: number

  constructor (private readonly host: Libp2p, readonly gate: PeerGate, private readonly options: HandshakeOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000
  }

  /** Deadlines of greeted peers, cleared at stop. */
  private readonly deadlines = new Set<NodeJS.Timeout>()

  private readonly onConnectionOpen = (event: CustomEvent<Connection>): void => { void this.greet(event.detail) }
  private readonly onPeerDisconnect = (event: CustomEvent<PeerId>): void => {
    const peer = event.detail.toString()
    this.admitted.delete(peer)
    this.settle(peer, false)
  }

  async start (): Promise<void> {
    await this.host.handle(HANDSHAKE_PROTOCOL, async (stream, connection) => { await this.receive(stream, connection) })
    this.host.addEventListener('connection:open', this.onConnectionOpen)
    this.host.addEventListener('peer:disconnect', this.onPeerDisconnect)
  }

  /** Removes the handler and listeners start() added, ends every deadline, and answers every waiter: not admitted. */
  async stop (): Promise<void> {
    this.host.removeEventListener('connection:open', this.onConnectionOpen)
    this.host.removeEventListener('peer:disconnect', this.onPeerDisconnect)
    await this.host.unhandle(HANDSHAKE_PROTOCOL)
    for (const deadline of this.deadlines) clearTimeout(deadline)
    this.deadlines.clear()
    for (const peer of [...this.waiting.keys()]) this.settle(peer, false)
    this.admitted.clear()
  }

  isAdmitted (peer: string): boolean {
    return this.admitted.has(peer)
  }

  /**
   * Whether the peer is admitted, waiting for its handshake if that has not
   * ended yet: both sides greet at once, so a peer's first request can come
   * just before its certificates have been judged here.
   */
  async admission (peer: string): Promise<boolean> {
    if (this.admitted.has(peer)) return true
    if (this.gate.reasonRefused(peer) !== undefined) return false
    return await new Promise<boolean>(resolve => {
      const waiters = this.waiting.get(peer) ?? new Set()
      const done = (admitted: boolean): void => {
        clearTimeout(timer)
        waiters.delete(done)
        if (waiters.size === 0) this.waiting.delete(peer)
        resolve(admitted)
      }
      const timer = setTimeout(() => { done(this.admitted.has(peer)) }, this.timeoutMs)
      timer.unref()
      waiters.add(done)
      this.waiting.set(peer, waiters)
    })
  }

  private settle (peer: string, admitted: boolean): void {
    for (const done of [...this.waiting.get(peer) ?? []]) done(admitted)
  }

  admittedPeers (): string[] {
    return [...this.admitted]
  }

  /** Disconnects and refuses a peer that is no longer welcome (e.g. its certificate was revoked). */
  async expel (peer: string, reason: string): Promise<void> {
    const connections = this.host.getConnections().filter(c => c.remotePeer.toString() === peer)
    if (connections.length === 0) {
      this.admitted.delete(peer)
      if (this.gate.reasonRefused(peer) === undefined) this.options.onRefused?.(peer, reason)
      this.gate.refuse(peer, reason)
      return
    }
    await Promise.all(connections.map(async c => { await this.refuse(c, reason) }))
  }

  /**
   * Gives the peer until the deadline to present itself, and presents this
   * node: at once to a peer it dialed, and to a peer that dialed it only once
   * that peer is admitted (see receive), so that a stranger who connects
   * learns nothing of this node, not even its certificate.
   */
  private async greet (connection: Connection): Promise<void> {
    const peer = connection.remotePeer.toString()
    const deadline = setTimeout(() => {
      this.deadlines.delete(deadline)
      // A connection that closed in the meantime (a peer shutting down) proves nothing either way.
      if (connection.status === 'open' && !this.admitted.has(peer)) void this.refuse(connection, `no valid handshake within ${this.timeoutMs} ms`)
    }, this.timeoutMs)
    deadline.unref()
    this.deadlines.add(deadline)
    if (connection.direction === 'outbound') await this.present(connection)
  }

  /** Sends this node's certificates on the connection. */
  private async present (connection: Connection): Promise<void> {
    try {
      const stream = await connection.newStream(HANDSHAKE_PROTOCOL, { signal: AbortSignal.timeout(this.timeoutMs) })
      const certificates = await this.options.ownCertificates()
      await writeMessage(stream, encodeCanonical({ v: 1, certificates }), this.timeoutMs)
    } catch {
      // The peer may refuse us or not speak keruen; its own deadline and ours decide.
    }
  }

  private async receive (stream: Stream, connection: Connection): Promise<void> {
    const peer = connection.remotePeer.toString()
    let certificates: Uint8Array[]
    try {
      certificates = parseHello(await readOneWayMessage(stream, MAX_HANDSHAKE_BYTES, this.timeoutMs))
    } catch (err) {
      await this.refuse(connection, err instanceof FrameError ? err.message : `handshake failed: ${(err as Error).message}`)
      return
    }
    const { admitted, reason } = await this.options.admit(peer, certificates)
    if (!admitted) {
      await this.refuse(connection, reason)
      return
    }
    this.admitted.add(peer)
    this.settle(peer, true)
    this.options.onAdmitted?.(peer, reason)
    // It dialed this node and has shown a certificate this node accepts: now it may see ours.
    if (connection.direction === 'inbound') await this.present(connection)
  }

  private async refuse (connection: Connection, reason: string): Promise<void> {
    const peer = connection.remotePeer.toString()
    if (this.gate.reasonRefused(peer) === undefined) this.options.onRefused?.(peer, reason)
    this.gate.refuse(peer, reason)
    this.admitted.delete(peer)
    this.settle(peer, false)
    await connection.close().catch(() => { connection.abort(new Error(reason)) })
  }
}
