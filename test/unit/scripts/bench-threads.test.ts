/**
 * The bench's CPU time by kind of thread: /proc stat lines read as the kernel
 * writes them (names with spaces and parentheses), thread kinds summed, and
 * no split where threads cannot be told apart.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeThreads, parseTaskStat, perRecord, threadCpu } from '../../../scripts/bench-threads.js'

/** A stat line as Linux writes it, with utime and stime in ticks of 1/100 s. */
const stat = (tid: number, name: string, utime: number, stime: number): string =>
  `${tid} (${name}) S 1 ${tid} ${tid} 0 -1 4194624 3517 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 1234 1186000896 15322 18446744073709551615 1 1 0 0 0 0 0 16781312 17922 0 0 0 -1 1 0 0 0 0 0\n`

describe('bench: CPU time by kind of thread', () => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'keruen-threads-')) })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  /** A fake /proc/<pid>/task with one directory per thread. */
  const tasks = async (threads: Array<[number, string, number, number]>): Promise<string> => {
    for (const [tid, name, utime, stime] of threads) {
      await mkdir(join(dir, String(tid)))
      await writeFile(join(dir, String(tid), 'stat'), stat(tid, name, utime, stime))
    }
    return dir
  }

  it('reads a thread\'s name and user + system time, in µs', () => {
    assert.deepEqual(parseTaskStat(stat(7, 'V8Worker', 12, 3)), { name: 'V8Worker', µs: 150_000 })
  })

  it('counts the fields from the last parenthesis: a name may hold spaces and parentheses', () => {
    assert.deepEqual(parseTaskStat(stat(7, 'a) b (c', 1, 2)), { name: 'a) b (c', µs: 30_000 })
  })

  it('refuses a line that is not a stat line', () => {
    assert.equal(parseTaskStat('no name here'), undefined)
    assert.equal(parseTaskStat('7 (x) S 1 2'), undefined)
    assert.equal(parseTaskStat(stat(7, 'x', -1, 0)), undefined)
  })

  it('sums the threads of each kind, the unknown ones as other', async () => {
    const split = threadCpu(await tasks([
      [100, 'MainThread', 50, 10],
      [101, 'V8Worker', 5, 0],
      [102, 'V8Worker', 7, 1],
      [103, 'libuv-worker', 2, 2],
      [104, 'WorkerThread', 90, 0],
      [105, 'DelayedTaskSche', 1, 0]
    ]))
    assert.deepEqual(split, { 'event loop': 600_000, 'V8 helpers': 130_000, 'libuv pool': 40_000, workers: 900_000, other: 10_000 })
  })

  it('gives no split where the threads are not named (Node.js 22) or there is no /proc', async () => {
    assert.equal(threadCpu(await tasks([[100, 'node', 50, 10], [101, 'node', 5, 0], [102, 'DelayedTaskSche', 0, 0]])), undefined)
    assert.equal(threadCpu(join(dir, 'absent')), undefined)
  })

  it('reads this process\'s own threads on Linux', function () {
    if (process.platform !== 'linux' || Number(process.versions.node.split('.')[0]) < 24) this.skip()
    const split = threadCpu()
    assert.ok(split !== undefined && (split['event loop'] ?? 0) > 0)
  })

  it('divides what each kind spent by the records, and prints the largest first', () => {
    const per = perRecord({ 'event loop': 1_000, workers: 500 }, { 'event loop': 3_000, workers: 4_500, 'V8 helpers': 200 }, 10)
    assert.deepEqual(per, { 'event loop': 200, workers: 400, 'V8 helpers': 20 })
    assert.equal(describeThreads({ ...per, other: 0.4 }), 'workers 400, event loop 200, V8 helpers 20')
  })
})
