/**
 * The receiving side of the transport ceiling (bench-ceiling-transport.ts), in
 * a process of its own as the network bench's receiver is: a libp2p host built
 * as the node builds its own (node/network/p2p.ts) that reads each request
 * whole and answers it with a few bytes, and does nothing else. Tells its
 * address over IPC once listening; answers { op: 'cpu' } and { op: 'close' }.
 */
import { randomBytes } from 'node:crypto'
import { createP2PHost } from '../node/network/p2p.js'
import { steadyHeapGrowth } from '../node/runtime/heap-growth.js'
import { DEFAULT_CONFIG } from '../node/setup/config.js'
import { MAX_REQUEST_BYTES } from '../protocols/deliver.js'
import { readMessage, writeMessage } from '../protocols/stream-io.js'
import { CEILING_PROTOCOL, TRANSPORT_TIMEOUT_MS } from './bench-ceiling-transport.js'

// The host stands for a node's, in a process run as keruen start runs one (heap-growth.ts).
steadyHeapGrowth()

const send = (message: unknown): void => { process.send?.(message) }
const answer = new Uint8Array(16)

const host = await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
await host.handle(CEILING_PROTOCOL, async stream => {
  await readMessage(stream, MAX_REQUEST_BYTES, TRANSPORT_TIMEOUT_MS)
  await writeMessage(stream, answer, TRANSPORT_TIMEOUT_MS)
})
process.on('message', (command: { op: 'cpu' | 'close' }) => {
  if (command.op === 'cpu') {
    send({ done: 'cpu', ...process.cpuUsage() })
    return
  }
  void (async () => {
    await host.stop()
    send({ done: 'close' })
    process.exit(0)
  })()
})
send({ done: 'open', address: host.getMultiaddrs()[0]?.toString() })
