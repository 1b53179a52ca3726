/**
 * Bearer token authentication (RFC 6750) as middleware, with scopes. The
 * scheme name is case-insensitive (RFC 7235 §2.1); the administrator's token
 * is compared in constant time, a system's is found by its digest
 * (account-service.ts).
 */
import { timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { scopeAllows, type TokenScope } from '../node/accounts/account-service.js'

const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(\S+) *$/

/**
 * A check of candidates against the secret `expected`, in constant time. A
 * candidate of another length is refused after comparing the secret with
 * itself, so the time taken does not depend on what was sent; no digest is
 * taken, as every request of the API pays for this check.
 */
export function secretCheck (expected: string): (given: string) => boolean {
  const secret = Buffer.from(expected, 'utf8')
  return given => {
    const bytes = Buffer.from(given, 'utf8')
    const sameLength = bytes.length === secret.length
    return timingSafeEqual(sameLength ? bytes : secret, secret) && sameLength
  }
}

/** Whether `given` is the secret `expected`, in constant time (see secretCheck). */
export function sameSecret (given: string, expected: string): boolean {
  return secretCheck(expected)(given)
}

/** The token of an Authorization header of the Bearer scheme, if it is one. */
export function bearerToken (header: string | undefined): string | undefined {
  const match = CREDENTIALS.exec(header ?? '')
  return match !== null && match[1]?.toLowerCase() === 'bearer' ? match[2] : undefined
}

/** What the middleware needs of the node's tokens: the scopes of a system's token in force, if it is one. */
export type TokenLookup = (secret: string) => Promise<{ readonly name: string, readonly scopes: readonly TokenScope[] } | undefined>

export interface ScopedAuthOptions {
  /** The administrator's token: every scope. */
  readonly adminToken: string
  readonly lookup: TokenLookup
  readonly refuse: (c: Context) => Response
  readonly forbid: (c: Context, scope: TokenScope) => Response
  /** Told of each change a system's token made (not the administrator's), for the audit log. */
  readonly onChange?: (c: Context, who: string) => Promise<void>
}

/**
 * Bearer authentication with scopes: the administrator's token may do
 * anything; a system's token (keruen_tokens) what its scopes allow
 * (scopeAllows). Returns the middleware for routes that need `scope`.
 */
export function scopedAuth (options: ScopedAuthOptions): (scope: TokenScope) => MiddlewareHandler {
  const isAdmin = secretCheck(options.adminToken)
  return scope => async (c, next) => {
    const given = bearerToken(c.req.header('authorization'))
    if (given !== undefined && isAdmin(given)) return await next()
    const token = given === undefined ? undefined : await options.lookup(given)
    if (token === undefined) {
      c.header('www-authenticate', 'Bearer realm="keruen"')
      return options.refuse(c)
    }
    if (!scopeAllows(token.scopes, scope)) return options.forbid(c, scope)
    await next()
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 400) await options.onChange?.(c, `token:${token.name}`)
  }
}
