/**
 * Pieces of work taken in turns run one per turn of the event loop, in the
 * order asked: what became ready meanwhile runs between them, not after all.
 */
import assert from 'node:assert/strict'
import { Turns } from '../../../../node/runtime/turns.js'

/** Holds the thread for `ms` milliseconds, as building a record does. */
function busy (ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

describe('turns', () => {
  it('runs each piece in a turn of its own, in order, with timers firing between pieces', async () => {
    const turns = new Turns()
    const order: string[] = []
    // Set by the first piece, so that it cannot fire before the pieces begin
    // however slowly they are reached; the 39 after it hold the loop ~10 ms.
    let timer: Promise<void> | undefined
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      await turns.next()
      order.push(`piece ${i}`)
      timer ??= new Promise<void>(resolve => setTimeout(() => { order.push('timer'); resolve() }, 1))
      busy(0.25)
    }))
    await timer
    const pieces = order.filter(o => o !== 'timer')
    assert.deepEqual(pieces, Array.from({ length: 40 }, (_, i) => `piece ${i}`))
    const at = order.indexOf('timer')
    assert.ok(at > 0 && at < order.length - 1, `the timer fired at ${at} of ${order.length}: not between pieces`)
  })

  it('goes on after it has run dry', async () => {
    const turns = new Turns()
    await turns.next()
    await Promise.all([turns.next(), turns.next()])
    await turns.next()
  })
})
