import type { RecordData, RecordTypeDefinition } from './definition.js'
import { actor, arrayOf, date, describe, documentNumber, oneOf, recordId, recordSchema, text } from './common.js'
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

export type ApplicationStatusData = RecordData<typeof applicationStatus>
/** The data of every decision; `reasons` is required of a refusal. */
export type DecisionData = RecordData<typeof decisionRelease>
