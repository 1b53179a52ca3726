/**
 * Keeps where each admitted peer listens, and tells libp2p again at start: a
 * sender restarted with a full outbox dials its recipients by participant id,
 * and libp2p alone would have forgotten every address it did not learn from
 * the configuration.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { AddressStore } from '../../storage/index.js'
import type { P2PHost } from './p2p.js'

/** What one peer's entry may hold: it comes from the peer itself. */
const MAX_ADDRESSES = 16
const MAX_ADDRESS_LENGTH = 512

export class AddressBook {
  constructor (private readonly store: AddressStore, private readonly host: P2PHost) {}

  /**
   * The hosts (IP addresses) where admitted participants listened, for
   * libp2p's allow list: a crowd of idle sockets from elsewhere does not keep
   * them out. Loopback is left out: on it every stranger is the same host.
   */
  static async knownHosts (store: AddressStore): Promise<string[]> {
    const hosts = new Set<string>()
    for (const [, addresses] of await store.all()) {
      for (const text of addresses) {
        // Only IP addresses name a host; a DNS name or another transport has nothing to allow.
        const ip = /^\/(ip4|ip6)\/([^/]+)/.exec(text)
        if (ip === null || (ip[1] === 'ip4' && ip[2]?.startsWith('127.') === true) || ip[2] === '::1') continue
        hosts.add(`/${ip[1] as string}/${ip[2] as string}`)
      }
    }
    return [...hosts]
  }

  /** Gives libp2p every address kept; one it cannot read is skipped. */
  async restore (): Promise<void> {
    for (const [participant, addresses] of await this.store.all()) {
      const multiaddrs = addresses.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
      if (multiaddrs.length === 0) continue
      try {
        await this.host.peerStore.merge(peerIdFromString(participant), { multiaddrs })
      } catch {
        // Not a peer id any more libp2p reads: nothing to restore.
      }
    }
  }

  /** Keeps where an admitted peer listens, as it told us, or as libp2p knows it. */
  async remember (participant: string, listening?: readonly Multiaddr[]): Promise<void> {
    const known = listening ?? (await this.host.peerStore.get(peerIdFromString(participant)).catch(() => undefined))?.addresses.map(a => a.multiaddr) ?? []
    const addresses = [...new Set(known.map(a => a.toString()))].filter(a => a.length <= MAX_ADDRESS_LENGTH).slice(0, MAX_ADDRESSES)
    if (addresses.length === 0) return
    const kept = await this.store.get(participant)
    if (kept !== undefined && kept.length === addresses.length && kept.every((a, i) => a === addresses[i])) return
    await this.store.put(participant, addresses)
  }
}
