/**
 * JSON Schemas of what the API sends and receives, shared by request validation
 * and the OpenAPI document.
 */
import type { JsonSchema } from '../record/types/definition.js'
import { CONSIGNMENT_PATTERN, PARTICIPANT_ID_PATTERN, RECORD_ID_PATTERN, TYPE_PATTERN } from '../record/index.js'

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

export const recordIdSchema: JsonSchema = { type: 'string', pattern: RECORD_ID_PATTERN.source, description: 'Record id: sha-256 multihash of the envelope, multibase base32' }
export const participantIdSchema: JsonSchema = { type: 'string', pattern: PARTICIPANT_ID_PATTERN.source, description: 'Participant id: the libp2p peer id of the participant\'s Ed25519 key' }
export const consignmentSchema: JsonSchema = { type: 'string', maxLength: 35, pattern: CONSIGNMENT_PATTERN.source, description: 'Consignment reference in the style of the WCO UCR' }
export const typeSchema: JsonSchema = { type: 'string', maxLength: 64, pattern: TYPE_PATTERN.source, description: 'Registered record type, e.g. trade.invoice' }
export const instantSchema: JsonSchema = { type: 'string', maxLength: 40, description: 'A date (YYYY-MM-DD, meaning the end of that day, UTC) or an RFC 3339 date-time' }

export const createRecordSchema: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', maxLength: 64 },
    consignment: { type: 'string', maxLength: 35, description: 'Omit to have the node assign a new reference (for types that need one)' },
    data: { type: 'object', description: 'The payload; it must satisfy the schema of its type' },
    validUntil: instantSchema,
    supersedes: { type: 'string', maxLength: 64, description: 'Id of this node\'s record that the new one replaces' },
    share: {
      type: 'array',
      maxItems: 100,
      items: { type: 'string', maxLength: 64 },
      description: 'Participant ids to deliver the record to; delivery is store-and-forward with signed receipts'
    }
  },
  required: ['type', 'data'],
  additionalProperties: false
}

export const recordJsonSchema: JsonSchema = {
  type: 'object',
  description: 'A signed record in JSON transport form: the wire form with byte strings as base64url text',
  properties: {
    envelope: { type: 'string', description: 'Canonical CBOR envelope, base64url' },
    signature: {
      type: 'object',
      properties: { suite: { type: 'string' }, value: { type: 'string' } },
      required: ['suite', 'value'],
      additionalProperties: false
    },
    disclosures: {
      type: 'array',
      description: '[salt (base64url), path, value] per disclosed field, sorted by digest',
      items: { type: 'array', minItems: 3, maxItems: 3 }
    }
  },
  required: ['envelope', 'signature', 'disclosures'],
  additionalProperties: false
}

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
      verified: { type: 'boolean', description: 'The issuer\'s signature and every disclosed field verify' },
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

export const problemResponse = (description: string): { description: string, content: Record<string, JsonSchema> } =>
  ({ description, content: { 'application/problem+json': ref('Problem') } })

/** A JSON object answer described in prose (the shape is documented in docs/). */
export const objectResponse = (description: string): { description: string, content: Record<string, JsonSchema> } =>
  ({ description, content: { 'application/json': { type: 'object' } } })

export const jsonResponse = (description: string, schema: string): { description: string, content: Record<string, JsonSchema> } =>
  ({ description, content: { 'application/json': ref(schema) } })
