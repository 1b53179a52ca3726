/**
 * A keruen node: its identity, its database, its record service and its libp2p
 * host, opened and closed together.
 */
import './polyfill.js'
import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { timestamp } from '../record/index.js'
import { builtinTypes, RecordTypes } from '../record/types/index.js'
import { TypeRegistry } from '../record/types/registry.js'
import { AddressStore, ApplicationStore, Database, DeliveryStore, SubscriptionStore, IdempotencyStore, MetaStore, RecordStore, TrustStore } from '../storage/index.js'
import { loadConfig, type NodeConfig } from './config.js'
import { BLOB_DIR, DataDirError, DB_DIR, initDataDir, isInitialised, loadDataDir, type Identity, type ProfileInput } from './data-dir.js'
import { Handshake, MAX_CERTIFICATES, MAX_HANDSHAKE_BYTES } from '../protocols/handshake.js'
import { PeerGate } from '../protocols/peer-gate.js'
import { TrustGossip } from '../protocols/trust-gossip.js'
import { createP2PHost, type P2PHost } from './p2p.js'
import { DeliveryService, type DeliveryOptions } from './delivery-service.js'
import { PolicyService } from './policy-service.js'
import { ApplicationService, applicationIndexer, applicationOf } from './application-service.js'
import { WebhookService, type WebhookOptions } from './webhook-service.js'
import { EpcisService } from './epcis-service.js'
import { syncPolicyFile } from './policy-file.js'
import { RecordService } from './record-service.js'
import { RequirementService } from './requirement-service.js'
import { ReuseLedger } from './reuse-ledger.js'
import { SigningPool } from './signing-pool.js'
import { VerifyPool } from './verify-pool.js'
import { TrustService, trustIndexer } from './trust-service.js'
import { PeerJudge } from './peer-judge.js'
import { AddressBook } from './address-book.js'

export const SOFTWARE_VERSION = '0.1.0'
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
  readonly delivery?: Pick<DeliveryOptions, 'batchSize' | 'retryMs' | 'maxRetryMs' | 'timeoutMs'>
}

export interface NodeEvents {
  'peer:admitted': [peer: string, reason: string]
  'peer:refused': [peer: string, reason: string]
  'peer:down': [peer: string]
  'record:delivered': [recipient: string, recordId: string, receiptId: string]
  'record:received': [sender: string, recordId: string]
  'delivery:refused': [peer: string, reason: string]
  /** A status change, missing-data request or decision about an application was stored here. */
  'application:changed': [applicationId: string, recordId: string, type: string]
  /** A shipment event (EPCIS or event.shipment) was stored here. */
  'shipment:event': [recordId: string, consignment: string, issuer: string]
}

/**
 * An authority trusts itself and holds a certificate of its own, so that the
 * nodes that trust it admit it like any other participant.
 */
async function becomeAuthority (identity: Identity, trust: TrustService): Promise<void> {
  const { participant, name, country } = identity.profile
  if (country === undefined) throw new DataDirError('an authority node needs a country: set "country" in profile.json (keruen init --country XX)')
  if ((await trust.authorities()).every(a => a.participant !== participant)) await trust.addAuthority(participant, { name, country })
  if ((await trust.certificatesOf(participant)).length === 0) await trust.certify({ participant, role: 'authority', name, country })
}

export class KeruenNode {
  /** What happens on the network: peers admitted and refused, with the reason. */
  readonly events = new EventEmitter<NodeEvents>()
  handshake: Handshake | undefined
  gossip: TrustGossip | undefined

  private constructor (
    readonly identity: Identity,
    readonly config: NodeConfig,
    readonly db: Database,
    readonly records: RecordService,
    readonly trust: TrustService,
    readonly policy: PolicyService,
    readonly requirements: RequirementService,
    readonly reuse: ReuseLedger,
    readonly applications: ApplicationService,
    readonly epcis: EpcisService,
    readonly webhooks: WebhookService,
    readonly delivery: DeliveryService,
    readonly types: TypeRegistry,
    private readonly signing: SigningPool,
    private readonly verifying: VerifyPool,
    readonly p2p: P2PHost | undefined
  ) {}

  /** Opens (and on first use initialises) the node in `dataDir`. */
  static async open (options: OpenNodeOptions): Promise<KeruenNode> {
    const identity = (await isInitialised(options.dataDir))
      ? await loadDataDir(options.dataDir)
      : await initDataDir(options.dataDir, options.profile, { defaultPolicies: options.defaultPolicies ?? true })
    const config = await loadConfig(options.dataDir, options.config)
    const db = await Database.open(join(options.dataDir, DB_DIR), { durable: config.durable, blobs: join(options.dataDir, BLOB_DIR) })
    let p2p: P2PHost | undefined
    let node: KeruenNode | undefined
    const signing = new SigningPool(identity.signer, identity.seed, config.signingWorkers)
    // Only a node on the network receives deliveries.
    const types = new TypeRegistry(builtinTypes)
    const verifying = new VerifyPool(options.p2p === false ? 0 : config.verifyWorkers, types)
    try {
      await new MetaStore(db).claim(identity.signer.participant, timestamp())
      const recordStore = new RecordStore(db)
      const trustStore = new TrustStore(db)
      const deliveryStore = new DeliveryStore(db)
      const applicationStore = new ApplicationStore(db)
      // The delivery service needs the record service and feeds its batches; it is set just below.
      let delivery: DeliveryService | undefined
      let policy: PolicyService | undefined
      let judge: PeerJudge | undefined
      const webhooks = new WebhookService(db, new SubscriptionStore(db), identity.signer.participant, options.webhooks ?? {})
      const records = new RecordService(db, recordStore, new IdempotencyStore(db), types, {
        signer: identity.signer,
        sign: async draft => await signing.sign(draft),
        indexers: [
          trustIndexer(trustStore),
          applicationIndexer(applicationStore),
          (record, input) => delivery?.enqueueOps(record, input) ?? [],
          record => delivery?.receiptIndexOps(record) ?? [],
          (record, _input, replaced) => webhooks.enqueueOps(record, replaced === true)
        ],
        onStored: (record) => {
          const type = record.envelope.type
          if (type.startsWith('policy.')) policy?.learn(record)
          delivery?.stored(record)
          const application = applicationOf(record)
          if (application !== undefined) node?.events.emit('application:changed', application, record.id, type)
          if (type === RecordTypes.epcisEvent || type === RecordTypes.eventShipment) node?.events.emit('shipment:event', record.id, record.envelope.consignment ?? '', record.envelope.issuer)
          if (type.startsWith('trust.')) node?.inBackground(async () => { await judge?.trustChanged(record) })
        },
        ...(identity.profile.country !== undefined && { country: identity.profile.country }),
        ...(identity.profile.legalId !== undefined && { legalId: identity.profile.legalId }),
        ...(options.clock !== undefined && { clock: options.clock })
      })
      delivery = new DeliveryService(db, recordStore, deliveryStore, records, {
        ...options.delivery,
        ...(options.clock !== undefined && { clock: options.clock }),
        onDelivered: (recipient, recordId, receiptId) => node?.events.emit('record:delivered', recipient, recordId, receiptId),
        onReceived: (sender, recordId) => node?.events.emit('record:received', sender, recordId),
        onRefused: (peer, reason) => node?.events.emit('delivery:refused', peer, reason),
        refusals: async records => await verifying.refusals(records)
      })
      const trust = new TrustService(trustStore, recordStore, records, identity.profile.role)
      trust.onListChanged = () => { node?.inBackground(async () => { await judge?.trustListChanged() }) }
      if (identity.profile.role === 'authority') await becomeAuthority(identity, trust)
      policy = new PolicyService(recordStore, records, trust)
      await policy.load()
      judge = new PeerJudge(trust, records, policy, task => { node?.inBackground(task) })
      delivery.policy = policy
      const requirements = new RequirementService(recordStore, records, trust, policy, types)
      const reuse = new ReuseLedger(recordStore, records, delivery, trust)
      const applications = new ApplicationService(recordStore, applicationStore, records, delivery)
      const epcis = new EpcisService(recordStore, records)
      await syncPolicyFile(options.dataDir, policy)
      const gate = new PeerGate()
      if (options.p2p !== false) {
        // Peers are let in once a verification worker has loaded: a backlog
        // arriving at start would otherwise be checked on the event loop, a
        // request at a time, stalling the API and every other peer meanwhile.
        await verifying.loaded(VERIFY_WORKER_WAIT_MS)
        p2p = await createP2PHost(identity.seed, config, gate.gater())
      }
      node = new KeruenNode(identity, config, db, records, trust, policy, requirements, reuse, applications, epcis, webhooks, delivery, types, signing, verifying, p2p)
      node.judge = judge
      if (p2p !== undefined) {
        const handshake = node.handshake = new Handshake(p2p, gate, {
          // With room for the message's own frame.
          ownCertificates: async () => await trust.certificatesToPresent(identity.signer.participant, MAX_CERTIFICATES, MAX_HANDSHAKE_BYTES - 1024),
          admit: async (peer, certificates) => await (judge as PeerJudge).admit(peer, certificates),
          onAdmitted: (peer, reason) => {
            node?.events.emit('peer:admitted', peer, reason)
            delivery?.peerAdmitted(peer)
            node?.inBackground(async () => {
              await addresses.remember(peer)
              // It may have been away while a revocation spread.
              await gossip.send(peer, await trust.revocationsToShare())
            })
          },
          onRefused: (peer, reason) => node?.events.emit('peer:refused', peer, reason),
          ...(options.handshakeTimeoutMs !== undefined && { timeoutMs: options.handshakeTimeoutMs })
        })
        const gossip = node.gossip = new TrustGossip(p2p, {
          admitted: peer => handshake.isAdmitted(peer),
          learn: async (_from, trustRecords) => { await (judge as PeerJudge).learnTrust(trustRecords) },
          onRefused: (peer, reason) => node?.events.emit('delivery:refused', peer, reason),
          timeoutMs: 10_000
        })
        judge.handshake = handshake
        judge.gossip = gossip
        await gossip.start()
        const addresses = new AddressBook(new AddressStore(db), p2p)
        await addresses.restore()
        // Identify may answer after the handshake: what it says then is kept too.
        p2p.addEventListener('peer:identify', ({ detail }) => {
          const peer = detail.peerId.toString()
          if (handshake.isAdmitted(peer)) node?.inBackground(async () => { await addresses.remember(peer, detail.listenAddrs) })
        })
        await handshake.start()
        await delivery.start(p2p, handshake)
        // Certificates expire without any record arriving: re-judge the directory now and then.
        node.directoryTimer = setInterval(() => { node?.inBackground(async () => { await policy?.refreshDirectory() }) }, 30_000).unref()
        p2p.addEventListener('peer:disconnect', (event) => { node?.events.emit('peer:down', event.detail.toString()) })
      }
      // Last: nothing after this can fail and leave its loop running.
      await webhooks.start()
      return node
    } catch (err) {
      await p2p?.stop()
      await signing.close()
      await verifying.close()
      await db.close()
      throw err
    }
  }

  private judge: PeerJudge | undefined
  private readonly background = new Set<Promise<void>>()
  private directoryTimer: NodeJS.Timeout | undefined
  private closing = false

  /**
   * Runs follow-up work of a stored record without holding up its writer;
   * close() waits for it. A failure once the node is closing is expected and
   * dropped; any other is reported as a warning, not a crash.
   */
  private inBackground (task: () => Promise<void>): void {
    if (this.closing) return
    const run: Promise<void> = task()
      .catch((err: Error) => { if (!this.closing) process.emitWarning(`keruen: ${err.message}`) })
      .finally(() => this.background.delete(run))
    this.background.add(run)
  }

  get participant (): string {
    return this.identity.signer.participant
  }

  /** Multiaddrs other nodes can dial, each ending in this node's peer id. */
  addresses (): string[] {
    return this.p2p?.getMultiaddrs().map(a => a.toString()) ?? []
  }

  async close (): Promise<void> {
    this.closing = true
    clearInterval(this.directoryTimer)
    this.judge?.stop()
    await Promise.allSettled([...this.background])
    await this.webhooks.stop()
    await this.delivery.stop()
    await this.p2p?.stop()
    await this.signing.close()
    await this.verifying.close()
    await this.db.close()
  }
}
