/**
 * The receiving node of the network bench, in a process of its own so that
 * sender and receiver each have a core, as on two machines. Driven over IPC by
 * bench-network.ts.
 */
import { KeruenNode } from '../node/node.js'
import { steadyHeapGrowth } from '../node/runtime/heap-growth.js'
import { threadCpu } from './bench-threads.js'

type Command =
  | { op: 'open', dataDir: string, profile?: { role: string, name: string, country: string } }
  | { op: 'install', authority: string, certificate: number[] }
  | { op: 'dial', address: string }
  | { op: 'watch', on: boolean }
  | { op: 'cpu' }
  | { op: 'close' }

// A node's process, as keruen start makes it (heap-growth.ts).
steadyHeapGrowth()

const send = (message: unknown): void => { process.send?.(message) }
let node: KeruenNode | undefined
/** Report each record received: for the latency figure only, as the reports cost both processes CPU. */
let watching = false

process.on('message', (command: Command) => {
  void (async () => {
    switch (command.op) {
      case 'open':
        node = await KeruenNode.open({ dataDir: command.dataDir, ...(command.profile !== undefined && { profile: command.profile }), config: { apiPort: 0, p2pPort: 0 } })
        node.events.on('record:received', (_sender, recordId) => { if (watching) send({ event: 'received', recordId }) })
        send({ done: 'open', participant: node.participant, address: node.addresses()[0] })
        return
      case 'install':
        await node?.trust.addAuthority(command.authority)
        await node?.records.import(Uint8Array.from(command.certificate))
        send({ done: 'install' })
        return
      case 'dial': {
        const { multiaddr } = await import('@multiformats/multiaddr')
        await node?.p2p?.dial(multiaddr(command.address))
        send({ done: 'dial' })
        return
      }
      case 'cpu':
        send({ done: 'cpu', ...process.cpuUsage(), threads: threadCpu() })
        return
      case 'watch':
        watching = command.on
        send({ done: 'watch' })
        return
      case 'close':
        await node?.close()
        send({ done: 'close' })
        process.exit(0)
    }
  })().catch((err: Error) => { send({ error: err.message }) })
})
