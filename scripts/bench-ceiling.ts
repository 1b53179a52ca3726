/**
 * The machine's ceilings for the bench's record, measured in the same run as
 * keruen's figures so that those can be judged as shares of them on any
 * machine. Each stage is the least work a record needs, done with nothing of
 * keruen around it:
 *
 *   Ed25519 sign and verify (node:crypto), one core
 *   building a record (salts, a SHA-256 digest per leaf, canonical CBOR, one
 *   signature), and parsing + verifying one, one core
 *   synced LevelDB batches of values of the record's size (the node's options)
 *   libp2p (TCP, Noise, Yamux) between two processes (bench-ceiling-transport.ts)
 *
 * and from them the ceiling of creating records and that of delivering them
 * (see creationCeiling and deliveryCeiling).
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { Database } from '../storage/index.js'
import { DEFAULT_CONFIG } from '../node/setup/config.js'
import type { CreateRecordInput } from '../node/records/record-service.js'
import { createRecord, ed25519, ed25519Signer, parseRecord, signingInput, timestamp, verifyRecord } from '../record/index.js'
import { transportCeiling } from './bench-ceiling-transport.js'

export interface Ceilings {
  /** Records created and stored per second, in process. */
  readonly creation: number
  /** Records delivered per second from one node to another on this machine. */
  readonly delivery: number
  /**
   * The delivery ceiling again, its parse + verify stage measured now (for
   * about `ms`) and its other stages as measured first: on a shared machine the
   * one-core rate moves by tens of percent within minutes, so a figure taken
   * minutes after the ceiling is also read against one measured beside it.
   */
  readonly deliveryNow: (ms: number) => CeilingNow
  /** The creation ceiling again, its "build a record" stage measured now, the same way (see deliveryNow). */
  readonly creationNow: (ms: number) => CeilingNow
}

/** A ceiling measured again: the rate of the one stage measured now, and the ceiling with it. */
export interface CeilingNow { readonly rate: number, readonly ceiling: number }

/** A stage's rate and the CPU time (every thread) it took per record, in µs. */
interface Stage { readonly rate: number, readonly cpu: number }

const MiB = 1024 * 1024

function print (name: string, stage: Stage, extra = ''): void {
  console.log(`${name.padEnd(52)} ${stage.rate.toFixed(0).padStart(7)} /s  ${stage.cpu.toFixed(0).padStart(5)} µs CPU/record${extra}`)
}

/** Runs `op` `count` times in a row on this thread, after a warm-up of the JIT (`warmUp` runs). */
function timed (count: number, op: () => unknown, warmUp = Math.min(500, count)): Stage {
  for (let i = 0; i < warmUp; i++) op()
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (let i = 0; i < count; i++) op()
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  return { rate: count / seconds, cpu: (used.user + used.system) / count }
}

/**
 * `op`, a stage measured first as `first`, timed again for about `ms`: as
 * many runs as the first rate does in that time, after a short warm-up, as
 * the JIT is warm already.
 */
function timedAgain (first: Stage, ms: number, op: () => unknown): Stage {
  return timed(Math.max(50, Math.round(first.rate * ms / 1000)), op, 50)
}

async function inTempDir<T> (work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-bench-ceiling-'))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Synced one-entry batches in a row through the node's database: the most any sequential durable writer gets from this disk. */
async function syncFloor (count: number): Promise<Stage> {
  return await inTempDir(async dir => {
    const db = await Database.open(join(dir, 'db'))
    try {
      const entries = db.sublevel<string>('entries', 'utf8')
      const write = async (i: number): Promise<void> => { await db.commit([{ type: 'put', sublevel: entries, key: String(i), value: 'x' }] as never) }
      for (let i = 0; i < 200; i++) await write(i)
      const cpu = process.cpuUsage()
      const started = performance.now()
      for (let i = 0; i < count; i++) await write(i)
      const used = process.cpuUsage(cpu)
      return { rate: count / ((performance.now() - started) / 1000), cpu: (used.user + used.system) / count }
    } finally {
      await db.close()
    }
  })
}

/**
 * `count` values written in synced batches of `batch`, one batch after the
 * other as the node's group commit writes them, to a fresh LevelDB opened with
 * the node's options (storage/database.ts). Keys are random, as record ids are.
 */
async function batchedWrites (values: readonly Uint8Array[], batch: number, count: number): Promise<Stage> {
  return await inTempDir(async dir => {
    const db = new Level<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view', writeBufferSize: 32 * MiB } as { valueEncoding: 'view' })
    await db.open()
    try {
      // Whole batches: the measured loop writes `count` rounded up to one.
      const keys = Array.from({ length: (Math.ceil(count / batch) + 10) * batch }, () => randomBytes(20).toString('base64url'))
      let next = 0
      const write = async (): Promise<void> => {
        const b = db.batch()
        for (let i = 0; i < batch; i++) b.put(keys[next] as string, values[next++ % values.length] as Uint8Array)
        await b.write({ sync: true })
      }
      for (let i = 0; i < 10; i++) await write()
      const cpu = process.cpuUsage()
      const started = performance.now()
      let written = 0
      for (; written < count; written += batch) await write()
      const used = process.cpuUsage(cpu)
      return { rate: written / ((performance.now() - started) / 1000), cpu: (used.user + used.system) / written }
    } finally {
      await db.close()
    }
  })
}

/** A ceiling: the least of its bounds, each printed with what it is (unless `name` is undefined). */
function ceiling (name: string | undefined, bounds: ReadonlyArray<readonly [string, number]>): number {
  const least = Math.min(...bounds.map(([, rate]) => rate))
  if (name === undefined) return least
  console.log(`${name.padEnd(52)} ${least.toFixed(0).padStart(7)} /s = the least of`)
  for (const [what, rate] of bounds) console.log(`    ${rate.toFixed(0).padStart(7)} /s  ${what}`)
  return least
}

export async function ceilingBench (input: Omit<CreateRecordInput, 'share'>, scale: number): Promise<Ceilings> {
  const n = (count: number): number => Math.max(200, Math.round(count * scale))
  const cores = availableParallelism()
  const signer = ed25519Signer(randomBytes(32))
  const draft = { ...input, issuedAt: timestamp() }
  const record = createRecord(signer, draft)
  const leaves = record.disclosures.length
  const size = record.bytes.length
  console.log(`machine ceilings: ${cores} cores available; the bench's record signed is ${size} bytes with ${leaves} leaves (fields)`)

  const message = signingInput(record.envelopeBytes)
  const signature = signer.sign(message)
  print('Ed25519 sign (node:crypto), one core', timed(n(20_000), () => signer.sign(message)))
  print('Ed25519 verify (node:crypto), one core', timed(n(10_000), () => ed25519.verify(signer.publicKey, message, signature)))
  // Distinct records to write below, as the node's are.
  const built: Uint8Array[] = []
  const build = timed(n(5_000), () => { built.push(createRecord(signer, draft).bytes) })
  print(`build a record (${leaves} leaves), one core`, build)
  const parseAndVerify = (): unknown => verifyRecord(parseRecord(record.bytes))
  const verify = timed(n(5_000), parseAndVerify)
  print('parse + verify a record, one core', verify)
  const values = built.slice(-1024)

  print('disk: synced writes in a row (a bound)', await syncFloor(n(3_000)))
  const write32 = await batchedWrites(values, 32, n(32 * 600))
  print('LevelDB: synced batches of 32 records', write32, `  ${(write32.rate * size / MiB).toFixed(1)} MB/s`)
  const write256 = await batchedWrites(values, 256, n(256 * 200))
  print('LevelDB: synced batches of 256 records', write256, `  ${(write256.rate * size / MiB).toFixed(1)} MB/s`)

  const carried = await transportCeiling(record.bytes, Math.max(40, Math.round(200 * scale)))
  const transport = { rate: carried.records / carried.seconds, cpu: carried.cpu / carried.records }
  print('libp2p, 256 records a request, 4 in flight', transport, `  ${(carried.bytes / carried.seconds / MiB).toFixed(1)} MB/s, CPU of both processes`)

  console.log('')
  // Creating: the node keeps its event loop and its signing workers (none on
  // fewer than 4 cores, node/setup/config.ts) busy with records, and LevelDB
  // writes on a thread of its own. The ceiling counts each of those threads as
  // building records at the one-core rate, the least work a record needs,
  // bounded by the synced batches the group commit writes with 32 requests in
  // flight. All else the node does per record (validating and indexing it,
  // handing it to a worker) is keruen's own cost: what the share leaves.
  const workers = process.env.BENCH_WORKERS !== undefined ? Number(process.env.BENCH_WORKERS) : DEFAULT_CONFIG.signingWorkers
  const builders = Math.min(cores, 1 + workers)
  const creationWith = (name: string | undefined, build: Stage): number => ceiling(name, [
    [`build a record × ${builders} thread(s): the event loop + ${workers} signing worker(s)`, build.rate * builders],
    ['LevelDB synced batches of 32 (the group commit of 32 in flight)', write32.rate]
  ])
  const creation = creationWith('creation ceiling (in process)', build)
  const creationNow = (ms: number): CeilingNow => {
    const now = timedAgain(build, ms, () => createRecord(signer, draft))
    return { rate: now.rate, ceiling: creationWith(undefined, now) }
  }
  // Delivering between two nodes on this machine: the transport as measured
  // (both processes, a core each at most); the receiver parsing and verifying
  // every record on its verification workers; its synced batches of 256; and
  // every core of the machine shared by all that CPU work, both sides
  // together. The backlog is signed before it is timed, and one receipt signed
  // and verified per 256 records costs next to nothing, so neither counts.
  const verifiers = Math.max(1, DEFAULT_CONFIG.verifyWorkers)
  const deliveryWith = (name: string | undefined, verify: Stage): number => {
    const shared = transport.cpu + verify.cpu + write256.cpu
    return ceiling(name, [
      ['libp2p transport', transport.rate],
      [`parse + verify a record × ${verifiers} verification worker(s) of the receiver`, verify.rate * verifiers],
      ['LevelDB synced batches of 256', write256.rate],
      [`${cores} cores ÷ (transport ${transport.cpu.toFixed(0)} + verify ${verify.cpu.toFixed(0)} + write ${write256.cpu.toFixed(0)} µs CPU/record)`, cores * 1e6 / shared]
    ])
  }
  const delivery = deliveryWith('delivery ceiling (two nodes on this machine)', verify)
  const deliveryNow = (ms: number): CeilingNow => {
    const now = timedAgain(verify, ms, parseAndVerify)
    return { rate: now.rate, ceiling: deliveryWith(undefined, now) }
  }
  return { creation, delivery, deliveryNow, creationNow }
}
