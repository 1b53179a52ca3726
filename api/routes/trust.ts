/** The trust space: trusted authorities, certificates, revocations, participant status. */
import type { NodeApi } from '../../node/node-api.js'
import { AEO_TYPES, PARTICIPANT_ROLES } from '../../record/types/trust-certificate.js'
import type { RouteTable } from '../routes.js'
import { Type } from '@sinclair/typebox'
import { enumOf, instantSchema, participantIdSchema, recordIdSchema } from '../schemas.js'

const authoritySchema = {
  type: 'object',
  properties: { participant: participantIdSchema, name: { type: 'string', maxLength: 256 }, country: { type: 'string', pattern: '^[A-Z]{2}$' }, addedAt: { type: 'string' } },
  required: ['participant', 'addedAt']
}

const statusSchema = {
  type: 'object',
  properties: {
    participant: participantIdSchema,
    status: { enum: ['valid', 'absent', 'expired', 'revoked', 'untrusted'] },
    reason: { type: 'string' },
    certificate: { type: 'object', description: 'the certificate that makes the participant valid' }
  },
  required: ['participant', 'status', 'reason']
}

const recordView = { description: 'The signed record', content: { 'application/json': { $ref: '#/components/schemas/RecordView' } } }

export function trustRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/trust/authorities',
    operationId: 'listAuthorities',
    tag: 'trust',
    summary: 'The authorities whose certificates this node accepts',
    responses: { 200: { description: 'The trust list', content: { 'application/json': { type: 'array', items: authoritySchema } } } },
    handler: async (c) => c.json(await node.trust.authorities())
  })

  table.add({
    method: 'post',
    path: '/v1/trust/authorities',
    operationId: 'addAuthority',
    tag: 'trust',
    summary: 'Trust an authority (e.g. a member state\'s registration body)',
    body: {
      'application/json': Type.Object({
        participant: participantIdSchema,
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' }))
      }, { additionalProperties: false })
    },
    responses: { 201: { description: 'Trusted', content: { 'application/json': authoritySchema } } },
    handler: async (c, { body }) => {
      const { participant, ...label } = body
      return c.json(await node.trust.addAuthority(participant, label), 201)
    }
  })

  table.add({
    method: 'delete',
    path: '/v1/trust/authorities/{participant}',
    operationId: 'removeAuthority',
    tag: 'trust',
    summary: 'Stop trusting an authority',
    params: Type.Object({ participant: participantIdSchema }),
    responses: { 204: { description: 'Removed' } },
    problems: { 'not-found': 'not a trusted authority' },
    handler: async (c, { params }) => {
      await node.trust.removeAuthority(params.participant)
      return c.body(null, 204)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/trust/participants/{participant}',
    operationId: 'participantStatus',
    tag: 'trust',
    summary: 'Whether a participant holds a valid certificate of a trusted authority, and why (not)',
    params: Type.Object({ participant: participantIdSchema }),
    responses: { 200: { description: 'The status', content: { 'application/json': statusSchema } } },
    handler: async (c, { params }) => c.json(await node.trust.status(params.participant))
  })

  table.add({
    method: 'post',
    path: '/v1/trust/certificates',
    operationId: 'certify',
    tag: 'trust',
    summary: 'Issue a participant certificate (authority nodes only)',
    body: {
      'application/json': Type.Object({
        participant: participantIdSchema,
        role: enumOf(PARTICIPANT_ROLES),
        name: Type.String({ minLength: 1, maxLength: 256 }),
        country: Type.String({ pattern: '^[A-Z]{2}$' }),
        legalId: Type.Optional(Type.String({ minLength: 1, maxLength: 70 })),
        competence: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        aeo: Type.Optional(enumOf(AEO_TYPES)),
        validUntil: Type.Optional(instantSchema)
      }, { additionalProperties: false })
    },
    responses: { 201: recordView },
    problems: {
      'invalid-request': 'this node is no authority, or validUntil is not a future instant',
      'schema-violation': 'the certificate breaks the schema of its record type',
      'legal-id-taken': 'a certificate of this node, still valid, gives the legal id in the same country to another participant: revoke it first'
    },
    handler: async (c, { body }) => {
      const { validUntil, ...certification } = body
      const record = await node.trust.certify(certification, validUntil)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(node.records.viewOfCreated({ record, created: true }), 201)
    }
  })

  table.add({
    method: 'post',
    path: '/v1/trust/revocations',
    operationId: 'revoke',
    tag: 'trust',
    summary: 'Revoke a certificate this node issued',
    body: {
      'application/json': Type.Object({
        certificate: recordIdSchema,
        reason: Type.String({ minLength: 1, maxLength: 1024 })
      }, { additionalProperties: false })
    },
    responses: { 201: recordView },
    problems: { 'invalid-request': 'the record is not a certificate of this node', 'not-found': 'no such certificate' },
    handler: async (c, { body }) => {
      const { certificate, reason } = body
      const record = await node.trust.revoke(certificate, reason)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(node.records.viewOfCreated({ record, created: true }), 201)
    }
  })
}
