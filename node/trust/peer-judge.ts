/**
 * Who this node lets in, kept up to date: it judges a peer at its handshake by
 * the certificates it holds for it, takes trust records from the network,
 * judges the participant each new one concerns, judges everyone again when the
 * trust list changes, and cuts a peer off when its certificate expires.
 */
import { dataOf, parseRecord, RecordError, verifyRecord, type SignedRecord } from '../../record/index.js'
import type { Handshake } from '../../protocols/handshake.js'
import type { TrustGossip } from '../../protocols/trust-gossip.js'
import { Coalesced } from '../runtime/coalesced.js'
import { ServiceError } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { BackgroundTasks } from '../runtime/background.js'
import { ExpiryWatch } from './expiry-watch.js'
import type { PolicyService } from '../policy/policy-service.js'
import type { RecordService } from '../records/record-service.js'
import { CERTIFICATE, REVOCATION, type TrustService } from './trust-service.js'

/** What the judge needs of the network: the handshake that admits and expels, the gossip that passes trust records on. */
export interface JudgedNetwork {
  readonly handshake: Pick<Handshake, 'gate' | 'isAdmitted' | 'expel' | 'admittedPeers'>
  readonly gossip: Pick<TrustGossip, 'broadcast'>
}

export interface PeerJudgeComponents {
  readonly trust: TrustService
  readonly records: Pick<RecordService, 'importVerified' | 'now'>
  readonly policy: Pick<PolicyService, 'refreshParticipant' | 'refreshDirectory'>
  /** Runs follow-up work the node's closing waits for. */
  readonly background: BackgroundTasks
  /** Trust records stored and trust-list changes arrive here. */
  readonly events: NodeEvents
  /** Absent on a node off the network; read when needed, as the network is built after the judge. */
  readonly network?: JudgedNetwork
}

export function peerJudge () {
  return (components: PeerJudgeComponents): PeerJudge => new PeerJudge(components)
}

export class PeerJudge {
  private readonly trust: TrustService
  private readonly records: PeerJudgeComponents['records']
  private readonly policy: PeerJudgeComponents['policy']
  private unlisten: (() => void) | undefined

  constructor (private readonly components: PeerJudgeComponents) {
    this.trust = components.trust
    this.records = components.records
    this.policy = components.policy
  }

  private get handshake (): JudgedNetwork['handshake'] | undefined {
    return this.components.network?.handshake
  }

  start (): void {
    const { events, background } = this.components
    this.unlisten = listen(events, {
      'record:stored': record => { if (record.envelope.type.startsWith('trust.')) background.run(async () => { await this.trustChanged(record) }) },
      'trust:list-changed': () => { background.run(async () => { await this.trustListChanged() }) }
    })
  }

  /** Stores the trust records a peer presented, then judges the peer by every certificate this node holds. */
  async admit (peer: string, certificates: Uint8Array[]): Promise<{ admitted: boolean, reason: string }> {
    // A peer not yet admitted is a stranger: of what it presents, only its own
    // certificates are read, and only those of a trusted authority kept.
    const own = parsedOfTypes(certificates, [CERTIFICATE]).filter(verifies).filter(c => dataOf(c).participant === peer)
    const kept = await this.trust.fromTrustedAuthorities(own)
    await this.importAll(kept)
    const status = await this.trust.status(peer, own.filter(c => !kept.includes(c)))
    if (status.certificate?.validUntil !== undefined) this.expiry.watch(status.certificate.validUntil)
    return { admitted: status.status === 'valid', reason: `${status.status}: ${status.reason}` }
  }

  /**
   * Stores the certificates and revocations of trusted authorities a peer
   * passes on (nothing else). Only those new here are verified: a peer just
   * admitted sends every revocation it holds.
   */
  async learnTrust (records: Uint8Array[]): Promise<void> {
    const fresh: SignedRecord[] = []
    for (const record of await this.trust.fromTrustedAuthorities(parsedOfTypes(records, [CERTIFICATE, REVOCATION]))) {
      if (!(await this.trust.holds(record.id)) && verifies(record)) fresh.push(record)
    }
    await this.importAll(fresh)
  }

  /**
   * A certificate or revocation is new here: pass it on, and judge again the
   * participant it concerns — cut off if revoked, let in again if newly
   * certified. One participant, not all: an authority certifies thousands.
   */
  async trustChanged (record: SignedRecord): Promise<void> {
    await this.components.network?.gossip.broadcast([record.bytes])
    const subject = await this.trust.subjectOf(record)
    if (subject === undefined) return
    const status = await this.policy.refreshParticipant(subject)
    const handshake = this.handshake
    if (handshake === undefined) return
    if (record.envelope.type === CERTIFICATE) handshake.gate.forgive(subject)
    if (status.status !== 'valid' && handshake.isAdmitted(subject)) await handshake.expel(subject, `${status.status}: ${status.reason}`)
  }

  /**
   * The trust list changed: peers refused under the old one are judged afresh
   * at their next connection, and admitted peers it no longer lets in are cut off.
   */
  async trustListChanged (): Promise<void> {
    await this.policy.refreshDirectory()
    const handshake = this.handshake
    if (handshake === undefined) return
    handshake.gate.forgiveAll()
    await this.rejudge.run()
  }

  stop (): void {
    this.unlisten?.()
    this.unlisten = undefined
    this.expiry.stop()
  }

  /** Stores verified records; one the node refuses (its schema, say) is left out. */
  private async importAll (records: readonly SignedRecord[]): Promise<void> {
    for (const record of records) {
      try {
        await this.records.importVerified(record)
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err
      }
    }
  }

  /**
   * Cuts off the admitted peers no longer valid, and watches when the others'
   * certificates end. A burst of asks shares one pass.
   */
  private readonly rejudge = new Coalesced(async () => {
    const handshake = this.handshake
    if (handshake === undefined) return
    for (const peer of handshake.admittedPeers()) {
      const status = await this.trust.status(peer)
      if (status.status !== 'valid') await handshake.expel(peer, `${status.status}: ${status.reason}`)
      else if (status.certificate?.validUntil !== undefined) this.expiry.watch(status.certificate.validUntil)
    }
  })

  /** An admitted peer's certificate has just ended. */
  private readonly expiry = new ExpiryWatch(() => {
    this.components.background.run(async () => { await this.rejudge.run() })
  }, () => Date.parse(this.records.now()))
}

/** The records of the given types that parse; the rest is dropped unread. */
function parsedOfTypes (records: readonly Uint8Array[], types: readonly string[]): SignedRecord[] {
  const out: SignedRecord[] = []
  for (const bytes of records) {
    try {
      const record = parseRecord(bytes)
      if (types.includes(record.envelope.type)) out.push(record)
    } catch (err) {
      if (!(err instanceof RecordError)) throw err
    }
  }
  return out
}

/** Whether a record's signature and digests hold: one that does not proves nothing, and is dropped. */
function verifies (record: SignedRecord): boolean {
  try {
    verifyRecord(record)
    return true
  } catch (err) {
    if (err instanceof RecordError) return false
    throw err
  }
}
