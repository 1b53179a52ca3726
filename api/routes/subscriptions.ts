/** Webhook subscriptions: signed notifications POSTed to the participant's systems. */
import type { NodeApi } from '../../node/node-api.js'
import { WEBHOOK_EVENTS } from '../../node/workflow/webhook-service.js'
import { Type } from '@sinclair/typebox'
import type { RouteTable } from '../routes.js'
import { consignmentSchema, enumOf, idParams, objectResponse, typeSchema } from '../schemas.js'

export function subscriptionRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: '/v1/subscriptions',
    operationId: 'subscribe',
    tag: 'notifications',
    summary: 'Subscribe a URL to notifications; the answer holds the secret that signs them (shown once)',
    description: 'Each notification is POSTed as JSON with headers keruen-event, keruen-delivery (unique id) and ' +
      'keruen-signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>" with the secret>. ' +
      'Retried with back-off until a 2xx answer, in order, across restarts.',
    body: {
      'application/json': Type.Object({
        url: Type.String({ minLength: 1, maxLength: 2048 }),
        filter: Type.Optional(Type.Object({
          events: Type.Optional(Type.Array(enumOf(WEBHOOK_EVENTS), { minItems: 1, maxItems: 10 })),
          types: Type.Optional(Type.Array(typeSchema, { minItems: 1, maxItems: 64 })),
          consignment: Type.Optional(consignmentSchema)
        }, { additionalProperties: false }))
      }, { additionalProperties: false })
    },
    responses: { 201: objectResponse('The subscription, with its secret') },
    problems: { 'invalid-request': 'the URL is not an absolute http(s) URL' },
    handler: async (c, { body }) => {
      const { url, filter } = body
      const subscription = await node.webhooks.subscribe(url, filter)
      c.header('location', `/v1/subscriptions/${subscription.id}`)
      return c.json(subscription, 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/subscriptions',
    operationId: 'listSubscriptions',
    tag: 'notifications',
    summary: 'The subscriptions (without their secrets)',
    responses: { 200: objectResponse('The subscriptions') },
    handler: (c) => c.json({ subscriptions: node.webhooks.list() })
  })

  table.add({
    method: 'delete',
    path: '/v1/subscriptions/{id}',
    operationId: 'unsubscribe',
    tag: 'notifications',
    summary: 'End a subscription; what it was still owed is dropped',
    params: idParams,
    responses: { 204: { description: 'Ended' } },
    problems: { 'not-found': 'no such subscription' },
    handler: async (c, { params }) => {
      await node.webhooks.unsubscribe(params.id)
      return c.body(null, 204)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/subscriptions/{id}/deliveries',
    operationId: 'getSubscriptionDeliveries',
    tag: 'notifications',
    summary: 'Notifications pending (with attempts and the last error) and delivered, newest first',
    params: idParams,
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }),
    responses: { 200: objectResponse('Pending and delivered notifications') },
    problems: { 'not-found': 'no such subscription' },
    handler: async (c, { params, query }) => c.json(await node.webhooks.deliveries(params.id, Number(query.limit ?? 100)))
  })
}
