/**
 * The names of the built-in record types, each written once. Code that picks
 * records by type names them through these constants.
 */
export const RecordTypes = {
  tradeInvoice: 'trade.invoice',
  tradePackingList: 'trade.packing-list',
  tradeContract: 'trade.contract',
  transportWaybill: 'transport.waybill',
  certOrigin: 'cert.origin',
  certPhytosanitary: 'cert.phytosanitary',
  customsDeclaration: 'customs.declaration',
  eventShipment: 'event.shipment',
  trustCertificate: 'trust.certificate',
  trustRevocation: 'trust.revocation',
  deliveryReceipt: 'delivery.receipt',
  policyGrant: 'policy.grant',
  policyRevoke: 'policy.revoke',
  requirementProfile: 'requirement.profile',
  applicationSubmission: 'application.submission',
  missingDataRequest: 'request.missing-data',
  applicationStatus: 'application.status',
  decisionRelease: 'decision.release',
  decisionPermit: 'decision.permit',
  decisionCertificate: 'decision.certificate',
  decisionRefusal: 'decision.refusal',
  decisionSuspension: 'decision.suspension',
  decisionReinstatement: 'decision.reinstatement',
  decisionWithdrawal: 'decision.withdrawal',
  epcisEvent: 'epcis.event',
  referenceCodelist: 'reference.codelist',
  regulationMeasure: 'regulation.measure',
  referenceDutyRates: 'reference.duty-rates',
  referenceExchangeRates: 'reference.exchange-rates',
  paymentOrder: 'payment.order',
  paymentConfirmation: 'payment.confirmation',
  paymentRefusal: 'payment.refusal',
  paymentRefund: 'payment.refund',
  queryRequest: 'query.request',
  queryAnswer: 'query.answer',
  riskRule: 'risk.rule',
  riskEvaluation: 'risk.evaluation',
  foreignDocument: 'foreign.document',
  foreignVerification: 'foreign.verification'
} as const

export type RecordTypeName = typeof RecordTypes[keyof typeof RecordTypes]

/** What every decision type's name starts with. */
export const DECISION_PREFIX = 'decision.'
