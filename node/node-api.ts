/**
 * What the HTTP API and other front ends may use of a node: its services and
 * a few facts about it, never its libp2p host, its handshake or its key.
 */
import type { TypeRegistry } from '../record/types/registry.js'
import type { StorageHealth } from '../storage/index.js'
import type { AccountService } from './accounts/account-service.js'
import type { AttachmentService } from './attachments/attachment-service.js'
import type { DeliveryService } from './delivery/delivery-service.js'
import type { NodeEvents } from './events.js'
import type { Disclosure } from './policy/disclosure.js'
import type { PolicyService } from './policy/policy-service.js'
import type { ReuseLedger } from './policy/reuse-ledger.js'
import type { RecordService } from './records/record-service.js'
import type { Profile } from './setup/data-dir.js'
import type { CertificateStatus, TrustService } from './trust/trust-service.js'
import type { ParticipantDirectory } from './trust/directory.js'
import type { ApplicationService } from './workflow/application-service.js'
import type { EpcisService } from './workflow/epcis-service.js'
import type { CodeListService } from './reference/codelist-service.js'
import type { MeasureService } from './reference/measure-service.js'
import type { ProcedureFinder } from './workflow/procedure-finder.js'
import type { PaymentService } from './payments/payment-service.js'
import type { SettlementService } from './payments/settlement-service.js'
import type { QueryService } from './query/query-service.js'
import type { LicenceQuotas } from './workflow/licence-quotas.js'
import type { RiskService } from './workflow/risk-service.js'
import type { RequirementService } from './workflow/requirement-service.js'
import type { WebhookService } from './workflow/webhook-service.js'

/** A connected peer and how this node judges it. */
export interface PeerView {
  readonly participant: string
  readonly connected: true
  /** Where the open connections to it go. */
  readonly addresses: readonly string[]
  readonly admitted: boolean
  readonly certificate: CertificateStatus
  readonly role?: string
  readonly name?: string
  readonly country?: string
}

export interface NodeApi {
  readonly participant: string
  readonly profile: Profile
  /** The public half of the node's signing key. */
  readonly publicKey: { readonly suite: string, readonly value: Uint8Array }
  /** The administrator's API token. */
  readonly apiToken: string
  /** The largest request body the API takes, in bytes. */
  readonly maxBodyBytes: number
  readonly types: TypeRegistry
  readonly events: NodeEvents
  readonly records: RecordService
  readonly trust: TrustService
  /** Certified participants this node knows, and each one's profile. */
  readonly directory: ParticipantDirectory
  readonly policy: PolicyService
  readonly disclosure: Disclosure
  readonly delivery: DeliveryService
  readonly requirements: RequirementService
  readonly reuse: ReuseLedger
  readonly applications: ApplicationService
  readonly epcis: EpcisService
  /** Reference data: code lists, their versions, and the check of coded fields. */
  readonly codelists: CodeListService
  /** Regulatory measures, the tariff finder, goods by HS code, notices of change. */
  readonly measures: MeasureService
  /** What a consignment's goods need: measures, procedures, their requirements and applications. */
  readonly procedures: ProcedureFinder
  /** What a consignment's declaration owes: duties, excise, VAT and fees, line by line. */
  readonly payments: PaymentService
  /** Paying: payment orders to a bank, its confirmations and refusals, where a declaration stands. */
  readonly settlements: SettlementService
  /** An agency's risk rules, their evaluations, automatic release, and the release's need of payment. */
  readonly risk: RiskService
  /** Asking other nodes for what their grants let this node see, and answering them. */
  readonly queries: QueryService
  /** Licences with quantities: what each allows, what releases wrote off, what is left. */
  readonly quotas: LicenceQuotas
  readonly webhooks: WebhookService
  /** The people who use the cabinet, and their sessions. */
  readonly accounts: AccountService
  /** Files attached to records: uploads, their bytes, and the fetches of those records received reference. */
  readonly attachments: AttachmentService
  /** Multiaddrs other nodes can dial, each ending in this node's peer id; none off the network. */
  addresses: () => string[]
  /** Peers with an open connection, each with its certificate status here. */
  peers: () => Promise<PeerView[]>
  /** Whether the database takes writes; after a failed write it does not until it is reopened and sound. */
  storage: () => StorageHealth
}
