import type { RecordData, RecordTypeDefinition } from './definition.js'
import { actor, arrayOf, boolean, describe, object, oneOf, participantId, recordId, recordSchema, string, text } from './common.js'
import { RecordTypes } from './names.js'
import { fieldPattern, procedureId, recordTypeName } from './policy.js'

const elementId = string({ description: 'the element\'s id within its profile', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' })

export const MAX_PROFILE_ELEMENTS = 1000

const requiredElement = object({
  id: elementId,
  type: describe(recordTypeName, 'record type the element is taken from'),
  path: describe(fieldPattern, 'where in that record; "*" for every line'),
  fresh: boolean('must come from a document still within its validity period'),
  description: text(1024)
}, ['id', 'type', 'path'])

export const requirementProfile = {
  type: RecordTypes.requirementProfile,
  title: 'Requirement profile',
  description: 'An agency states which data elements a procedure needs, each a (record type, field path). ' +
    'Traders\' nodes resolve it against what was already submitted, so that only missing elements are ever asked for.',
  consignmentRequired: false,
  schema: recordSchema('Requirement profile', 'Data elements an agency procedure needs.', {
    procedure: procedureId,
    title: text(256),
    elements: arrayOf(requiredElement, MAX_PROFILE_ELEMENTS, { minItems: 1 })
  }, ['procedure', 'elements'])
} satisfies RecordTypeDefinition

export const ELEMENT_STATUSES = ['present', 'missing', 'expired', 'not-permitted'] as const

const applicationElement = object({
  id: elementId,
  status: oneOf(ELEMENT_STATUSES, 'present and shared; missing; only in documents whose validity ended; present but no grant lets it go to the agency'),
  records: arrayOf(recordId, 100, { description: 'the records the element is shared from' })
}, ['id', 'status'])

export const applicationSubmission = {
  type: RecordTypes.applicationSubmission,
  title: 'Application',
  description: 'A trader applies to an agency for a procedure on a consignment, pointing to the records already submitted that hold each element the agency\'s profile needs.',
  consignmentRequired: true,
  schema: recordSchema('Application', 'Application of a trader to an agency.', {
    procedure: procedureId,
    agency: describe(participantId, 'the agency applied to'),
    profile: describe(recordId, 'the requirement.profile resolved'),
    elements: arrayOf(applicationElement, MAX_PROFILE_ELEMENTS, { minItems: 1 }),
    remarks: text(4000),
    actor
  }, ['procedure', 'agency', 'profile', 'elements'])
} satisfies RecordTypeDefinition

const requestedElement = object({
  id: elementId,
  type: recordTypeName,
  path: fieldPattern,
  reason: oneOf(['missing', 'expired'], 'absent, or only in documents whose validity ended')
}, ['id', 'type', 'path'])

export const missingDataRequest = {
  type: RecordTypes.missingDataRequest,
  title: 'Missing-data request',
  description: 'An agency asks the applicant for the elements of its profile that the application lacked — only those.',
  consignmentRequired: true,
  schema: recordSchema('Missing-data request', 'Request for missing data elements.', {
    application: describe(recordId, 'the application.submission concerned'),
    procedure: procedureId,
    elements: arrayOf(requestedElement, MAX_PROFILE_ELEMENTS, { minItems: 1 }),
    message: text(4000),
    actor
  }, ['application', 'procedure', 'elements'])
} satisfies RecordTypeDefinition

export type RequirementProfileData = RecordData<typeof requirementProfile>
export type ApplicationSubmissionData = RecordData<typeof applicationSubmission>
export type MissingDataRequestData = RecordData<typeof missingDataRequest>
