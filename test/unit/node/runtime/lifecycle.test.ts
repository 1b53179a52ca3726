/**
 * startAll and stopAll over components that only record what is done to
 * them: start in order, stop in reverse, a failed start undoes what started,
 * and a failing stop does not keep the others running.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { startAll, stopAll, type Startable } from '../../../../node/runtime/lifecycle.js'

describe('unit: lifecycle', () => {
  let log: string[]

  /** A component named `name` that logs its start and stop, after a tick (they are awaited in turn). */
  const component = (name: string, fail: { start?: Error, stop?: Error } = {}): Startable => ({
    start: async () => {
      await sleep(1)
      log.push(`start ${name}`)
      if (fail.start !== undefined) throw fail.start
    },
    stop: async () => {
      await sleep(1)
      log.push(`stop ${name}`)
      if (fail.stop !== undefined) throw fail.stop
    }
  })

  beforeEach(() => { log = [] })

  it('starts in order and stops in reverse, skipping what has no start or stop', async () => {
    const [a, b, c] = [component('a'), component('b'), component('c')]
    const syncOnly: Startable = { start: () => { log.push('start sync') } }
    const started = await startAll([a, b, {}, syncOnly, c])
    assert.deepEqual(log, ['start a', 'start b', 'start sync', 'start c'])
    assert.equal(started.length, 5)
    log = []
    await stopAll(started)
    assert.deepEqual(log, ['stop c', 'stop b', 'stop a'])
  })

  it('a failing start stops those already started, last first, and rethrows; the rest never start', async () => {
    const failure = new Error('port in use')
    await assert.rejects(startAll([component('a'), component('b'), component('c', { start: failure }), component('d')]), err => err === failure)
    assert.deepEqual(log, ['start a', 'start b', 'start c', 'stop b', 'stop a'])
  })

  it('stopAll stops every component even when some fail, and rethrows the first failure', async () => {
    const first = new Error('b would not stop')
    const second = new Error('a would not stop')
    await assert.rejects(stopAll([component('a', { stop: second }), component('b', { stop: first }), component('c')]), err => err === first)
    assert.deepEqual(log, ['stop c', 'stop b', 'stop a'])
  })

  it('a failed start whose undoing fails too stops every started one and rethrows the start\'s failure, the one that says what to fix', async () => {
    const startFailure = new Error('c failed')
    const stopFailure = new Error('b failed to stop')
    await assert.rejects(startAll([component('a'), component('b', { stop: stopFailure }), component('c', { start: startFailure })]), err => err === startFailure)
    assert.deepEqual(log, ['start a', 'start b', 'start c', 'stop b', 'stop a'])
  })
})
