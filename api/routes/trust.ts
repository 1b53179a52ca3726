/** The trust space: trusted authorities, certificates, revocations, participant status. */
import type { KeruenNode } from '../../node/node.js'
import { PARTICIPANT_ROLES } from '../../record/types/trust-certificate.js'
import type { Certification } from '../../node/trust/trust-service.js'
import type { RouteTable } from '../routes.js'
import { instantSchema, participantIdSchema, problemResponse, recordIdSchema } from '../schemas.js'

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

export function trustRoutes (table: RouteTable, node: KeruenNode): void {
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
      'application/json': {
        type: 'object',
        properties: { participant: participantIdSchema, name: { type: 'string', minLength: 1, maxLength: 256 }, country: { type: 'string', pattern: '^[A-Z]{2}$' } },
        required: ['participant'],
        additionalProperties: false
      }
    },
    responses: { 201: { description: 'Trusted', content: { 'application/json': authoritySchema } }, 400: problemResponse('Not a participant id') },
    handler: async (c, { body }) => {
      const { participant, ...label } = body as { participant: string, name?: string, country?: string }
      return c.json(await node.trust.addAuthority(participant, label), 201)
    }
  })

  table.add({
    method: 'delete',
    path: '/v1/trust/authorities/{participant}',
    operationId: 'removeAuthority',
    tag: 'trust',
    summary: 'Stop trusting an authority',
    params: { participant: participantIdSchema },
    responses: { 204: { description: 'Removed' }, 404: problemResponse('Not a trusted authority') },
    handler: async (c, { params }) => {
      await node.trust.removeAuthority(params.participant as string)
      return c.body(null, 204)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/trust/participants/{participant}',
    operationId: 'participantStatus',
    tag: 'trust',
    summary: 'Whether a participant holds a valid certificate of a trusted authority, and why (not)',
    params: { participant: participantIdSchema },
    responses: { 200: { description: 'The status', content: { 'application/json': statusSchema } }, 400: problemResponse('Not a participant id') },
    handler: async (c, { params }) => c.json(await node.trust.status(params.participant as string))
  })

  table.add({
    method: 'post',
    path: '/v1/trust/certificates',
    operationId: 'certify',
    tag: 'trust',
    summary: 'Issue a participant certificate (authority nodes only)',
    body: {
      'application/json': {
        type: 'object',
        properties: {
          participant: participantIdSchema,
          role: { enum: [...PARTICIPANT_ROLES] },
          name: { type: 'string', minLength: 1, maxLength: 256 },
          country: { type: 'string', pattern: '^[A-Z]{2}$' },
          legalId: { type: 'string', minLength: 1, maxLength: 70 },
          competence: { type: 'string', minLength: 1, maxLength: 256 },
          validUntil: instantSchema
        },
        required: ['participant', 'role', 'name', 'country'],
        additionalProperties: false
      }
    },
    responses: { 201: recordView, 400: problemResponse('Invalid request, or this node is no authority') },
    handler: async (c, { body }) => {
      const { validUntil, ...certification } = body as Certification & { validUntil?: string }
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
      'application/json': {
        type: 'object',
        properties: { certificate: recordIdSchema, reason: { type: 'string', minLength: 1, maxLength: 1024 } },
        required: ['certificate', 'reason'],
        additionalProperties: false
      }
    },
    responses: { 201: recordView, 400: problemResponse('Not a certificate of this node'), 404: problemResponse('No such certificate') },
    handler: async (c, { body }) => {
      const { certificate, reason } = body as { certificate: string, reason: string }
      const record = await node.trust.revoke(certificate, reason)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(node.records.viewOfCreated({ record, created: true }), 201)
    }
  })
}
