/**
 * Network figures between real nodes on 127.0.0.1 (all in this process, so
 * sender and receiver share the machine's cores):
 *   propagation latency: record created at A → verified and stored at B
 *   delivery throughput: a backlog handed from A to B after B reconnects
 *   catch-up: B offline while A queues 100 000 records for it, then restarts
 */
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { KeruenNode, type OpenNodeOptions } from '../node/node.js'
import type { CreateRecordInput } from '../node/record-service.js'

export interface NetworkFigure { readonly name: string, readonly value: number, readonly unit: string, readonly target: number, readonly lowerIsBetter: boolean }

async function waitFor (condition: () => Promise<boolean>, ms: number): Promise<void> {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > ms) throw new Error('bench timed out')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

export async function networkBench (input: Omit<CreateRecordInput, 'share'>, scale: number, report: (f: NetworkFigure) => void): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'keruen-bench-net-'))
  const open = async (name: string, role: string, extra: Partial<OpenNodeOptions> = {}): Promise<KeruenNode> =>
    await KeruenNode.open({ dataDir: join(root, name), profile: { role, name, country: 'KZ' }, config: { apiPort: 0, p2pPort: 0 }, ...extra })
  const authority = await open('authority', 'authority', { p2p: false })
  const sender = await open('sender', 'trader')
  let receiver = await open('receiver', 'agency')
  const nodes = [authority, sender]
  try {
    for (const n of [sender, receiver]) {
      await n.trust.addAuthority(authority.participant)
      await n.records.import((await authority.trust.certify({ participant: n.participant, role: n.identity.profile.role, name: n.identity.profile.name, country: 'KZ' })).bytes)
    }
    const connect = async (): Promise<void> => {
      await receiver.p2p?.dial(multiaddr(sender.addresses()[0] as string))
      await waitFor(async () => sender.handshake?.isAdmitted(receiver.participant) === true && receiver.handshake?.isAdmitted(sender.participant) === true, 10_000)
    }
    await connect()
    const shared: CreateRecordInput = { ...input, share: [receiver.participant] }

    // Latency: one record at a time, from the create call to the receiver's store.
    const latencies: number[] = []
    for (let i = 0; i < Math.max(50, Math.round(300 * scale)); i++) {
      const started = performance.now()
      const arrived = once(receiver.events, 'record:received')
      await sender.records.create(shared)
      await arrived
      latencies.push(performance.now() - started)
    }
    latencies.sort((a, b) => a - b)
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] as number
    report({ name: `propagation latency p50 (${latencies.length} records)`, value: pct(0.5), unit: 'ms', target: 100, lowerIsBetter: true })
    report({ name: 'propagation latency p99', value: pct(0.99), unit: 'ms', target: 100, lowerIsBetter: true })

    const backlog = async (count: number): Promise<number> => {
      const folder = receiver.identity.dir
      await receiver.close()
      let next = 0
      await Promise.all(Array.from({ length: 32 }, async () => { while (next++ < count) await sender.records.create(shared) }))
      receiver = await KeruenNode.open({ dataDir: folder, config: { apiPort: 0, p2pPort: 0 } })
      const started = performance.now()
      await connect()
      await waitFor(async () => (await sender.delivery.outbox(1)).length === 0, 600_000)
      return (performance.now() - started) / 1000
    }
    const throughputCount = Math.max(500, Math.round(10_000 * scale))
    const seconds = await backlog(throughputCount)
    report({ name: `delivery throughput (${throughputCount} records)`, value: throughputCount / seconds, unit: 'records/s', target: 3000, lowerIsBetter: false })
    const catchUpCount = Math.max(1000, Math.round(100_000 * scale))
    report({ name: `catch-up of ${catchUpCount} records after a restart`, value: await backlog(catchUpCount), unit: 's', target: 20 * catchUpCount / 100_000, lowerIsBetter: true })
  } finally {
    await receiver.close()
    for (const n of nodes) await n.close()
    await rm(root, { recursive: true, force: true })
  }
}
