/**
 * Bearer token authentication (RFC 6750) as middleware. The scheme name is
 * case-insensitive (RFC 7235 §2.1); the token is compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'

const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(\S+) *$/

function digest (text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** The token of an Authorization header of the Bearer scheme, if it is one. */
export function bearerToken (header: string | undefined): string | undefined {
  const match = CREDENTIALS.exec(header ?? '')
  return match !== null && match[1]?.toLowerCase() === 'bearer' ? match[2] : undefined
}

/**
 * Lets a request through only with `Authorization: Bearer <token>`; anything
 * else gets `refuse`'s answer with a `WWW-Authenticate` challenge.
 */
export function bearerAuth (token: string, refuse: (c: Context) => Response): MiddlewareHandler {
  // Digests have one length whatever was sent, so the comparison reveals nothing of the token's.
  const expected = digest(token)
  return async (c, next) => {
    const given = bearerToken(c.req.header('authorization'))
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return await next()
    c.header('www-authenticate', 'Bearer realm="keruen"')
    return refuse(c)
  }
}
