/** Applications: the agency's inbox, status changes and decisions; the applicant's real-time view; decision times. */
import type { KeruenNode } from '../../node/node.js'
import type { ApplicationState, DecisionInput } from '../../node/workflow/application-service.js'
import type { RouteTable } from '../routes.js'
import { instantSchema, objectResponse, problemResponse, recordIdSchema } from '../schemas.js'

const STATES = ['submitted', 'received', 'under-review', 'more-information-requested', 'decided']

export function applicationRoutes (table: RouteTable, node: KeruenNode): void {
  table.add({
    method: 'get',
    path: '/v1/applications',
    operationId: 'listApplications',
    tag: 'applications',
    summary: 'Applications held here — made by this node or to it — newest first, with their status',
    description: 'On an agency\'s node this is its inbox: `?status=received` lists what awaits review.',
    query: { status: { type: 'string', enum: STATES }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
    responses: { 200: objectResponse('The applications') },
    handler: async (c, { query }) => {
      const applications = await node.applications.list(query.status as ApplicationState | undefined, Number(query.limit ?? 100))
      return c.json({ applications })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/applications/{id}',
    operationId: 'getApplication',
    tag: 'applications',
    summary: 'One application: its status, every signed step so far, the decision and the time it took',
    params: { id: { type: 'string', maxLength: 64 } },
    responses: { 200: objectResponse('The application'), 404: problemResponse('No such application here') },
    handler: async (c, { params }) => c.json(await node.applications.view(params.id as string))
  })

  table.add({
    method: 'post',
    path: '/v1/applications/{id}/status',
    operationId: 'setApplicationStatus',
    tag: 'applications',
    summary: 'On the agency\'s node: report a stage of an application; the applicant receives the signed status',
    params: { id: { type: 'string', maxLength: 64 } },
    body: {
      'application/json': {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['received', 'under-review', 'more-information-requested'] },
          note: { type: 'string', minLength: 1, maxLength: 4000 }
        },
        required: ['status'],
        additionalProperties: false
      }
    },
    responses: {
      200: objectResponse('The application with its new status'),
      403: problemResponse('The application was made to another agency'),
      404: problemResponse('No such application here'),
      409: problemResponse('Already decided')
    },
    handler: async (c, { params, body }) => {
      const { status, note } = body as { status: 'received' | 'under-review' | 'more-information-requested', note?: string }
      return c.json(await node.applications.setStatus(params.id as string, status, note))
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
    params: { id: { type: 'string', maxLength: 64 } },
    body: {
      'application/json': {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['release', 'permit', 'certificate', 'refusal'] },
          reliesOn: { type: 'array', items: recordIdSchema, minItems: 1, maxItems: 1000 },
          number: { type: 'string', minLength: 1, maxLength: 70 },
          validFrom: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' },
          validUntil: instantSchema,
          summary: { type: 'string', minLength: 1, maxLength: 4000 },
          reasons: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 2000 }, minItems: 1, maxItems: 100 }
        },
        required: ['kind'],
        additionalProperties: false
      }
    },
    responses: {
      200: objectResponse('The application, decided'),
      400: problemResponse('Malformed request, or a refusal without reasons'),
      403: problemResponse('The application was made to another agency'),
      404: problemResponse('No such application here'),
      409: problemResponse('Already decided')
    },
    handler: async (c, { params, body }) => c.json(await node.applications.decide(params.id as string, body as DecisionInput))
  })

  table.add({
    method: 'get',
    path: '/v1/reports/decision-times',
    operationId: 'getDecisionTimes',
    tag: 'applications',
    summary: 'Time from submission to decision, per procedure, over the decided applications held here',
    responses: { 200: objectResponse('Per procedure: decided count, mean, median and longest time in milliseconds') },
    handler: async (c) => c.json({ procedures: await node.applications.decisionTimes() })
  })
}
