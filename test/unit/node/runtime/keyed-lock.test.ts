/**
 * The keyed lock: work on one key runs one at a time, in the order it asked;
 * work on other keys runs at once; sets of keys taken in any order never
 * deadlock; failed work frees its keys.
 */
import assert from 'node:assert/strict'
import { KeyedLock } from '../../../../node/runtime/keyed-lock.js'

const tick = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }

describe('keyed lock', () => {
  it('runs work on one key one at a time, in the order it asked', async () => {
    const lock = new KeyedLock()
    const log: string[] = []
    const gates = [Promise.withResolvers<void>(), Promise.withResolvers<void>(), Promise.withResolvers<void>()]
    const runs = gates.map(async (gate, i) => await lock.run(['a'], async () => {
      log.push(`start ${i}`)
      await gate.promise
      log.push(`end ${i}`)
    }))
    await tick()
    assert.deepEqual(log, ['start 0'])
    // Released out of order, they still end in the order they asked.
    gates[2]?.resolve()
    gates[1]?.resolve()
    await tick()
    assert.deepEqual(log, ['start 0'])
    gates[0]?.resolve()
    await Promise.all(runs)
    assert.deepEqual(log, ['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2'])
  })

  it('starts work whose keys nobody holds at once, while other keys are held', async () => {
    const lock = new KeyedLock()
    const held = Promise.withResolvers<void>()
    const holding = lock.run(['a'], async () => { await held.promise })
    let started = false
    // Free keys are taken without waiting for a turn of the event loop.
    const free = lock.run(['b', 'c'], async () => { started = true })
    assert.equal(started, true)
    await free
    let waited = false
    const blocked = lock.run(['c', 'a'], async () => { waited = true })
    await tick()
    assert.equal(waited, false, 'work sharing a held key waits for it')
    held.resolve()
    await Promise.all([holding, blocked])
    assert.equal(waited, true)
  })

  it('never deadlocks on overlapping sets of keys given in any order', async () => {
    const lock = new KeyedLock()
    const keys = ['a', 'b', 'c', 'd']
    const done: number[] = []
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      // Each asks for a different rotation of an overlapping set.
      const mine = [keys[i % 4], keys[(i + 1) % 4], keys[(i + 2) % 4]] as string[]
      await lock.run(i % 2 === 0 ? mine : [...mine].reverse(), async () => {
        await tick()
        done.push(i)
      })
    }))
    assert.equal(done.length, 40)
  })

  it('frees the keys of work that fails', async () => {
    const lock = new KeyedLock()
    await assert.rejects(lock.run(['a', 'b'], async () => { throw new Error('failed') }), /failed/)
    let ran = false
    await lock.run(['b', 'a'], async () => { ran = true })
    assert.equal(ran, true)
  })
})
