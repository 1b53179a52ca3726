/**
 * A node holding many records: it is filled with 1 000 000 invoices (times
 * BENCH_SCALE), 50 to a consignment and the consignments interleaved, as
 * records of many shipments arrive mixed in time; then consignments chosen at
 * random are listed over the HTTP API, one page of 50 each, as an ERP or the
 * cabinet reads them, and at the end every record of one is read again with
 * `verify=true`.
 *
 * Memory is the node's whole process: RSS and V8's heap, sampled every second
 * while the records are created (the node's steady load) and while it lists.
 * What V8 holds live is read after a full collection (node --expose-gc).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApiServer } from '../api/server.js'
import { KeruenNode } from '../node/node.js'
import type { CreateRecordInput } from '../node/records/record-service.js'
import { percentile } from './bench-support.js'

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
const LIST_P99_TARGET_MS = 20
const RSS_TARGET_MB = 500

const mb = (bytes: number): number => bytes / 1024 / 1024

/** The largest RSS and heap seen while `work` runs, sampled every second. */
async function sampled<T> (work: () => Promise<T>): Promise<{ result: T, rss: number, heap: number }> {
  let rss = 0
  let heap = 0
  const sample = (): void => {
    const m = process.memoryUsage()
    rss = Math.max(rss, m.rss)
    heap = Math.max(heap, m.heapUsed)
  }
  const timer = setInterval(sample, 1000)
  try {
    const result = await work()
    sample()
    return { result, rss, heap }
  } finally {
    clearInterval(timer)
  }
}

/** Consignment references the bench fills: S and a number, a valid UCR. */
const consignmentRef = (i: number): string => `6KZ123456789012-S${String(i).padStart(7, '0')}`

export async function storeBench (template: CreateRecordInput, count: number, progress: (line: string) => void): Promise<StoreFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-bench-store-'))
  const node = await KeruenNode.open({ dataDir: dir, p2p: false, config: { apiPort: 0 } })
  const figures: StoreFigure[] = []
  try {
    const consignments = Math.max(1, Math.floor(count / PER_CONSIGNMENT))
    let next = 0
    const started = performance.now()
    const filled = await sampled(async () => {
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < count; i = next++) {
          await node.records.create({ ...template, consignment: consignmentRef(i % consignments) })
          if ((i + 1) % 100_000 === 0) progress(`  ${i + 1} records stored, ${((i + 1) / ((performance.now() - started) / 1000)).toFixed(0)}/s, RSS ${mb(process.memoryUsage().rss).toFixed(0)} MB`)
        }
      }))
    })
    const seconds = (performance.now() - started) / 1000
    figures.push({ name: `store: ${count} records created, 32 in flight`, value: count / seconds, unit: 'records/s', detail: `${seconds.toFixed(0)} s` })
    figures.push({ name: 'store: RSS while creating (largest)', value: mb(filled.rss), unit: 'MB', target: { value: RSS_TARGET_MB, lowerIsBetter: true }, detail: `heap used at most ${mb(filled.heap).toFixed(0)} MB` })

    const api = await startApiServer(node)
    const headers = { authorization: `Bearer ${node.identity.apiToken}` }
    try {
      const times: number[] = []
      const listed = await sampled(async () => {
        for (let i = 0; i < LISTINGS; i++) {
          const ref = consignmentRef(Math.floor(Math.random() * consignments))
          const t0 = performance.now()
          const res = await fetch(`${api.url}/v1/records?consignment=${ref}&limit=${PER_CONSIGNMENT}`, { headers })
          const page = await res.json() as { records: unknown[] }
          times.push(performance.now() - t0)
          const expected = Math.min(PER_CONSIGNMENT, count)
          if (res.status !== 200 || page.records.length !== expected) throw new Error(`listing ${ref} gave ${res.status} with ${page.records.length} records, not ${expected}`)
        }
      })
      times.sort((a, b) => a - b)
      figures.push({
        name: `store: list a consignment of ${PER_CONSIGNMENT} over HTTP, p99`,
        value: percentile(times, 0.99),
        unit: 'ms',
        target: { value: LIST_P99_TARGET_MS, lowerIsBetter: true },
        detail: `p50 ${percentile(times, 0.5).toFixed(1)} ms over ${LISTINGS} consignments at random among ${consignments}`
      })
      figures.push({ name: 'store: RSS while listing (largest)', value: mb(listed.rss), unit: 'MB', target: { value: RSS_TARGET_MB, lowerIsBetter: true }, detail: `heap used at most ${mb(listed.heap).toFixed(0)} MB` })
      // Verified again on demand: what a reader pays who asks.
      const ref = consignmentRef(0)
      const t0 = performance.now()
      const res = await fetch(`${api.url}/v1/records?consignment=${ref}&limit=${PER_CONSIGNMENT}&verify=true`, { headers })
      const page = await res.json() as { records: Array<{ verified: boolean }> }
      if (page.records.some(r => !r.verified)) throw new Error('a stored record did not verify')
      figures.push({ name: 'store: the same with verify=true, one listing', value: performance.now() - t0, unit: 'ms' })
    } finally {
      await api.close()
    }
    globalThis.gc?.()
    const after = process.memoryUsage()
    figures.push({ name: 'store: RSS after a full collection', value: mb(after.rss), unit: 'MB', detail: `heap used ${mb(after.heapUsed).toFixed(0)} MB of ${mb(after.heapTotal).toFixed(0)} MB, external ${mb(after.external).toFixed(0)} MB` })
  } finally {
    await node.close()
    await rm(dir, { recursive: true, force: true })
  }
  return figures
}
