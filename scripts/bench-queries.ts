/**
 * Queries between two real nodes on 127.0.0.1, in this process: the round
 * trip of a query for one record and for a consignment of 200 records (asked,
 * selected under the holder's pull grant, answered, verified, acknowledged
 * with a receipt the holder checks and keeps), p50 and p99; then the same
 * one-record query while a third node floods the holder, to show what the
 * per-peer limits leave the others. All three share this process's CPU, so
 * the flooded figure includes the flood's cost on the asker's side too.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { KeruenNode, type OpenNodeOptions } from '../node/node.js'
import { ServiceError } from '../node/errors.js'
import { repoFile } from '../test/support/repo.js'

export interface QueryFigure {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly target?: { readonly value: number, readonly lowerIsBetter: boolean }
  readonly detail?: string
}

const PURPOSE = 'KZ.customs.border-arrival'

async function waitFor (condition: () => boolean, ms: number): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('bench timed out')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number

export async function queryBench (scale: number): Promise<QueryFigure[]> {
  const root = await mkdtemp(join(tmpdir(), 'keruen-bench-query-'))
  const open = async (name: string, role: string, extra: Partial<OpenNodeOptions> = {}): Promise<KeruenNode> =>
    await KeruenNode.open({ dataDir: join(root, name), profile: { role, name, country: 'KZ' }, defaultPolicies: false, config: { apiPort: 0, p2pPort: 0 }, ...extra })
  const authority = await open('authority', 'authority', { p2p: false })
  const holder = await open('holder', 'carrier')
  const asker = await open('asker', 'agency')
  const flooder = await open('flooder', 'agency')
  const figures: QueryFigure[] = []
  try {
    for (const [node, role, competence] of [[holder, 'carrier', undefined], [asker, 'agency', 'customs'], [flooder, 'agency', 'customs']] as const) {
      await node.trust.addAuthority(authority.participant)
      await node.records.import((await authority.trust.certify({ participant: node.participant, role, name: node.profile.name ?? role, country: 'KZ', ...(competence !== undefined && { competence }) })).bytes)
    }
    for (const node of [asker, flooder]) {
      await node.p2p?.dial(multiaddr(holder.addresses()[0] as string))
      await waitFor(() => holder.handshake?.isAdmitted(node.participant) === true && node.handshake?.isAdmitted(holder.participant) === true, 10_000)
    }
    for (const node of [holder, asker, flooder]) await node.policy.refreshDirectory()
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
    // A keruen node asks a few times a second; paced under the holder's default limit of 50 a second.
    await timed(20, askOne, 25)
    const single = await timed(Math.max(100, Math.round(400 * scale)), askOne, 25)
    figures.push({ name: `query round trip, 1 record, p50 (${single.length})`, value: percentile(single, 0.5), unit: 'ms', target: { value: 50, lowerIsBetter: true } })
    figures.push({ name: 'query round trip, 1 record, p99', value: percentile(single, 0.99), unit: 'ms', target: { value: 100, lowerIsBetter: true } })
    const consignment = await timed(Math.max(20, Math.round(60 * scale)), async () => {
      const result = await asker.queries.ask(holder.participant, { consignment: ref }, { purpose: PURPOSE })
      if (result.records.length !== 200) throw new Error(`a consignment query brought ${result.records.length} records, not 200`)
    }, 25)
    figures.push({ name: `query round trip, 200 records, p50 (${consignment.length})`, value: percentile(consignment, 0.5), unit: 'ms', target: { value: 500, lowerIsBetter: true } })
    figures.push({ name: 'query round trip, 200 records, p99', value: percentile(consignment, 0.99), unit: 'ms', target: { value: 1000, lowerIsBetter: true } })

    // A flood: the third node keeps 32 queries in flight for as long as the asker measures.
    let flooding = true
    let answered = 0
    let slowed = 0
    const flood = Array.from({ length: 32 }, async () => {
      while (flooding) {
        try {
          await flooder.queries.ask(holder.participant, { record: one.id }, { purpose: PURPOSE })
          answered++
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err
          slowed++
        }
      }
    })
    const flooded = await timed(single.length, askOne, 25)
    flooding = false
    await Promise.all(flood)
    figures.push({
      name: 'query round trip under a flood, p50',
      value: percentile(flooded, 0.5),
      unit: 'ms',
      detail: `the flooding peer: ${answered} answered, ${slowed} told to slow down`
    })
    figures.push({ name: 'query round trip under a flood, p99', value: percentile(flooded, 0.99), unit: 'ms', target: { value: 250, lowerIsBetter: true } })
    return figures
  } finally {
    for (const node of [flooder, asker, holder, authority]) await node.close()
    await rm(root, { recursive: true, force: true })
  }
}
