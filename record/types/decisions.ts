import type { RecordData, RecordTypeDefinition } from './definition.js'
import { actor, arrayOf, date, decimal, describe, documentNumber, object, oneOf, recordId, recordSchema, string, text, unitCode, type Properties } from './common.js'
import { DECISION_PREFIX, RecordTypes } from './names.js'
import { procedureId } from './policy.js'

/** Stages an agency reports before it decides; "submitted" and "decided" follow from the records themselves. */
export const APPLICATION_STAGES = ['received', 'under-review', 'more-information-requested'] as const

export const applicationStatus = {
  type: RecordTypes.applicationStatus,
  title: 'Application status',
  description: 'The agency an application was made to reports where it stands. Every change is one signed record, sent to the applicant.',
  consignmentRequired: true,
  schema: recordSchema('Application status', 'Status change of an application, signed by the agency.', {
    application: describe(recordId, 'the application.submission'),
    status: oneOf(APPLICATION_STAGES),
    note: text(4000, 'what the applicant should know'),
    actor
  }, ['application', 'status'])
} satisfies RecordTypeDefinition

export const DECISION_KINDS = ['release', 'permit', 'certificate', 'refusal'] as const

type DecisionKind = typeof DECISION_KINDS[number]

const hsPrefix = string({ description: 'HS code or its start', pattern: '^[0-9]{2,10}$' })

/** What a licence with quantities (a quota) allows: each release against it writes off what it releases. */
const quantities = arrayOf(object({
  goods: describe(arrayOf(hsPrefix, 100, { minItems: 1 }), 'the goods it allows: HS codes or their starts'),
  quantity: describe(decimal, 'how much of them, in all releases together'),
  unit: describe(unitCode, 'UN/ECE Rec. 20 unit: KGM, TNE, or the goods\' supplementary unit')
}, ['goods', 'quantity', 'unit']), 50, { minItems: 1, description: 'for a licence with quantities: how much of which goods it allows over all releases against it' })

/** What a release wrote off the licences with quantities it relied on. */
const writtenOff = arrayOf(object({
  licence: describe(recordId, 'the licence, in the version in force at the release'),
  goods: arrayOf(hsPrefix, 100, { minItems: 1 }),
  quantity: describe(decimal, 'what this release took'),
  unit: unitCode,
  left: describe(decimal, 'what the licence has left after it')
}, ['licence', 'goods', 'quantity', 'unit', 'left']), 50, { minItems: 1, description: 'what the release wrote off licences with quantities' })

/** The data of a decision: a refusal must give its reasons, other decisions may. */
function decisionSchema (title: string, refusal: boolean) {
  const properties = {
    application: describe(recordId, 'the application.submission decided'),
    procedure: procedureId,
    reliesOn: arrayOf(recordId, 1000, { description: 'records whose data the decision relied on' }),
    number: describe(documentNumber, 'number of the permit, certificate or release'),
    validFrom: date,
    summary: text(4000, 'what was decided'),
    reasons: arrayOf(text(2000), 100, { minItems: refusal ? 1 : 0, description: refusal ? 'why the application is refused' : 'grounds of the decision' }),
    guarantee: text(1000, 'the guarantee of the payments the officer recorded: a release before they are confirmed names it'),
    quantities,
    writtenOff,
    actor
  }
  const description = `${title}, signed by the deciding agency.`
  return refusal
    ? recordSchema(title, description, properties, ['application', 'procedure', 'reliesOn', 'reasons'])
    : recordSchema(title, description, properties, ['application', 'procedure', 'reliesOn'])
}

function decision<K extends DecisionKind> (kind: K, title: string, description: string) {
  return {
    type: `${DECISION_PREFIX}${kind}` as `decision.${K}`,
    title,
    description: `${description} It names the application and the records it relied on; other bodies reuse it under the agency's grants.`,
    consignmentRequired: true,
    schema: decisionSchema(title, kind === 'refusal')
  } satisfies RecordTypeDefinition
}

export const decisionRelease = decision('release', 'Release decision', 'Customs releases the goods for the procedure applied for.')
export const decisionPermit = decision('permit', 'Permit', 'An agency permits the operation applied for.')
export const decisionCertificate = decision('certificate', 'Certificate decision', 'An agency issues the certificate applied for (e.g. a phytosanitary certificate).')
export const decisionRefusal = decision('refusal', 'Refusal', 'An agency refuses the application, with its reasons.')

/**
 * A change to a decision in force, signed by the agency that issued it: a
 * suspension (from a day, up to and including a day or until reinstated), a
 * reinstatement that ends a suspension early, or a withdrawal. A new version
 * of a decision (an amendment) is a decision of the same type whose envelope
 * supersedes the earlier one.
 */
function decisionChange<T extends string, P extends Properties, const R extends keyof P & string> (
  type: T, title: string, description: string, properties: P, required: readonly R[]
) {
  return {
    type,
    title,
    description: `${description} It goes to everyone that received the decision; records relying on the decision show the change.`,
    consignmentRequired: true,
    schema: recordSchema(title, `${title}, signed by the agency that issued the decision.`, {
      application: describe(recordId, 'the application.submission the decision decided'),
      decision: describe(recordId, 'the decision changed: the version in force'),
      ...properties,
      actor
    }, ['application', 'decision', ...required])
  } satisfies RecordTypeDefinition
}

export const decisionSuspension = decisionChange(RecordTypes.decisionSuspension, 'Suspension of a decision',
  'The agency suspends a permit, certificate or release it issued, with its reason.', {
    reason: text(2000, 'why the decision is suspended'),
    from: describe(date, 'first day of the suspension; the day it is signed if absent'),
    until: describe(date, 'last day of the suspension; until reinstated or withdrawn if absent')
  }, ['reason'])

export const decisionReinstatement = decisionChange(RecordTypes.decisionReinstatement, 'Reinstatement of a decision',
  'The agency ends a suspension of its decision before its last day.', {
    reason: text(2000, 'why the decision is in force again')
  }, ['reason'])

export const decisionWithdrawal = decisionChange(RecordTypes.decisionWithdrawal, 'Withdrawal of a decision',
  'The agency withdraws a permit, certificate or release it issued, for good, with its reason.', {
    reason: text(2000, 'why the decision is withdrawn'),
    from: describe(date, 'first day the decision is no longer in force; the day it is signed if absent')
  }, ['reason'])

export type ApplicationStatusData = RecordData<typeof applicationStatus>
/** The data of every decision; `reasons` is required of a refusal. */
export type DecisionData = RecordData<typeof decisionRelease>
export type DecisionSuspensionData = RecordData<typeof decisionSuspension>
export type DecisionReinstatementData = RecordData<typeof decisionReinstatement>
export type DecisionWithdrawalData = RecordData<typeof decisionWithdrawal>
