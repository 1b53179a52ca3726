import type { RecordData, RecordTypeDefinition } from './definition.js'
import { arrayOf, boolean, dateTime, describe, integer, object, oneOf, participantId, recordId, recordSchema, string, text } from './common.js'
import { RecordTypes } from './names.js'
import { consignmentRef, fieldPattern, procedureId, recordTypeName } from './policy.js'

/** Records one answer lists at most: a consignment's documents and events fit; a larger selection is narrowed or paged by time. */
export const MAX_ANSWER_RECORDS = 500

const hsPrefix = string({ description: 'HS code or its start', pattern: '^[0-9]{2,10}$' })

/** What a query asks for: one record, a consignment, or the records of a type, a time range and goods. */
const selection = object({
  record: describe(recordId, 'one record'),
  consignment: describe(consignmentRef, 'the records of one consignment'),
  type: describe(recordTypeName, 'records of this type'),
  since: describe(dateTime, 'issued at or after'),
  until: describe(dateTime, 'issued before'),
  hsCode: describe(hsPrefix, 'records naming goods whose HS code starts so')
}, [], { description: 'what is asked for: every property given must hold', minProperties: 1 })

export const queryRequest = {
  type: RecordTypes.queryRequest,
  title: 'Query',
  description: 'A participant asks another for records the holder\'s grants let it see, naming its purpose. Signed by the asker, kept by both as evidence of the request.',
  consignmentRequired: false,
  schema: recordSchema('Query', 'A request for records held by another participant.', {
    holder: describe(participantId, 'the participant asked'),
    select: selection,
    purpose: describe(procedureId, 'the purpose or procedure the records are asked for'),
    limit: describe(integer({ minimum: 1, maximum: MAX_ANSWER_RECORDS }), 'records to answer at most')
  }, ['holder', 'select', 'purpose'])
} satisfies RecordTypeDefinition

export const queryAnswer = {
  type: RecordTypes.queryAnswer,
  title: 'Query answer',
  description: 'The holder\'s signed answer to a query: which of its records it gave, with which fields, under its grants — or that there is nothing the asker may see.',
  consignmentRequired: false,
  schema: recordSchema('Query answer', 'What a holder answered to a query.', {
    query: describe(recordId, 'the query answered'),
    requester: describe(participantId, 'who asked'),
    outcome: oneOf(['records', 'nothing'], 'records given, or nothing the asker may see'),
    records: arrayOf(object({
      record: recordId,
      fields: arrayOf(fieldPattern, 100_000, { minItems: 1, description: 'the leaves disclosed, as JSON Pointers; [""] when every field was' })
    }, ['record', 'fields']), MAX_ANSWER_RECORDS, { description: 'the records given, in the order sent' }),
    truncated: boolean('more records matched than the answer carries: ask again with a narrower selection or a later `since`'),
    reason: text(512, 'why nothing, when the query itself is not one the holder answers (not fresh, for another holder, asked before); never whether records exist')
  }, ['query', 'requester', 'outcome', 'records'])
} satisfies RecordTypeDefinition

export type QueryRequestData = RecordData<typeof queryRequest>
export type QueryAnswerData = RecordData<typeof queryAnswer>
