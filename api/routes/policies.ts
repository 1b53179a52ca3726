/** Access policies: grants and their revocation, who may see what of a record, disclosures. */
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import type { Grant, GrantInput, GrantStatus } from '../../node/policy/grant.js'
import {
  fieldPatterns, parseFieldPattern, parseRecord, recordToJson, type FieldPattern
} from '../../record/index.js'
import { grantProperties } from '../../record/types/policy.js'
import type { RouteTable } from '../routes.js'
import { Type } from '@sinclair/typebox'
import { enumOf, idParams, instantSchema, objectResponse, participantIdSchema } from '../schemas.js'

function grantView (grant: Grant & { status: GrantStatus }): Record<string, unknown> {
  const { patterns: _patterns, ...view } = grant
  return view
}

export function policyRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: '/v1/policies',
    operationId: 'createGrant',
    tag: 'policies',
    summary: 'Grant participants access to fields of this node\'s records',
    description: 'Signs a policy.grant: records of the listed types (of one consignment, or all) created from now on go to every certified participant ' +
      'matching `to`, with only the listed fields. Anything not granted is denied.',
    body: {
      // The grant's own schema, typed as what the policy service takes.
      'application/json': Type.Unsafe<GrantInput>({
        type: 'object',
        properties: { ...grantProperties, validUntil: instantSchema },
        required: ['types', 'to', 'fields', 'purpose'],
        additionalProperties: false
      })
    },
    responses: {
      201: { ...objectResponse('The grant, active'), headers: { Location: { description: 'URL of the grant' } } }
    },
    problems: {
      'unregistered-type': 'a type the grant names is not registered',
      'invalid-request': 'validUntil is not a future instant',
      'schema-violation': 'the grant breaks the schema of policy.grant'
    },
    handler: async (c, { body }) => {
      const input = body
      input.types.forEach((type, i) => {
        if (node.types.get(type) === undefined) throw new ServiceError('unregistered-type', `record type ${type} is not registered`, [{ path: `/types/${i}`, message: 'is not a registered record type' }])
      })
      const record = await node.policy.grant(input)
      c.header('location', `/v1/policies/${record.id}`)
      return c.json(grantView(node.policy.get(record.id) as Grant & { status: GrantStatus }), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/policies',
    operationId: 'listGrants',
    tag: 'policies',
    summary: 'This node\'s grants, oldest first, with their status',
    query: Type.Object({ status: Type.Optional(enumOf(['active', 'revoked', 'expired'])) }),
    responses: { 200: objectResponse('The grants') },
    handler: async (c, { query }) => {
      const grants = node.policy.list().filter(g => query.status === undefined || g.status === query.status)
      return c.json({ default: 'deny', grants: grants.map(grantView) })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/policies/{id}',
    operationId: 'getGrant',
    tag: 'policies',
    summary: 'One grant of this node',
    params: idParams,
    responses: { 200: objectResponse('The grant') },
    problems: { 'not-found': 'no such grant of this node' },
    handler: async (c, { params }) => {
      const grant = node.policy.get(params.id)
      if (grant === undefined) throw new ServiceError('not-found', `no grant ${params.id} of this node`)
      return c.json(grantView(grant))
    }
  })

  table.add({
    method: 'delete',
    path: '/v1/policies/{id}',
    operationId: 'revokeGrant',
    tag: 'policies',
    summary: 'Revoke a grant: nothing more is shared under it, queued deliveries included',
    description: 'Signs a policy.revoke. What was already delivered stays delivered, and receipted.',
    params: idParams,
    query: Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) }),
    responses: { 200: objectResponse('The grant, revoked') },
    problems: { 'not-found': 'no such grant of this node', 'already-revoked': 'the grant is already revoked' },
    handler: async (c, { params, query }) => {
      const id = params.id
      await node.policy.revoke(id, query.reason)
      return c.json(grantView(node.policy.get(id) as Grant & { status: GrantStatus }))
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records/{id}/access',
    operationId: 'getRecordAccess',
    tag: 'policies',
    summary: 'Who may receive which fields of a record, and which grant decided it',
    params: idParams,
    responses: { 200: objectResponse('Access of each participant the grants let in; everyone else is denied') },
    problems: { 'not-found': 'no such record' },
    handler: async (c, { params }) => {
      const id = params.id
      const bytes = await node.records.getBytes(id)
      if (bytes === undefined) throw new ServiceError('not-found', `no record ${id}`)
      const record = parseRecord(bytes)
      const owner = record.envelope.issuer
      return c.json({
        record: id,
        owner,
        default: 'deny',
        ...(owner !== node.participant && { note: 'this node does not own the record: only its issuer\'s grants open it to others' }),
        access: node.policy.access(record)
      })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records/{id}/disclosure',
    operationId: 'getDisclosure',
    tag: 'policies',
    summary: 'What a participant may see of one of this node\'s records, as a verifiable partial record or an SD-JWT',
    description: 'Discloses the fields this node\'s grants allow `for` to receive (narrowed to `fields` if given). ' +
      '`format=sd-jwt` returns an SD-JWT (EdDSA) signed by this node, verifiable with any SD-JWT library.',
    params: idParams,
    query: Type.Object({
      for: participantIdSchema,
      format: Type.Optional(enumOf(['keruen', 'sd-jwt'], { description: 'without it, the Accept header chooses', default: 'keruen' })),
      fields: Type.Optional(Type.String({ maxLength: 8192, description: 'comma-separated field patterns (JSON Pointers, "*" for every index)' }))
    }),
    responses: {
      200: { description: 'The disclosure', content: { 'application/json': { type: 'object' }, 'application/sd-jwt': { type: 'string' } } }
    },
    problems: {
      'invalid-request': 'a field pattern is not valid',
      'not-owner': 'the record was issued by another participant',
      'not-permitted': 'no grant lets that participant receive the record, or fields asked for are outside every grant',
      'not-found': 'no such record'
    },
    handler: async (c, { params, query, accept }) => {
      const id = params.id
      const participant = query.for
      const bytes = await node.records.getBytes(id)
      if (bytes === undefined) throw new ServiceError('not-found', `no record ${id}`)
      const record = parseRecord(bytes)
      let requested: FieldPattern[] | undefined
      if (query.fields !== undefined) {
        const texts = String(query.fields).split(',')
        texts.forEach((text, i) => {
          const parsed = parseFieldPattern(text)
          if (typeof parsed === 'string') throw new ServiceError('invalid-request', `field pattern ${JSON.stringify(text)} ${parsed}`, [{ path: `/query/fields/${i}`, message: parsed }])
        })
        requested = fieldPatterns(texts)
      }
      if ((query.format ?? (accept === 'application/sd-jwt' ? 'sd-jwt' : 'keruen')) === 'sd-jwt') {
        return c.body(node.disclosure.sdJwtFor(record, participant, requested), 200, { 'content-type': 'application/sd-jwt' })
      }
      return c.json({ for: participant, record: recordToJson(node.disclosure.partialFor(record, participant, requested)) })
    }
  })
}
