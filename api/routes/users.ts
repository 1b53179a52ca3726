/** The people who use the cabinet: accounts, added and managed with the administrator's token. */
import { Type } from '@sinclair/typebox'
import { ACCOUNT_ROLES } from '../../node/accounts/account-service.js'
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import type { RouteTable } from '../routes.js'

const accountSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, role: { enum: ACCOUNT_ROLES }, disabled: { type: 'boolean' }, createdAt: { type: 'string' } },
  required: ['id', 'name', 'role', 'disabled', 'createdAt']
}
const withPassword = {
  type: 'object',
  properties: { account: accountSchema, password: { type: 'string', description: 'the password, shown this once' } },
  required: ['account', 'password']
}
const loginSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' })

export function userRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/users',
    operationId: 'listUsers',
    tag: 'users',
    summary: 'The cabinet\'s accounts',
    responses: { 200: { description: 'The accounts', content: { 'application/json': { type: 'array', items: accountSchema } } } },
    handler: async (c) => c.json(await node.accounts.list())
  })

  table.add({
    method: 'post',
    path: '/v1/users',
    operationId: 'addUser',
    tag: 'users',
    summary: 'Add an account; without a password one is made and returned this once',
    body: {
      'application/json': Type.Object({
        id: loginSchema,
        name: Type.Optional(Type.String({ maxLength: 200 })),
        role: Type.Union(ACCOUNT_ROLES.map(r => Type.Literal(r))),
        password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 }))
      }, { additionalProperties: false })
    },
    responses: { 201: { description: 'Added', content: { 'application/json': withPassword } } },
    problems: { 'invalid-request': 'the login is taken' },
    handler: async (c, { body }) => c.json(await node.accounts.add(body), 201)
  })

  for (const [action, summary] of [['disable', 'Disable an account and end its sessions'], ['reset', 'Give an account a new password (returned this once), enable it and end its sessions']] as const) {
    table.add({
      method: 'post',
      path: `/v1/users/{id}/${action}`,
      operationId: `${action}User`,
      tag: 'users',
      summary,
      params: Type.Object({ id: loginSchema }),
      responses: { 200: { description: 'Done', content: { 'application/json': action === 'reset' ? withPassword : accountSchema } } },
      problems: { 'not-found': 'no such account' },
      handler: async (c, { params }) => {
        if (await node.accounts.get(params.id) === undefined) throw new ServiceError('not-found', `no account ${params.id}`)
        return c.json(action === 'reset' ? await node.accounts.reset(params.id) : await node.accounts.disable(params.id))
      }
    })
  }
}
