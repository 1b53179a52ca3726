/**
 * A task asked for many times runs no more than needed, yet every ask is
 * answered by a run that started after it.
 */
import assert from 'node:assert/strict'
import { Coalesced } from '../../../../node/runtime/coalesced.js'

describe('coalesced task', () => {
  it('runs once for asks before it starts, once more for all asks during a run', async () => {
    let runs = 0
    let release: () => void = () => {}
    const started: number[] = []
    const task = new Coalesced(async () => {
      started.push(++runs)
      await new Promise<void>(resolve => { release = resolve })
    })
    // Asked three times in a row: one run.
    const first = [task.run(), task.run(), task.run()]
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(started, [1])
    // Asked during that run: one more run, after it.
    const second = [task.run(), task.run()]
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(started, [1], 'the next run waits for the one under way')
    release()
    await Promise.all(first)
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(started, [1, 2])
    release()
    await Promise.all(second)
    assert.equal(runs, 2)
    // Nothing under way: the next ask runs again.
    const third = task.run()
    await new Promise(resolve => setImmediate(resolve))
    release()
    await third
    assert.equal(runs, 3)
  })

  it('passes a failure to the asks of that run only', async () => {
    let fail = true
    const task = new Coalesced(async () => {
      if (fail) throw new Error('store unavailable')
    })
    await assert.rejects(task.run(), /store unavailable/)
    fail = false
    await task.run()
  })
})
