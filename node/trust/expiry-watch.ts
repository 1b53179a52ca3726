/**
 * Wakes the node when the first certificate of an admitted peer expires, so
 * that the peer is cut off then, not only at its next connection.
 */

/** setTimeout waits at most 2^31 − 1 ms (24.8 days); a later expiry is looked at again then. */
const MAX_DELAY_MS = 2 ** 31 - 1

export class ExpiryWatch {
  private timer: NodeJS.Timeout | undefined
  private at = Infinity

  /** `onExpiry` judges the admitted peers again, and watches their certificates anew. */
  constructor (private readonly onExpiry: () => void, private readonly now: () => number = Date.now) {}

  /** A certificate that admits a peer ends at `validUntil` (an ISO 8601 time). */
  watch (validUntil: string): void {
    const at = Date.parse(validUntil)
    if (!(at < this.at)) return
    clearTimeout(this.timer)
    this.at = at
    // Just past the instant: a certificate is expired from validUntil on.
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, at - this.now()) + 1)
    this.timer = setTimeout(() => {
      this.at = Infinity
      this.onExpiry()
    }, delay).unref()
  }

  stop (): void {
    clearTimeout(this.timer)
    this.at = Infinity
  }
}
