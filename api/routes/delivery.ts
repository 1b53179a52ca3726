/** Delivery: receipts of a record, the outbox, the peers. */
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import { recordToJson } from '../../record/index.js'
import type { RouteTable } from '../routes.js'
import { Type } from '@sinclair/typebox'
import { idParams } from '../schemas.js'

export function deliveryRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/records/{id}/receipts',
    operationId: 'getReceipts',
    tag: 'delivery',
    summary: 'The signed delivery receipts of a record: one per copy a receiver acknowledged',
    description: 'A receipt answers one delivery and may list several records; `fields` and `purpose` are what it says of this one.',
    params: idParams,
    responses: {
      200: {
        description: 'The receipts',
        content: {
          'application/json': {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                receiver: { type: 'string' },
                receivedAt: { type: 'string' },
                receiptId: { type: 'string' },
                fields: { type: 'array', items: { type: 'string' }, description: 'the leaves the copy disclosed, as JSON Pointers; [""] for the whole record' },
                purpose: { type: 'string' },
                record: { $ref: '#/components/schemas/RecordJson' }
              }
            }
          }
        }
      }
    },
    problems: { 'not-found': 'no such record' },
    handler: async (c, { params }) => {
      const id = params.id
      if (await node.records.getBytes(id) === undefined) throw new ServiceError('not-found', `no record ${id}`)
      const receipts = await node.delivery.receipts(id)
      return c.json(receipts.map(({ receiver, receipt, receivedAt, fields, purpose }) => ({
        receiver,
        receiptId: receipt.id,
        receivedAt,
        fields,
        ...(purpose !== undefined && { purpose }),
        record: recordToJson(receipt)
      })))
    }
  })

  table.add({
    method: 'get',
    path: '/v1/outbox',
    operationId: 'getOutbox',
    tag: 'delivery',
    summary: 'Deliveries still pending, with attempts and the last error',
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })) }),
    responses: {
      200: {
        description: 'Pending deliveries, per recipient oldest first',
        content: { 'application/json': { type: 'object', properties: { pending: { type: 'array' }, count: { type: 'integer' } } } }
      }
    },
    handler: async (c, { query }) => {
      const pending = await node.delivery.outbox(Number(query.limit ?? 1000))
      return c.json({ count: pending.length, pending })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/peers',
    operationId: 'getPeers',
    tag: 'delivery',
    summary: 'Connected peers with their certificate status here',
    responses: { 200: { description: 'The peers', content: { 'application/json': { type: 'array' } } } },
    handler: async (c) => {
      const peers = await node.peers()
      return c.json(peers)
    }
  })
}
