/** GS1 EPCIS 2.0: capture of events as signed records, and the common SimpleEventQuery parameters. */
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import { Type } from '@sinclair/typebox'
import { strictUtf8, type RouteTable } from '../routes.js'
import { anyObject, consignmentSchema, objectResponse } from '../schemas.js'

const list = Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'one value, or several separated by |' }))
const instant = Type.Optional(Type.String({ maxLength: 40, description: 'RFC 3339 date-time' }))
const LD_JSON = 'application/ld+json'

export function epcisRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: '/v1/epcis/capture',
    operationId: 'epcisCapture',
    tag: 'epcis',
    summary: 'Capture an EPCISDocument or a single EPCIS 2.0 event; each event becomes a record signed by this node',
    description: 'Validated against EPCIS 2.0 (every failing path named; nothing stored on any error). An event is linked to the consignment ' +
      'named by a bizTransaction "urn:keruen:consignment:<reference>", else to `consignment`. `share` delivers each event record to those participants.',
    query: Type.Object({
      consignment: Type.Optional(consignmentSchema),
      share: Type.Optional(Type.String({ maxLength: 8192, description: 'comma-separated participant ids' }))
    }),
    body: { 'application/json': anyObject(), [LD_JSON]: anyObject() },
    responses: {
      201: objectResponse('The captured events and their records')
    },
    problems: {
      'invalid-request': 'a JSON-LD body that is not JSON, an event linked to no consignment, or a bad share list',
      'schema-violation': 'not EPCIS 2.0: every failing path',
      'too-large': 'an event\'s record would be too large'
    },
    handler: async (c, { body, query }) => {
      let input = body
      if (input instanceof Uint8Array) {
        try {
          input = JSON.parse(strictUtf8.decode(input))
        } catch (err) {
          throw new ServiceError('invalid-request', `the body is not valid JSON-LD: ${(err as Error).message}`)
        }
      }
      const share = typeof query.share === 'string' ? query.share.split(',').filter(s => s !== '') : undefined
      const captured = await node.epcis.capture(input, {
        ...(typeof query.consignment === 'string' && { consignment: query.consignment }),
        ...(share !== undefined && { share })
      })
      return c.json({ captured }, 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/epcis/events',
    operationId: 'epcisEvents',
    tag: 'epcis',
    summary: 'Query captured and received EPCIS events; an EPCISQueryDocument, a page at a time',
    description: 'Parameters combine with AND; a list parameter matches any of its values. The next page, if any, is in the Link header (rel="next").',
    query: Type.Object({
      eventType: list,
      GE_eventTime: instant,
      LT_eventTime: instant,
      EQ_bizStep: list,
      EQ_disposition: list,
      MATCH_epc: list,
      MATCH_anyEPC: list,
      EQ_bizLocation: list,
      EQ_readPoint: list,
      consignment: Type.Optional(consignmentSchema),
      perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 30 })),
      nextPageToken: Type.Optional(Type.String({ maxLength: 1024 }))
    }),
    responses: {
      200: { description: 'EPCISQueryDocument (JSON-LD; also given as plain JSON to a client that accepts only that)', content: { [LD_JSON]: { type: 'object' }, 'application/json': { type: 'object' } } }
    },
    problems: { 'invalid-request': 'GE_eventTime or LT_eventTime is not a date-time' },
    handler: async (c, { query, accept }) => {
      const q = { ...query, ...(query.perPage !== undefined && { perPage: Number(query.perPage) }) }
      const { document, next } = await node.epcis.query(q)
      if (next !== undefined) {
        const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))
        params.set('nextPageToken', next)
        c.header('link', `</v1/epcis/events?${params.toString()}>; rel="next"`)
      }
      return c.body(JSON.stringify(document), 200, { 'content-type': accept })
    }
  })
}
