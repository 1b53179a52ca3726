/**
 * The retry loop with a drain the test controls and a fake clock: one drain
 * per key at a time, once more when poked meanwhile; failures back a key off,
 * doubling up to maxRetryMs; reset forgets the back-off; stop waits for the
 * drains under way and nothing runs after it.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../../../node/runtime/log.js'
import { RetryLoop, type RetryLoopInit } from '../../../../node/runtime/retry-loop.js'

interface Deferred { promise: Promise<void>, resolve: () => void }
function deferred (): Deferred {
  return Promise.withResolvers<void>()
}

/** Lets pending promise callbacks run. */
const settle = async (): Promise<void> => { await sleep(0) }

describe('unit: retry loop', () => {
  let now: number
  const clock = (): number => now
  let loops: RetryLoop[]
  const loop = (init: Partial<RetryLoopInit> & Pick<RetryLoopInit, 'drain'>): RetryLoop => {
    const l = new RetryLoop({ keys: () => [], intervalMs: 60_000, clock, ...init })
    loops.push(l)
    return l
  }

  beforeEach(() => {
    now = Date.parse('2026-11-02T08:00:00.000Z')
    loops = []
  })
  afterEach(async () => {
    for (const l of loops) await l.stop()
  })

  it('runs one drain per key at a time, and one more when asked for meanwhile however often', async () => {
    const gate = deferred()
    const calls: string[] = []
    let active = 0
    let most = 0
    const l = loop({
      drain: async key => {
        calls.push(key)
        active++
        most = Math.max(most, active)
        if (key === 'a' && calls.filter(k => k === 'a').length === 1) await gate.promise
        active--
      }
    })
    l.start()
    const first = l.flush('a')
    l.poke('a')
    l.poke('a')
    const waiting = l.flush('a')
    await settle()
    assert.deepEqual(calls, ['a'])
    // Another key is not held up by the first.
    await l.flush('b')
    assert.deepEqual(calls, ['a', 'b'])

    let waited = false
    void waiting.then(() => { waited = true })
    await settle()
    assert.equal(waited, false, 'a caller finding a drain running waits for it')
    gate.resolve()
    await Promise.all([first, waiting])
    assert.deepEqual(calls, ['a', 'b', 'a'])
    assert.equal(most, 2, 'a and b ran together, never two of a')
    // Nothing asked meanwhile: one drain.
    await l.flush('a')
    assert.deepEqual(calls, ['a', 'b', 'a', 'a'])
  })

  it('backs a failing key off, doubling up to maxRetryMs, and drains it again only once due', async () => {
    const warned: unknown[][] = []
    const informed: unknown[][] = []
    const logger = { warn: (...args: unknown[]) => warned.push(args), info: (...args: unknown[]) => informed.push(args) } as unknown as Logger
    let drained = 0
    const l = loop({ drain: async () => { drained++ }, retryMs: 100, maxRetryMs: 300, logger, what: 'delivery' })
    l.start()

    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      l.failed('peer', `refused ${i}`)
      waits.push((l.state('peer')?.notBefore ?? 0) - now)
    }
    assert.deepEqual(waits, [100, 200, 300, 300])
    assert.deepEqual(l.state('peer'), { attempts: 4, lastError: 'refused 3', lastAttemptAt: new Date(now).toISOString(), notBefore: now + 300 })
    assert.deepEqual(warned[0], [{ to: 'peer', attempts: 1, retryInMs: 100, error: 'refused 0' }, 'delivery failed'])

    assert.equal(l.waiting('peer'), true)
    l.poke('peer')
    await settle()
    assert.equal(drained, 0, 'a key backing off is not drained when poked')
    now += 299
    l.poke('peer')
    await settle()
    assert.equal(drained, 0)
    now += 1
    assert.equal(l.waiting('peer'), false)
    l.poke('peer')
    await settle()
    assert.equal(drained, 1)

    l.succeeded('peer')
    assert.equal(l.state('peer'), undefined)
    assert.deepEqual(informed, [[{ to: 'peer', failedAttempts: 4 }, 'delivery works again']])
    l.succeeded('peer')
    assert.equal(informed.length, 1, 'a key that had not failed is not reported working again')
  })

  it('does not drain again a key that failed while it was asked for meanwhile', async () => {
    const gate = deferred()
    let drained = 0
    const l: RetryLoop = loop({
      drain: async key => {
        drained++
        await gate.promise
        l.failed(key, 'unreachable')
      }
    })
    l.start()
    const running = l.flush('peer')
    l.poke('peer')
    gate.resolve()
    await running
    assert.equal(drained, 1)
  })

  it('reset clears the back-off: the key is due at once and its next failure waits retryMs again', async () => {
    let drained = 0
    const l = loop({ drain: async () => { drained++ }, retryMs: 100, maxRetryMs: 10_000 })
    l.start()
    for (let i = 0; i < 5; i++) l.failed('peer', 'down')
    assert.equal((l.state('peer')?.notBefore ?? 0) - now, 1600)
    l.reset('peer')
    assert.equal(l.waiting('peer'), false)
    assert.equal(l.state('peer')?.attempts, 0)
    l.poke('peer')
    await settle()
    assert.equal(drained, 1)
    l.failed('peer', 'down again')
    assert.equal((l.state('peer')?.notBefore ?? 0) - now, 100)

    // A resting key waits until its time, or until reset or poked.
    l.rest('idle', now + 5000)
    assert.equal(l.waiting('idle'), true)
    assert.equal(l.waiting('idle', now + 5000), false)
    l.reset('idle')
    assert.equal(l.waiting('idle'), false)
    l.forget('peer')
    assert.equal(l.state('peer'), undefined)
  })

  it('drains on each tick the keys due, leaving alone those backing off or resting', async () => {
    const drained = new Map<string, number>()
    const l = loop({ keys: () => ['due', 'failing', 'resting'], drain: async key => { drained.set(key, (drained.get(key) ?? 0) + 1) }, intervalMs: 2, retryMs: 60_000 })
    l.failed('failing', 'down')
    l.rest('resting', now + 60_000)
    l.start()
    for (let i = 0; i < 200 && (drained.get('due') ?? 0) < 3; i++) await sleep(2)
    assert.ok((drained.get('due') ?? 0) >= 3, 'the due key is drained tick after tick')
    assert.equal(drained.get('failing'), undefined)
    assert.equal(drained.get('resting'), undefined)
  })

  it('stop waits for the drains under way, and then nothing ticks or drains', async () => {
    const gate = deferred()
    let keyReads = 0
    let drained = 0
    const l = loop({
      keys: () => { keyReads++; return [] },
      drain: async () => { drained++; await gate.promise },
      intervalMs: 2
    })
    l.start()
    await sleep(20)
    assert.ok(keyReads > 1, 'the loop ticks while running')
    const running = l.flush('peer')
    await settle()
    assert.equal(drained, 1)

    let stopped = false
    const stopping = l.stop().then(() => { stopped = true })
    await sleep(10)
    assert.equal(stopped, false, 'stop waits for the drain under way')
    assert.equal(l.isStopped, true)
    gate.resolve()
    await stopping
    await running

    const reads = keyReads
    await sleep(30)
    assert.equal(keyReads, reads, 'no tick after stop')
    l.poke('peer')
    await l.flush('peer')
    assert.equal(drained, 1, 'no drain after stop')
  })
})
