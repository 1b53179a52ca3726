/**
 * A keruen node: its identity, its database and its components, composed.
 * Each component is built by a factory from the parts it declares it needs
 * (see `NodeComponents`); they start in order and stop in reverse, each
 * undoing what its start() did.
 */
import { join } from 'node:path'
import { timestamp } from '../record/index.js'
import { builtinTypes } from '../record/types/index.js'
import { TypeRegistry } from '../record/types/registry.js'
import { PeerGate } from '../protocols/peer-gate.js'
import {
  AccountStore, AddressStore, ApplicationStore, ATTACHMENT_DIR, AttachmentStore, Database, DatabaseOpenError, DeliveryStore, describeDiskError, isDiskError, type StorageHealth, IdempotencyStore, MetaStore, GoodsStore, RecordStore, SubscriptionStore, TrustStore
} from '../storage/index.js'
import { accountService, type AccountService } from './accounts/account-service.js'
import { attachmentService, type AttachmentOptions, type AttachmentService } from './attachments/attachment-service.js'
import { SessionSweep } from './accounts/session-sweep.js'
import { deliveryService, type DeliveryOptions, type DeliveryService } from './delivery/delivery-service.js'
import { StartError } from './errors.js'
import { NodeEvents } from './events.js'
import type { NodeApi, PeerView } from './node-api.js'
import { AddressBook } from './network/address-book.js'
import { listenOnP2P, type P2PHost } from './network/p2p.js'
import { peerNetwork, type PeerNetwork } from './network/peer-network.js'
import { Disclosure } from './policy/disclosure.js'
import { policyService, type PolicyService } from './policy/policy-service.js'
import { reuseLedger, type ReuseLedger } from './policy/reuse-ledger.js'
import { RecordIndexes } from './records/record-indexes.js'
import { RecordGuards } from './records/record-guards.js'
import { RecordCompletions } from './records/record-completions.js'
import { recordService, type RecordService } from './records/record-service.js'
import { BackgroundTasks } from './runtime/background.js'
import { EventLog } from './runtime/event-log.js'
import { StorageWatch } from './runtime/storage-watch.js'
import { silentLogger, type Logger } from './runtime/log.js'
import { startAll, stopAll, type Startable } from './runtime/lifecycle.js'
import { SigningPool } from './runtime/signing-pool.js'
import { VerifyPool } from './runtime/verify-pool.js'
import { loadConfig, type NodeConfig } from './setup/config.js'
import { BLOB_DIR, DataDirError, DB_DIR, initDataDir, isInitialised, loadDataDir, type Identity, type Profile, type ProfileInput } from './setup/data-dir.js'
import { peerJudge, type PeerJudge } from './trust/peer-judge.js'
import { trustService, type TrustService } from './trust/trust-service.js'
import { participantDirectory, type ParticipantDirectory } from './trust/directory.js'
import { applicationService, type ApplicationService } from './workflow/application-service.js'
import { epcisService, type EpcisService } from './workflow/epcis-service.js'
import { codeListService, type CodeListService } from './reference/codelist-service.js'
import { measureService, type MeasureService } from './reference/measure-service.js'
import { procedureFinder, type ProcedureFinder } from './workflow/procedure-finder.js'
import { paymentService, type PaymentService } from './payments/payment-service.js'
import { queryService, type QueryOptions, type QueryService } from './query/query-service.js'
import { declarationCheck, DeclarationCheck } from './payments/declaration-check.js'
import { licenceQuotas, LicenceQuotas } from './workflow/licence-quotas.js'
import { settlementService, type SettlementService } from './payments/settlement-service.js'
import { riskService, type RiskService } from './workflow/risk-service.js'
import { requirementService, type RequirementService } from './workflow/requirement-service.js'
import { webhookService, type WebhookOptions, type WebhookService } from './workflow/webhook-service.js'

export type { NodeEventMap } from './events.js'
export type { NodeApi, PeerView } from './node-api.js'

export { SOFTWARE_VERSION } from './version.js'
/** How long a starting node waits for its verification worker; past it, records are checked in place until one loads. */
const VERIFY_WORKER_WAIT_MS = 10_000

export interface OpenNodeOptions {
  readonly dataDir: string
  /** Settings that override DIR/config.json. */
  readonly config?: Partial<NodeConfig>
  /** Profile used if the folder has to be initialised. */
  readonly profile?: ProfileInput
  /** Whether a folder initialised here gets the default policies.json (default true). */
  readonly defaultPolicies?: boolean
  /** Start the libp2p host (default true). */
  readonly p2p?: boolean
  readonly clock?: () => number
  /** How long a connecting peer has to present a valid certificate (default 10 s). */
  readonly handshakeTimeoutMs?: number
  /** Webhook retry back-off and timeout. */
  readonly webhooks?: WebhookOptions
  /** Delivery tuning (batch size, retry back-off, timeouts). */
  readonly delivery?: DeliveryOptions
  /** How long a query waits for its holder. */
  readonly query?: QueryOptions
  /** Where the node logs (default: nowhere). */
  readonly logger?: Logger
  /** Attachment fetching: chunk size, retry back-off, timeouts, test hooks. */
  readonly attachments?: AttachmentOptions
}

/**
 * Every part of a node, as the components see each other. A component
 * declares the few parts it uses; this bag satisfies every declaration. Parts
 * built later (the network) are read when used, not when built.
 */
export interface NodeComponents {
  readonly identity: Identity
  readonly profile: Identity['profile']
  readonly signer: Identity['signer']
  readonly participant: string
  readonly config: NodeConfig
  readonly dataDir: string
  readonly clock: () => number
  readonly logger: Logger
  readonly events: NodeEvents
  readonly background: BackgroundTasks
  readonly db: Database
  readonly recordStore: RecordStore
  readonly trustStore: TrustStore
  readonly deliveryStore: DeliveryStore
  readonly applicationStore: ApplicationStore
  readonly subscriptionStore: SubscriptionStore
  readonly idempotencyStore: IdempotencyStore
  readonly addressStore: AddressStore
  readonly attachmentStore: AttachmentStore
  readonly types: TypeRegistry
  readonly indexes: RecordIndexes
  readonly signing: SigningPool
  readonly verifying: VerifyPool
  records: RecordService
  trust: TrustService
  directory: ParticipantDirectory
  policy: PolicyService
  disclosure: Disclosure
  delivery: DeliveryService
  queries: QueryService
  requirements: RequirementService
  reuse: ReuseLedger
  applications: ApplicationService
  epcis: EpcisService
  codelists: CodeListService
  measures: MeasureService
  procedures: ProcedureFinder
  payments: PaymentService
  settlements: SettlementService
  declarationCheck: DeclarationCheck
  risk: RiskService
  quotas: LicenceQuotas
  webhooks: WebhookService
  judge: PeerJudge
  accounts: AccountService
  attachments: AttachmentService
  gate: PeerGate
  host?: P2PHost
  network?: PeerNetwork
}

export class KeruenNode implements NodeApi {
  private constructor (
    private readonly components: NodeComponents,
    private readonly started: Startable[],
    private readonly resources: { signing: SigningPool, verifying: VerifyPool, db: Database, host: P2PHost | undefined }
  ) {}

  /** Opens (and on first use initialises) the node in `dataDir`. */
  static async open (options: OpenNodeOptions): Promise<KeruenNode> {
    const { identity, config, db } = await openDataFolder(options)
    const types = new TypeRegistry(builtinTypes)
    const signing = new SigningPool(identity.signer, identity.seed, config.signingWorkers)
    // Only a node on the network receives deliveries.
    const verifying = new VerifyPool(options.p2p === false ? 0 : config.verifyWorkers, types)
    const logger = options.logger ?? silentLogger()
    let host: P2PHost | undefined
    try {
      await new MetaStore(db).claim(identity.signer.participant, timestamp())
      const base = {
        identity,
        profile: identity.profile,
        signer: identity.signer,
        participant: identity.signer.participant,
        config,
        dataDir: options.dataDir,
        clock: options.clock ?? Date.now,
        logger,
        events: new NodeEvents(),
        background: new BackgroundTasks(err => { logger.warn({ err }, 'follow-up work failed') }),
        db,
        recordStore: new RecordStore(db),
        trustStore: new TrustStore(db),
        deliveryStore: new DeliveryStore(db),
        applicationStore: new ApplicationStore(db),
        subscriptionStore: new SubscriptionStore(db),
        goodsStore: new GoodsStore(db),
        idempotencyStore: new IdempotencyStore(db),
        addressStore: new AddressStore(db),
        attachmentStore: new AttachmentStore(db, join(options.dataDir, ATTACHMENT_DIR), config.durable),
        accountStore: new AccountStore(db),
        types,
        indexes: new RecordIndexes(),
        guards: new RecordGuards(),
        completions: new RecordCompletions(),
        signing,
        verifying,
        gate: new PeerGate()
      }
      // Each step adds one component, built from what the bag holds so far:
      // the compiler checks that nothing is used before it is built.
      const a = Object.assign(base, { records: recordService()(base) })
      const t = Object.assign(a, { trust: trustService()(a) })
      // The directory reads the network, built below on this same bag, when asked.
      const b = Object.assign(t, { directory: participantDirectory()(t) })
      const d = Object.assign(b, { policy: policyService()(b) })
      const e = Object.assign(d, { disclosure: new Disclosure(d) })
      const f = Object.assign(e, { delivery: deliveryService(options.delivery)(e) })
      const fq = Object.assign(f, { queries: queryService(options.query)(f) })
      const g = Object.assign(fq, { requirements: requirementService()(f), reuse: reuseLedger()(f), applications: applicationService()(f), epcis: epcisService()(f), codelists: codeListService()(f), webhooks: webhookService(options.webhooks)(f) })
      const m = Object.assign(g, { measures: measureService()(g) })
      const p = Object.assign(m, { procedures: procedureFinder()(m), payments: paymentService()(m) })
      const q = Object.assign(p, { settlements: settlementService()(p), declarationCheck: declarationCheck()(p) })
      const h = Object.assign(q, { risk: riskService()(q), quotas: licenceQuotas()(q) })
      const c: NodeComponents = Object.assign(h, { judge: peerJudge()(h), accounts: accountService()(h), attachments: attachmentService(options.attachments)(h) })
      if (options.p2p !== false) {
        // Peers are let in once a verification worker has loaded: a backlog
        // arriving at start would otherwise be checked on the event loop, a
        // request at a time, stalling the API and every other peer meanwhile.
        await verifying.loaded(VERIFY_WORKER_WAIT_MS)
        // Listening comes before anything is written: a port in use fails the start with nothing signed.
        host = c.host = await listenOnP2P(identity.seed, config, c.gate, await AddressBook.knownHosts(c.addressStore))
        c.network = peerNetwork({ ...(options.handshakeTimeoutMs !== undefined && { handshakeTimeoutMs: options.handshakeTimeoutMs }) })({ ...c, host })
      }
      const order: Startable[] = [
        new EventLog(c),
        new StorageWatch(c),
        c.trust, c.policy, c.codelists, c.measures, c.applications, c.payments, c.declarationCheck, c.quotas, c.risk, c.epcis, c.judge,
        ...(c.network !== undefined ? [c.network] : []),
        c.delivery,
        c.queries,
        c.attachments,
        // Nothing after this can fail and leave its loop running.
        c.webhooks,
        c.measures.announce(),
        new SessionSweep(c),
        // Stopped first: no follow-up work starts while the rest stops, and what runs ends before.
        c.background
      ]
      const started = await startAll(order)
      logger.info({ participant: c.participant, role: identity.profile.role, p2p: c.network?.listening() ?? [] }, 'node started')
      return new KeruenNode(c, started, { signing, verifying, db, host })
    } catch (err) {
      await host?.stop()
      await signing.close()
      await verifying.close()
      await db.close()
      throw err
    }
  }

  get identity (): Identity { return this.components.identity }
  get config (): NodeConfig { return this.components.config }
  get types (): TypeRegistry { return this.components.types }
  /** What happens here: records stored, delivered and received, peers admitted and refused, application changes. */
  get events (): NodeEvents { return this.components.events }
  get records (): RecordService { return this.components.records }
  get trust (): TrustService { return this.components.trust }
  get directory (): ParticipantDirectory { return this.components.directory }
  get policy (): PolicyService { return this.components.policy }
  get disclosure (): Disclosure { return this.components.disclosure }
  get delivery (): DeliveryService { return this.components.delivery }
  get queries (): QueryService { return this.components.queries }
  get requirements (): RequirementService { return this.components.requirements }
  get reuse (): ReuseLedger { return this.components.reuse }
  get applications (): ApplicationService { return this.components.applications }
  get epcis (): EpcisService { return this.components.epcis }
  get codelists (): CodeListService { return this.components.codelists }
  get measures (): MeasureService { return this.components.measures }
  get procedures (): ProcedureFinder { return this.components.procedures }
  get payments (): PaymentService { return this.components.payments }
  get settlements (): SettlementService { return this.components.settlements }
  get declarationCheck (): DeclarationCheck { return this.components.declarationCheck }
  get risk (): RiskService { return this.components.risk }
  get quotas (): LicenceQuotas { return this.components.quotas }
  get webhooks (): WebhookService { return this.components.webhooks }
  get accounts (): AccountService { return this.components.accounts }
  get attachments (): AttachmentService { return this.components.attachments }
  /** The network side, absent on a node opened without it. */
  get network (): PeerNetwork | undefined { return this.components.network }
  get p2p (): P2PHost | undefined { return this.components.host }
  get handshake (): PeerNetwork['handshake'] | undefined { return this.components.network?.handshake }

  get participant (): string {
    return this.components.participant
  }

  get profile (): Profile { return this.components.profile }
  get publicKey (): NodeApi['publicKey'] { return { suite: this.components.signer.suite, value: this.components.signer.publicKey } }
  get apiToken (): string { return this.components.identity.apiToken }
  get maxBodyBytes (): number { return this.components.config.maxBodyBytes }

  async peers (): Promise<PeerView[]> {
    const network = this.components.network
    if (network === undefined) return []
    return await Promise.all(network.connectedPeers().map(async participant => {
      const status = await this.components.trust.status(participant)
      return {
        participant,
        connected: true as const,
        addresses: network.remoteAddresses(participant),
        admitted: network.handshake.isAdmitted(participant),
        certificate: status.status,
        ...(status.certificate !== undefined && { role: status.certificate.role, name: status.certificate.name, country: status.certificate.country })
      }
    }))
  }

  storage (): StorageHealth {
    return this.resources.db.health()
  }

  /** Multiaddrs other nodes can dial, each ending in this node's peer id. */
  addresses (): string[] {
    return this.components.network?.listening() ?? []
  }

  async close (): Promise<void> {
    const { signing, verifying, db, host } = this.resources
    try {
      await stopAll(this.started)
    } finally {
      await host?.stop()
      await signing.close()
      await verifying.close()
      await db.close()
    }
    this.components.logger.info('node stopped')
  }
}

/** The identity, settings and database of the data folder; a folder the disk will not let be used is a StartError. */
async function openDataFolder (options: OpenNodeOptions): Promise<{ identity: Identity, config: NodeConfig, db: Database }> {
  const dir = options.dataDir
  try {
    const identity = (await isInitialised(dir))
      ? await loadDataDir(dir)
      : await initDataDir(dir, options.profile, { defaultPolicies: options.defaultPolicies ?? true })
    const config = await loadConfig(dir, options.config)
    if (identity.profile.role === 'authority' && identity.profile.country === undefined) {
      throw new DataDirError('an authority node needs a country: set "country" in profile.json (keruen init --country XX)')
    }
    const db = await Database.open(join(dir, DB_DIR), { durable: config.durable, blobs: join(dir, BLOB_DIR) })
    return { identity, config, db }
  } catch (err) {
    if (err instanceof DatabaseOpenError) throw new StartError('data-folder-unusable', err.message, err)
    if (isDiskError(err)) throw new StartError('data-folder-unusable', `cannot use the data folder: ${describeDiskError(dir, err)}`, err)
    throw err
  }
}
