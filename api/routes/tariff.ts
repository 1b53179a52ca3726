/** The integrated tariff: agencies' regulatory measures, the finder by HS code, what a consignment's goods need, consignments by goods. */
import { Type } from '@sinclair/typebox'
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import { spaced } from '../../node/reference/measure-service.js'
import { issuingRefusal } from '../../node/trust/issuers.js'
import { RecordTypes } from '../../record/types/names.js'
import { regulationMeasure, TRADE_DIRECTIONS } from '../../record/types/regulation-measure.js'
import type { RegulationMeasureData } from '../../record/types/index.js'
import type { RouteTable } from '../routes.js'
import { consignmentSchema, objectResponse, recordIdSchema } from '../schemas.js'

const hsCode = Type.String({ pattern: '^[0-9]{2,10}$', description: 'HS code or its start, digits only' })
const direction = Type.Union(TRADE_DIRECTIONS.map(d => Type.Literal(d)))
const country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' })
const day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date, YYYY-MM-DD; today if absent' })

export function tariffRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: '/v1/measures',
    operationId: 'publishMeasure',
    tag: 'tariff',
    summary: 'Publish a regulatory measure this agency applies (or a new version of one: `supersedes`)',
    description: 'Signs a regulation.measure and sends it to every certified participant; their nodes then find it for the goods it covers, and say so on their event stream and to their webhooks (regulation.changed).',
    body: {
      // The record type's own schema, with the measure it replaces beside it.
      'application/json': Type.Unsafe<RegulationMeasureData & { supersedes?: string }>({
        ...regulationMeasure.schema,
        $schema: undefined,
        title: undefined,
        properties: { ...regulationMeasure.schema.properties, supersedes: recordIdSchema }
      })
    },
    responses: { 201: { ...objectResponse('The measure record'), headers: { Location: { description: 'URL of the record' } } } },
    problems: {
      'not-owner': 'this node is not an agency',
      'invalid-request': 'a measure other than a prohibition names no procedure, or ends before it starts',
      'supersedes-unknown': 'the measure it supersedes is unknown here',
      'supersedes-mismatch': 'the measure it supersedes is another agency\'s'
    },
    handler: async (c, { body }) => {
      const refusal = issuingRefusal(RecordTypes.regulationMeasure, node.profile.role)
      if (refusal !== undefined) throw new ServiceError('not-owner', refusal)
      const { supersedes, ...data } = body
      const record = await node.measures.publish(data, supersedes)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(await node.records.get(record.id), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/measures',
    operationId: 'listMeasures',
    tag: 'tariff',
    summary: 'The regulatory measures held here, in force or to come, newest first (superseded ones left out)',
    responses: { 200: objectResponse('{ measures: [...] }') },
    handler: async (c) => c.json({ measures: node.measures.list() })
  })

  table.add({
    method: 'get',
    path: '/v1/tariff/{hsCode}',
    operationId: 'findMeasures',
    tag: 'tariff',
    summary: 'Every measure in force for goods: the agencies, procedures and legal basis, each with why it applies',
    params: Type.Object({ hsCode }),
    query: Type.Object({
      direction: Type.Optional({ ...direction, description: 'export, import or transit (export if absent)' }),
      origin: Type.Optional(country),
      destination: Type.Optional(country),
      date: Type.Optional(day)
    }),
    responses: { 200: objectResponse('{ hsCode, goods, direction, measures: [{ measure, kind, title, agency, procedure, legalBasis, because }], prohibited }') },
    handler: async (c, { params, query }) => {
      const q = { hsCode: params.hsCode, direction: query.direction ?? 'export', origin: query.origin, destination: query.destination, day: query.date } as const
      const found = node.measures.lookup(q)
      const agencies = new Map<string, string | undefined>()
      for (const { measure } of found) if (!agencies.has(measure.agency)) agencies.set(measure.agency, (await node.trust.status(measure.agency)).certificate?.name)
      return c.json({
        hsCode: params.hsCode,
        hsCodeSpaced: spaced(params.hsCode),
        goods: node.measures.goodsName(params.hsCode, query.date) ?? null,
        direction: q.direction,
        ...(q.origin !== undefined && { origin: q.origin }),
        ...(q.destination !== undefined && { destination: q.destination }),
        prohibited: found.some(f => f.measure.kind === 'prohibition'),
        measures: found.map(({ measure: m, because }) => ({
          measure: m.measure,
          record: m.record,
          kind: m.kind,
          title: m.title,
          agency: m.agency,
          ...(agencies.get(m.agency) !== undefined && { agencyName: agencies.get(m.agency) }),
          ...(m.procedure !== undefined && { procedure: m.procedure }),
          legalBasis: m.legalBasis,
          validFrom: m.validFrom,
          ...(m.validUntil !== undefined && { validUntil: m.validUntil }),
          ...(m.note !== undefined && { note: m.note }),
          because
        }))
      })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}/procedures',
    operationId: 'consignmentProcedures',
    tag: 'tariff',
    summary: 'What the consignment still needs: from its documents\' goods, countries and direction, every procedure the measures in force require, its requirement status, and its application',
    description: 'A prohibition stops the list (`prohibited`, with its legal basis). A procedure whose measure or profile changed after its application was filed says `changedSinceApplication`.',
    params: Type.Object({ ref: consignmentSchema }),
    query: Type.Object({
      direction: Type.Optional({ ...direction, description: 'export, import or transit; by default export when the exporting party is of this node\'s country, import when the importing one is' }),
      date: Type.Optional(day)
    }),
    responses: { 200: objectResponse('{ consignment, direction, goods, prohibited, procedures: [{ procedure, agency, measures, requirement, application, changedSinceApplication }] }') },
    problems: { 'not-found': 'nothing of the consignment is held here' },
    handler: async (c, { params, query }) => c.json(await node.procedures.procedures(params.ref, {
      ...(query.direction !== undefined && { direction: query.direction }),
      ...(query.date !== undefined && { day: query.date })
    }))
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}/payments',
    operationId: 'consignmentPayments',
    tag: 'tariff',
    summary: 'What the consignment\'s goods declaration owes: customs duty, excise and VAT item by item, and the fees, each with its base, rate and legal basis',
    description: 'Worked out from the declaration, the customs schedule of rates in force on its date, the exchange rates of that day and the verified certificates of origin (for a preference), in exact decimals, rounded to the cent of the national currency per line.',
    params: Type.Object({ ref: consignmentSchema }),
    responses: { 200: objectResponse('{ consignment, declaration, declared?, mismatches?, schedule, currency, exchangeRate, items: [{ lineNumber, hsCode, customsValue, payments }], fees, totals }') },
    problems: {
      'not-found': 'no verified declaration of the consignment, or no schedule of rates in force on its date',
      'invalid-request': 'the declaration lacks what a rate needs (a quantity in the rate\'s unit, an exchange rate)'
    },
    handler: async (c, { params }) => c.json(await node.payments.payments(params.ref))
  })

  table.add({
    method: 'get',
    path: '/v1/consignments',
    operationId: 'listConsignments',
    tag: 'records',
    summary: 'The consignments this node holds records of; by goods with `hsCode` (newest first)',
    query: Type.Object({
      hsCode: Type.Optional({ ...hsCode, description: 'only consignments with goods whose HS code starts with this' }),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 }))
    }),
    responses: { 200: objectResponse('{ consignments: [ref, …] }') },
    handler: async (c, { query }) => {
      const limit = Number(query.limit ?? 200)
      const consignments = query.hsCode !== undefined ? await node.measures.consignmentsWithGoods(query.hsCode, limit) : await node.records.consignments(limit)
      return c.json({ consignments })
    }
  })
}
