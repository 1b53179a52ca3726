/**
 * The heap growing factor a node's process sets: it takes effect at run time,
 * in the state the memory reducer leaves V8 in, and gives way to one set on
 * Node.js's command line.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { steadyHeapGrowth } from '../../../../node/runtime/heap-growth.js'

const MODULE = new URL('../../../../node/runtime/heap-growth.js', import.meta.url).href

/**
 * A program that holds about 20 MB live and keeps replacing 20 000 objects
 * that live long enough to reach the old generation, as a node's records in
 * flight do; it prints how many full collections it took.
 */
const WORKLOAD = `
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { steadyHeapGrowth } from ${JSON.stringify(MODULE)}
if (process.argv.includes('steady')) steadyHeapGrowth()
let full = 0
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++
}).observe({ entryTypes: ['gc'] })
const live = Array.from({ length: 150_000 }, (_, i) => ({ i, s: 'live ' + i, a: [i, i + 1, i + 2] }))
const ring = new Array(20_000)
for (let i = 0; i < 2_000_000; i++) ring[i % ring.length] = { i, s: 'item ' + i, a: [i, i, i, i, i, i, i, i] }
await new Promise(resolve => setTimeout(resolve, 50))
process.stdout.write(JSON.stringify({ full, live: live.length, ring: ring.length }))
`

/**
 * Full collections the workload takes. --optimize-for-size puts V8 in the
 * state the memory reducer leaves it in (growth capped at 1.3 times what is
 * live), which is otherwise reached only after minutes of running.
 */
async function fullCollections (...args: string[]): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--optimize-for-size', '--input-type=module', '-e', WORKLOAD, '--', ...args])
  return (JSON.parse(stdout) as { full: number }).full
}

describe('heap growth', function () {
  this.timeout(30_000)

  it('set at run time, cuts the full collections of a heap that grows slowly by more than half', async () => {
    const slow = await fullCollections()
    const steady = await fullCollections('steady')
    assert.ok(slow >= 10, `the workload took only ${slow} full collections without the setting: it no longer shows the slow growth`)
    assert.ok(steady * 2 <= slow, `${steady} full collections with the setting against ${slow} without`)
  })

  it('leaves a factor given on the command line as it is, with _ or - between the words', () => {
    assert.equal(steadyHeapGrowth(100, ['--heap-growing-percent=50']), undefined)
    assert.equal(steadyHeapGrowth(100, ['--expose-gc', '--heap_growing_percent=50']), undefined)
  })

  it('refuses a percentage that is not a whole number from 1 to 300', () => {
    for (const bad of [0, -5, 1.5, 301, Number.NaN]) {
      assert.throws(() => steadyHeapGrowth(bad, []), RangeError)
    }
  })
})
