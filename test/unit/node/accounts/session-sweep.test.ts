/**
 * The session sweep as the node runs it: once at start, before the node
 * answers anyone, then every interval while it runs; a failure is logged and
 * the next sweep comes all the same; after stop, no more.
 */
import assert from 'node:assert/strict'
import { SessionSweep } from '../../../../node/accounts/session-sweep.js'
import { BackgroundTasks } from '../../../../node/runtime/background.js'
import { silentLogger } from '../../../../node/runtime/log.js'
import { until } from '../../../support/until.js'

describe('unit: session sweep', () => {
  it('sweeps at start, then every interval, goes on after a failure, and stops with the node', async () => {
    let sweeps = 0
    const accounts = {
      sweepSessions: async (): Promise<number> => {
        sweeps++
        if (sweeps === 2) throw new Error('the database is closing')
        return 1
      }
    }
    const warned: unknown[] = []
    const logger = silentLogger()
    logger.warn = ((obj: unknown) => { warned.push(obj) }) as typeof logger.warn
    const background = new BackgroundTasks(err => { throw err })
    const sweep = new SessionSweep({ accounts, background, logger }, 20)
    await sweep.start()
    assert.equal(sweeps, 1, 'the first sweep is done when start returns')
    await until(() => sweeps >= 4, 'three more sweeps', 5_000)
    assert.equal(warned.length, 1, 'the failed sweep was logged')
    await background.stop()
    sweep.stop()
    const after = sweeps
    await new Promise(resolve => setTimeout(resolve, 100))
    assert.equal(sweeps, after, 'no sweep after stop')
  })
})
