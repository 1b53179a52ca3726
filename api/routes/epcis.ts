/** GS1 EPCIS 2.0: capture of events as signed records, and the common SimpleEventQuery parameters. */
import { ServiceError } from '../../node/errors.js'
import type { KeruenNode } from '../../node/node.js'
import type { EpcisQuery } from '../../node/workflow/epcis-service.js'
import type { RouteTable } from '../routes.js'
import { consignmentSchema, objectResponse, problemResponse } from '../schemas.js'

const list = { type: 'string', minLength: 1, maxLength: 4096, description: 'one value, or several separated by |' }
const instant = { type: 'string', maxLength: 40, description: 'RFC 3339 date-time' }

export function epcisRoutes (table: RouteTable, node: KeruenNode): void {
  table.add({
    method: 'post',
    path: '/v1/epcis/capture',
    operationId: 'epcisCapture',
    tag: 'epcis',
    summary: 'Capture an EPCISDocument or a single EPCIS 2.0 event; each event becomes a record signed by this node',
    description: 'Validated against EPCIS 2.0 (every failing path named; nothing stored on any error). An event is linked to the consignment ' +
      'named by a bizTransaction "urn:keruen:consignment:<reference>", else to `consignment`. `share` delivers each event record to those participants.',
    query: { consignment: consignmentSchema, share: { type: 'string', maxLength: 8192, description: 'comma-separated participant ids' } },
    body: { 'application/json': { type: 'object' }, 'application/ld+json': { type: 'object' } },
    responses: {
      201: objectResponse('The captured events and their records'),
      400: problemResponse('An event linked to no consignment, or a bad share list'),
      422: problemResponse('Not EPCIS 2.0: every failing path')
    },
    handler: async (c, { body, query }) => {
      let input = body
      if (input instanceof Uint8Array) {
        try {
          input = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input))
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
    query: {
      eventType: list, GE_eventTime: instant, LT_eventTime: instant, EQ_bizStep: list, EQ_disposition: list,
      MATCH_epc: list, MATCH_anyEPC: list, EQ_bizLocation: list, EQ_readPoint: list,
      consignment: consignmentSchema,
      perPage: { type: 'integer', minimum: 1, maximum: 500, default: 30 },
      nextPageToken: { type: 'string', maxLength: 1024 }
    },
    responses: { 200: { description: 'EPCISQueryDocument', content: { 'application/ld+json': { type: 'object' } } }, 400: problemResponse('Bad parameters') },
    handler: async (c, { query }) => {
      const q = { ...query, ...(query.perPage !== undefined && { perPage: Number(query.perPage) }) } as EpcisQuery
      const { document, next } = await node.epcis.query(q)
      if (next !== undefined) {
        const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))
        params.set('nextPageToken', next)
        c.header('link', `</v1/epcis/events?${params.toString()}>; rel="next"`)
      }
      return c.body(JSON.stringify(document), 200, { 'content-type': 'application/ld+json' })
    }
  })
}
