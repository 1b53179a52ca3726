/**
 * A connection to a peer for a request of this node: one already open, or a
 * new one dialled within the request's deadline. Each caller judges then
 * whether the peer is admitted, and what an unreachable peer means to it.
 */
import type { Connection, PeerId } from '@libp2p/interface'
import type { P2PHost } from './p2p.js'

export async function openConnection (host: Pick<P2PHost, 'getConnections' | 'dial'>, peer: PeerId, timeoutMs: number): Promise<Connection> {
  return host.getConnections(peer).find(c => c.status === 'open') ?? await host.dial(peer, { signal: AbortSignal.timeout(timeoutMs) })
}
