import type { RecordData, RecordTypeDefinition } from './definition.js'
import { amount, arrayOf, currencyCode, dateTime, describe, object, oneOf, participantId, recordId, recordSchema, string, text } from './common.js'
import { RecordTypes } from './names.js'

import { PAYMENT_TAXES } from './payment-taxes.js'

export { PAYMENT_TAXES }

const amounts = arrayOf(object({ tax: oneOf(PAYMENT_TAXES), amount }, ['tax', 'amount']), 10, { minItems: 1, description: 'amounts by kind of payment' })
const account = object({
  name: text(256, 'the account holder'),
  account: text(34, 'IBAN or account number'),
  bic: string({ description: 'the bank\'s BIC', pattern: '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$' }),
  legalId: text(35, 'the holder\'s BIN or tax number'),
  participant: describe(participantId, 'the holder\'s keruen participant id, when it has one')
}, ['name', 'account'])

export const paymentOrder = {
  type: RecordTypes.paymentOrder,
  title: 'Payment order',
  description: 'The trader instructs its bank to pay what a goods declaration owes to the customs account, by kind of payment.',
  consignmentRequired: true,
  schema: recordSchema('Payment order', 'An order to pay a declaration\'s duties, taxes and fees.', {
    declaration: describe(recordId, 'the goods declaration it pays'),
    bank: describe(participantId, 'the payer\'s bank'),
    payer: account,
    payee: describe(account, 'the customs account; its participant receives the bank\'s confirmation'),
    currency: currencyCode,
    amounts,
    total: amount,
    reference: text(140, 'the payment reference the payee reads')
  }, ['declaration', 'bank', 'payer', 'payee', 'currency', 'amounts', 'total'])
} satisfies RecordTypeDefinition

export const paymentConfirmation = {
  type: RecordTypes.paymentConfirmation,
  title: 'Payment confirmation',
  description: 'The bank confirms what it paid under a payment order: the exact amounts, all or part of the order.',
  consignmentRequired: true,
  schema: recordSchema('Payment confirmation', 'A bank\'s confirmation of a payment.', {
    order: describe(recordId, 'the payment order paid'),
    declaration: recordId,
    currency: currencyCode,
    amounts: describe(amounts, 'what was paid, by kind of payment'),
    total: amount,
    paidAt: describe(dateTime, 'when the money left the payer\'s account'),
    bankReference: text(64, 'the bank\'s own reference of the transfer')
  }, ['order', 'declaration', 'currency', 'amounts', 'total', 'paidAt'])
} satisfies RecordTypeDefinition

export const paymentRefusal = {
  type: RecordTypes.paymentRefusal,
  title: 'Payment refusal',
  description: 'The bank refuses a payment order, with its reason.',
  consignmentRequired: true,
  schema: recordSchema('Payment refusal', 'A bank\'s refusal of a payment order.', {
    order: recordId,
    reason: text(1000)
  }, ['order', 'reason'])
} satisfies RecordTypeDefinition

export const paymentRefund = {
  type: RecordTypes.paymentRefund,
  title: 'Refund',
  description: 'Customs refunds what was paid beyond what a declaration owes (an overpayment, or payments a new version of the declaration no longer owes), to the payer\'s account, with its reason.',
  consignmentRequired: true,
  schema: recordSchema('Refund', 'A refund of payments made for a declaration, signed by customs.', {
    declaration: describe(recordId, 'the goods declaration the payments were made for'),
    currency: currencyCode,
    amounts: describe(amounts, 'what is refunded, by kind of payment'),
    total: amount,
    reason: text(1000, 'why: an overpayment, a preference proven after payment, a declaration withdrawn…'),
    account: describe(account, 'the payer\'s account the money goes back to')
  }, ['declaration', 'currency', 'amounts', 'total', 'reason'])
} satisfies RecordTypeDefinition

export type PaymentOrderData = RecordData<typeof paymentOrder>
export type PaymentConfirmationData = RecordData<typeof paymentConfirmation>
export type PaymentRefundData = RecordData<typeof paymentRefund>
