/**
 * Work that holds the event loop for a while, done a few pieces per turn of
 * it. Building and signing a record on the main thread takes some 150–400 µs;
 * when thirty records are asked for at once, built back to back they would
 * hold the loop for 10 ms, and the group commit's completion, requests and
 * network frames would wait behind all of them. So a turn runs pieces back to
 * back for about its budget, then lets the I/O callbacks that became ready
 * run before the next turn goes on.
 *
 * Why several pieces a turn and not one: each turn of the loop costs a poll
 * for I/O, and a piece run between I/O callbacks finds its code and data out
 * of the processor's caches; one record a turn cost the event loop more time
 * per record than a few, behind the HTTP API most.
 */

/** How long a turn runs pieces back to back before the loop takes its I/O, in ms. */
const TURN_BUDGET_MS = 0.5

export class Turns {
  private readonly queue: Array<() => void> = []
  private scheduled = false

  /** `budgetMs`: a turn starts no further piece once it has run this long (it always runs one). */
  constructor (private readonly budgetMs = TURN_BUDGET_MS) {}

  /** Runs `work` in a turn, after every piece asked for before it; resolves with what it returns, rejects with what it throws. */
  async run<T> (work: () => T): Promise<T> {
    return await new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        try {
          resolve(work())
        } catch (err) {
          reject(err)
        }
      })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(this.release)
      }
    })
  }

  // An immediate set from an immediate runs in the next turn, after that
  // turn's I/O callbacks.
  private readonly release = (): void => {
    const started = performance.now()
    do this.queue.shift()?.()
    while (this.queue.length > 0 && performance.now() - started < this.budgetMs)
    if (this.queue.length > 0) setImmediate(this.release)
    else this.scheduled = false
  }
}
