/** The node itself: health, identity, record types. */
import type { NodeApi } from '../../node/node-api.js'
import { SOFTWARE_VERSION } from '../../node/version.js'
import { base64urlEncode } from '../../record/index.js'
import { ServiceError } from '../../node/errors.js'
import type { RouteTable } from '../routes.js'
import { problem } from '../problem.js'
import { Type } from '@sinclair/typebox'
import { jsonResponse, typeSchema } from '../schemas.js'

export function nodeRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'node',
    summary: 'Health: 200 while the node runs and takes writes, 503 while its database refuses them',
    auth: false,
    responses: { 200: { description: 'Running', content: { 'application/json': { type: 'object', properties: { status: { const: 'ok' } } } } } },
    problems: { 'storage-unavailable': 'a write failed on the disk; the node reopens its database and takes writes again once a test write succeeds' },
    handler: (c) => {
      const storage = node.storage()
      if (!storage.writable) return problem(c, 'storage-unavailable', `${storage.reason} (since ${storage.since}): writes are refused until the database is reopened and a test write succeeds`)
      return c.json({ status: 'ok' })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/node',
    operationId: 'getNode',
    tag: 'node',
    summary: 'This node\'s participant id, public key, profile and software version',
    responses: { 200: jsonResponse('The node', 'NodeInfo') },
    handler: (c) => c.json({
      participant: node.participant,
      publicKey: { suite: node.publicKey.suite, value: base64urlEncode(node.publicKey.value) },
      profile: node.profile,
      software: { name: 'keruen', version: SOFTWARE_VERSION },
      p2p: { addresses: node.addresses() }
    })
  })

  table.add({
    method: 'get',
    path: '/v1/types',
    operationId: 'listTypes',
    tag: 'node',
    summary: 'The registered record types with their JSON Schemas',
    responses: { 200: { description: 'The types', content: { 'application/json': { type: 'array', items: { $ref: '#/components/schemas/RecordType' } } } } },
    handler: (c) => c.json(node.types.list())
  })

  table.add({
    method: 'get',
    path: '/v1/types/{type}',
    operationId: 'getType',
    tag: 'node',
    summary: 'One registered record type with its JSON Schema',
    params: Type.Object({ type: typeSchema }),
    responses: { 200: jsonResponse('The type', 'RecordType') },
    problems: { 'not-found': 'the type is not registered' },
    handler: (c, { params }) => {
      const definition = node.types.get(params.type)
      if (definition === undefined) throw new ServiceError('not-found', `record type ${params.type} is not registered`)
      return c.json(definition)
    }
  })
}
