/**
 * JSON Schemas of what the API sends and receives, shared by request validation
 * and the OpenAPI document.
 */
import { Type, type TUnsafe } from '@sinclair/typebox'
import type { JsonSchema } from '../record/types/definition.js'
import { procedureId } from '../record/types/policy.js'
import { CONSIGNMENT_PATTERN, PARTICIPANT_ID_PATTERN, RECORD_ID_PATTERN, TYPE_PATTERN, type DataObject } from '../record/index.js'

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

export const recordIdSchema = Type.String({ pattern: RECORD_ID_PATTERN.source, description: 'Record id: sha-256 multihash of the envelope, multibase base32' })
export const participantIdSchema = Type.String({ pattern: PARTICIPANT_ID_PATTERN.source, description: 'Participant id: the libp2p peer id of the participant\'s Ed25519 key' })
export const consignmentSchema = Type.String({ maxLength: 35, pattern: CONSIGNMENT_PATTERN.source, description: 'Consignment reference in the style of the WCO UCR' })
export const typeSchema = Type.String({ maxLength: 64, pattern: TYPE_PATTERN.source, description: 'Registered record type, e.g. trade.invoice' })
export const instantSchema = Type.String({ maxLength: 40, description: 'A date (YYYY-MM-DD, meaning the end of that day, UTC) or an RFC 3339 date-time' })
/** One of a list of strings, typed as that union. */
export const enumOf = <const T extends readonly string[]>(values: T, options: { description?: string, default?: T[number] } = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
export const procedureSchema = Type.Unsafe<string>(procedureId)
/** An id in a path: checked by the service, which answers not-found for one it does not hold. */
export const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
/** A JSON object whose shape the service checks (or a prose document describes). */
export const anyObject = (description?: string): TUnsafe<Record<string, unknown>> =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', ...(description !== undefined && { description }) })

export const createRecordSchema = Type.Object({
  type: Type.String({ maxLength: 64 }),
  consignment: Type.Optional(Type.String({ maxLength: 35, description: 'Omit to have the node assign a new reference (for types that need one)' })),
  data: Type.Unsafe<DataObject>({ type: 'object', description: 'The payload; it must satisfy the schema of its type' }),
  validUntil: Type.Optional(instantSchema),
  supersedes: Type.Optional(Type.String({ maxLength: 64, description: 'Id of this node\'s record that the new one replaces' })),
  share: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), {
    maxItems: 100,
    description: 'Participant ids to deliver the record to; delivery is store-and-forward with signed receipts'
  }))
}, { additionalProperties: false })

export const recordJsonSchema = Type.Object({
  envelope: Type.String({ description: 'Canonical CBOR envelope, base64url' }),
  signature: Type.Object({ suite: Type.String(), value: Type.String() }, { additionalProperties: false }),
  disclosures: Type.Array(Type.Array(Type.Unknown(), { minItems: 3, maxItems: 3 }), {
    description: '[salt (base64url), path, value] per disclosed field, sorted by digest'
  })
}, { additionalProperties: false, description: 'A signed record in JSON transport form: the wire form with byte strings as base64url text' })

export const components: Record<string, JsonSchema> = {
  RecordJson: recordJsonSchema,
  RecordView: {
    type: 'object',
    properties: {
      id: recordIdSchema,
      type: typeSchema,
      issuer: participantIdSchema,
      consignment: consignmentSchema,
      issuedAt: { type: 'string', format: 'date-time' },
      validUntil: { type: 'string', format: 'date-time' },
      supersedes: recordIdSchema,
      data: { type: 'object' },
      complete: { type: 'boolean', description: 'Every field is disclosed' },
      fields: { type: 'object', properties: { disclosed: { type: 'integer' }, total: { type: 'integer' } } },
      verified: { type: 'boolean', description: 'The issuer\'s signature and every disclosed field verify: checked when the record was stored, and at read time with verify=true' },
      reason: { type: 'string', description: 'Why verification failed' },
      expired: { type: 'boolean', description: 'validUntil has passed: not valid for reuse' },
      record: ref('RecordJson')
    },
    required: ['id', 'type', 'issuer', 'issuedAt', 'data', 'complete', 'fields', 'verified', 'expired', 'record']
  },
  RecordPage: {
    type: 'object',
    properties: {
      records: { type: 'array', items: ref('RecordView') },
      next: { type: 'string', description: 'Cursor of the next page; absent on the last page' }
    },
    required: ['records']
  },
  ConsignmentView: {
    type: 'object',
    properties: {
      consignment: consignmentSchema,
      records: {
        type: 'array',
        description: 'Current versions in time order, each with the versions it replaced (newest first)',
        items: { allOf: [ref('RecordView'), { type: 'object', properties: { history: { type: 'array', items: ref('RecordView') } }, required: ['history'] }] }
      }
    },
    required: ['consignment', 'records']
  },
  NodeInfo: {
    type: 'object',
    properties: {
      participant: participantIdSchema,
      publicKey: { type: 'object', properties: { suite: { type: 'string' }, value: { type: 'string', description: 'base64url' } } },
      profile: { type: 'object' },
      software: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' } } },
      p2p: { type: 'object', properties: { addresses: { type: 'array', items: { type: 'string' } } } }
    },
    required: ['participant', 'publicKey', 'profile', 'software']
  },
  RecordType: {
    type: 'object',
    properties: {
      type: typeSchema,
      title: { type: 'string' },
      description: { type: 'string' },
      consignmentRequired: { type: 'boolean' },
      schema: { type: 'object' }
    },
    required: ['type', 'title', 'schema']
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details',
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      errors: {
        type: 'array',
        items: { type: 'object', properties: { path: { type: 'string', description: 'JSON Pointer' }, message: { type: 'string' } }, required: ['path', 'message'] }
      }
    },
    required: ['type', 'title', 'status', 'detail']
  }
}

/** A JSON object answer described in prose (the shape is documented in docs/). */
export const objectResponse = (description: string): { description: string, content: Record<string, JsonSchema> } =>
  ({ description, content: { 'application/json': { type: 'object' } } })

export const jsonResponse = (description: string, schema: string): { description: string, content: Record<string, JsonSchema> } =>
  ({ description, content: { 'application/json': ref(schema) } })
