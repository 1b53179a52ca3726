/**
 * Who may issue which record type, and by which path its records may reach
 * another node: one table. This node signs only the types its role is
 * entitled to (its certificate's role, or its profile's before it is
 * certified); its inbox takes a delivered record only when the issuer's
 * role is entitled to the type and the type may come by delivery at all.
 * docs/trust.md lists the table.
 */
import { RecordTypes as T, type RecordTypeName } from '../../record/types/names.js'
import type { ParticipantRole } from '../../record/types/trust-certificate.js'

export interface IssuerRule {
  /** The certified roles whose participants issue the type; 'any' for every participant. */
  readonly roles: readonly ParticipantRole[] | 'any'
  /**
   * How records of the type reach another node: 'delivery' (shared like any
   * record); 'trust' (trust records: on the trust path or by delivery, kept only
   * from an authority this node trusts); 'answer' (receipts: only as the answer
   * to a delivery, never as a delivered record).
   */
  readonly path: 'delivery' | 'trust' | 'answer'
  /** Taken by delivery only from an issuer whose certificate is valid here: official documents, which anyone could forge a claim to. */
  readonly certifiedIssuer?: true
  /** About an application (`data.application`): taken only from the agency it was made to, when this node holds the application. */
  readonly fromAddressee?: true
  /** Made by the node itself (receipts): the API's record routes do not sign it. */
  readonly nodeOnly?: true
  /** About a decision (`data.decision`): taken only from the agency that issued it, when this node holds the decision. */
  readonly fromDecisionIssuer?: true
}

const TRADERS = ['trader', 'broker'] as const
const AGENCY = ['agency'] as const
/** Who reports movements: the carrier above all, and the trader, broker or agency that handles the goods. */
const HANDLERS = ['carrier', 'trader', 'broker', 'agency'] as const

const decision: IssuerRule = { roles: AGENCY, path: 'delivery', certifiedIssuer: true, fromAddressee: true }
/** A suspension, reinstatement or withdrawal: only the agency that issued the decision changes it. */
const decisionChange: IssuerRule = { ...decision, fromDecisionIssuer: true }

export const ISSUERS: Readonly<Record<RecordTypeName, IssuerRule>> = {
  [T.tradeContract]: { roles: TRADERS, path: 'delivery' },
  [T.tradeInvoice]: { roles: TRADERS, path: 'delivery' },
  [T.tradePackingList]: { roles: TRADERS, path: 'delivery' },
  [T.customsDeclaration]: { roles: TRADERS, path: 'delivery' },
  // The carrier's consignment note; a forwarder or trader issues house waybills.
  [T.transportWaybill]: { roles: ['carrier', ...TRADERS], path: 'delivery' },
  // Issued by an authorised body (a chamber of commerce, the plant protection organisation), certified as an
  // agency; or entered once by the trader or broker it was issued to on paper, signed as theirs.
  [T.certOrigin]: { roles: ['agency', ...TRADERS], path: 'delivery', certifiedIssuer: true },
  [T.certPhytosanitary]: { roles: ['agency', ...TRADERS], path: 'delivery', certifiedIssuer: true },
  [T.eventShipment]: { roles: HANDLERS, path: 'delivery' },
  [T.epcisEvent]: { roles: HANDLERS, path: 'delivery' },
  [T.trustCertificate]: { roles: ['authority'], path: 'trust' },
  [T.trustRevocation]: { roles: ['authority'], path: 'trust' },
  [T.deliveryReceipt]: { roles: 'any', path: 'answer', nodeOnly: true },
  // A grant or revocation covers its issuer's own records: anyone may make one.
  [T.policyGrant]: { roles: 'any', path: 'delivery' },
  [T.policyRevoke]: { roles: 'any', path: 'delivery' },
  [T.requirementProfile]: { roles: AGENCY, path: 'delivery', certifiedIssuer: true },
  [T.applicationSubmission]: { roles: TRADERS, path: 'delivery' },
  [T.missingDataRequest]: decision,
  [T.applicationStatus]: decision,
  [T.decisionRelease]: decision,
  [T.decisionPermit]: decision,
  [T.decisionCertificate]: decision,
  [T.decisionRefusal]: decision,
  [T.decisionSuspension]: decisionChange,
  [T.decisionReinstatement]: decisionChange,
  [T.decisionWithdrawal]: decisionChange,
  // Reference data: the authority, or an agency whose competence includes the list.
  [T.referenceCodelist]: { roles: ['authority', 'agency'], path: 'delivery', certifiedIssuer: true },
  // A measure is the agency's own: it applies it.
  [T.regulationMeasure]: { roles: AGENCY, path: 'delivery', certifiedIssuer: true },
  // Rates are customs' (an agency); exchange rates customs applies, or the authority publishes.
  [T.referenceDutyRates]: { roles: AGENCY, path: 'delivery', certifiedIssuer: true },
  [T.referenceExchangeRates]: { roles: ['authority', 'agency'], path: 'delivery', certifiedIssuer: true },
  // The payer orders; only a certified bank confirms or refuses: money counts only by a bank's signature.
  [T.paymentOrder]: { roles: TRADERS, path: 'delivery' },
  [T.paymentConfirmation]: { roles: ['bank'], path: 'delivery', certifiedIssuer: true },
  [T.paymentRefusal]: { roles: ['bank'], path: 'delivery', certifiedIssuer: true },
  // Customs, the payee, gives back what was paid beyond what is owed.
  [T.paymentRefund]: { roles: AGENCY, path: 'delivery', certifiedIssuer: true },
  // A query and its answer travel only as the query protocol's messages; each side keeps them as evidence.
  [T.queryRequest]: { roles: 'any', path: 'answer', nodeOnly: true },
  [T.queryAnswer]: { roles: 'any', path: 'answer', nodeOnly: true },
  // An agency's own risk management: never taken from elsewhere.
  [T.riskRule]: { roles: AGENCY, path: 'answer', nodeOnly: true },
  [T.riskEvaluation]: { roles: AGENCY, path: 'answer', nodeOnly: true },
  // A third country's document, entered by whoever holds it; only a certified agency marks one verified.
  [T.foreignDocument]: { roles: ['agency', ...TRADERS], path: 'delivery' },
  [T.foreignVerification]: { roles: AGENCY, path: 'delivery', certifiedIssuer: true }
}

/** The rule of a type; undefined for a type outside the table (one registered later), which anyone may issue. */
export function issuerRule (type: string): IssuerRule | undefined {
  return (ISSUERS as Readonly<Record<string, IssuerRule>>)[type]
}

function rolesText (rule: IssuerRule): string {
  return rule.roles === 'any' ? 'any participant' : `${rule.roles.join(' or ')} participants`
}

/** Why a participant of `role` may not issue `type`, or undefined if it may. */
export function issuingRefusal (type: string, role: ParticipantRole | undefined): string | undefined {
  const rule = issuerRule(type)
  if (rule === undefined || rule.roles === 'any') return undefined
  if (role !== undefined && rule.roles.includes(role)) return undefined
  return `${type} is issued by ${rolesText(rule)}, not by ${role === undefined ? 'a participant of no known role' : `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`}`
}

/** What the inbox knows of a delivered record's issuer and, for a record about an application, of that application. */
export interface DeliveredContext {
  /** The role of the issuer's certificate valid here; undefined when it holds none. */
  readonly issuerRole: ParticipantRole | undefined
  /** The agency the application named was made to, when this node holds it. */
  readonly addressee?: string
  /** The issuer of the decision a change names, when this node holds it. */
  readonly decisionIssuer?: string
  /** The record a new version supersedes, when this node holds it: only its issuer makes a new version, of the same type. */
  readonly superseded?: { readonly issuer: string, readonly type: string }
}

/**
 * Why a delivered record is not taken, or undefined if it is. Trust records
 * are judged on their own path (TrustService.fromTrustedAuthorities).
 */
export function deliveredRefusal (record: { readonly id: string, readonly type: string, readonly issuer: string }, context: DeliveredContext): string | undefined {
  const { id, type, issuer } = record
  const rule = issuerRule(type)
  if (rule === undefined || rule.path === 'trust') return undefined
  if (rule.path === 'answer') return `${type} ${id} is not taken as a delivery: it comes only as the answer to one`
  const superseded = context.superseded
  if (superseded !== undefined && (superseded.issuer !== issuer || superseded.type !== type)) {
    return `${type} ${id} supersedes a ${superseded.type} of ${superseded.issuer}: only its issuer makes a new version of it, of the same type`
  }
  if (context.issuerRole === undefined) {
    return rule.certifiedIssuer === true ? `${type} ${id} is taken only from a certified issuer, and its issuer ${issuer} holds no valid certificate here` : undefined
  }
  const refusal = issuingRefusal(type, context.issuerRole)
  if (refusal !== undefined) return `${type} ${id} is not taken from ${issuer}: ${refusal}`
  if (rule.fromAddressee === true && context.addressee !== undefined && context.addressee !== issuer) {
    return `${type} ${id} is about an application made to ${context.addressee}: it is taken only from that agency, not from ${issuer}`
  }
  if (rule.fromDecisionIssuer === true && context.decisionIssuer !== undefined && context.decisionIssuer !== issuer) {
    return `${type} ${id} changes a decision of ${context.decisionIssuer}: it is taken only from that agency, not from ${issuer}`
  }
  return undefined
}
