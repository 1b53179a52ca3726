/**
 * How long to wait before attempt `attempts + 1`: `retryMs` after the first
 * failure, doubling after each further one, never more than `maxRetryMs`.
 */
export function backOffMs (attempts: number, retryMs: number, maxRetryMs: number): number {
  // The exponent is capped so that a long outage cannot overflow the doubling.
  return Math.min(maxRetryMs, retryMs * 2 ** Math.min(Math.max(attempts - 1, 0), 20))
}
