import { certOrigin } from './cert-origin.js'
import { certPhytosanitary } from './cert-phytosanitary.js'
import { customsDeclaration } from './customs-declaration.js'
import type { RecordTypeDefinition } from './definition.js'
import { deliveryReceipt } from './delivery-receipt.js'
import { policyGrant, policyRevoke } from './policy.js'
import { applicationSubmission, missingDataRequest, requirementProfile } from './requirements.js'
import { applicationStatus, decisionCertificate, decisionPermit, decisionRefusal, decisionRelease } from './decisions.js'
import { epcisEvent } from './epcis-event.js'
import { eventShipment } from './event-shipment.js'
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
  epcisEvent
]
