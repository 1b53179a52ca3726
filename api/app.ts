/**
 * The local HTTP API of a node (Hono). JSON everywhere, problem+json for every
 * error, a bearer token on everything but /healthz, a body size limit, and an
 * OpenAPI document generated from the route declarations.
 */
import { Hono } from 'hono'
import { scopedAuth } from './auth.js'
import { ServiceError } from '../node/errors.js'
import { StorageUnavailableError } from '../storage/index.js'
import type { NodeApi } from '../node/node-api.js'
import { SOFTWARE_VERSION } from '../node/version.js'
import { bodyLimit } from './body-limit.js'
import type { Logger } from '../node/runtime/log.js'
import { problem } from './problem.js'
import { hostCheck } from './host-check.js'
import { requestLog } from './request-log.js'
import { RouteTable } from './routes.js'
import { applicationRoutes } from './routes/applications.js'
import { ATTACHMENT_UPLOAD_PATH, attachmentRoutes } from './routes/attachments.js'
import { epcisRoutes } from './routes/epcis.js'
import { deliveryRoutes } from './routes/delivery.js'
import { nodeRoutes } from './routes/node.js'
import { policyRoutes } from './routes/policies.js'
import { requirementRoutes } from './routes/requirements.js'
import { recordRoutes } from './routes/records.js'
import { subscriptionRoutes } from './routes/subscriptions.js'
import { streamRoutes } from './routes/stream.js'
import { trustRoutes } from './routes/trust.js'
import { directoryRoutes } from './routes/directory.js'
import { userRoutes } from './routes/users.js'
import { tokenRoutes } from './routes/tokens.js'
import { cabinetRoutes } from './cabinet/cabinet.js'
import { codeListRoutes } from './routes/codelists.js'
import { tariffRoutes } from './routes/tariff.js'
import { paymentRoutes } from './routes/payments.js'
import { riskRoutes } from './routes/risk.js'
import { queryRoutes } from './routes/queries.js'
import { components } from './schemas.js'

export interface ApiOptions {
  /** Called with errors that are not the client's fault (after they are logged). */
  readonly onInternalError?: (err: unknown) => void
  /** Where each request (debug) and each internal error (error) is logged. */
  readonly logger?: Logger
  /** The hostnames requests may name in Host (see host-check.ts); any when absent. */
  readonly hostnames?: readonly string[]
}

/** When a client refused for want of storage should try again, in seconds. */
const STORAGE_RETRY_AFTER_S = 5

export function createApi (node: NodeApi, options: ApiOptions = {}): Hono {
  const app = new Hono()
  if (options.logger !== undefined) app.use('*', requestLog(options.logger))
  if (options.hostnames !== undefined) {
    app.use('*', hostCheck(options.hostnames, (c, host) => problem(c, 'misdirected-request', `this API answers requests to ${options.hostnames?.join(', ')}, not to ${JSON.stringify(host)}`)))
  }
  const maxSize = node.maxBodyBytes
  // Uploads of attachments stream to disk under a limit of their own (routes/attachments.ts).
  app.use('*', bodyLimit(maxSize, c => problem(c, 'payload-too-large', `the body is larger than the limit of ${maxSize} bytes`), c => c.req.path === ATTACHMENT_UPLOAD_PATH))
  const auth = scopedAuth({
    adminToken: node.apiToken,
    lookup: async secret => await node.accounts.tokenOf(secret),
    refuse: c => problem(c, 'unauthorized', 'send the token from the data folder\'s api-token file, or a system\'s token, as "Authorization: Bearer <token>"'),
    forbid: (c, scope) => problem(c, 'insufficient-scope', `this token's scopes do not include ${scope}, which ${c.req.method} ${c.req.path} needs`),
    onChange: async (c, who) => { await node.accounts.record({ who, action: `${c.req.method} ${c.req.path}`, detail: String(c.res.status) }) }
  })
  const table = new RouteTable(app, auth)
  nodeRoutes(table, node)
  recordRoutes(table, node)
  attachmentRoutes(table, node)
  trustRoutes(table, node)
  directoryRoutes(table, node)
  deliveryRoutes(table, node)
  policyRoutes(table, node)
  requirementRoutes(table, node)
  applicationRoutes(table, node)
  subscriptionRoutes(table, node)
  epcisRoutes(table, node)
  codeListRoutes(table, node)
  tariffRoutes(table, node)
  paymentRoutes(table, node)
  riskRoutes(table, node)
  queryRoutes(table, node)
  streamRoutes(table, node)
  userRoutes(table, node)
  tokenRoutes(table, node)
  cabinetRoutes(app, node)

  const info = {
    title: 'keruen node API',
    version: SOFTWARE_VERSION,
    description: 'The local API of a keruen node: signed, access-controlled trade records for the single window.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' }
  }
  let document: unknown
  table.add({
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'openapi',
    tag: 'node',
    summary: 'This document',
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { type: 'object' } } } },
    handler: (c) => c.json(document ??= table.openapi(info, components))
  })

  app.notFound((c) => {
    const allowed = table.allowedMethods(c.req.path)
    if (allowed.length === 0) return problem(c, 'route-not-found', `no route ${c.req.method} ${c.req.path}`)
    c.header('allow', allowed.join(', '))
    return problem(c, 'method-not-allowed', `${c.req.path} does not take ${c.req.method}; it takes ${allowed.join(', ')}`)
  })
  app.onError((err, c) => {
    if (err instanceof ServiceError) {
      if (err.retryAfterMs !== undefined) c.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))))
      return problem(c, err.code, err.message, err.violations)
    }
    // A write refused after a failed one, or a read while the database reopens.
    const storage = node.storage()
    if (err instanceof StorageUnavailableError || !storage.writable) {
      c.header('retry-after', String(STORAGE_RETRY_AFTER_S))
      return problem(c, 'storage-unavailable', storage.writable ? err.message : `${storage.reason} (since ${storage.since}): writes are refused until the database is reopened and a test write succeeds`)
    }
    options.logger?.error({ err, method: c.req.method, path: c.req.path }, 'request failed')
    options.onInternalError?.(err)
    return problem(c, 'internal', 'the node could not complete the request; see its log')
  })
  return app
}
