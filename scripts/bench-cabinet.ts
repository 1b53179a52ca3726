/**
 * How long the node takes to render the cabinet's heaviest pages, server
 * side: a consignment of 50 documents, and an agency's inbox of 1 000
 * applications. Each page is asked for in turn, as one person would, after
 * a few warm-up requests; the figures are the median and the 95th percentile.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApi } from '../api/app.js'
import { KeruenNode } from '../node/node.js'
import { createRecord, ed25519Signer, timestamp, type DataObject } from '../record/index.js'
import { RecordTypes } from '../record/types/names.js'

export interface RenderFigure {
  readonly name: string
  readonly p50: number
  readonly p95: number
}

const WARM_UP = 5

async function timed (request: () => Promise<Response>, count: number): Promise<{ p50: number, p95: number }> {
  const times: number[] = []
  for (let i = 0; i < WARM_UP + count; i++) {
    const started = performance.now()
    const response = await request()
    await response.text()
    if (response.status !== 200) throw new Error(`the page answered ${response.status}`)
    if (i >= WARM_UP) times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(times.length / 2)] ?? 0, p95: times[Math.ceil(times.length * 0.95) - 1] ?? 0 }
}

/** A node of `role` in a new folder, with a signed-in cabinet session: its cookie. */
async function withCabinet<T> (role: 'trader' | 'agency', work: (node: KeruenNode, page: (path: string) => Promise<Response>) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-bench-cabinet-'))
  const node = await KeruenNode.open({ dataDir: dir, p2p: false, profile: { role, country: 'KZ' }, config: { apiPort: 0 } })
  try {
    const api = createApi(node)
    const { password } = await node.accounts.add({ id: 'bench', role: 'admin' })
    const login = await api.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login: 'bench', password }).toString() })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    return await work(node, async path => await api.request(path, { headers: { cookie, 'accept-language': 'ru' } }))
  } finally {
    await node.close()
    await rm(dir, { recursive: true, force: true })
  }
}

export async function cabinetBench (invoice: DataObject, count: number): Promise<RenderFigure[]> {
  const consignment = await withCabinet('trader', async (node, page) => {
    const ref = '6KZ123456789012-BENCHWEB'
    for (let i = 0; i < 50; i++) await node.records.create({ type: RecordTypes.tradeInvoice, consignment: ref, data: { ...invoice, number: `INV-${i}` } })
    return await timed(async () => await page(`/consignments/${ref}`), count)
  })
  const inbox = await withCabinet('agency', async (node, page) => {
    // Applications a trader made to this agency, as they would arrive: signed by the trader, taken in.
    const trader = ed25519Signer(randomBytes(32))
    for (let i = 0; i < 1000; i++) {
      const application = createRecord(trader, {
        type: RecordTypes.applicationSubmission,
        consignment: `6KZ123456789012-APP${i}`,
        issuedAt: timestamp(),
        data: { procedure: 'KZ.sps.phytosanitary-certificate', agency: node.participant, profile: 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia', elements: [{ id: 'exporter', status: 'present' }] }
      })
      await node.records.import(application.bytes)
    }
    return await timed(async () => await page('/inbox'), count)
  })
  return [
    { name: 'cabinet: consignment page, 50 documents', ...consignment },
    { name: 'cabinet: inbox, 1 000 applications', ...inbox }
  ]
}
