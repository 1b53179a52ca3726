import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import { arrayOf, dateTime, describe, object, participantId, recordId, recordSchema } from './common.js'
import { fieldPattern, procedureId } from './policy.js'

/** Copies one receipt may acknowledge: a delivery request carries at most 256. */
export const MAX_RECEIPT_RECORDS = 256

const acknowledged = object({
  record: describe(recordId, 'the record received'),
  fields: arrayOf(fieldPattern, 100_000, {
    minItems: 1,
    description: 'the leaves disclosed in the copy received, as JSON Pointers; absent (or [""]) when every field was'
  }),
  purpose: describe(procedureId, 'the purpose or procedure the sender gave')
}, ['record'], 'one copy received')

export const deliveryReceipt = {
  type: RecordTypes.deliveryReceipt,
  title: 'Delivery receipt',
  description: 'Signed by the receiver of records: it verified and stored each listed record, with exactly the listed fields disclosed, at the stated time, ' +
    'for the stated purpose. One receipt answers one delivery request, so one signature covers every copy the request carried. ' +
    'The sender keeps it as proof of delivery and of each use of its data (the reuse ledger).',
  consignmentRequired: false,
  schema: recordSchema('Delivery receipt', 'Receipt for the records of one delivery.', {
    sender: describe(participantId, 'the participant that delivered them'),
    receivedAt: describe(dateTime, 'when the receiver stored them'),
    records: arrayOf(acknowledged, MAX_RECEIPT_RECORDS, { minItems: 1, description: 'each copy received, in the order of the request' })
  }, ['sender', 'receivedAt', 'records'])
} satisfies RecordTypeDefinition

export type DeliveryReceiptData = RecordData<typeof deliveryReceipt>
