import type { RecordTypeDefinition } from './definition.js'
import { dateTime, describe, participantId, recordId, recordSchema } from './common.js'

export const deliveryReceipt: RecordTypeDefinition = {
  type: 'delivery.receipt',
  title: 'Delivery receipt',
  description: 'Signed by the receiver of a record: it verified and stored the record at the stated time. ' +
    'The sender keeps it as proof of delivery (automatic recording of every transmission).',
  consignmentRequired: false,
  schema: recordSchema('Delivery receipt', 'Receipt for one delivered record.', {
    record: describe(recordId, 'the record received'),
    sender: describe(participantId, 'the participant that delivered it'),
    receivedAt: describe(dateTime, 'when the receiver stored it')
  }, ['record', 'sender', 'receivedAt'])
}
