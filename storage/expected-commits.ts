/**
 * Commits announced before they are made. A writer that is about to commit
 * (the record service, from the moment it builds and signs a record until its
 * commit is queued) says so, and the group commit waits for it while its group
 * is still small: a synced batch then carries several records, not one, while
 * the event loop builds the records after them. A writer that does not
 * announce itself is never waited for; an announcement must end, in a
 * `finally`, whether or not the commit is made.
 */
export interface ExpectedCommit {
  /** The commit is queued, or will not be made. Idempotent. */
  end: () => void
}

export class ExpectedCommits {
  private count = 0
  private waiter: (() => void) | undefined

  /** Announcements not yet ended. */
  get pending (): number {
    return this.count
  }

  expect (): ExpectedCommit {
    this.count++
    let ended = false
    return {
      end: () => {
        if (ended) return
        ended = true
        this.count--
        this.changed()
      }
    }
  }

  /** Wakes whoever waits in untilChanged(): a commit was queued, an announcement ended, or the database closes. */
  changed (): void {
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.()
  }

  /** Resolves at the next changed(). One waiter at a time: the database's flush. */
  async untilChanged (): Promise<void> {
    await new Promise<void>(resolve => { this.waiter = resolve })
  }
}
