/** Paying a declaration: the trader's payment orders, the bank's confirmations and refusals, and where a consignment stands. */
import { Type } from '@sinclair/typebox'
import type { NodeApi } from '../../node/node-api.js'
import type { RouteTable } from '../routes.js'
import { consignmentSchema, idParams, objectResponse, participantIdSchema } from '../schemas.js'

const account = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  account: Type.String({ minLength: 1, maxLength: 34 }),
  bic: Type.Optional(Type.String({ pattern: '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$' })),
  legalId: Type.Optional(Type.String({ minLength: 1, maxLength: 35 })),
  participant: Type.Optional(participantIdSchema)
}, { additionalProperties: false })
const decimal = Type.String({ pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', maxLength: 40 })
const STATUSES = ['pending', 'paid', 'partly-paid', 'refused'] as const

export function paymentRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: '/v1/consignments/{ref}/payment-orders',
    operationId: 'orderPayment',
    tag: 'payments',
    summary: 'Order the bank to pay what the consignment\'s declaration owes (GET …/payments), by kind of payment',
    description: 'Signs a payment.order and sends it to the bank. The payee\'s `participant` (customs) receives the bank\'s confirmation.',
    params: Type.Object({ ref: consignmentSchema }),
    body: { 'application/json': Type.Object({ bank: participantIdSchema, payer: account, payee: account, reference: Type.Optional(Type.String({ maxLength: 140 })) }, { additionalProperties: false }) },
    responses: { 201: { ...objectResponse('The payment order record'), headers: { Location: { description: 'URL of the record' } } } },
    problems: { 'not-found': 'no declaration or no rates to work the payments out from', 'invalid-request': 'the bank is not a certified bank, or the declaration owes nothing' },
    handler: async (c, { params, body }) => {
      const record = await node.settlements.order(params.ref, body)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(await node.records.get(record.id), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}/settlement',
    operationId: 'consignmentSettlement',
    tag: 'payments',
    summary: 'Where the consignment\'s payments stand: due, confirmed by banks, the balance, and each payment order',
    params: Type.Object({ ref: consignmentSchema }),
    responses: { 200: objectResponse('{ consignment, currency, due, paid, refunded, refunds, balance, status: unpaid|partly-paid|paid|overpaid|unknown, orders }') },
    handler: async (c, { params }) => c.json(await node.settlements.settlement(params.ref))
  })

  table.add({
    method: 'post',
    path: '/v1/consignments/{ref}/refunds',
    operationId: 'refundPayments',
    tag: 'payments',
    summary: 'Customs refunds what was paid beyond what the declaration owes now: all of it, or `total` of it',
    description: 'Signs a payment.refund (the amounts by kind of payment, the reason, the payer\'s account) and sends it to the declarant and the banks that paid. Only the customs whose schedule the payments are worked out by refunds them.',
    params: Type.Object({ ref: consignmentSchema }),
    body: { 'application/json': Type.Object({ total: Type.Optional(decimal), reason: Type.String({ minLength: 1, maxLength: 1000 }), account: Type.Optional(account) }, { additionalProperties: false }) },
    responses: { 201: { ...objectResponse('The refund record'), headers: { Location: { description: 'URL of the record' } } } },
    problems: {
      'invalid-request': 'nothing was paid beyond what is owed, or `total` is more than the overpayment',
      'not-owner': 'the payments are owed under another customs\' schedule',
      'not-found': 'no declaration or no rates to work the payments out from'
    },
    handler: async (c, { params, body }) => {
      const record = await node.settlements.refund(params.ref, body)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(await node.records.get(record.id), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/payment-orders',
    operationId: 'listPaymentOrders',
    tag: 'payments',
    summary: 'Payment orders held here — on a bank\'s node, those made to it — newest first, by status',
    query: Type.Object({ status: Type.Optional(Type.Union(STATUSES.map(s => Type.Literal(s)))), consignment: Type.Optional(consignmentSchema) }),
    responses: { 200: objectResponse('{ orders: [{ id, consignment, issuer, order, status, paid, confirmations, refusal }] }') },
    handler: async (c, { query }) => c.json({
      orders: await node.settlements.orders({ ...(query.status !== undefined && { status: query.status }), ...(query.consignment !== undefined && { consignment: query.consignment }) })
    })
  })

  table.add({
    method: 'post',
    path: '/v1/payment-orders/{id}/confirm',
    operationId: 'confirmPayment',
    tag: 'payments',
    summary: 'On the bank\'s node: confirm a payment, whole or in part, with a signed confirmation sent to the payer and the payee',
    params: idParams,
    body: { 'application/json': Type.Object({ total: Type.Optional(decimal), bankReference: Type.Optional(Type.String({ maxLength: 64 })), paidAt: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }) },
    responses: { 201: objectResponse('The payment confirmation record') },
    problems: { 'not-found': 'no such payment order here', 'not-owner': 'the order was made to another bank', 'already-decided': 'the order is paid or refused already', 'invalid-request': 'a part outside the order\'s total' },
    handler: async (c, { params, body }) => c.json(await node.records.get((await node.settlements.confirm(params.id, body)).id), 201)
  })

  table.add({
    method: 'post',
    path: '/v1/payment-orders/{id}/refuse',
    operationId: 'refusePayment',
    tag: 'payments',
    summary: 'On the bank\'s node: refuse a payment order, with the reason, sent to the payer and the payee',
    params: idParams,
    body: { 'application/json': Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }) },
    responses: { 201: objectResponse('The payment refusal record') },
    problems: { 'not-found': 'no such payment order here', 'not-owner': 'the order was made to another bank', 'already-decided': 'the order is paid or refused already' },
    handler: async (c, { params, body }) => c.json(await node.records.get((await node.settlements.refuse(params.id, body.reason)).id), 201)
  })
}
