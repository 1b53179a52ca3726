/**
 * Which peers this node refuses. Consulted by libp2p's connection gater, so a
 * refused peer cannot dial in or be dialled again; fed by the handshake.
 */
import type { ConnectionGater, PeerId } from '@libp2p/interface'

/**
 * Refused peers remembered at most. A peer id costs nothing to make, so a
 * stranger could otherwise grow this list without end; one forgotten is judged
 * again by the handshake at its next connection, and refused again.
 */
export const MAX_REFUSED_PEERS = 10_000

export class PeerGate {
  /** In order of refusal, the latest last. */
  private readonly refused = new Map<string, string>()

  constructor (private readonly limit = MAX_REFUSED_PEERS) {}

  refuse (peer: string, reason: string): void {
    this.refused.delete(peer)
    this.refused.set(peer, reason)
    if (this.refused.size > this.limit) this.refused.delete(this.refused.keys().next().value as string)
  }

  /** Lets a peer try again, e.g. once a certificate for it has arrived. */
  forgive (peer: string): void {
    this.refused.delete(peer)
  }

  /** Lets every refused peer try again, e.g. once the authorities trusted have changed. */
  forgiveAll (): void {
    this.refused.clear()
  }

  reasonRefused (peer: string): string | undefined {
    return this.refused.get(peer)
  }

  gater (): ConnectionGater {
    const denied = (peerId: PeerId): boolean => this.refused.has(peerId.toString())
    return { denyDialPeer: denied, denyInboundEncryptedConnection: denied, denyOutboundEncryptedConnection: denied }
  }
}
