/**
 * Which peers this node refuses. Consulted by libp2p's connection gater, so a
 * refused peer cannot dial in or be dialled again; fed by the handshake.
 */
import type { ConnectionGater, PeerId } from '@libp2p/interface'

export class PeerGate {
  private readonly refused = new Map<string, string>()

  refuse (peer: string, reason: string): void {
    this.refused.set(peer, reason)
  }

  /** Lets a peer try again, e.g. once a certificate for it has arrived. */
  forgive (peer: string): void {
    this.refused.delete(peer)
  }

  reasonRefused (peer: string): string | undefined {
    return this.refused.get(peer)
  }

  gater (): ConnectionGater {
    const denied = (peerId: PeerId): boolean => this.refused.has(peerId.toString())
    return { denyDialPeer: denied, denyInboundEncryptedConnection: denied, denyOutboundEncryptedConnection: denied }
  }
}
