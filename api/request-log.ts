/**
 * One log entry per request, at debug: method, path, status and time taken.
 * The query string is left out: it may carry what the operator's log should not keep.
 */
import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../node/runtime/log.js'

export function requestLog (logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    if (!logger.isLevelEnabled('debug')) return await next()
    const started = performance.now()
    await next()
    logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request')
  }
}
