/**
 * A node holding many records: it is filled with 1 000 000 invoices (times
 * BENCH_SCALE), 50 to a consignment and the consignments interleaved, as
 * records of many shipments arrive mixed in time; then, once LevelDB has
 * compacted the load and the node is at rest, consignments chosen at random
 * are listed over the HTTP API, one page of 50 each, as an ERP or the cabinet
 * reads them, and at the end one is listed again with `verify=true`.
 *
 * The node runs in a process of its own (bench-store-node.ts), so that its
 * memory is the node's alone: RSS and V8's heap, sampled every second while
 * it creates the records (its steady load) and while it answers the listings,
 * then what V8 holds live after a full collection. The listing client is a
 * worker thread of this process (bench-listing-client.ts); the node also
 * reports its own part of each listing, from the request's arrival to the
 * answer handed to the socket.
 */
import { fork } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CreateRecordInput } from '../node/records/record-service.js'
import { ListingClient } from './bench-listing-client.js'
import { callChild, consignmentRef, percentile } from './bench-support.js'

/** One figure of the store bench, with its own target when it has one. */
export interface StoreFigure {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly target?: { readonly value: number, readonly lowerIsBetter: boolean }
  readonly detail?: string
}

/** Records of one consignment: one page of a listing. */
const PER_CONSIGNMENT = 50
const IN_FLIGHT = 32
const LISTINGS = 1000
/** Listings before those measured, as the other benches warm up. */
const WARM_UP = 100
/** The longest wait for LevelDB to finish compacting the bulk load. */
const SETTLE_SECONDS = 300
const LIST_P99_TARGET_MS = 20
const RSS_TARGET_MB = 500

const mb = (bytes: number): number => bytes / 1024 / 1024
/** Extra Node.js options for the node's process, e.g. BENCH_STORE_ARGS="--cpu-prof" to profile it. */
const nodeArgs = (process.env.BENCH_STORE_ARGS ?? '').split(' ').filter(Boolean)

/** RSS told apart: the process's own memory, and the files mapped into it (LevelDB reads its tables in place). */
const memoryDetail = (m: { rss: number, heap: number, files: number }): string =>
  `${mb(m.rss - m.files).toFixed(0)} MB the process's own, ${mb(m.files).toFixed(0)} MB mapped files; heap used at most ${mb(m.heap).toFixed(0)} MB`

export async function storeBench (template: CreateRecordInput, count: number, progress: (line: string) => void): Promise<StoreFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-bench-store-'))
  const child = fork(fileURLToPath(new URL('./bench-store-node.js', import.meta.url)), [], { execArgv: ['--expose-gc', ...nodeArgs], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const figures: StoreFigure[] = []
  try {
    const filled = await callChild(child, { op: 'fill', dataDir: join(dir, 'node'), count, perConsignment: PER_CONSIGNMENT, inFlight: IN_FLIGHT, template }, progress) as
      { seconds: number, consignments: number, rss: number, heap: number, files: number, url: string, token: string }
    figures.push({ name: `store: ${count} records created, 32 in flight`, value: count / filled.seconds, unit: 'records/s', detail: `${filled.seconds.toFixed(0)} s` })
    figures.push({ name: 'store: RSS while creating (largest)', value: mb(filled.rss), unit: 'MB', target: { value: RSS_TARGET_MB, lowerIsBetter: true }, detail: memoryDetail(filled) })

    // Measured on a node at rest, as it holds its records day to day, not
    // while LevelDB still compacts the million it was just given.
    const settled = await callChild(child, { op: 'settle', maxSeconds: SETTLE_SECONDS }) as { seconds: number, idle: boolean }
    progress(`  LevelDB compacted the load for ${settled.seconds.toFixed(0)} s${settled.idle ? '' : ' and was still busy'}`)
    const refs = (n: number): string[] => Array.from({ length: n }, () => consignmentRef(Math.floor(Math.random() * filled.consignments)))
    const client = new ListingClient(filled.url, filled.token, Math.min(PER_CONSIGNMENT, count))
    try {
      await client.list(refs(WARM_UP))
      // Memory is sampled afresh, and the node's own time kept, for the listings alone.
      await callChild(child, { op: 'memory' })
      await callChild(child, { op: 'timing', on: true })
      const times = (await client.list(refs(LISTINGS))).sort((a, b) => a - b)
      const server = ((await callChild(child, { op: 'timing', on: false })).times as number[]).sort((a, b) => a - b)
      figures.push({
        name: `store: list a consignment of ${PER_CONSIGNMENT} over HTTP, p99`,
        value: percentile(times, 0.99),
        unit: 'ms',
        target: { value: LIST_P99_TARGET_MS, lowerIsBetter: true },
        detail: `p50 ${percentile(times, 0.5).toFixed(1)} ms over ${LISTINGS} consignments at random among ${filled.consignments}; ` +
          `the node's own part (request in to answer out) p50 ${percentile(server, 0.5).toFixed(1)}, p99 ${percentile(server, 0.99).toFixed(1)} ms`
      })
    } finally {
      await client.close()
    }
    const listing = await callChild(child, { op: 'memory' }) as { rss: number, heap: number, files: number }
    figures.push({ name: 'store: RSS while listing (largest)', value: mb(listing.rss), unit: 'MB', target: { value: RSS_TARGET_MB, lowerIsBetter: true }, detail: memoryDetail(listing) })
    // Verified again on demand: what a reader who asks pays.
    const t0 = performance.now()
    const res = await fetch(`${filled.url}/v1/records?consignment=${consignmentRef(0)}&limit=${PER_CONSIGNMENT}&verify=true`, { headers: { authorization: `Bearer ${filled.token}` } })
    const page = await res.json() as { records?: Array<{ verified: boolean }> }
    if (res.status !== 200 || page.records?.length !== Math.min(PER_CONSIGNMENT, count)) throw new Error(`listing with verify=true gave ${res.status} with ${page.records?.length ?? 'no'} records`)
    if (page.records.some(r => !r.verified)) throw new Error('a stored record did not verify')
    figures.push({ name: 'store: the same with verify=true, one listing', value: performance.now() - t0, unit: 'ms' })
    const after = await callChild(child, { op: 'close' }) as { rss: number, files: number, heapUsed: number, heapTotal: number, external: number }
    figures.push({
      name: 'store: RSS after a full collection',
      value: mb(after.rss),
      unit: 'MB',
      detail: `${mb(after.rss - after.files).toFixed(0)} MB the process's own, ${mb(after.files).toFixed(0)} MB mapped files; heap used ${mb(after.heapUsed).toFixed(0)} MB of ${mb(after.heapTotal).toFixed(0)} MB, external ${mb(after.external).toFixed(0)} MB`
    })
  } finally {
    if (child.exitCode === null) child.kill()
    await rm(dir, { recursive: true, force: true })
  }
  return figures
}
