/**
 * Outbox entries their recipient refused: a record it will not store (a type
 * or a schema version it does not know yet, say). Each backs off on its own,
 * so that one such record neither holds up the rest of the queue nor makes the
 * recipient back off as if it were unreachable. Kept in memory: after a
 * restart each is simply tried once more.
 */
import { backOffMs } from '../runtime/back-off.js'

export interface RefusedEntry {
  readonly attempts: number
  readonly lastError: string
  readonly lastAttemptAt: string
  readonly notBefore: number
}

export class RefusedEntries {
  /** By recipient, by outbox key. */
  private readonly byRecipient = new Map<string, Map<string, RefusedEntry>>()

  constructor (private readonly retryMs: number, private readonly maxRetryMs: number, private readonly clock: () => number) {}

  /** The recipient refused the entry at `key` (its outbox key) again. */
  refused (recipient: string, key: string, error: string): void {
    let entries = this.byRecipient.get(recipient)
    if (entries === undefined) this.byRecipient.set(recipient, entries = new Map())
    const attempts = (entries.get(key)?.attempts ?? 0) + 1
    const now = this.clock()
    entries.set(key, {
      attempts,
      lastError: error,
      lastAttemptAt: new Date(now).toISOString(),
      notBefore: now + backOffMs(attempts, this.retryMs, this.maxRetryMs)
    })
  }

  /** The entry left the outbox: delivered, or dropped. */
  settled (recipient: string, key: string): void {
    const entries = this.byRecipient.get(recipient)
    entries?.delete(key)
    if (entries?.size === 0) this.byRecipient.delete(recipient)
  }

  get (recipient: string, key: string): RefusedEntry | undefined {
    return this.byRecipient.get(recipient)?.get(key)
  }

  /** Whether the entry is backing off at `now`. */
  waiting (recipient: string, key: string, now: number): boolean {
    return (this.get(recipient, key)?.notBefore ?? 0) > now
  }

  /** When the recipient's first refused entry may go again; undefined if none is refused. */
  nextDue (recipient: string): number | undefined {
    let next: number | undefined
    for (const entry of this.byRecipient.get(recipient)?.values() ?? []) {
      if (next === undefined || entry.notBefore < next) next = entry.notBefore
    }
    return next
  }

  /** The recipient came back (perhaps upgraded): each of its refused entries is tried once more, at once. */
  forget (recipient: string): void {
    this.byRecipient.delete(recipient)
  }
}
