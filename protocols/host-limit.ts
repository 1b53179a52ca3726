/**
 * Limits per remote IP address on raw connections: so many still upgrading
 * (no Noise handshake finished yet) and so many in all. libp2p's own limits
 * count every host together (the pending connections) or only the rate of
 * new ones; without these, one host holding idle sockets could take every
 * pending place and lock every peer out. Hosts on the allow list (known
 * participants) are not counted. Applied through the connection gater,
 * before any handshake and once encryption is up.
 */
import type { MultiaddrConnection } from '@libp2p/interface'

export interface HostLimits {
  /** Connections of one host whose Noise handshake has not finished. */
  readonly pending: number
  /** Connections of one host in all. */
  readonly open: number
}

interface Held { pending: number, open: number }

export class HostLimit {
  private readonly held = new Map<string, Held>()
  private readonly allowed: ReadonlySet<string>
  /** Connections counted as pending, until encrypted or closed. */
  private readonly upgrading = new WeakSet<MultiaddrConnection>()

  /** `allow`: hosts as multiaddrs (`/ip4/203.0.113.7`), as the connection manager's allow list takes them. */
  constructor (private readonly limits: HostLimits, allow: readonly string[] = []) {
    this.allowed = new Set(allow.map(a => a.split('/')[2] ?? ''))
  }

  /** What `host` holds now. */
  heldBy (host: string): Readonly<Held> {
    return this.held.get(host) ?? { pending: 0, open: 0 }
  }

  /** Whether to refuse a new inbound `connection`; one let in counts against its host until it closes. */
  deny (connection: MultiaddrConnection): boolean {
    const host = hostOf(connection)
    if (host === undefined || this.allowed.has(host)) return false
    const held = this.held.get(host) ?? { pending: 0, open: 0 }
    if (held.pending >= this.limits.pending || held.open >= this.limits.open) return true
    held.pending++
    held.open++
    this.held.set(host, held)
    this.upgrading.add(connection)
    connection.addEventListener('close', () => {
      this.encrypted(connection)
      held.open--
      if (held.open === 0) this.held.delete(host)
    }, { once: true })
    return false
  }

  /** The connection's Noise handshake finished: it no longer holds one of its host's pending places. */
  encrypted (connection: MultiaddrConnection): void {
    if (!this.upgrading.delete(connection)) return
    const held = this.held.get(hostOf(connection) ?? '')
    if (held !== undefined) held.pending--
  }
}

function hostOf (connection: MultiaddrConnection): string | undefined {
  return connection.remoteAddr.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')?.value
}
