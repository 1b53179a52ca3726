/**
 * Follow-up work that must not hold up whoever starts it (judging a peer again
 * after a trust record arrives, say), yet must end before the node closes.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>()
  private stopping = false

  /**
   * @param warn told of a task's failure while the node runs; once it is
   *   stopping, failures are expected (the database is closing) and dropped.
   */
  constructor (private readonly warn: (err: Error) => void) {}

  run (task: () => Promise<void>): void {
    if (this.stopping) return
    const run: Promise<void> = task()
      .catch((err: Error) => { if (!this.stopping) this.warn(err) })
      .finally(() => this.running.delete(run))
    this.running.add(run)
  }

  get size (): number {
    return this.running.size
  }

  start (): void {
    this.stopping = false
  }

  /** Takes no new task and waits for those under way. */
  async stop (): Promise<void> {
    this.stopping = true
    await Promise.allSettled([...this.running])
  }
}
