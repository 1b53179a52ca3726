/** Applications: the agency's inbox, status changes and decisions; the applicant's real-time view; decision times. */
import type { NodeApi } from '../../node/node-api.js'
import { Type } from '@sinclair/typebox'
import type { RouteTable } from '../routes.js'
import { enumOf, idParams, instantSchema, objectResponse, recordIdSchema } from '../schemas.js'

const STATES = ['submitted', 'received', 'under-review', 'more-information-requested', 'decided'] as const

export function applicationRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/applications',
    operationId: 'listApplications',
    tag: 'applications',
    summary: 'Applications held here — made by this node or to it — newest first, with their status',
    description: 'On an agency\'s node this is its inbox: `?status=received` lists what awaits review.',
    query: Type.Object({ status: Type.Optional(enumOf(STATES)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
    responses: { 200: objectResponse('The applications') },
    handler: async (c, { query }) => {
      const applications = await node.applications.list(query.status, Number(query.limit ?? 100))
      return c.json({ applications })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/applications/{id}',
    operationId: 'getApplication',
    tag: 'applications',
    summary: 'One application: its status, every signed step so far, the decision and the time it took',
    params: idParams,
    responses: { 200: objectResponse('The application') },
    problems: { 'not-found': 'no such application here' },
    handler: async (c, { params }) => c.json(await node.applications.view(params.id))
  })

  table.add({
    method: 'post',
    path: '/v1/applications/{id}/status',
    operationId: 'setApplicationStatus',
    tag: 'applications',
    summary: 'On the agency\'s node: report a stage of an application; the applicant receives the signed status',
    params: idParams,
    body: {
      'application/json': Type.Object({
        status: enumOf(['received', 'under-review', 'more-information-requested']),
        note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 }))
      }, { additionalProperties: false })
    },
    responses: {
      200: objectResponse('The application with its new status')
    },
    problems: {
      'not-owner': 'the application was made to another agency',
      'not-found': 'no such application here',
      'already-decided': 'the application is already decided'
    },
    handler: async (c, { params, body }) => {
      const { status, note } = body
      return c.json(await node.applications.setStatus(params.id, status, note))
    }
  })

  table.add({
    method: 'post',
    path: '/v1/applications/{id}/decision',
    operationId: 'decideApplication',
    tag: 'applications',
    summary: 'On the agency\'s node: decide an application with a signed release, permit, certificate or refusal',
    description: 'The decision names the application and the records it relied on (by default, those the application pointed to). ' +
      'It goes to the applicant, and to whoever this node\'s grants name for decisions.',
    params: idParams,
    body: {
      'application/json': Type.Object({
        kind: enumOf(['release', 'permit', 'certificate', 'refusal']),
        reliesOn: Type.Optional(Type.Array(recordIdSchema, { minItems: 1, maxItems: 1000 })),
        number: Type.Optional(Type.String({ minLength: 1, maxLength: 70 })),
        validFrom: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' })),
        validUntil: Type.Optional(instantSchema),
        summary: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
        reasons: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 100 })),
        guarantee: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'a release before the payments are confirmed: the guarantee that covers them' }))
      }, { additionalProperties: false })
    },
    responses: {
      200: objectResponse('The application, decided')
    },
    problems: {
      'invalid-request': 'a refusal without reasons, or a validUntil that is not a future instant',
      'not-owner': 'the application was made to another agency',
      'not-found': 'no such application here',
      'already-decided': 'the application is already decided'
    },
    handler: async (c, { params, body }) => c.json(await node.applications.decide(params.id, body))
  })

  table.add({
    method: 'get',
    path: '/v1/reports/decision-times',
    operationId: 'getDecisionTimes',
    tag: 'applications',
    summary: 'Time from submission to decision, per procedure, over the decided applications held here',
    responses: { 200: objectResponse('Per procedure: decided count, mean, median, 90th percentile and longest time in milliseconds') },
    handler: async (c) => c.json({ procedures: await node.applications.decisionTimes() })
  })
}
