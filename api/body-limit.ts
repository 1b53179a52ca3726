/**
 * Refuses request bodies over the limit.
 *
 * A body with a declared Content-Length is judged by that header alone, without
 * touching the body: reading `c.req.raw.body` would make @hono/node-server build
 * a full web Request and stream the body through it, several times the cost of
 * its direct read. Only a chunked body, whose size is known once it has arrived,
 * is counted as it streams in, by hono's own middleware.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit'

/** `exempt`: requests whose route enforces a limit of its own while it streams the body. */
export function bodyLimit (maxSize: number, refuse: (c: Context) => Response | Promise<Response>, exempt?: (c: Context) => boolean): MiddlewareHandler {
  // The rest of a refused body is never read, so the connection cannot carry
  // another request: say so, and a client opens a new one instead of waiting.
  const onError = async (c: Context): Promise<Response> => {
    c.header('connection', 'close')
    return await refuse(c)
  }
  const streaming = streamingBodyLimit({ maxSize, onError })
  return async (c, next) => {
    // No route reads the body of these.
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || exempt?.(c) === true) return await next()
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      const size = Number(length)
      return Number.isSafeInteger(size) && size >= 0 && size <= maxSize ? await next() : await onError(c)
    }
    return await streaming(c, next)
  }
}
