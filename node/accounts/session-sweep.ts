/**
 * Deletes the cabinet's expired sessions when the node starts and every
 * SESSION_SWEEP_MS while it runs, so that the sessions nobody signed out of do
 * not pile up in the database.
 */
import type { BackgroundTasks } from '../runtime/background.js'
import type { Logger } from '../runtime/log.js'
import type { AccountService } from './account-service.js'

/** How often a running node deletes expired sessions. */
export const SESSION_SWEEP_MS = 10 * 60 * 1000

export interface SessionSweepComponents {
  readonly accounts: Pick<AccountService, 'sweepSessions'>
  readonly background: BackgroundTasks
  readonly logger: Logger
}

export class SessionSweep {
  private timer: NodeJS.Timeout | undefined

  constructor (private readonly components: SessionSweepComponents, private readonly intervalMs = SESSION_SWEEP_MS) {}

  /** Sweeps once, before the node answers anyone, then every interval. */
  async start (): Promise<void> {
    await this.sweep()
    clearInterval(this.timer)
    this.timer = setInterval(() => { this.components.background.run(async () => { await this.sweep() }) }, this.intervalMs).unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** One sweep; a failure is logged and left to the next one (an expired session is refused meanwhile all the same). */
  async sweep (): Promise<void> {
    const { accounts, logger } = this.components
    try {
      const removed = await accounts.sweepSessions()
      if (removed > 0) logger.debug({ removed }, 'expired cabinet sessions deleted')
    } catch (err) {
      logger.warn({ err }, 'deleting expired cabinet sessions failed; tried again later')
    }
  }
}
