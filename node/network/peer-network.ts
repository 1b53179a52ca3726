/**
 * The node on the network: the libp2p host with keruen's protocols on it — the
 * handshake that admits peers, the gossip that spreads trust records, the
 * address book that survives restarts — and the events each produces. Built
 * once the host listens; stop() removes every handler and listener it added
 * (the host itself is stopped by whoever created it).
 */
import type { IdentifyResult } from '@libp2p/interface'
import { Handshake, MAX_CERTIFICATES, MAX_HANDSHAKE_BYTES } from '../../protocols/handshake.js'
import type { PeerGate } from '../../protocols/peer-gate.js'
import { TrustGossip } from '../../protocols/trust-gossip.js'
import type { AddressStore } from '../../storage/index.js'
import type { NodeEvents } from '../events.js'
import type { BackgroundTasks } from '../runtime/background.js'
import type { PeerJudge } from '../trust/peer-judge.js'
import type { TrustService } from '../trust/trust-service.js'
import { AddressBook } from './address-book.js'
import type { P2PHost } from './p2p.js'

export interface PeerNetworkInit {
  /** How long a connecting peer has to present a valid certificate (default 10 s). */
  readonly handshakeTimeoutMs?: number
}

export interface PeerNetworkComponents {
  readonly host: P2PHost
  readonly gate: PeerGate
  readonly judge: Pick<PeerJudge, 'admit' | 'learnTrust'>
  readonly trust: Pick<TrustService, 'certificatesToPresent' | 'revocationsToShare'>
  readonly addressStore: AddressStore
  readonly events: NodeEvents
  readonly background: BackgroundTasks
  readonly participant: string
}

export function peerNetwork (init: PeerNetworkInit = {}) {
  return (components: PeerNetworkComponents): PeerNetwork => new PeerNetwork(components, init)
}

export class PeerNetwork {
  readonly host: P2PHost
  readonly handshake: Handshake
  readonly gossip: TrustGossip
  private readonly addresses: AddressBook

  constructor (private readonly components: PeerNetworkComponents, init: PeerNetworkInit) {
    const { host, gate, judge, trust, events, background, participant } = components
    this.host = host
    this.addresses = new AddressBook(components.addressStore, host)
    this.handshake = new Handshake(host, gate, {
      // With room for the message's own frame.
      ownCertificates: async () => await trust.certificatesToPresent(participant, MAX_CERTIFICATES, MAX_HANDSHAKE_BYTES - 1024),
      admit: async (peer, certificates) => await judge.admit(peer, certificates),
      onAdmitted: (peer, reason) => {
        events.emit('peer:admitted', peer, reason)
        background.run(async () => {
          await this.addresses.remember(peer)
          // It may have been away while a revocation spread.
          await this.gossip.send(peer, await trust.revocationsToShare())
        })
      },
      onRefused: (peer, reason) => events.emit('peer:refused', peer, reason),
      ...(init.handshakeTimeoutMs !== undefined && { timeoutMs: init.handshakeTimeoutMs })
    })
    this.gossip = new TrustGossip(host, {
      admitted: peer => this.handshake.isAdmitted(peer),
      admission: async peer => await this.handshake.admission(peer),
      learn: async (_from, trustRecords) => { await judge.learnTrust(trustRecords) },
      onRefused: (peer, reason) => events.emit('delivery:refused', peer, reason),
      timeoutMs: 10_000
    })
  }

  // Identify may answer after the handshake: what it says then is kept too.
  private readonly onIdentify = ({ detail }: CustomEvent<IdentifyResult>): void => {
    const peer = detail.peerId.toString()
    if (this.handshake.isAdmitted(peer)) this.components.background.run(async () => { await this.addresses.remember(peer, detail.listenAddrs) })
  }

  private readonly onDisconnect = ({ detail }: CustomEvent<{ toString: () => string }>): void => {
    this.components.events.emit('peer:down', detail.toString())
  }

  async start (): Promise<void> {
    await this.gossip.start()
    await this.addresses.restore()
    this.host.addEventListener('peer:identify', this.onIdentify)
    await this.handshake.start()
    this.host.addEventListener('peer:disconnect', this.onDisconnect)
  }

  async stop (): Promise<void> {
    this.host.removeEventListener('peer:disconnect', this.onDisconnect)
    await this.handshake.stop()
    this.host.removeEventListener('peer:identify', this.onIdentify)
    await this.gossip.stop()
  }

  /** Peers with an open connection. */
  connectedPeers (): string[] {
    return [...new Set(this.host.getConnections().map(c => c.remotePeer.toString()))]
  }

  /** The remote addresses of the open connections to `participant`. */
  remoteAddresses (participant: string): string[] {
    return [...new Set(this.host.getConnections().filter(c => c.remotePeer.toString() === participant).map(c => c.remoteAddr.toString()))]
  }

  /** Multiaddrs other nodes can dial, each ending in this node's peer id. */
  listening (): string[] {
    return this.host.getMultiaddrs().map(a => a.toString())
  }
}
