/**
 * The node's libp2p host: TCP, Noise, Yamux, identify and ping, with the
 * participant's own key as its peer identity.
 */
import { bootstrap } from '@libp2p/bootstrap'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { ConnectionGater } from '@libp2p/interface'
import type { PeerGate } from '../../protocols/peer-gate.js'
import { HostLimit, type HostLimits } from '../../protocols/host-limit.js'
import { StartError } from '../errors.js'
import type { NodeConfig } from '../setup/config.js'

export type P2PHost = Libp2p<{ identify: ReturnType<ReturnType<typeof identify>>, ping: ReturnType<ReturnType<typeof ping>> }>

/**
 * New connections one remote host may open per second. libp2p's own figure, 5,
 * guards a node open to the network from a host dialing it in a loop. A node
 * listening on loopback only has every peer on one host — a devnet, nodes
 * side by side, a local proxy — and 5 would reset the sixth peer to connect
 * within a second.
 */
export function inboundConnectionsPerHost (p2pHost: string): number {
  const loopback = p2pHost === 'localhost' || p2pHost === '::1' || /^127\.\d+\.\d+\.\d+$/.test(p2pHost)
  return loopback ? 1000 : 5
}

/**
 * How a node open to strangers treats connections that have not finished
 * their upgrade (Noise, then Yamux). libp2p's defaults, 10 such connections
 * for 10 s each, let 20 idle sockets lock every peer out: here a connection has
 * 3 s to finish (a handshake takes milliseconds even across continents), 256
 * may be pending at once, and the hosts of known participants always get in.
 */
export const INBOUND_UPGRADE_TIMEOUT_MS = 3_000
export const MAX_PENDING_INBOUND = 256
/**
 * What one remote host may hold at once (protocols/host-limit.ts): a tenth of
 * the pending places, so that no single host fills them (an honest peer's
 * handshake takes milliseconds), and 256 connections in all, more than a
 * devnet of nodes side by side on one host opens to one node.
 */
export const PER_HOST: HostLimits = { pending: 24, open: 256 }

export async function createP2PHost (seed: Uint8Array, config: NodeConfig, connectionGater: ConnectionGater, allow: readonly string[] = []): Promise<P2PHost> {
  const privateKey = await generateKeyPairFromSeed('Ed25519', seed)
  const hosts = new HostLimit(PER_HOST, allow)
  const family = config.p2pHost.includes(':') ? 'ip6' : 'ip4'
  const peerDiscovery = [
    ...(config.bootstrap.length > 0 ? [bootstrap({ list: [...config.bootstrap] })] : []),
    ...(config.mdns ? [mdns()] : [])
  ]
  return await createLibp2p({
    privateKey,
    addresses: { listen: [`/${family}/${config.p2pHost}/tcp/${config.p2pPort}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    connectionGater: {
      ...connectionGater,
      denyInboundConnection: connection => hosts.deny(connection),
      denyInboundEncryptedConnection: async (peer, connection) => {
        hosts.encrypted(connection)
        return await connectionGater.denyInboundEncryptedConnection?.(peer, connection) ?? false
      }
    },
    connectionManager: {
      inboundConnectionThreshold: inboundConnectionsPerHost(config.p2pHost),
      inboundUpgradeTimeout: INBOUND_UPGRADE_TIMEOUT_MS,
      maxIncomingPendingConnections: MAX_PENDING_INBOUND,
      allow: [...allow]
    },
    services: { identify: identify(), ping: ping() }
  })
}

/** Starts the libp2p host; a port in use is the operator's to change, and said so. */
export async function listenOnP2P (seed: Uint8Array, config: NodeConfig, gate: PeerGate, allow: readonly string[] = []): Promise<P2PHost> {
  try {
    return await createP2PHost(seed, config, gate.gater(), allow)
  } catch (err) {
    if (isAddressInUse(err)) throw new StartError('p2p-port-in-use', `p2p port ${config.p2pPort} on ${config.p2pHost} is in use: pass --p2p-port (or set p2pPort in config.json)`, err)
    throw err
  }
}

/** libp2p reports a port in use in its error's text only, with no code or cause to read it from. */
function isAddressInUse (err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE/.test(e.message)) return true
  }
  return false
}
