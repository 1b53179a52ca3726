/**
 * Documents issued outside keruen: a third country's certificate or permit,
 * received on paper or from another system, entered by the trader, broker or
 * agency that holds it, with its scans or electronic originals attached; and
 * an agency's signed mark that it verified one.
 */
import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  MAX_LINES, actor, arrayOf, attachmentList, countryCode, date, describe, documentNumber, hsCode, object, oneOf, quantity,
  recordId, recordSchema, remarks, text, unitCode
} from './common.js'

export const FOREIGN_DOCUMENT_KINDS = ['certificateOfOrigin', 'phytosanitary', 'veterinary', 'conformity', 'permit', 'licence', 'other'] as const

const foreignGoods = object({
  hsCode,
  description: text(1024, 'plain-language description of the goods'),
  quantity,
  unit: unitCode
}, ['description'])

export const foreignDocument = {
  type: RecordTypes.foreignDocument,
  title: 'Foreign document',
  description: 'A certificate or permit issued in a third country, received on paper or from a system outside keruen, entered with its scans or electronic original attached.',
  consignmentRequired: true,
  schema: recordSchema('Foreign document', 'A third country\'s certificate or permit, as issued, with the files of it attached.', {
    documentKind: oneOf(FOREIGN_DOCUMENT_KINDS, 'kind of document'),
    number: describe(documentNumber, 'number of the document as issued'),
    issuingCountry: describe(countryCode, 'country whose body issued the document'),
    issuingBody: text(256, 'name of the body that issued the document'),
    issueDate: date,
    validUntil: describe(date, 'last day the document is valid, when it says'),
    goods: arrayOf(foreignGoods, MAX_LINES, { description: 'the goods the document covers' }),
    attachments: attachmentList(1),
    remarks
  }, ['documentKind', 'number', 'issuingCountry', 'issuingBody', 'issueDate', 'attachments'])
} satisfies RecordTypeDefinition

export const VERIFICATION_METHODS = ['issuingBody', 'originalSeen', 'electronic', 'other'] as const
export const VERIFICATION_RESULTS = ['verified', 'notVerified'] as const

export const foreignVerification = {
  type: RecordTypes.foreignVerification,
  title: 'Verification of a foreign document',
  description: 'An agency\'s signed mark that it verified a foreign document: how, and with what result.',
  consignmentRequired: true,
  schema: recordSchema('Verification of a foreign document', 'An agency\'s mark on a foreign.document it verified.', {
    document: describe(recordId, 'the foreign.document verified'),
    verificationMethod: oneOf(VERIFICATION_METHODS, 'how: checked with the issuing body, original seen, electronic verification, or otherwise'),
    result: oneOf(VERIFICATION_RESULTS, 'whether the document proved genuine and valid'),
    verifiedOn: describe(date, 'day of the verification'),
    actor,
    note: text(4000, 'what was checked, and with whom')
  }, ['document', 'verificationMethod', 'result'])
} satisfies RecordTypeDefinition

export type ForeignDocumentData = RecordData<typeof foreignDocument>
export type ForeignVerificationData = RecordData<typeof foreignVerification>
