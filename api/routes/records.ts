/** Records: create, import, read, list. */
import type { NodeApi } from '../../node/node-api.js'
import { issuerRule } from '../../node/trust/issuers.js'
import { ServiceError } from '../../node/errors.js'
import { Type } from '@sinclair/typebox'
import { normaliseStart, type SignedRecord } from '../../record/index.js'
import { problem } from '../problem.js'
import type { RouteTable } from '../routes.js'
import {
  consignmentSchema, createRecordSchema, idParams, jsonResponse, participantIdSchema, recordJsonSchema, typeSchema
} from '../schemas.js'

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** Whether a Prefer header (RFC 7240) asks for `return=minimal`: preferences are comma-separated, each with optional parameters. */
export function prefersMinimal (prefer: string | undefined): boolean {
  return prefer !== undefined && prefer.split(',').some(p => p.split(';')[0]?.trim().toLowerCase().replace(/\s+/g, '') === 'return=minimal')
}

/** The answer to `Prefer: return=minimal`: the record's id, type, consignment and issue time. */
export function minimalView ({ id, envelope }: Pick<SignedRecord, 'id' | 'envelope'>): { id: string, type: string, consignment?: string, issuedAt: string } {
  return { id, type: envelope.type, ...(envelope.consignment !== undefined && { consignment: envelope.consignment }), issuedAt: envelope.issuedAt }
}

/** `?verify=true`: check signatures and digests again at read time, not only as when the records were stored. */
const verifyParam = {
  verify: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], {
    description: 'true: verify each record\'s signature and digests again now (every record was verified when it was stored; default false)'
  }))
}
const readOptions = (query: { verify?: 'true' | 'false' }): { verify: boolean } => ({ verify: query.verify === 'true' })

export function recordRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: '/v1/records',
    operationId: 'createRecord',
    tag: 'records',
    summary: 'Create and sign a record as this node',
    description: 'Validates the data against the schema of its type, signs it with this node\'s key and stores it. ' +
      'With an Idempotency-Key header a retried request returns the record of the first one. ' +
      'With `Prefer: return=minimal` (RFC 7240) the answer is only the record\'s id, type, consignment and issue time, not the whole record: for a system that posts thousands.',
    headers: {
      'Idempotency-Key': { description: 'Up to 255 printable ASCII characters; same key and body → same record', schema: { type: 'string', maxLength: 255 } },
      Prefer: { description: '`return=minimal`: answer with the id and Location only', schema: { type: 'string', maxLength: 200 } }
    },
    body: { 'application/json': createRecordSchema },
    responses: {
      201: { ...jsonResponse('The signed record', 'RecordView'), headers: { Location: { description: 'URL of the record' }, 'Idempotent-Replayed': { description: '"true" when this answers a repeated request' } } },
    },
    problems: {
      'invalid-request': 'a bad consignment, validUntil, supersedes, share or Idempotency-Key',
      'already-superseded': 'the superseded record already has a successor',
      'too-large': 'the record would be too large',
      'unregistered-type': 'the type is not registered',
      'schema-violation': 'the data breaks its type\'s schema',
      'non-canonical': 'the data holds a value the record format cannot carry',
      'idempotency-conflict': 'the Idempotency-Key was used with another body',
      'supersedes-unknown': 'supersedes names a record this node does not hold',
      'supersedes-mismatch': 'supersedes names a record of another issuer, type or consignment',
      'not-permitted': 'this node\'s role does not issue the type (docs/trust.md, "Who issues what"), or the node makes records of the type itself',
      'legal-id-taken': 'a trust.certificate for a legal id that a certificate of this node, still valid, gives to another participant in the same country'
    },
    handler: async (c, { body }) => {
      const key = c.req.header('idempotency-key')
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        return problem(c, 'invalid-request', 'Idempotency-Key must be 1 to 255 printable ASCII characters', [{ path: '/headers/Idempotency-Key', message: 'invalid' }])
      }
      if (issuerRule(body.type)?.nodeOnly === true) {
        return problem(c, 'not-permitted', `the node makes ${body.type} records itself; they are not signed on request`, [{ path: '/type', message: 'is made by the node only' }])
      }
      const result = await node.records.create(body, key)
      c.header('location', `/v1/records/${result.record.id}`)
      if (!result.created) c.header('idempotent-replayed', 'true')
      if (prefersMinimal(c.req.header('prefer'))) {
        c.header('preference-applied', 'return=minimal')
        return c.json(minimalView(result.record), 201)
      }
      return c.json(node.records.viewOfCreated(result), 201)
    }
  })

  table.add({
    method: 'post',
    path: '/v1/records/import',
    operationId: 'importRecord',
    tag: 'records',
    summary: 'Store a record signed by another participant, after verifying it',
    description: 'Accepts the JSON transport form or the exact wire bytes (application/cbor). Refuses anything that does not verify.',
    body: { 'application/json': recordJsonSchema, 'application/cbor': Type.Unsafe<Uint8Array>({ type: 'string', contentMediaType: 'application/cbor' }) },
    responses: {
      200: jsonResponse('Already held; the stored record', 'RecordView'),
      201: { ...jsonResponse('Verified and stored', 'RecordView'), headers: { Location: { description: 'URL of the record' } } },
    },
    problems: {
      'verification-failed': 'the record does not verify; the detail says why',
      'too-large': 'the record is over the size or field limit',
      'unregistered-type': 'the record\'s type is not registered',
      'schema-violation': 'the record\'s data breaks its type\'s schema'
    },
    handler: async (c, { body }) => {
      const { record, created } = await node.records.import(body)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(await node.records.get(record.id), created ? 201 : 200)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records/{id}',
    operationId: 'getRecord',
    tag: 'records',
    summary: 'Read a record',
    description: 'JSON by default; `verified` says the record verified when it was stored, or at read time with `verify=true`. With `Accept: application/cbor`, the exact signed bytes.',
    params: idParams,
    query: Type.Object(verifyParam),
    responses: {
      200: { description: 'The record', content: { 'application/json': { $ref: '#/components/schemas/RecordView' }, 'application/cbor': { type: 'string', contentMediaType: 'application/cbor' } } }
    },
    problems: { 'not-found': 'no record with that id' },
    handler: async (c, { params, query, accept }) => {
      const id = params.id
      if (accept === 'application/cbor') {
        const bytes = await node.records.getBytes(id)
        if (bytes === undefined) throw new ServiceError('not-found', `no record ${id}`)
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/cbor' })
      }
      const view = await node.records.get(id, readOptions(query))
      if (view === undefined) throw new ServiceError('not-found', `no record ${id}`)
      return c.json(view)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records',
    operationId: 'listRecords',
    tag: 'records',
    summary: 'List records, oldest first, one page at a time',
    query: Type.Object({
      consignment: Type.Optional(consignmentSchema),
      type: Type.Optional(typeSchema),
      issuer: Type.Optional(participantIdSchema),
      since: Type.Optional(Type.String({ maxLength: 40, description: 'Only records issued at or after this instant (date or RFC 3339)' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
      cursor: Type.Optional(Type.String({ maxLength: 1024, description: 'The `next` of the previous page' })),
      hsCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,10}$', description: 'Only records of goods whose HS code starts with this (one page, no cursor)' })),
      ...verifyParam
    }),
    responses: {
      200: jsonResponse('A page of records', 'RecordPage')
    },
    problems: { 'invalid-request': 'since is not an instant', 'invalid-cursor': 'the cursor is not one this node issued for this query' },
    handler: async (c, { query }) => {
      let since: string | undefined
      if (query.since !== undefined) {
        // A bare date here means the start of that day.
        since = normaliseStart(String(query.since))
        if (since === undefined) return problem(c, 'invalid-request', 'since is not a date or an RFC 3339 date-time', [{ path: '/query/since', message: 'invalid instant' }])
      }
      if (query.hsCode !== undefined) {
        // By goods: the goods index names the records; the other filters narrow them.
        const views = await Promise.all((await node.measures.recordsWithGoods(query.hsCode, 500)).map(async id => await node.records.get(id, readOptions(query))))
        const records = views.filter((v): v is NonNullable<typeof v> => v !== undefined &&
          (query.consignment === undefined || v.consignment === query.consignment) &&
          (query.type === undefined || v.type === query.type) &&
          (query.issuer === undefined || v.issuer === query.issuer) &&
          (since === undefined || v.issuedAt >= since))
        return c.json({ records: records.slice(0, Number(query.limit ?? 50)) })
      }
      // Written as text from the stored bytes: a page is up to 500 records, and none is kept.
      const page = await node.records.listJson({
        ...(query.consignment !== undefined && { consignment: String(query.consignment) }),
        ...(query.type !== undefined && { type: String(query.type) }),
        ...(query.issuer !== undefined && { issuer: String(query.issuer) }),
        ...(since !== undefined && { since }),
        ...(query.cursor !== undefined && { cursor: String(query.cursor) }),
        limit: Number(query.limit ?? 50)
      }, readOptions(query))
      return c.body(page as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}',
    operationId: 'getConsignment',
    tag: 'records',
    summary: 'Every record of a consignment in time order, supersede chains resolved',
    params: Type.Object({ ref: consignmentSchema }),
    query: Type.Object(verifyParam),
    responses: {
      200: jsonResponse('The consignment', 'ConsignmentView')
    },
    problems: { 'not-found': 'no record of that consignment' },
    handler: async (c, { params, query }) => {
      const { ref } = params
      // Written as text from the stored bytes, as a page of records is.
      const consignment = await node.records.consignmentJson(ref, readOptions(query))
      if (consignment === undefined) throw new ServiceError('not-found', `no record of consignment ${ref}`)
      return c.body(consignment as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' })
    }
  })
}
