import { certOrigin } from './cert-origin.js'
import { certPhytosanitary } from './cert-phytosanitary.js'
import { customsDeclaration } from './customs-declaration.js'
import type { RecordTypeDefinition } from './definition.js'
import { deliveryReceipt } from './delivery-receipt.js'
import { policyGrant, policyRevoke } from './policy.js'
import { applicationSubmission, missingDataRequest, requirementProfile } from './requirements.js'
import {
  applicationStatus, decisionCertificate, decisionPermit, decisionRefusal, decisionReinstatement, decisionRelease, decisionSuspension, decisionWithdrawal
} from './decisions.js'
import { epcisEvent } from './epcis-event.js'
import { referenceCodelist } from './reference-codelist.js'
import { regulationMeasure } from './regulation-measure.js'
import { referenceDutyRates, referenceExchangeRates } from './reference-rates.js'
import { queryAnswer, queryRequest } from './query.js'
import { paymentConfirmation, paymentOrder, paymentRefund, paymentRefusal } from './payments.js'
import { riskEvaluation, riskRule } from './risk.js'
import { eventShipment } from './event-shipment.js'
import { foreignDocument, foreignVerification } from './foreign-document.js'
import { tradeContract } from './trade-contract.js'
import { tradeInvoice } from './trade-invoice.js'
import { tradePackingList } from './trade-packing-list.js'
import { transportWaybill } from './transport-waybill.js'
import { trustCertificate, trustRevocation } from './trust-certificate.js'

/** The record types every node registers, in a fixed order. */
export const builtinTypes: readonly RecordTypeDefinition[] = [
  tradeInvoice,
  tradePackingList,
  tradeContract,
  transportWaybill,
  certOrigin,
  certPhytosanitary,
  customsDeclaration,
  eventShipment,
  trustCertificate,
  trustRevocation,
  deliveryReceipt,
  policyGrant,
  policyRevoke,
  requirementProfile,
  applicationSubmission,
  missingDataRequest,
  applicationStatus,
  decisionRelease,
  decisionPermit,
  decisionCertificate,
  decisionRefusal,
  decisionSuspension,
  decisionReinstatement,
  decisionWithdrawal,
  epcisEvent,
  referenceCodelist,
  regulationMeasure,
  referenceDutyRates,
  referenceExchangeRates,
  paymentOrder,
  paymentConfirmation,
  paymentRefusal,
  paymentRefund,
  queryRequest,
  queryAnswer,
  riskRule,
  riskEvaluation,
  foreignDocument,
  foreignVerification
]

export { dataAs, recordInput } from './data.js'
export { RecordTypes, DECISION_PREFIX, type RecordTypeName } from './names.js'
export type { RecordData, RecordTypeDefinition } from './definition.js'
export type { CertOriginData } from './cert-origin.js'
export type { ReferenceCodelistData } from './reference-codelist.js'
export type { RegulationMeasureData } from './regulation-measure.js'
export type { DutyRatesData, ExchangeRatesData } from './reference-rates.js'
export type { PaymentConfirmationData, PaymentOrderData, PaymentRefundData } from './payments.js'
export type { QueryAnswerData, QueryRequestData } from './query.js'
export type { RiskEvaluationData, RiskRuleData } from './risk.js'
export type { CertPhytosanitaryData } from './cert-phytosanitary.js'
export type { CustomsDeclarationData } from './customs-declaration.js'
export type { ApplicationStatusData, DecisionData, DecisionReinstatementData, DecisionSuspensionData, DecisionWithdrawalData } from './decisions.js'
export type { DeliveryReceiptData } from './delivery-receipt.js'
export type { EpcisEventData } from './epcis-event.js'
export type { EventShipmentData } from './event-shipment.js'
export type { ForeignDocumentData, ForeignVerificationData } from './foreign-document.js'
export type { Grantee, PolicyGrantData, PolicyRevokeData } from './policy.js'
export type { ApplicationSubmissionData, MissingDataRequestData, RequirementProfileData } from './requirements.js'
export type { TradeContractData } from './trade-contract.js'
export type { TradeInvoiceData } from './trade-invoice.js'
export type { TradePackingListData } from './trade-packing-list.js'
export type { TransportWaybillData } from './transport-waybill.js'
export type { TrustCertificateData, TrustRevocationData } from './trust-certificate.js'
