import type { RecordData, RecordTypeDefinition } from './definition.js'
import { arrayOf, countryCode, describe, object, oneOf, participantId, recordId, recordSchema, string, text } from './common.js'
import { RecordTypes } from './names.js'
import { CONSIGNMENT_PATTERN } from '../envelope.js'
import { PARTICIPANT_ROLES } from './trust-certificate.js'

/** A JSON Pointer in which `*` stands for any index (see record/field-pattern.ts). */
export const fieldPattern = string({
  description: 'JSON Pointer (RFC 6901) to the fields covered, "*" standing for every array index; "" is the whole record',
  pattern: '^(/([^~/]|~[01])*)*$',
  maxLength: 512
})

export const recordTypeName = string({ description: 'a registered record type', pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$', maxLength: 64 })

/** A procedure or purpose: country, competence, procedure — e.g. KZ.customs.export-declaration. */
export const procedureId = string({
  description: 'procedure or purpose id: ISO country code, then dot-separated names, e.g. KZ.customs.export-declaration',
  pattern: '^[A-Z]{2}(\\.[A-Za-z0-9-]+)+$',
  maxLength: 128
})

/** How a grant lets records go: sent as they are made, answered to a query, or both. */
export const GRANT_MODES = ['push', 'pull', 'both'] as const
export type GrantMode = typeof GRANT_MODES[number]

export const consignmentRef = string({ description: 'consignment reference (UCR)', pattern: CONSIGNMENT_PATTERN.source })

/** Who a grant is for: every property given must match the participant's certificate. */
export const grantee = object({
  participant: describe(participantId, 'one participant'),
  role: oneOf(PARTICIPANT_ROLES, 'certified role'),
  country: describe(countryCode, 'country whose authority certified the participant'),
  competence: text(256, 'certified competence, e.g. customs, phytosanitary')
}, [], { description: 'participants the grant is for: those whose certificate matches every property given', minProperties: 1 })

export const grantProperties = {
  types: arrayOf(recordTypeName, 64, { minItems: 1, description: 'record types the grant covers' }),
  consignment: describe(consignmentRef, 'only records of this consignment; every consignment when absent'),
  to: grantee,
  fields: arrayOf(fieldPattern, 512, { minItems: 1, description: 'fields the grantees may receive' }),
  purpose: describe(procedureId, 'purpose or procedure the data is given for'),
  name: text(128, 'the owner\'s name for the grant, e.g. its key in the policy file'),
  mode: oneOf(GRANT_MODES, 'how the records reach the grantees: pushed to them as they are made (push), answered when they ask (pull), or both (the default)')
}

export const policyGrant = {
  type: RecordTypes.policyGrant,
  title: 'Access grant',
  description: 'The owner of records allows participants matching `to` to receive the listed fields of its records of the listed types, ' +
    'for a purpose, until the envelope\'s validUntil. Only the records\' issuer can grant access to them; anything not granted is denied.',
  consignmentRequired: false,
  schema: recordSchema('Access grant', 'Access policy rule of a data owner.', grantProperties, ['types', 'to', 'fields', 'purpose'])
} satisfies RecordTypeDefinition

export const policyRevoke = {
  type: RecordTypes.policyRevoke,
  title: 'Grant revocation',
  description: 'The issuer of a policy.grant withdraws it: nothing more is shared under it; what was delivered stays receipted.',
  consignmentRequired: false,
  schema: recordSchema('Grant revocation', 'Withdrawal of an access grant.', {
    grant: describe(recordId, 'the policy.grant withdrawn'),
    reason: text(1024, 'why')
  }, ['grant'])
} satisfies RecordTypeDefinition

export type PolicyGrantData = RecordData<typeof policyGrant>
export type PolicyRevokeData = RecordData<typeof policyRevoke>
/** Who a grant is for. */
export type Grantee = PolicyGrantData['to']
