/**
 * Pieces of work taken in turns run in the order asked, a few per turn of the
 * event loop for about the turn's budget: what became ready meanwhile runs
 * between turns, not after all of them.
 */
import assert from 'node:assert/strict'
import { Turns } from '../../../../node/runtime/turns.js'

/** Holds the thread for `ms` milliseconds, as building a record does. */
function busy (ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

/** Counts the turns of the event loop until stopped: each count runs in a check phase of its own. */
function turnCounter (): { readonly now: () => number, readonly stop: () => void } {
  let count = 0
  let running = true
  const tick = (): void => {
    count++
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  return { now: () => count, stop: () => { running = false } }
}

describe('turns', () => {
  it('runs the pieces in order, with timers firing between them', async () => {
    const turns = new Turns()
    const order: string[] = []
    // Set by the first piece, so that it cannot fire before the pieces begin
    // however slowly they are reached; the 39 after it hold the loop ~10 ms.
    let timer: Promise<void> | undefined
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      await turns.run(() => {
        order.push(`piece ${i}`)
        timer ??= new Promise<void>(resolve => setTimeout(() => { order.push('timer'); resolve() }, 1))
        busy(0.25)
      })
    }))
    await timer
    const pieces = order.filter(o => o !== 'timer')
    assert.deepEqual(pieces, Array.from({ length: 40 }, (_, i) => `piece ${i}`))
    const at = order.indexOf('timer')
    assert.ok(at > 0 && at < order.length - 1, `the timer fired at ${at} of ${order.length}: not between pieces`)
  })

  it('runs pieces back to back within a turn until its budget is spent, at least one however long', async () => {
    const budget = 2
    const turns = new Turns(budget)
    const counter = turnCounter()
    const seen: number[] = []
    try {
      // 0.5 ms each: four start within a 2 ms budget, the fifth waits for the next turn.
      await Promise.all(Array.from({ length: 20 }, async () => {
        await turns.run(() => {
          seen.push(counter.now())
          busy(0.5)
        })
      }))
      // One piece longer than the budget runs alone, whole.
      const long = await turns.run(() => { busy(budget * 2); return 'done' })
      assert.equal(long, 'done')
    } finally {
      counter.stop()
    }
    const perTurn = [...new Set(seen)].map(turn => seen.filter(t => t === turn).length)
    assert.ok(perTurn.length > 1, `all 20 pieces ran in one turn: ${JSON.stringify(perTurn)}`)
    assert.ok(perTurn.every(n => n <= budget / 0.5 + 1), `a turn ran more pieces than its budget allows: ${JSON.stringify(perTurn)}`)
    assert.ok(perTurn.some(n => n > 1), `every turn ran one piece: ${JSON.stringify(perTurn)}`)
  })

  it('hands back what a piece returns or throws, and goes on after a piece that throws', async () => {
    const turns = new Turns()
    const results = await Promise.allSettled([
      turns.run(() => 1),
      turns.run(() => { throw new Error('refused') }),
      turns.run(() => 3)
    ])
    assert.deepEqual(results.map(r => r.status === 'fulfilled' ? r.value : (r.reason as Error).message), [1, 'refused', 3])
  })

  it('goes on after it has run dry', async () => {
    const turns = new Turns()
    assert.equal(await turns.run(() => 'a'), 'a')
    assert.deepEqual(await Promise.all([turns.run(() => 'b'), turns.run(() => 'c')]), ['b', 'c'])
    assert.equal(await turns.run(() => 'd'), 'd')
  })
})
