/**
 * Answers only requests addressed to a name the API listens on. A web page can
 * make a browser send requests to 127.0.0.1 under a hostname it controls (DNS
 * rebinding); such a request carries that hostname in its Host header, and is
 * refused before any route, the token-free ones included, sees it.
 */
import type { Context, MiddlewareHandler } from 'hono'

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1']

/** The hostnames a request may name for an API bound to `apiHost`; undefined: any (an API bound beyond loopback sits behind its operator's names). */
export function acceptedHostnames (apiHost: string): readonly string[] | undefined {
  const loopback = apiHost === 'localhost' || apiHost === '::1' || /^127\.\d+\.\d+\.\d+$/.test(apiHost)
  return loopback ? [...new Set([...LOOPBACK_NAMES, apiHost])] : undefined
}

/** The hostname of a Host header value, without its port; IPv6 literals without brackets. */
export function hostnameOf (host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host)
  if (bracketed !== null) return (bracketed[1] as string).toLowerCase()
  return host.replace(/:\d+$/, '').toLowerCase()
}

export function hostCheck (hostnames: readonly string[], refuse: (c: Context, host: string) => Response | Promise<Response>): MiddlewareHandler {
  const accepted = new Set(hostnames.map(h => h.toLowerCase()))
  return async (c, next) => {
    const host = c.req.header('host')
    // In-process requests (tests, embedding) carry none; over HTTP/1.1 every request has one.
    if (host === undefined || accepted.has(hostnameOf(host))) return await next()
    return await refuse(c, host)
  }
}
