/**
 * The node's libp2p host: TCP, Noise, Yamux, identify and ping, with the
 * participant's own key as its peer identity.
 */
import './polyfill.js'
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
import type { NodeConfig } from './config.js'

export type P2PHost = Libp2p<{ identify: ReturnType<ReturnType<typeof identify>>, ping: ReturnType<ReturnType<typeof ping>> }>

export async function createP2PHost (seed: Uint8Array, config: NodeConfig, connectionGater: ConnectionGater): Promise<P2PHost> {
  const privateKey = await generateKeyPairFromSeed('Ed25519', seed)
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
    connectionGater,
    services: { identify: identify(), ping: ping() }
  })
}
