import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import { describe, oneOf, recordSchema, text } from './common.js'
import { EPCIS_EVENT_TYPES, MAX_EVENT_JSON } from '../epcis.js'

export const epcisEvent = {
  type: RecordTypes.epcisEvent,
  title: 'EPCIS event',
  description: 'A GS1 EPCIS 2.0 event captured by a participant (typically the carrier) and signed by it. ' +
    'The event is kept whole as its JSON text; the fields queries and policies select on stand beside it.',
  consignmentRequired: true,
  schema: recordSchema('EPCIS event', 'GS1 EPCIS 2.0 event, as captured.', {
    eventType: oneOf(EPCIS_EVENT_TYPES),
    eventTime: describe(text(40), 'the event\'s eventTime, as captured'),
    eventID: text(2048),
    bizStep: text(2048),
    disposition: text(2048),
    readPoint: text(2048, 'the readPoint id'),
    bizLocation: text(2048, 'the bizLocation id'),
    event: describe(text(MAX_EVENT_JSON), 'the EPCIS event, JSON text exactly as validated')
  }, ['eventType', 'eventTime', 'event'])
} satisfies RecordTypeDefinition

export type EpcisEventData = RecordData<typeof epcisEvent>
