/**
 * The receiving side of delivery: serves /keruen/deliver/2.0.0 to admitted
 * peers, verifies each record (on the verification workers), stores a batch
 * in one write, and answers with one signed receipt listing every copy newly
 * received; a copy received before gets the receipt it got then.
 */
import { dataOf, isRecordId, parseRecord, parseVerified, type SignedRecord } from '../../record/index.js'
import type { ParticipantRole } from '../../record/types/trust-certificate.js'
import { DELIVER_PROTOCOL, serveDeliveries, type Delivery, type DeliveryResult } from '../../protocols/deliver.js'
import { PeerLimits } from '../../protocols/peer-limits.js'
import type { NodeConfig } from '../setup/config.js'
import { ServiceError } from '../errors.js'
import type { NodeEvents } from '../events.js'
import type { ImportOutcome, RecordService } from '../records/record-service.js'
import { KeyedLock } from '../runtime/keyed-lock.js'
import { CERTIFICATE, REVOCATION, type TrustService } from '../trust/trust-service.js'
import { deliveredRefusal, issuerRule } from '../trust/issuers.js'
import type { DeliveryNetwork } from './outbox.js'
import { acknowledged, entryData, fieldsOf, receiptGroups, RECEIPT, type ReceiptBook, type ReceiptEntry } from './receipts.js'

const TRUST_TYPES: ReadonlySet<string> = new Set([CERTIFICATE, REVOCATION])

export interface InboxComponents {
  readonly records: Pick<RecordService, 'participant' | 'importVerifiedMany' | 'create' | 'receivedRefusal' | 'getBytes'>
  readonly receipts: ReceiptBook
  /** Trust records are kept only from authorities this node trusts, whichever path they take (see TrustService.fromTrustedAuthorities). */
  readonly trust: Pick<TrustService, 'fromTrustedAuthorities' | 'status'>
  readonly events: NodeEvents
  readonly clock: () => number
  /** Checks received records (a worker pool): per record, why it is refused (see receivedRefusal), or null. */
  readonly verifying?: { refusals: (records: readonly Uint8Array[]) => Promise<Array<string | null>> }
  /** Read at start: a node off the network receives nothing. */
  readonly network?: DeliveryNetwork
  /** What one sender may ask of this node (default: no limit beyond the requests at once). */
  readonly config?: Pick<NodeConfig, 'deliveryLimits'>
}

export class Inbox {
  private readonly locks = new KeyedLock()
  private host: DeliveryNetwork['host'] | undefined

  constructor (private readonly components: InboxComponents, private readonly timeoutMs: number) {}

  /** Serves deliveries with `accept` (this inbox's own, unless the owner passes its entry point). */
  async start (accept: Inbox['accept'] = async (sender, batch) => await this.accept(sender, batch)): Promise<void> {
    const network = this.components.network
    if (network === undefined) return
    this.host = network.host
    await serveDeliveries(network.host, {
      admitted: async peer => await network.handshake.admission(peer),
      accept,
      onRefusedRequest: (peer, reason) => this.components.events.emit('delivery:refused', peer, reason),
      ...(this.components.config !== undefined && { limits: new PeerLimits(this.components.config.deliveryLimits, this.components.clock) }),
      timeoutMs: this.timeoutMs
    })
  }

  async stop (): Promise<void> {
    await this.host?.unhandle(DELIVER_PROTOCOL)
    this.host = undefined
  }

  /**
   * Why a record is not taken over delivery, whoever sends it, by its index
   * in `verified` (trust/issuers.ts has the table): a type its issuer's
   * certified role does not issue, a decision from another agency than the
   * one applied to, a change to a decision from another agency than the one
   * that issued it, a new version of a record from another issuer than that
   * record's, an official document from an issuer not certified here,
   * a receipt (receipts come back only as the answer to a delivery), and a
   * certificate or revocation of an authority this node does not trust
   * (stored, it would be passed on and judged, as anyone can pose as an authority).
   */
  private async notTaken (verified: ReadonlyArray<{ record: SignedRecord }>): Promise<Map<number, string>> {
    const trustRecords = verified.map(v => v.record).filter(r => TRUST_TYPES.has(r.envelope.type))
    const trusted = new Set(trustRecords.length === 0 ? [] : await this.components.trust.fromTrustedAuthorities(trustRecords))
    const roles = new Map<string, Promise<ParticipantRole | undefined>>()
    const roleOf = (issuer: string): Promise<ParticipantRole | undefined> => {
      let role = roles.get(issuer)
      if (role === undefined) {
        role = this.components.trust.status(issuer).then(s => s.status === 'valid' ? s.certificate?.role : undefined)
        roles.set(issuer, role)
      }
      return role
    }
    const reasons = new Map<number, string>()
    for (const [k, { record }] of verified.entries()) {
      const { id, envelope } = record
      if (TRUST_TYPES.has(envelope.type)) {
        if (!trusted.has(record)) reasons.set(k, `${envelope.type} ${id} was issued by ${envelope.issuer}, not an authority this node trusts`)
        continue
      }
      const rule = issuerRule(envelope.type)
      if (rule === undefined) continue
      const addressee = rule.fromAddressee === true ? await this.addresseeOf(record) : undefined
      const decision = rule.fromDecisionIssuer === true ? await this.heldEnvelope(dataOf(record).decision) : undefined
      const superseded = await this.heldEnvelope(envelope.supersedes)
      const reason = deliveredRefusal({ id, type: envelope.type, issuer: envelope.issuer }, {
        issuerRole: await roleOf(envelope.issuer),
        ...(addressee !== undefined && { addressee }),
        ...(decision !== undefined && { decisionIssuer: decision.issuer }),
        ...(superseded !== undefined && { superseded: { issuer: superseded.issuer, type: superseded.type } })
      })
      if (reason !== undefined) reasons.set(k, reason)
    }
    return reasons
  }

  /** The agency the application a record names was made to, if this node holds that application. */
  private async addresseeOf (record: SignedRecord): Promise<string | undefined> {
    const application = dataOf(record).application
    if (typeof application !== 'string' || !isRecordId(application)) return undefined
    const bytes = await this.components.records.getBytes(application)
    if (bytes === undefined) return undefined
    const agency = dataOf(parseRecord(bytes)).agency
    return typeof agency === 'string' ? agency : undefined
  }

  /** The envelope of the record `id` names, if it is a record id and this node holds it. */
  private async heldEnvelope (id: unknown): Promise<SignedRecord['envelope'] | undefined> {
    if (typeof id !== 'string' || !isRecordId(id)) return undefined
    const bytes = await this.components.records.getBytes(id)
    return bytes === undefined ? undefined : parseRecord(bytes).envelope
  }

  /** Receives a batch from `sender`: see the module comment. */
  async accept (sender: string, batch: Delivery[]): Promise<DeliveryResult[]> {
    const { records, events } = this.components
    const results: DeliveryResult[] = new Array(batch.length)
    const verified: Array<{ index: number, record: SignedRecord, purpose?: string }> = []
    const bytes = batch.map(d => d.record)
    const refusals = this.components.verifying !== undefined ? await this.components.verifying.refusals(bytes) : bytes.map(b => records.receivedRefusal(b))
    batch.forEach(({ record, purpose }, index) => {
      const reason = refusals[index] ?? null
      if (reason === null) {
        // Checked whole just now: read again without decoding every field.
        verified.push({ index, record: parseVerified(record), ...(purpose !== undefined && { purpose }) })
        return
      }
      events.emit('delivery:refused', sender, `record refused: ${reason}`)
      results[index] = { refused: reason }
    })
    for (const [k, reason] of [...await this.notTaken(verified)].reverse()) {
      events.emit('delivery:refused', sender, `record refused: ${reason}`)
      results[(verified[k] as { index: number }).index] = { refused: `not-permitted: ${reason}` }
      verified.splice(k, 1)
    }
    if (verified.length === 0) return results
    const me = records.participant
    const received: SignedRecord[] = []
    await this.locks.run(verified.map(v => `receipt:${v.record.id}`), async () => {
      const outcomes = await records.importVerifiedMany(verified.map(v => v.record), true)
      // Copies to acknowledge in a new receipt, once each: the key says what is acknowledged.
      const fresh = new Map<string, { entry: ReceiptEntry, indexes: number[] }>()
      for (const [k, { index, record, purpose }] of verified.entries()) {
        const outcome = outcomes[k] as ImportOutcome
        if ('refused' in outcome) {
          events.emit('delivery:refused', sender, `record ${record.id} refused: ${outcome.refused.message}`)
          results[index] = { refused: `${outcome.refused.code}: ${outcome.refused.message}` }
          continue
        }
        if (outcome.created) received.push(record)
        const fields = fieldsOf(record)
        const key = acknowledged(sender, purpose, fields)
        const same = fresh.get(key + record.id)
        if (same !== undefined) {
          same.indexes.push(index)
          continue
        }
        // The same copy again (a replay, or a retry after a lost answer) gets the same receipt.
        if (!outcome.created) {
          const earlier = await this.components.receipts.signedFor(record.id, me, key)
          if (earlier !== undefined) {
            results[index] = { receipt: earlier }
            continue
          }
        }
        fresh.set(key + record.id, { entry: { record: record.id, fields, ...(purpose !== undefined && { purpose }) }, indexes: [index] })
      }
      for (const group of receiptGroups([...fresh.values()])) {
        let receipt: SignedRecord
        try {
          ({ record: receipt } = await records.create({
            type: RECEIPT,
            data: { sender, receivedAt: new Date(this.components.clock()).toISOString(), records: group.map(g => entryData(g.entry)) }
          }))
        } catch (err) {
          // Only a copy whose field list alone outgrows a receipt gets here:
          // refused, it backs off alone at the sender instead of failing the request.
          if (!(err instanceof ServiceError && err.code === 'too-large')) throw err
          for (const { indexes } of group) for (const index of indexes) results[index] = { refused: `too-large: no receipt can list so many fields (${err.message})` }
          continue
        }
        for (const { indexes } of group) for (const index of indexes) results[index] = { receipt: receipt.bytes }
      }
    })
    for (const record of received) events.emit('record:received', sender, record.id, record)
    return results
  }
}
