/**
 * Network figures between two real nodes on 127.0.0.1, the receiver in a
 * process of its own (bench-receiver.ts) so each side has a core:
 *   propagation latency: record created at A → verified and stored at B
 *   delivery throughput: a backlog handed from A to B after B reconnects
 *   catch-up: B offline while A queues 100 000 records for it, then restarts
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CeilingNow } from './bench-ceiling.js'
import { callChild, percentile, waitFor } from './bench-support.js'
import { perRecord, threadCpu, type ThreadCpu } from './bench-threads.js'
import { KeruenNode, type OpenNodeOptions } from '../node/node.js'
import type { CreateRecordInput } from '../node/records/record-service.js'

/** Extra Node.js options for the receiver's process, e.g. BENCH_RECEIVER_ARGS="--cpu-prof" to profile it. */
const receiverArgs = (process.env.BENCH_RECEIVER_ARGS ?? '').split(' ').filter(Boolean)

/** Created at A to verified and stored at B, 99 records in 100, on an idle machine. */
const LATENCY_P99_TARGET_MS = 50

export interface NetworkFigure {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** A target of its own (latency); throughput is judged by `rate` instead. */
  readonly target?: number
  readonly lowerIsBetter: boolean
  /** Records delivered per second, to judge against the delivery ceiling (bench-ceiling.ts). */
  readonly rate?: number
  /** What the figure cost, to read beside it. */
  readonly detail?: string
  /**
   * A backlog's start-up and what followed: when the first receipt came back
   * and when the nodes were connected (ms from the start), and the rate from
   * the first receipt on. The start-up is a restarted receiver's: its code and
   * schemas still to compile, its first batches waiting for one another.
   */
  readonly phases?: { readonly firstReceiptMs: number, readonly connectedMs: number, readonly rateAfter: number }
  /** CPU per record by kind of thread, in µs, for each process (bench-threads.ts); absent where threads cannot be told apart. */
  readonly threads?: { readonly sender?: ThreadCpu, readonly receiver?: ThreadCpu }
  /** The delivery ceiling measured just before the backlog was handed over and just after (see Ceilings.deliveryNow). */
  readonly beside?: { readonly before: CeilingNow, readonly after: CeilingNow }
}

/** How long each ceiling beside a backlog is measured for, in ms. */
const BESIDE_MS = 1000

/** A node in a child process, driven by messages. */
class RemoteNode {
  /** Ids the remote node reported as received, and who waits for which. */
  private readonly received = new Set<string>()
  private readonly waiting = new Map<string, () => void>()

  private constructor (private readonly child: ChildProcess, readonly participant: string, readonly address: string) {
    child.on('message', (m: { event?: string, recordId?: string }) => {
      if (m.event !== 'received' || m.recordId === undefined) return
      this.received.add(m.recordId)
      this.waiting.get(m.recordId)?.()
    })
  }

  /** Resolves as soon as the remote node reports `recordId` received (it must be watching): awaited, not polled. */
  async receives (recordId: string, ms: number): Promise<void> {
    if (this.received.has(recordId)) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { this.waiting.delete(recordId); reject(new Error('bench timed out')) }, ms)
      this.waiting.set(recordId, () => { clearTimeout(timer); this.waiting.delete(recordId); resolve() })
    })
  }

  static async open (dataDir: string, profile?: { role: string, name: string, country: string }): Promise<RemoteNode> {
    const child = fork(fileURLToPath(new URL('./bench-receiver.js', import.meta.url)), [], { execArgv: receiverArgs, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const opened = await callChild(child, { op: 'open', dataDir, ...(profile !== undefined && { profile }) }) as { participant: string, address: string }
    return new RemoteNode(child, opened.participant, opened.address)
  }

  async install (authority: string, certificate: Uint8Array): Promise<void> {
    await callChild(this.child, { op: 'install', authority, certificate: [...certificate] })
  }

  /** CPU time the remote process has used in µs: every thread's, and by kind of thread where they can be told apart. */
  async cpu (): Promise<{ total: number, threads?: ThreadCpu }> {
    const { user, system, threads } = await callChild(this.child, { op: 'cpu' }) as { user: number, system: number, threads?: ThreadCpu }
    return { total: user + system, ...(threads !== undefined && { threads }) }
  }

  async watch (on: boolean): Promise<void> {
    await callChild(this.child, { op: 'watch', on })
  }

  async dial (address: string): Promise<void> {
    await callChild(this.child, { op: 'dial', address })
  }

  async close (): Promise<void> {
    const exited = once(this.child, 'exit')
    await callChild(this.child, { op: 'close' })
    await exited
  }
}

/** `beside`: measures the delivery ceiling now, before and after each backlog (bench-ceiling.ts), while neither node works. */
export async function networkBench (input: Omit<CreateRecordInput, 'share'>, scale: number, report: (f: NetworkFigure) => void, beside?: (ms: number) => CeilingNow): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'keruen-bench-net-'))
  const open = async (name: string, role: string, extra: Partial<OpenNodeOptions> = {}): Promise<KeruenNode> =>
    await KeruenNode.open({ dataDir: join(root, name), profile: { role, name, country: 'KZ' }, config: { apiPort: 0, p2pPort: 0 }, ...extra })
  const authority = await open('authority', 'authority', { p2p: false })
  const sender = await open('sender', 'trader')
  const receiverDir = join(root, 'receiver')
  let receiver = await RemoteNode.open(receiverDir, { role: 'agency', name: 'receiver', country: 'KZ' })
  try {
    await sender.trust.addAuthority(authority.participant)
    await sender.records.import((await authority.trust.certify({ participant: sender.participant, role: 'trader', name: 'sender', country: 'KZ' })).bytes)
    await receiver.install(authority.participant, (await authority.trust.certify({ participant: receiver.participant, role: 'agency', name: 'receiver', country: 'KZ' })).bytes)
    const connect = async (): Promise<void> => {
      await receiver.dial(sender.addresses()[0] as string)
      await waitFor(() => sender.handshake?.isAdmitted(receiver.participant) === true, 10_000)
    }
    await connect()
    const shared: CreateRecordInput = { ...input, share: [receiver.participant] }

    // Latency: one record at a time, from the create call to the receiver's store.
    await receiver.watch(true)
    const latencies: number[] = []
    for (let i = 0; i < Math.max(50, Math.round(300 * scale)); i++) {
      const started = performance.now()
      const { record } = await sender.records.create(shared)
      await receiver.receives(record.id, 10_000)
      latencies.push(performance.now() - started)
    }
    await receiver.watch(false)
    latencies.sort((a, b) => a - b)
    const pct = (p: number): number => percentile(latencies, p)
    report({ name: `propagation latency p50 (${latencies.length} records)`, value: pct(0.5), unit: 'ms', lowerIsBetter: true })
    report({ name: 'propagation latency p99', value: pct(0.99), unit: 'ms', target: LATENCY_P99_TARGET_MS, lowerIsBetter: true })

    /** Seconds to hand over `count` records queued while the receiver was down, the CPU each side spent per record, and its phases. */
    const backlog = async (count: number): Promise<{ seconds: number, detail: string, phases: NonNullable<NetworkFigure['phases']>, threads: NonNullable<NetworkFigure['threads']>, beside?: NetworkFigure['beside'] }> => {
      await receiver.close()
      let next = 0
      await Promise.all(Array.from({ length: 32 }, async () => { while (next++ < count) await sender.records.create(shared) }))
      const before = beside?.(BESIDE_MS)
      receiver = await RemoteNode.open(receiverDir)
      // Counted from the sender's delivery events: polling the outbox would cost
      // the sender a walk over every entry just delivered (LevelDB keeps
      // deletions until it compacts).
      let delivered = 0
      let firstReceiptAt = 0
      /** Records the first receipt acknowledged: its events come one after another, in one turn. */
      let firstBatch = 0
      const counted = (): void => {
        if (delivered++ === 0) {
          firstReceiptAt = performance.now()
          queueMicrotask(() => { firstBatch = delivered })
        }
      }
      sender.events.on('record:delivered', counted)
      const started = performance.now()
      const senderCpu = process.cpuUsage()
      const senderThreads = threadCpu()
      const receiverCpu = await receiver.cpu()
      await connect()
      const connectedAt = performance.now()
      await waitFor(() => delivered >= count, 900_000)
      sender.events.off('record:delivered', counted)
      if ((await sender.delivery.outbox(1)).length !== 0) throw new Error('the outbox is not empty after every record was delivered')
      const ended = performance.now()
      const seconds = (ended - started) / 1000
      const { user, system } = process.cpuUsage(senderCpu)
      const senderThreadsAfter = threadCpu()
      const receiverCpuAfter = await receiver.cpu()
      const each = (µs: number): string => (µs / count).toFixed(0)
      const phases = { firstReceiptMs: firstReceiptAt - started, connectedMs: connectedAt - started, rateAfter: (count - firstBatch) / ((ended - firstReceiptAt) / 1000) }
      const detail = `CPU per record: sender ${each(user + system)} µs, receiver ${each(receiverCpuAfter.total - receiverCpu.total)} µs`
      const threads = {
        ...(senderThreads !== undefined && senderThreadsAfter !== undefined && { sender: perRecord(senderThreads, senderThreadsAfter, count) }),
        ...(receiverCpu.threads !== undefined && receiverCpuAfter.threads !== undefined && { receiver: perRecord(receiverCpu.threads, receiverCpuAfter.threads, count) })
      }
      const after = beside?.(BESIDE_MS)
      return { seconds, phases, detail, threads, ...(before !== undefined && after !== undefined && { beside: { before, after } }) }
    }
    const throughputCount = Math.max(500, Math.round(10_000 * scale))
    const throughput = await backlog(throughputCount)
    const throughputRate = throughputCount / throughput.seconds
    report({ name: `delivery throughput (${throughputCount} records)`, value: throughputRate, unit: 'records/s', lowerIsBetter: false, rate: throughputRate, detail: throughput.detail, phases: throughput.phases, threads: throughput.threads, ...(throughput.beside !== undefined && { beside: throughput.beside }) })
    const catchUpCount = Math.max(1000, Math.round(100_000 * scale))
    const catchUp = await backlog(catchUpCount)
    report({ name: `catch-up of ${catchUpCount} records after a restart`, value: catchUp.seconds, unit: 's', lowerIsBetter: true, rate: catchUpCount / catchUp.seconds, detail: catchUp.detail, phases: catchUp.phases, threads: catchUp.threads, ...(catchUp.beside !== undefined && { beside: catchUp.beside }) })
  } finally {
    await receiver.close()
    await sender.close()
    await authority.close()
    await rm(root, { recursive: true, force: true })
  }
}
