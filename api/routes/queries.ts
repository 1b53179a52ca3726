/**
 * Asking another participant's node for its records: one record, a
 * consignment, or records by type, time and goods. The answer comes verified,
 * with the holder's signed answer; `store=true` keeps the records here.
 */
import { Type } from '@sinclair/typebox'
import type { NodeApi } from '../../node/node-api.js'
import { ServiceError } from '../../node/errors.js'
import type { QuerySelection } from '../../node/query/query-service.js'
import { normaliseStart } from '../../record/time.js'
import { MAX_ANSWER_RECORDS } from '../../record/types/query.js'
import type { RouteTable } from '../routes.js'
import { consignmentSchema, objectResponse, participantIdSchema, recordIdSchema } from '../schemas.js'

const purpose = Type.String({ pattern: '^[A-Z]{2}(\\.[A-Za-z0-9-]+)+$', maxLength: 128, description: 'the purpose or procedure the records are asked for, e.g. KZ.customs.border-arrival' })
const asking = {
  purpose,
  store: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'keep the records here, as if delivered (default false)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ANSWER_RECORDS }))
}
const answerResponse = objectResponse('{ holder, query, answer: { id, issuedAt, outcome: records|nothing, truncated, reason? }, records: [record views, verified], stored?: { kept, refused }, receipt?: { id, kept, reason? } }')
const problems = {
  'invalid-request': 'a malformed participant id or selection',
  'not-on-network': 'this node runs without the network',
  'holder-unreachable': 'the holder cannot be dialled, or dropped the query',
  'holder-timeout': 'the holder did not answer in time',
  'holder-busy': 'the holder asks this node to slow down; Retry-After says when to ask again',
  'bad-answer': 'the answer does not verify'
}

/** A query's `since`/`until`: a bare date is the start of that day. */
function instant (text: string | undefined, name: string): string | undefined {
  if (text === undefined) return undefined
  const at = normaliseStart(text)
  if (at === undefined) throw new ServiceError('invalid-request', `${name} is not a date or an RFC 3339 date-time`, [{ path: `/query/${name}`, message: 'invalid instant' }])
  return at
}

export function queryRoutes (table: RouteTable, node: NodeApi): void {
  const ask = async (holder: string, select: QuerySelection, query: { purpose: string, store?: 'true' | 'false', limit?: number }): Promise<unknown> =>
    await node.queries.ask(holder, select, { purpose: query.purpose, store: query.store === 'true', ...(query.limit !== undefined && { limit: query.limit }) })

  table.add({
    method: 'get',
    path: '/v1/participants/{id}/records/{recordId}',
    operationId: 'queryRecord',
    tag: 'queries',
    summary: 'Ask a participant\'s node for one of its records: what its grants let this node see of it, verified',
    description: 'The holder answers with the record as its pull grants disclose it, or with a signed answer that there is nothing this node may see (`records` empty), which says nothing of whether the record exists.',
    params: Type.Object({ id: participantIdSchema, recordId: recordIdSchema }),
    query: Type.Object(asking),
    responses: { 200: answerResponse },
    problems,
    handler: async (c, { params, query }) => c.json(await ask(params.id, { record: params.recordId }, query))
  })

  table.add({
    method: 'get',
    path: '/v1/participants/{id}/consignments/{ref}',
    operationId: 'queryConsignment',
    tag: 'queries',
    summary: 'Ask a participant\'s node for its records of a consignment: those its grants let this node see, verified',
    params: Type.Object({ id: participantIdSchema, ref: consignmentSchema }),
    query: Type.Object(asking),
    responses: { 200: answerResponse },
    problems,
    handler: async (c, { params, query }) => c.json(await ask(params.id, { consignment: params.ref }, query))
  })

  table.add({
    method: 'get',
    path: '/v1/participants/{id}/records',
    operationId: 'queryRecords',
    tag: 'queries',
    summary: 'Ask a participant\'s node for its records by type, time range and goods',
    description: 'At least one of type, since, until, hsCode. Oldest first; `answer.truncated` says more matched: ask again from a later `since`.',
    params: Type.Object({ id: participantIdSchema }),
    query: Type.Object({
      ...asking,
      type: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$', maxLength: 64 })),
      since: Type.Optional(Type.String({ maxLength: 40, description: 'issued at or after (date or RFC 3339)' })),
      until: Type.Optional(Type.String({ maxLength: 40, description: 'issued before (date or RFC 3339)' })),
      hsCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,10}$', description: 'goods whose HS code starts so' }))
    }),
    responses: { 200: answerResponse },
    problems,
    handler: async (c, { params, query }) => {
      const since = instant(query.since, 'since')
      const until = instant(query.until, 'until')
      const select: QuerySelection = {
        ...(query.type !== undefined && { type: query.type }),
        ...(since !== undefined && { since }),
        ...(until !== undefined && { until }),
        ...(query.hsCode !== undefined && { hsCode: query.hsCode })
      }
      if (Object.keys(select).length === 0) throw new ServiceError('invalid-request', 'say what is asked for: type, since, until or hsCode', [{ path: '/query', message: 'one of type, since, until, hsCode' }])
      return c.json(await ask(params.id, select, query))
    }
  })
}
