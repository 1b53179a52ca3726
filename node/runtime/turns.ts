/**
 * Work that holds the event loop for a while, done one piece per turn of it.
 * Building and signing a record on the main thread takes some 200–400 µs;
 * when thirty records are asked for at once, built back to back they would
 * hold the loop for 10 ms, and the group commit's completion, requests and
 * network frames would wait behind all of them. Taking turns, each piece runs
 * in a turn of its own, after the I/O callbacks of the turn before.
 */
export class Turns {
  private readonly waiting: Array<() => void> = []
  private scheduled = false

  /** Resolves in a turn of its own, after every turn asked for before it. */
  async next (): Promise<void> {
    await new Promise<void>(resolve => {
      this.waiting.push(resolve)
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(this.release)
      }
    })
  }

  // One waiter per check phase: an immediate set from an immediate runs in the
  // next turn, after that turn's I/O callbacks.
  private readonly release = (): void => {
    this.waiting.shift()?.()
    if (this.waiting.length > 0) setImmediate(this.release)
    else this.scheduled = false
  }
}
