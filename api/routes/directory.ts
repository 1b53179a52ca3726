/** The participant directory: the certified participants this node knows, and one participant's profile. */
import { Type } from '@sinclair/typebox'
import type { NodeApi } from '../../node/node-api.js'
import { PARTICIPANT_ROLES } from '../../record/types/trust-certificate.js'
import type { RouteTable } from '../routes.js'
import { enumOf, participantIdSchema } from '../schemas.js'

const STATUSES = ['valid', 'expired', 'revoked', 'untrusted'] as const
export const DEFAULT_DIRECTORY_LIMIT = 200
export const MAX_DIRECTORY_LIMIT = 1000

const authoritySchema = {
  type: 'object',
  description: 'the authority that issued the certificate; its name as this node\'s trust list labels it, or as its own certificate says',
  properties: { participant: participantIdSchema, name: { type: 'string' } },
  required: ['participant']
}

/** What a certificate says, and its validity. */
const certifiedProperties = {
  role: { enum: [...PARTICIPANT_ROLES] },
  name: { type: 'string' },
  country: { type: 'string' },
  legalId: { type: 'string' },
  competence: { type: 'string' },
  aeo: { type: 'string' },
  validFrom: { type: 'string', format: 'date-time', description: 'when the certificate was issued' },
  validUntil: { type: 'string', format: 'date-time' },
  authority: authoritySchema
}

const entryProperties = {
  participant: participantIdSchema,
  ...certifiedProperties,
  status: { enum: [...STATUSES], description: 'as GET /v1/trust/participants/{participant} reports it' },
  reason: { type: 'string' },
  certificate: { type: 'string', description: 'id of the certificate the entry is read from: the valid one that speaks, or the one the reason names' }
}
const entryRequired = ['participant', 'role', 'name', 'country', 'status', 'reason', 'certificate', 'validFrom', 'authority']

const entrySchema = { type: 'object', properties: entryProperties, required: entryRequired }

const profileSchema = {
  type: 'object',
  properties: {
    ...entryProperties,
    certificates: {
      type: 'array',
      description: 'every certificate of the participant this node holds, newest first',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          status: { enum: [...STATUSES] },
          reason: { type: 'string' },
          ...certifiedProperties,
          revocations: {
            type: 'array',
            description: 'revocations of the certificate by its issuer',
            items: { type: 'object', properties: { id: { type: 'string' }, issuedAt: { type: 'string', format: 'date-time' }, reason: { type: 'string' } }, required: ['id', 'issuedAt'] }
          }
        },
        required: ['id', 'status', 'reason', 'role', 'name', 'country', 'validFrom', 'authority', 'revocations']
      }
    },
    addresses: { type: 'array', items: { type: 'string' }, description: 'where the participant listens, as this node keeps it' },
    connected: { type: 'boolean', description: 'whether a connection to it is open now' }
  },
  required: [...entryRequired, 'certificates', 'addresses', 'connected']
}

export function directoryRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/directory',
    operationId: 'listDirectory',
    tag: 'directory',
    summary: 'The certified participants this node knows, sorted by name',
    description: 'Every participant this node holds a certificate of (certificates spread through the network by trust gossip), read from the certificate that decides its status. ' +
      '`q` finds part of a name or of a legal id, in any case; `competence` is matched whole, in any case. `more` says whether more matched than `limit` lets through.',
    query: Type.Object({
      role: Type.Optional(enumOf(PARTICIPANT_ROLES)),
      country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2 code' })),
      competence: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
      q: Type.Optional(Type.String({ maxLength: 256 })),
      status: Type.Optional(enumOf(STATUSES)),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DIRECTORY_LIMIT, default: DEFAULT_DIRECTORY_LIMIT }))
    }),
    responses: {
      200: {
        description: 'The matching participants',
        content: {
          'application/json': {
            type: 'object',
            properties: { participants: { type: 'array', items: entrySchema }, matched: { type: 'integer' }, more: { type: 'boolean' } },
            required: ['participants', 'matched', 'more']
          }
        }
      }
    },
    handler: async (c, { query }) => c.json(await node.directory.list({
      ...(query.role !== undefined && { role: query.role }),
      ...(query.country !== undefined && { country: query.country }),
      ...(query.competence !== undefined && { competence: query.competence }),
      ...(query.q !== undefined && { q: query.q }),
      ...(query.status !== undefined && { status: query.status }),
      limit: query.limit ?? DEFAULT_DIRECTORY_LIMIT
    }))
  })

  table.add({
    method: 'get',
    path: '/v1/directory/{participant}',
    operationId: 'directoryProfile',
    tag: 'directory',
    summary: 'A certified participant\'s profile: what its certificates say, their history and revocations, where it listens, whether it is connected',
    params: Type.Object({ participant: participantIdSchema }),
    responses: { 200: { description: 'The profile', content: { 'application/json': profileSchema } } },
    problems: { 'not-found': 'this node holds no certificate of the participant' },
    handler: async (c, { params }) => c.json(await node.directory.profile(params.participant))
  })
}
