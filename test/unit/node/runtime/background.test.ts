/**
 * Background tasks: follow-up work runs without being awaited, its failures
 * are reported while the node runs and dropped once it stops, and stop waits
 * for what runs and takes nothing new.
 */
import assert from 'node:assert/strict'
import { BackgroundTasks } from '../../../../node/runtime/background.js'

function deferred (): { promise: Promise<void>, resolve: () => void, reject: (err: Error) => void } {
  return Promise.withResolvers<void>()
}

describe('unit: background tasks', () => {
  it('reports a failure while running, and waits in stop for the tasks under way', async () => {
    const warned: Error[] = []
    const tasks = new BackgroundTasks(err => { warned.push(err) })
    const failing = deferred()
    tasks.run(async () => { await failing.promise })
    assert.equal(tasks.size, 1)
    failing.reject(new Error('judging failed'))
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(warned.map(e => e.message), ['judging failed'])
    assert.equal(tasks.size, 0)

    const slow = deferred()
    tasks.run(async () => { await slow.promise })
    let stopped = false
    const stopping = tasks.stop().then(() => { stopped = true })
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(stopped, false, 'stop waits for the task under way')
    slow.resolve()
    await stopping
    assert.equal(tasks.size, 0)
  })

  it('takes no task once stopping, and drops the failures of those that end meanwhile', async () => {
    const warned: Error[] = []
    const tasks = new BackgroundTasks(err => { warned.push(err) })
    const closing = deferred()
    tasks.run(async () => { await closing.promise })
    const stopping = tasks.stop()
    let ran = false
    tasks.run(async () => { ran = true })
    assert.equal(ran, false)
    closing.reject(new Error('database is closed'))
    await stopping
    assert.deepEqual(warned, [])
    // Started again, it takes tasks again.
    tasks.start()
    tasks.run(async () => { ran = true })
    await tasks.stop()
    assert.equal(ran, true)
  })
})
