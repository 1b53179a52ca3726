/** The tokens of the participant's systems, with their scopes, and the audit log: the administrator's. */
import { Type } from '@sinclair/typebox'
import { TOKEN_SCOPES } from '../../node/accounts/account-service.js'
import type { NodeApi } from '../../node/node-api.js'
import type { RouteTable } from '../routes.js'

const tokenSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'array', items: { enum: TOKEN_SCOPES } }, createdAt: { type: 'string' }, revokedAt: { type: 'string' } },
  required: ['id', 'name', 'scopes', 'createdAt']
}

export function tokenRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/tokens',
    operationId: 'listTokens',
    tag: 'users',
    summary: 'The API tokens of the participant\'s systems (never the tokens themselves)',
    responses: { 200: { description: 'The tokens', content: { 'application/json': { type: 'array', items: tokenSchema } } } },
    handler: async (c) => c.json(await node.accounts.tokens())
  })

  table.add({
    method: 'post',
    path: '/v1/tokens',
    operationId: 'addToken',
    tag: 'users',
    summary: 'Make an API token for a system, with its scopes: read, write, decide, admin; the token is returned this once',
    body: {
      'application/json': Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Array(Type.Union(TOKEN_SCOPES.map(s => Type.Literal(s))), { minItems: 1, maxItems: 4 })
      }, { additionalProperties: false })
    },
    responses: { 201: { description: 'Made', content: { 'application/json': { type: 'object', properties: { token: tokenSchema, secret: { type: 'string' } }, required: ['token', 'secret'] } } } },
    handler: async (c, { body }) => c.json(await node.accounts.addToken(body.name, body.scopes), 201)
  })

  table.add({
    method: 'post',
    path: '/v1/tokens/{id}/revoke',
    operationId: 'revokeToken',
    tag: 'users',
    summary: 'Revoke a system\'s token: it is refused from now on',
    params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{12}$' }) }),
    responses: { 200: { description: 'Revoked', content: { 'application/json': tokenSchema } } },
    problems: { 'not-found': 'no such token' },
    handler: async (c, { params }) => c.json(await node.accounts.revokeToken(params.id))
  })

  table.add({
    method: 'get',
    path: '/v1/audit',
    operationId: 'auditLog',
    tag: 'users',
    summary: 'Who did what: logins, failed logins, the cabinet\'s actions and every change made with a system\'s token, newest first',
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }),
    responses: { 200: { description: 'The entries', content: { 'application/json': { type: 'array', items: { type: 'object' } } } } },
    handler: async (c, { query }) => c.json(await node.accounts.auditLog(query.limit))
  })
}
