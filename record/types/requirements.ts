import type { RecordTypeDefinition } from './definition.js'
import { arrayOf, describe, object, participantId, recordId, recordSchema, text } from './common.js'
import { fieldPattern, procedureId, recordTypeName } from './policy.js'

const elementId = { type: 'string', description: 'the element\'s id within its profile', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }

export const MAX_PROFILE_ELEMENTS = 1000

const requiredElement = object({
  id: elementId,
  type: describe(recordTypeName, 'record type the element is taken from'),
  path: describe(fieldPattern, 'where in that record; "*" for every line'),
  fresh: { type: 'boolean', description: 'must come from a document still within its validity period' },
  description: text(1024)
}, ['id', 'type', 'path'])

export const requirementProfile: RecordTypeDefinition = {
  type: 'requirement.profile',
  title: 'Requirement profile',
  description: 'An agency states which data elements a procedure needs, each a (record type, field path). ' +
    'Traders\' nodes resolve it against what was already submitted, so that only missing elements are ever asked for.',
  consignmentRequired: false,
  schema: recordSchema('Requirement profile', 'Data elements an agency procedure needs.', {
    procedure: procedureId,
    title: text(256),
    elements: arrayOf(requiredElement, MAX_PROFILE_ELEMENTS, { minItems: 1 })
  }, ['procedure', 'elements'])
}

export const ELEMENT_STATUSES = ['present', 'missing', 'expired', 'not-permitted'] as const

const applicationElement = object({
  id: elementId,
  status: { type: 'string', enum: [...ELEMENT_STATUSES], description: 'present and shared; missing; only in documents whose validity ended; present but no grant lets it go to the agency' },
  records: arrayOf(recordId, 100, { description: 'the records the element is shared from' })
}, ['id', 'status'])

export const applicationSubmission: RecordTypeDefinition = {
  type: 'application.submission',
  title: 'Application',
  description: 'A trader applies to an agency for a procedure on a consignment, pointing to the records already submitted that hold each element the agency\'s profile needs.',
  consignmentRequired: true,
  schema: recordSchema('Application', 'Application of a trader to an agency.', {
    procedure: procedureId,
    agency: describe(participantId, 'the agency applied to'),
    profile: describe(recordId, 'the requirement.profile resolved'),
    elements: arrayOf(applicationElement, MAX_PROFILE_ELEMENTS, { minItems: 1 }),
    remarks: text(4000)
  }, ['procedure', 'agency', 'profile', 'elements'])
}

const requestedElement = object({
  id: elementId,
  type: recordTypeName,
  path: fieldPattern,
  reason: { type: 'string', enum: ['missing', 'expired'], description: 'absent, or only in documents whose validity ended' }
}, ['id', 'type', 'path'])

export const missingDataRequest: RecordTypeDefinition = {
  type: 'request.missing-data',
  title: 'Missing-data request',
  description: 'An agency asks the applicant for the elements of its profile that the application lacked — only those.',
  consignmentRequired: true,
  schema: recordSchema('Missing-data request', 'Request for missing data elements.', {
    application: describe(recordId, 'the application.submission concerned'),
    procedure: procedureId,
    elements: arrayOf(requestedElement, MAX_PROFILE_ELEMENTS, { minItems: 1 }),
    message: text(4000)
  }, ['application', 'procedure', 'elements'])
}
