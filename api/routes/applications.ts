/** Applications: the agency's inbox, status changes and decisions, and the life of a decision; the applicant's real-time view; decision times. */
import type { NodeApi } from '../../node/node-api.js'
import { Type } from '@sinclair/typebox'
import type { RouteTable } from '../routes.js'
import { enumOf, idParams, instantSchema, objectResponse, recordIdSchema } from '../schemas.js'

const STATES = ['submitted', 'received', 'under-review', 'more-information-requested', 'decided'] as const
const day = (description: string) => Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `${description} (YYYY-MM-DD)` })
const reason = (description: string) => Type.String({ minLength: 1, maxLength: 2000, description })
/** What a change to a decision can be refused for, besides its body. */
const CHANGE_PROBLEMS = {
  'not-found': 'no such decision here',
  'not-owner': 'the decision was issued by another agency',
  'already-superseded': 'the decision was amended: change its version in force',
  'not-in-force': 'the decision is withdrawn, or its standing does not allow the change',
  'invalid-request': 'a refusal, which is not changed, or days that do not fit',
  'schema-violation': 'a day that is no calendar date'
} as const

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
        guarantee: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'a release before the payments are confirmed: the guarantee that covers them' })),
        quantities: Type.Optional(Type.Array(Type.Object({
          goods: Type.Array(Type.String({ pattern: '^[0-9]{2,10}$' }), { minItems: 1, maxItems: 100 }),
          quantity: Type.String({ pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', maxLength: 40 }),
          unit: Type.String({ pattern: '^[A-Z0-9]{2,3}$' })
        }, { additionalProperties: false }), { minItems: 1, maxItems: 50, description: 'a permit or certificate that is a licence with quantities: how much of which goods it allows over all releases against it' }))
      }, { additionalProperties: false })
    },
    responses: {
      200: objectResponse('The application, decided')
    },
    problems: {
      'invalid-request': 'a refusal without reasons, or a validUntil that is not a future instant',
      'not-owner': 'the application was made to another agency',
      'not-found': 'no such application here',
      'already-decided': 'the application is already decided',
      'payment-not-confirmed': 'a release while the declaration\'s payments are not confirmed by a bank, and no guarantee',
      'payments-mismatch': 'a release of goods whose declaration states payments that differ from customs\' calculation',
      'quota-exceeded': 'a release that would take more than a licence it relies on has left',
      'not-in-force': 'a release relying on a licence that is suspended, withdrawn or expired'
    },
    handler: async (c, { params, body }) => c.json(await node.applications.decide(params.id, body))
  })

  table.add({
    method: 'get',
    path: '/v1/decisions/{id}',
    operationId: 'getDecision',
    tag: 'applications',
    summary: 'One decision held here: whether it is in force today, its versions and changes, and the decisions it relied on',
    description: '`status` is `valid`, `amended` (a newer version is in force: `current`), `suspended`, `withdrawn` or `expired`, ' +
      'with the `reason`, `from` and `until` of the change that put it there; `reliance` gives the standing of each decision the version in force relied on.',
    params: idParams,
    responses: { 200: objectResponse('The decision\'s standing, its version in force (`inForce`) and its reliance') },
    problems: { 'not-found': 'no such decision here' },
    handler: async (c, { params }) => c.json(await node.applications.decision(params.id))
  })

  table.add({
    method: 'get',
    path: '/v1/decisions/{id}/quantities',
    operationId: 'getLicenceQuantities',
    tag: 'applications',
    summary: 'A licence with quantities: what it allows, what the releases held here wrote off, and what is left',
    params: idParams,
    responses: { 200: objectResponse('{ licence, allowances: [{ goods, quantity, unit, taken, left }] }') },
    problems: { 'not-found': 'no such decision here, or it states no quantities' },
    handler: async (c, { params }) => c.json({ licence: params.id, allowances: await node.quotas.standing(params.id) })
  })

  table.add({
    method: 'post',
    path: '/v1/decisions/{id}/amend',
    operationId: 'amendDecision',
    tag: 'applications',
    summary: 'On the agency\'s node: sign a new version of a permit, certificate or release, superseding it',
    description: 'The new version keeps what the body does not change. It goes to everyone that received the decision: ' +
      'the applicant, every receiver of an earlier version, and whoever the agency\'s grants name.',
    params: idParams,
    body: {
      'application/json': Type.Object({
        reliesOn: Type.Optional(Type.Array(recordIdSchema, { minItems: 1, maxItems: 1000 })),
        number: Type.Optional(Type.String({ minLength: 1, maxLength: 70 })),
        validFrom: Type.Optional(day('first day of validity')),
        validUntil: Type.Optional(instantSchema),
        summary: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
        reasons: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 100 }))
      }, { additionalProperties: false })
    },
    responses: { 200: objectResponse('The decision, in force in its new version') },
    problems: { ...CHANGE_PROBLEMS, 'invalid-request': 'a refusal, which is not amended, or a validUntil that is not a future instant (the earlier version\'s, kept, may have passed)' },
    handler: async (c, { params, body }) => c.json(await node.applications.amend(params.id, body))
  })

  table.add({
    method: 'post',
    path: '/v1/decisions/{id}/suspend',
    operationId: 'suspendDecision',
    tag: 'applications',
    summary: 'On the agency\'s node: suspend a permit, certificate or release, with the reason, from a day up to and including a day',
    description: 'Without `from`, from the day it is signed; without `until`, until it is reinstated or withdrawn. A later suspension replaces an earlier one. ' +
      'The signed suspension goes to everyone that received the decision.',
    params: idParams,
    body: {
      'application/json': Type.Object({
        reason: reason('why the decision is suspended'),
        from: Type.Optional(day('first day suspended')),
        until: Type.Optional(day('last day suspended'))
      }, { additionalProperties: false })
    },
    responses: { 200: objectResponse('The decision with its standing') },
    problems: CHANGE_PROBLEMS,
    handler: async (c, { params, body }) => c.json(await node.applications.suspend(params.id, body))
  })

  table.add({
    method: 'post',
    path: '/v1/decisions/{id}/reinstate',
    operationId: 'reinstateDecision',
    tag: 'applications',
    summary: 'On the agency\'s node: end a suspension of a decision before its last day, with the reason',
    params: idParams,
    body: { 'application/json': Type.Object({ reason: reason('why the decision is in force again') }, { additionalProperties: false }) },
    responses: { 200: objectResponse('The decision with its standing') },
    problems: { ...CHANGE_PROBLEMS, 'not-in-force': 'the decision is withdrawn, or not suspended' },
    handler: async (c, { params, body }) => c.json(await node.applications.reinstate(params.id, body))
  })

  table.add({
    method: 'post',
    path: '/v1/decisions/{id}/withdraw',
    operationId: 'withdrawDecision',
    tag: 'applications',
    summary: 'On the agency\'s node: withdraw a permit, certificate or release for good, with the reason',
    description: 'Without `from`, from the day it is signed. The signed withdrawal goes to everyone that received the decision; a withdrawn decision changes no more.',
    params: idParams,
    body: {
      'application/json': Type.Object({
        reason: reason('why the decision is withdrawn'),
        from: Type.Optional(day('first day no longer in force'))
      }, { additionalProperties: false })
    },
    responses: { 200: objectResponse('The decision with its standing') },
    problems: CHANGE_PROBLEMS,
    handler: async (c, { params, body }) => c.json(await node.applications.withdraw(params.id, body))
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
