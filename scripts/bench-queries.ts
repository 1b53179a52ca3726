/**
 * Queries between two real nodes on 127.0.0.1, in this process: the round
 * trip of a query for one record and for a consignment of 200 records (asked,
 * selected under the holder's pull grant, answered, verified, acknowledged
 * with a receipt the holder checks and keeps), p50 and p99; then the same
 * one-record query while a third node floods the holder, to show what the
 * per-peer limits leave the others. Holder and asker share this process; the
 * flooder runs in a process of its own (bench-flooder.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { percentile, waitFor } from './bench-support.js'
import { KeruenNode, type OpenNodeOptions } from '../node/node.js'
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { repoFile } from '../test/support/repo.js'

export interface QueryFigure {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly target?: { readonly value: number, readonly lowerIsBetter: boolean }
  readonly detail?: string
}

const PURPOSE = 'KZ.customs.border-arrival'

/** The flooding node, in a child process. */
class Flooder {
  private constructor (private readonly child: ChildProcess, readonly participant: string) {}

  static async start (dataDir: string): Promise<Flooder> {
    const child = fork(fileURLToPath(new URL('./bench-flooder.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const opened = await Flooder.send(child, { op: 'open', dataDir }) as { participant: string }
    return new Flooder(child, opened.participant)
  }

  private static async send (child: ChildProcess, command: Record<string, unknown>): Promise<unknown> {
    return await new Promise((resolve, reject) => {
      const onMessage = (m: { done?: string, error?: string }): void => {
        if (m.error !== undefined) reject(new Error(`flooder: ${m.error}`))
        else if (m.done === command.op) resolve(m)
        else return
        child.off('message', onMessage)
      }
      child.on('message', onMessage)
      child.send(command)
    })
  }

  async call (command: Record<string, unknown>): Promise<unknown> {
    return await Flooder.send(this.child, command)
  }
}

export async function queryBench (scale: number): Promise<QueryFigure[]> {
  const root = await mkdtemp(join(tmpdir(), 'keruen-bench-query-'))
  const open = async (name: string, role: string, extra: Partial<OpenNodeOptions> = {}): Promise<KeruenNode> =>
    await KeruenNode.open({ dataDir: join(root, name), profile: { role, name, country: 'KZ' }, defaultPolicies: false, config: { apiPort: 0, p2pPort: 0 }, ...extra })
  const authority = await open('authority', 'authority', { p2p: false })
  const holder = await open('holder', 'trader')
  const asker = await open('asker', 'agency')
  const figures: QueryFigure[] = []
  try {
    for (const [node, role, competence] of [[holder, 'trader', undefined], [asker, 'agency', 'customs']] as const) {
      await node.trust.addAuthority(authority.participant)
      await node.records.import((await authority.trust.certify({ participant: node.participant, role, name: node.profile.name ?? role, country: 'KZ', ...(competence !== undefined && { competence }) })).bytes)
    }
    for (const node of [asker]) {
      await node.p2p?.dial(multiaddr(holder.addresses()[0] as string))
      await waitFor(() => holder.handshake?.isAdmitted(node.participant) === true && node.handshake?.isAdmitted(holder.participant) === true, 10_000)
    }
    for (const node of [holder, asker]) await node.policy.refreshDirectory()
    await holder.policy.grant({ types: ['event.shipment'], to: { competence: 'customs' }, fields: ['/eventTime', '/bizStep', '/readPoint'], purpose: PURPOSE, mode: 'pull' })
    const event = JSON.parse(await readFile(repoFile('test/fixtures/records/event.shipment.json'), 'utf8')) as Record<string, unknown>
    const one = (await holder.records.create({ type: 'event.shipment', data: { ...event, eventID: 'urn:uuid:00000000-0000-4000-8000-000000000000' } })).record
    const ref = one.envelope.consignment as string
    for (let i = 1; i < 200; i++) {
      await holder.records.create({ type: 'event.shipment', consignment: ref, data: { ...event, eventID: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}` } })
    }

    const timed = async (runs: number, ask: () => Promise<unknown>, pauseMs = 0): Promise<number[]> => {
      const out: number[] = []
      for (let i = 0; i < runs; i++) {
        const started = performance.now()
        await ask()
        out.push(performance.now() - started)
        if (pauseMs > 0) await new Promise(resolve => setTimeout(resolve, pauseMs))
      }
      return out.sort((a, b) => a - b)
    }
    const askOne = async (): Promise<unknown> => await asker.queries.ask(holder.participant, { record: one.id }, { purpose: PURPOSE })
    // A keruen node asks a few times a second; paced under the holder's default limit of 10 a second.
    await timed(20, askOne, 100)
    const single = await timed(Math.max(100, Math.round(300 * scale)), askOne, 100)
    figures.push({ name: `query round trip, 1 record, p50 (${single.length})`, value: percentile(single, 0.5), unit: 'ms', target: { value: 50, lowerIsBetter: true } })
    figures.push({ name: 'query round trip, 1 record, p99', value: percentile(single, 0.99), unit: 'ms', target: { value: 100, lowerIsBetter: true } })
    const consignment = await timed(Math.max(20, Math.round(60 * scale)), async () => {
      const result = await asker.queries.ask(holder.participant, { consignment: ref }, { purpose: PURPOSE })
      if (result.records.length !== 200) throw new Error(`a consignment query brought ${result.records.length} records, not 200`)
    }, 100)
    figures.push({ name: `query round trip, 200 records, p50 (${consignment.length})`, value: percentile(consignment, 0.5), unit: 'ms', target: { value: 500, lowerIsBetter: true } })
    figures.push({ name: 'query round trip, 200 records, p99', value: percentile(consignment, 0.99), unit: 'ms', target: { value: 1000, lowerIsBetter: true } })

    // A flood from a third node in a process of its own, as on a machine of its own: 32 queries in flight for as long as the asker measures.
    const flooder = await Flooder.start(join(root, 'flooder'))
    await flooder.call({ op: 'install', authority: authority.participant, certificate: [...(await authority.trust.certify({ participant: flooder.participant, role: 'agency', name: 'flooder', country: 'KZ', competence: 'customs' })).bytes] })
    await holder.policy.refreshDirectory()
    await flooder.call({ op: 'flood', address: holder.addresses()[0] as string, holder: holder.participant, record: one.id, purpose: PURPOSE })
    const flooded = await timed(single.length, askOne, 100)
    const counts = await flooder.call({ op: 'stop' }) as { answered: number, slowed: number, failed: number }
    figures.push({
      name: 'query round trip under a flood, p50',
      value: percentile(flooded, 0.5),
      unit: 'ms',
      detail: `the flooding peer meanwhile: ${counts.answered} answered, ${counts.slowed} told to slow down, ${counts.failed} failed`
    })
    // Measured against the same run's unflooded figure: the flood may cost the others at most a few times their round trip.
    figures.push({ name: 'query round trip under a flood, p99', value: percentile(flooded, 0.99), unit: 'ms', target: { value: Math.round(4 * percentile(single, 0.99)), lowerIsBetter: true }, detail: 'target: 4 × the p99 without the flood, this run' })
    // Attachments: a 20 MiB scan attached to a foreign document the holder shares with the asker, from the record's creation to the file held there, checked.
    const size = 20 * 1024 * 1024
    const scan = Buffer.alloc(size)
    for (let i = 0; i < size; i += 4096) scan.writeUInt32BE((i * 2654435761) >>> 0, i)
    scan.write('%PDF-1.7\n', 0)
    const foreign = JSON.parse(await readFile(repoFile('test/fixtures/records/foreign.document.json'), 'utf8')) as Record<string, unknown>
    const transfers: number[] = []
    for (let i = 0; i < Math.max(2, Math.round(5 * scale)); i++) {
      // A file of its own each time (one byte differs), so the receiver holds none of it yet.
      scan.writeUInt32BE(i, 16)
      const meta = await holder.attachments.upload((async function * () { for (let at = 0; at < size; at += 1024 * 1024) yield scan.subarray(at, at + 1024 * 1024) })(), 'application/pdf', 'scan.pdf')
      const started = performance.now()
      const { record } = await holder.records.create({ type: 'foreign.document', data: { ...foreign, number: `UZ-BENCH-${i}`, attachments: [{ digest: meta.digest, mediaType: meta.mediaType, name: 'scan.pdf', size }] }, share: [asker.participant] })
      await waitFor(async () => (await asker.attachments.statusOf(record.id))?.[0]?.status === 'held', 60_000, 10)
      transfers.push(performance.now() - started)
    }
    transfers.sort((a, b) => a - b)
    figures.push({ name: `attachment transfer, 20 MiB (${transfers.length} runs), median`, value: size / 1024 / 1024 / (percentile(transfers, 0.5) / 1000), unit: 'MB/s', detail: 'from the record\'s creation to the file held, its SHA-256 checked, at the receiver' })
    return figures
  } finally {
    for (const node of [asker, holder, authority]) await node.close()
    await rm(root, { recursive: true, force: true })
  }
}
