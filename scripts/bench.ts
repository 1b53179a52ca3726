/**
 * npm run bench: throughput of the node on this machine, as a share of what
 * the machine can do.
 *
 *   ceiling: the machine's ceilings for the bench's record, measured first
 *   whenever records or network run (bench-ceiling.ts): Ed25519, building and
 *   verifying a record, synced LevelDB batches, libp2p between two processes,
 *   and from them the ceiling of creating records and that of delivering them
 *
 *   records signed and stored per second, in process (sequential and concurrent)
 *   the same over the HTTP API (sequential and concurrent, keep-alive), and
 *   the same records behind bare routes of node:http and of Hono, to tell the
 *   HTTP stack's cost from that of keruen's API (bench-http.ts)
 *   with the CPU time each record cost, over every thread of the process (for
 *   HTTP that includes the client's)
 *   partial disclosure: copies with about half the fields built, then parsed and
 *   verified, and SD-JWT exports, per second on one thread
 *   trust: certificates issued by an authority, and the directory of every
 *   certified participant judged again
 *   then the network figures of bench-network.ts: latency, and delivery and
 *   catch-up judged against the delivery ceiling, each with its start-up (the
 *   first receipt) and the rate after it, and each process's CPU per record by
 *   kind of thread (bench-threads.ts), to read
 *
 * Each run uses a fresh data folder with durable (synced) writes, the node's
 * default, and a realistic commercial invoice (test/fixtures/records).
 *
 * The throughput targets are shares of a ceiling measured in the same run, so
 * that they hold on any machine: with 32 records in flight, in process ≥ 60 %
 * of the creation ceiling and over HTTP ≥ 70 % of the rate in process;
 * delivery and catch-up ≥ 70 % of the delivery ceiling. The rates themselves
 * are printed to read, not judged. The targets apply with requests in flight,
 * as an ERP or a gateway sends them: a sequential client waits for each sync
 * to reach the disk, so its rate is bounded by the disk's sync latency
 * (printed with the ceilings).
 *
 *   queries: round trips of a query between nodes, alone and under a flood (bench-queries.ts)
 *   store: a node filled with 1 000 000 records, listing a consignment of 50
 *   (p99 ≤ 20 ms) and the process's memory (RSS ≤ 500 MB) (bench-store.ts)
 *
 * Usage: npm run bench [-- ceiling | records | disclosure | trust | cabinet | tariff | queries | network | store ...] (default: all)
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApiServer } from '../api/server.js'
import { ceilingBench, type CeilingNow, type Ceilings } from './bench-ceiling.js'
import { networkBench } from './bench-network.js'
import { describeThreads } from './bench-threads.js'
import { postFromWorker, startBareRoute, startNodeHttpRoute, type HttpLoad } from './bench-http.js'
import { cabinetBench } from './bench-cabinet.js'
import { tariffBench } from './bench-tariff.js'
import { queryBench } from './bench-queries.js'
import { storeBench } from './bench-store.js'
import { KeruenNode } from '../node/node.js'
import { steadyHeapGrowth } from '../node/runtime/heap-growth.js'
import { repoFile } from '../test/support/repo.js'
import type { CreateRecordInput } from '../node/records/record-service.js'
import { RecordTypes } from '../record/types/names.js'
import {
  createRecord, ed25519Signer, parseRecord, timestamp, toSdJwt, verifyRecord, withDisclosures,
  type DataObject, type LeafPath
} from '../record/index.js'

// The nodes measured in this process run as keruen start runs one (heap-growth.ts).
steadyHeapGrowth()

/** Targets not met, over every part. */
let missed = 0

/** ` (target …: met)`, counting the targets not met. */
function verdict (target: string, met: boolean): string {
  if (!met) missed++
  return ` (target ${target}: ${met ? 'met' : 'NOT met'})`
}

/** What a rate is judged against: a reference rate of the same run, of which it must reach `least` (a fraction). */
interface Share { readonly of: number, readonly what: string, readonly least: number }

/** A ratio as a percentage with one decimal, rounded down, so that a share just short of its target never prints as reaching it. */
const percentDown = (ratio: number): string => (Math.floor(ratio * 1000) / 10).toFixed(1)

/** ` = 64 % of …`, with its verdict. */
function shareOf (rate: number, share: Share): string {
  const ratio = rate / share.of
  return ` = ${percentDown(ratio)} % of ${share.what} (${share.of.toFixed(0)}/s)${verdict(`≥ ${share.least * 100} %`, ratio >= share.least)}`
}

/**
 * Information, not judged: a rate against its ceiling measured again just
 * before and just after it (bench-ceiling.ts), `stage` naming the stage
 * measured again.
 */
function printBeside (rate: number, stage: string, before: CeilingNow, after: CeilingNow): void {
  const mean = (before.ceiling + after.ceiling) / 2
  console.log(`${''.padEnd(50)}ceiling beside it: ${stage} ${before.rate.toFixed(0)}/s before, ${after.rate.toFixed(0)}/s after; ` +
    `${rate.toFixed(0)} records/s = ${percentDown(rate / mean)} % of their mean (${mean.toFixed(0)}/s)`)
}

/**
 * The main thread's part while a creation bench runs: its CPU time and how
 * busy its event loop was, which bound the rate when the thread builds the
 * records. Thread CPU time needs Node.js 22.19 or later.
 */
class MainThread {
  private readonly cpu = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.()
  private readonly loop = performance.eventLoopUtilization()

  /** `; main thread 420 µs CPU/record, event loop 99 % busy`. */
  since (count: number): string {
    const loop = performance.eventLoopUtilization(this.loop)
    const used = this.cpu === undefined ? undefined : process.threadCpuUsage(this.cpu)
    const cpu = used === undefined ? '' : `${((used.user + used.system) / count).toFixed(0)} µs CPU/record, `
    return `; main thread ${cpu}event loop ${(loop.utilization * 100).toFixed(0)} % busy`
  }
}

/** Prints a rate with the CPU time per record and, if it is judged, its share; returns the rate. */
function report (name: string, count: number, seconds: number, cpu: NodeJS.CpuUsage, share?: Share, main?: string): number {
  const rate = count / seconds
  const cpuPerRecord = (cpu.user + cpu.system) / count
  console.log(`${name.padEnd(40)} ${rate.toFixed(0).padStart(6)} /s  ${cpuPerRecord.toFixed(0).padStart(5)} µs CPU/record${share === undefined ? '' : shareOf(rate, share)}${main ?? ''}`)
  return rate
}

/** Runs the synchronous `op` `count` times in a row, after a warm-up of the JIT. */
function measureSync (name: string, count: number, op: () => unknown): void {
  for (let i = 0; i < 500; i++) op()
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (let i = 0; i < count; i++) op()
  report(name, count, (performance.now() - started) / 1000, process.cpuUsage(cpu))
}

/** Runs `op` `count` times with `concurrency` in flight; CPU is that of every thread of this process. */
async function measure (name: string, count: number, concurrency: number, op: () => Promise<unknown>, share?: Share): Promise<number> {
  let next = 0
  const cpu = process.cpuUsage()
  const main = new MainThread()
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) await op()
  }))
  return report(name, count, (performance.now() - started) / 1000, process.cpuUsage(cpu), share, main.since(count))
}

async function withNode (work: (node: KeruenNode) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-bench-'))
  const workers = process.env.BENCH_WORKERS !== undefined ? { signingWorkers: Number(process.env.BENCH_WORKERS) } : {}
  const node = await KeruenNode.open({ dataDir: dir, p2p: false, config: { apiPort: 0, ...workers } })
  try {
    await work(node)
  } finally {
    await node.close()
    await rm(dir, { recursive: true, force: true })
  }
}

const invoice = JSON.parse(await readFile(repoFile('test/fixtures/records/trade.invoice.json'), 'utf8')) as DataObject
const input: CreateRecordInput = { type: RecordTypes.tradeInvoice, consignment: '6KZ123456789012-BENCH', data: invoice }
const scale = Number(process.env.BENCH_SCALE ?? 1)
const n = (count: number): number => Math.max(100, Math.round(count * scale))

const PARTS = ['ceiling', 'records', 'disclosure', 'trust', 'cabinet', 'tariff', 'queries', 'network', 'store']
const chosen = process.argv.slice(2)
for (const part of chosen) if (!PARTS.includes(part)) throw new Error(`unknown bench part ${JSON.stringify(part)}; choose from ${PARTS.join(', ')}`)
const runs = (part: string): boolean => chosen.length === 0 || chosen.includes(part)

console.log(`keruen bench — Node.js ${process.version}, ${availableParallelism()} cores; a commercial invoice of ${JSON.stringify(invoice).length} bytes of JSON, durable writes\n`)

/** Posts `load` from a worker thread (bench-http.ts) and reports it as measure() does, unjudged; returns the rate. */
async function measureHttp (name: string, load: HttpLoad): Promise<number> {
  let cpu = process.cpuUsage()
  let main = new MainThread()
  let rate = 0
  await postFromWorker(load, {
    measuring: () => {
      cpu = process.cpuUsage()
      main = new MainThread()
    },
    finished: seconds => { rate = report(name, load.count, seconds, process.cpuUsage(cpu), undefined, main.since(load.count)) }
  })
  return rate
}

/**
 * Records signed and stored per second: in process, then over HTTP; each one
 * at a time and 32 in flight. 32 in flight are judged: in process against the
 * creation ceiling, over HTTP (`return=minimal`) against the rate in process.
 *
 * The rate in process moves by a tenth within a minute on a shared machine,
 * which is as much as HTTP costs; the share judged is that cost, so the rate
 * it is taken of is measured on the same node just before and just after the
 * HTTP figure (their mean). Beside it, the same records behind bare routes
 * of Node.js's HTTP server and of Hono (bench-http.ts) tell the HTTP stack's
 * own part from keruen's API.
 */
async function recordsBench ({ creation: creationCeiling, creationNow }: Ceilings): Promise<void> {
  let firstInProcess = 0
  const create = (node: KeruenNode) => async () => await node.records.create(input)
  await withNode(async node => {
    // Warm up the JIT and the key caches before measuring.
    for (let i = 0; i < 500; i++) await node.records.create(input)
    await measure('in-process, one at a time', n(5_000), 1, create(node))
    const before = creationNow(1000)
    firstInProcess = await measure('in-process, 32 concurrent', n(20_000), 32, create(node),
      { of: creationCeiling, what: 'the creation ceiling', least: 0.6 })
    const after = creationNow(1000)
    printBeside(firstInProcess, 'build a record', before, after)
  })
  await withNode(async node => {
    const api = await startApiServer(node)
    const bare = await startBareRoute(node)
    const plain = await startNodeHttpRoute(node)
    const body = JSON.stringify(input)
    const headers = { authorization: `Bearer ${node.identity.apiToken}`, 'content-type': 'application/json' }
    const post = (url: string, extra: Record<string, string>, count: number, concurrency: number): HttpLoad =>
      ({ url: `${url}/v1/records`, headers: { ...headers, ...extra }, body, count, concurrency })
    try {
      await measureHttp('HTTP POST /v1/records, one at a time', post(api.url, {}, n(3_000), 1))
      await measureHttp('HTTP POST /v1/records, 32 concurrent', post(api.url, {}, n(10_000), 32))
      const before = await measure('in process before, 32 concurrent', n(10_000), 32, create(node))
      const nodeHttp = await measureHttp('bare node:http route, 32 concurrent', post(plain.url, {}, n(10_000), 32))
      const stack = await measureHttp('bare Hono route, 32 concurrent', post(bare.url, {}, n(10_000), 32))
      // As an ERP posting thousands asks: the id and Location back, not the record echoed (RFC 7240).
      const minimal = await measureHttp('HTTP POST, 32 concurrent, return=minimal', post(api.url, { prefer: 'return=minimal' }, n(10_000), 32))
      const after = await measure('in process after, 32 concurrent', n(10_000), 32, create(node))
      const reference = (before + after) / 2
      console.log(`${''.padEnd(50)}return=minimal: ${minimal.toFixed(0)} records/s${shareOf(minimal, { of: reference, what: 'in process before and after', least: 0.7 })}`)
      console.log(`${''.padEnd(50)}of the first in-process figure ${percentDown(minimal / firstInProcess)} %; of in process before and after, ` +
        `the bare node:http route ${percentDown(nodeHttp / reference)} %, the bare Hono route ${percentDown(stack / reference)} %; keruen's API ${percentDown(minimal / stack)} % of the bare Hono route`)
    } finally {
      await plain.close()
      await bare.close()
      await api.close()
    }
  })
}

/**
 * Partial disclosure on one thread: a holder builds a copy of the complete
 * invoice without its prices, payment, contract and party details (about half
 * of the fields) and encodes it; a recipient parses and verifies that copy; the
 * issuer exports the same view as an SD-JWT.
 */
function disclosureBench (): void {
  const signer = ed25519Signer(new Uint8Array(32).fill(1))
  const complete = createRecord(signer, { ...input, issuedAt: timestamp() })
  const HIDDEN = new Set(['unitPrice', 'amount', 'totalAmount', 'paymentTerms', 'payeeAccount', 'contractNumber', 'contractDate', 'address', 'legalId', 'legalIdScheme', 'incoterms'])
  const keep = (path: LeafPath): boolean => !path.some(segment => typeof segment === 'string' && HIDDEN.has(segment))
  const build = (): Uint8Array => withDisclosures(complete, keep).bytes
  const check = (bytes: Uint8Array): void => { verifyRecord(parseRecord(bytes)) }
  const partial = build()
  const kept = withDisclosures(complete, keep).disclosures.length
  console.log(`\npartial disclosure: ${kept} of ${complete.disclosures.length} fields kept, one thread`)
  measureSync('disclosure build (withDisclosures)', n(20_000), build)
  measureSync('disclosure verify (parse + verify)', n(20_000), () => check(partial))
  measureSync('disclosure build + verify', n(20_000), () => check(build()))
  measureSync('SD-JWT export (toSdJwt)', n(20_000), () => toSdJwt(complete, signer, keep))
}

/**
 * An authority certifying participants one at a time, each certificate judged
 * at once as every node does with a trust record; then the whole directory
 * judged again, as after a change of the trust list and every 30 s.
 */
async function trustBench (count: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-bench-trust-'))
  const node = await KeruenNode.open({ dataDir: dir, p2p: false, profile: { role: 'authority', name: 'bench authority', country: 'KZ' }, config: { apiPort: 0 } })
  try {
    const participants = Array.from({ length: count }, () => ed25519Signer(randomBytes(32)).participant)
    let next = 0
    console.log('')
    await measure('trust: certificates issued, one at a time', count, 1, async () => {
      await node.trust.certify({ participant: participants[next++] as string, role: 'trader', name: `trader ${next}`, country: 'KZ' })
    })
    // Judged per participant: the directory holds the authority too.
    const rounds = 5
    let judged = 0
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < rounds; i++) judged += (await node.trust.directory()).length
    if (judged !== rounds * (count + 1)) throw new Error(`the directory held ${judged / rounds} participants, not ${count + 1}`)
    report(`trust: directory of ${count + 1}, per participant`, judged, (performance.now() - started) / 1000, process.cpuUsage(cpu))
  } finally {
    await node.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The network figures: latency against its own target, delivery throughput
 * and catch-up as shares of the delivery ceiling.
 */
async function networkPart ({ delivery: deliveryCeiling, deliveryNow }: Ceilings): Promise<void> {
  await networkBench({ type: RecordTypes.tradeInvoice, consignment: '6KZ123456789012-BENCH', data: invoice }, scale, f => {
    const judged = f.target === undefined
      ? ''
      : verdict(`${f.lowerIsBetter ? '≤' : '≥'} ${f.target}`, f.lowerIsBetter ? f.value <= f.target : f.value >= f.target)
    const rate = f.rate === undefined || f.unit === 'records/s' ? '' : ` ${f.rate.toFixed(0)} records/s`
    const share = f.rate === undefined ? '' : `${rate}${shareOf(f.rate, { of: deliveryCeiling, what: 'the delivery ceiling', least: 0.7 })}`
    console.log(`${f.name.padEnd(48)} ${f.value.toFixed(f.unit === 'records/s' ? 0 : 1).padStart(8)} ${f.unit.padEnd(10)}${judged}${share}${f.detail !== undefined ? `\n${''.padEnd(50)}${f.detail}` : ''}`)
    // Information, not judged: how much of the whole the restarted receiver's start-up took.
    if (f.phases !== undefined) {
      const { firstReceiptMs, connectedMs, rateAfter } = f.phases
      console.log(`${''.padEnd(50)}connected at ${connectedMs.toFixed(0)} ms, first receipt at ${firstReceiptMs.toFixed(0)} ms; from then on ${rateAfter.toFixed(0)} records/s = ${percentDown(rateAfter / deliveryCeiling)} % of the ceiling`)
    }
    // Information: on two cores every other thread takes time from the receiver's verification worker.
    for (const [side, split] of Object.entries(f.threads ?? {})) {
      console.log(`${''.padEnd(50)}${side} by thread, µs per record: ${describeThreads(split)}`)
    }
    if (f.beside !== undefined && f.rate !== undefined) {
      printBeside(f.rate, 'parse + verify', f.beside.before, f.beside.after)
    }
  }, deliveryNow)
}

/** Keruen's throughput is judged against the machine's: measured first, in the same run. */
let ceilings: Ceilings | undefined
if (runs('ceiling') || runs('records') || runs('network')) ceilings = await ceilingBench(input, scale)
if (runs('records')) {
  console.log('')
  await recordsBench(ceilings as Ceilings)
}
if (runs('disclosure')) disclosureBench()
if (runs('trust')) await trustBench(n(2000))
/** Server render time of a cabinet page: the 95th percentile, in milliseconds. */
const RENDER_P95_TARGET_MS = 50
if (runs('cabinet')) {
  console.log('')
  for (const f of await cabinetBench(invoice, 40)) {
    console.log(`${f.name.padEnd(48)} p50 ${f.p50.toFixed(1).padStart(6)} ms  p95 ${f.p95.toFixed(1).padStart(6)} ms${verdict(`p95 ≤ ${RENDER_P95_TARGET_MS}`, f.p95 <= RENDER_P95_TARGET_MS)}`)
  }
}
/** A figure's own target, judged (tariff and query figures). */
const judge = (f: { value: number, target?: { value: number, lowerIsBetter: boolean } }): string => f.target === undefined
  ? ''
  : verdict(`${f.target.lowerIsBetter ? '≤' : '≥'} ${f.target.value}`, f.target.lowerIsBetter ? f.value <= f.target.value : f.value >= f.target.value)
/** One figure with its target's verdict, and what it cost beneath. */
const printFigure = (f: { name: string, value: number, unit: string, detail?: string, target?: { value: number, lowerIsBetter: boolean } }, digits: number): void => {
  console.log(`${f.name.padEnd(48)} ${f.value.toFixed(digits).padStart(8)} ${f.unit.padEnd(10)}${judge(f)}${f.detail !== undefined ? `\n${''.padEnd(50)}${f.detail}` : ''}`)
}
if (runs('tariff')) {
  console.log('')
  for (const f of await tariffBench(invoice, scale)) {
    printFigure(f, f.value >= 100 ? 0 : 2)
  }
}
if (runs('queries')) {
  console.log('')
  for (const f of await queryBench(scale)) {
    printFigure(f, 1)
  }
}
if (runs('network')) {
  console.log('')
  await networkPart(ceilings as Ceilings)
}
if (runs('store')) {
  console.log('')
  const count = n(1_000_000)
  console.log(`filling a node with ${count} records…`)
  for (const f of await storeBench(input, count, line => { console.log(line) })) {
    printFigure(f, f.unit === 'ms' ? 1 : 0)
  }
}

console.log(missed === 0 ? '\nall targets met' : `\n${missed} target(s) not met`)
