/**
 * What every cabinet page is sent with: a Content-Security-Policy that runs
 * only the node's own scripts and styles (no inline script, nothing from
 * elsewhere, no framing), and the headers that keep a browser from sniffing
 * types or leaking the page's address.
 */
import type { MiddlewareHandler } from 'hono'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'"
].join('; ')

export function securityHeaders (): MiddlewareHandler {
  return async (c, next) => {
    await next()
    c.header('content-security-policy', CONTENT_SECURITY_POLICY)
    c.header('x-content-type-options', 'nosniff')
    c.header('referrer-policy', 'no-referrer')
    c.header('x-frame-options', 'DENY')
    c.header('cross-origin-opener-policy', 'same-origin')
    if (c.res.headers.get('cache-control') === null) c.header('cache-control', 'no-store')
  }
}
