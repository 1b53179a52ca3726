/**
 * The loop behind every queue a node drains to someone else: deliveries to
 * each recipient, notifications to each webhook. Every `intervalMs` it drains
 * each key that has work and is not backing off; one drain per key runs at a
 * time; a failure backs that key off (doubling, up to `maxRetryMs`) while the
 * others go on.
 */
import { backOffMs } from './back-off.js'
import type { Logger } from './log.js'

export interface RetryLoopInit {
  /** Keys that may have work waiting: recipients, subscriptions. */
  readonly keys: () => Promise<Iterable<string>> | Iterable<string>
  /** Sends what one key is owed; reports trouble with `failed()`. */
  readonly drain: (key: string) => Promise<void>
  readonly retryMs?: number
  readonly maxRetryMs?: number
  readonly intervalMs?: number
  readonly clock?: () => number
  /** Told of each failure (warn) and of each key working again after failures (info). */
  readonly logger?: Logger
  /** What is drained, for the log: "delivery", "webhook". */
  readonly what?: string
}

export interface RetryState {
  attempts: number
  lastError?: string
  lastAttemptAt?: string
  /** When the key may be drained again (ms since the epoch); 0 for at once. */
  notBefore: number
}

export class RetryLoop {
  private readonly states = new Map<string, RetryState>()
  /** Keys with nothing to send before a given time: the tick leaves each alone until then. */
  private readonly restingUntil = new Map<string, number>()
  private readonly running = new Map<string, Promise<void>>()
  /** Keys whose running drain was asked for again meanwhile. */
  private readonly again = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private stopped = true
  readonly retryMs: number
  readonly maxRetryMs: number
  private readonly intervalMs: number
  private readonly clock: () => number

  constructor (private readonly init: RetryLoopInit) {
    this.retryMs = init.retryMs ?? 500
    this.maxRetryMs = init.maxRetryMs ?? 60_000
    this.intervalMs = init.intervalMs ?? 250
    this.clock = init.clock ?? Date.now
  }

  get isStopped (): boolean {
    return this.stopped
  }

  start (): void {
    // Started once: a second start would run a second chain of ticks.
    if (!this.stopped) return
    this.stopped = false
    const tick = (): void => {
      if (this.stopped) return
      void this.drainDue().finally(() => { if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs).unref() })
    }
    tick()
  }

  /** Stops ticking and waits for the drains under way. */
  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    await Promise.allSettled([...this.running.values()])
  }

  /** Whether the key is backing off or resting at `now`. */
  waiting (key: string, now = this.clock()): boolean {
    return (this.states.get(key)?.notBefore ?? 0) > now || (this.restingUntil.get(key) ?? 0) > now
  }

  state (key: string): Readonly<RetryState> | undefined {
    return this.states.get(key)
  }

  /** The drain of `key` failed: back off. */
  failed (key: string, error: string): void {
    const state = this.states.get(key) ?? { attempts: 0, notBefore: 0 }
    state.attempts++
    state.lastError = error
    const now = this.clock()
    state.lastAttemptAt = new Date(now).toISOString()
    const wait = backOffMs(state.attempts, this.retryMs, this.maxRetryMs)
    state.notBefore = now + wait
    this.states.set(key, state)
    this.init.logger?.warn({ to: key, attempts: state.attempts, retryInMs: wait, error }, `${this.init.what ?? 'drain'} failed`)
  }

  /** The key is owed nothing, or all went: its failures are history. */
  succeeded (key: string): void {
    const state = this.states.get(key)
    if (state === undefined) return
    this.states.delete(key)
    if (state.attempts > 0) this.init.logger?.info({ to: key, failedAttempts: state.attempts }, `${this.init.what ?? 'drain'} works again`)
  }

  /** The key has nothing to send before `until`. */
  rest (key: string, until: number): void {
    this.restingUntil.set(key, until)
  }

  /** The key is back (a peer reconnected): drain it now, and earlier failures no longer lengthen the next back-off. */
  reset (key: string): void {
    const state = this.states.get(key)
    if (state !== undefined) {
      state.notBefore = 0
      state.attempts = 0
    }
    this.restingUntil.delete(key)
  }

  /** New work for the key: drain it now unless it is backing off. */
  poke (key: string): void {
    this.restingUntil.delete(key)
    if ((this.states.get(key)?.notBefore ?? 0) <= this.clock()) void this.flush(key)
  }

  forget (key: string): void {
    this.states.delete(key)
    this.restingUntil.delete(key)
  }

  private async drainDue (): Promise<void> {
    const now = this.clock()
    const due = [...await this.init.keys()].filter(key => !this.waiting(key, now))
    await Promise.all(due.map(async key => { await this.flush(key) }))
  }

  /**
   * One drain per key at a time. A caller that finds one running waits for
   * it, and has it drain once more: what it brings may have been queued after
   * the running drain last looked.
   */
  async flush (key: string): Promise<void> {
    if (this.stopped) return
    const running = this.running.get(key)
    if (running !== undefined) {
      this.again.add(key)
      return await running
    }
    const run = (async () => {
      do {
        this.again.delete(key)
        await this.init.drain(key)
      } while (this.again.has(key) && !this.stopped && (this.states.get(key)?.notBefore ?? 0) <= this.clock())
    })().finally(() => {
      this.again.delete(key)
      this.running.delete(key)
    })
    this.running.set(key, run)
    await run
  }
}
