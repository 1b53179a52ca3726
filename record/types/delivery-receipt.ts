import type { RecordTypeDefinition } from './definition.js'
import { arrayOf, dateTime, describe, participantId, recordId, recordSchema } from './common.js'
import { fieldPattern, procedureId } from './policy.js'

export const deliveryReceipt: RecordTypeDefinition = {
  type: 'delivery.receipt',
  title: 'Delivery receipt',
  description: 'Signed by the receiver of a record: it verified and stored the record, with exactly the listed fields disclosed, at the stated time, ' +
    'for the stated purpose. The sender keeps it as proof of delivery and of each use of its data (the reuse ledger).',
  consignmentRequired: false,
  schema: recordSchema('Delivery receipt', 'Receipt for one delivered record.', {
    record: describe(recordId, 'the record received'),
    sender: describe(participantId, 'the participant that delivered it'),
    receivedAt: describe(dateTime, 'when the receiver stored it'),
    fields: arrayOf(fieldPattern, 100_000, {
      minItems: 1,
      description: 'the leaves disclosed in the copy received, as JSON Pointers; [""] when every field was'
    }),
    purpose: describe(procedureId, 'the purpose or procedure the sender gave')
  }, ['record', 'sender', 'receivedAt', 'fields'])
}
