/**
 * A task asked for again and again, run no more than needed: one run at a
 * time, and every ask during a run shares the one run after it. Each caller's
 * run still starts after its ask, so it sees whatever the caller changed.
 */
export class Coalesced {
  private current: Promise<void> | undefined
  private next: Promise<void> | undefined

  constructor (private readonly task: () => Promise<void>) {}

  async run (): Promise<void> {
    if (this.next !== undefined) return await this.next
    const after = this.current ?? Promise.resolve()
    const next: Promise<void> = after.catch(() => {}).then(async () => {
      // Asks from now on need a run that starts after this one has.
      this.next = undefined
      this.current = next
      try {
        await this.task()
      } finally {
        if (this.current === next) this.current = undefined
      }
    })
    this.next = next
    return await next
  }
}
