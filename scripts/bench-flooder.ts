/**
 * The flooding peer of the query bench, in a process of its own as it would
 * be on a machine of its own: it keeps 32 queries in flight at the holder,
 * ignoring every "slow down", until told to stop. Driven over IPC by
 * bench-queries.ts.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { KeruenNode } from '../node/node.js'
import { steadyHeapGrowth } from '../node/runtime/heap-growth.js'
import { ServiceError } from '../node/errors.js'

type Command =
  | { op: 'open', dataDir: string }
  | { op: 'install', authority: string, certificate: number[] }
  | { op: 'flood', address: string, holder: string, record: string, purpose: string }
  | { op: 'stop' }

// A node's process, as keruen start makes it (heap-growth.ts).
steadyHeapGrowth()

const send = (message: unknown): void => { process.send?.(message) }
let node: KeruenNode | undefined
const state = { flooding: false, answered: 0, slowed: 0, failed: 0 }
let floods: Array<Promise<void>> = []

process.on('message', (command: Command) => {
  void (async () => {
    switch (command.op) {
      case 'open':
        node = await KeruenNode.open({ dataDir: command.dataDir, profile: { role: 'agency', name: 'flooder', country: 'KZ' }, defaultPolicies: false, config: { apiPort: 0, p2pPort: 0 } })
        send({ done: 'open', participant: node.participant })
        return
      case 'install':
        await node?.trust.addAuthority(command.authority)
        await node?.records.import(Uint8Array.from(command.certificate))
        await node?.policy.refreshDirectory()
        send({ done: 'install' })
        return
      case 'flood': {
        const n = node as KeruenNode
        await n.p2p?.dial(multiaddr(command.address))
        while (n.handshake?.isAdmitted(command.holder) !== true) await new Promise(resolve => setTimeout(resolve, 20))
        state.flooding = true
        floods = Array.from({ length: 32 }, async () => {
          while (state.flooding) {
            try {
              await n.queries.ask(command.holder, { record: command.record }, { purpose: command.purpose })
              state.answered++
            } catch (err) {
              if (err instanceof ServiceError && err.code === 'holder-busy') state.slowed++
              else state.failed++
            }
          }
        })
        send({ done: 'flood' })
        return
      }
      case 'stop':
        state.flooding = false
        await Promise.all(floods)
        await node?.close()
        send({ done: 'stop', answered: state.answered, slowed: state.slowed, failed: state.failed })
        process.exit(0)
    }
  })().catch((err: unknown) => {
    send({ error: (err as Error).message })
    process.exit(1)
  })
})
