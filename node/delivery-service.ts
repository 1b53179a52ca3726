/**
 * Store-and-forward delivery. A record shared with recipients is queued in the
 * outbox in the same batch that stores it; a loop hands each recipient its
 * queue over /keruen/deliver/1.0.0 whenever it is reachable and admitted, and
 * keeps the receiver's signed receipt. Failures back off per recipient; a
 * recipient that comes back is served at once. The outbox is the cursor of
 * what each peer is still owed, so a reconnect sends exactly that.
 */
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  base64urlEncode, coversAny, dataOf, fieldPatterns, isComplete, isParticipantId, parseRecord, pathText, RecordError, sha256,
  verifyRecord, withDisclosures, type FieldPattern, type LeafPath, type SignedRecord
} from '../record/index.js'
import type { DeliveryStore, OutboxEntry, RecordStore, Share, WriteOp } from '../storage/index.js'
import type { Database } from '../storage/index.js'
import { sendDeliveries, serveDeliveries, type Delivery, type DeliveryResult } from '../protocols/deliver.js'
import type { Handshake } from '../protocols/handshake.js'
import { ServiceError } from './errors.js'
import { KeyedLock } from './keyed-lock.js'
import type { P2PHost } from './p2p.js'
import type { PolicyService } from './policy-service.js'
import type { CreateRecordInput, RecordService } from './record-service.js'

export const RECEIPT = 'delivery.receipt'
/** Delivery requests one recipient may have outstanding at once. */
const BATCHES_IN_FLIGHT = 4
export const MAX_SHARE = 100

export interface DeliveryOptions {
  /** Records per delivery request. */
  readonly batchSize?: number
  /** First retry delay; doubles per failure up to maxRetryMs. */
  readonly retryMs?: number
  readonly maxRetryMs?: number
  readonly timeoutMs?: number
  readonly clock?: () => number
  readonly onDelivered?: (recipient: string, recordId: string, receiptId: string) => void
  readonly onReceived?: (sender: string, recordId: string) => void
  readonly onRefused?: (peer: string, reason: string) => void
}

interface RecipientState {
  attempts: number
  lastError?: string
  lastAttemptAt?: string
  notBefore: number
}

export interface OutboxView extends OutboxEntry {
  readonly attempts: number
  readonly lastError?: string
  readonly lastAttemptAt?: string
  readonly nextAttemptAt?: string
}

/** The participants a request names in `share`: they receive the whole record, by the owner's own decision. */
export function explicitRecipients (input: CreateRecordInput, self: string): string[] {
  const share = input.share ?? []
  if (share.length > MAX_SHARE) throw new ServiceError('invalid-request', `share names more than ${MAX_SHARE} participants`, [{ path: '/share', message: `at most ${MAX_SHARE}` }])
  share.forEach((id, i) => {
    if (!isParticipantId(id)) throw new ServiceError('invalid-request', `share[${i}] is not a participant id`, [{ path: `/share/${i}`, message: 'must be a participant id' }])
  })
  return [...new Set(share)].filter(id => id !== self)
}

export class DeliveryService {
  private readonly states = new Map<string, RecipientState>()
  private readonly flushing = new Map<string, Promise<void>>()
  private readonly locks = new KeyedLock()
  /** Records queued by enqueueOps whose batch is not yet known to be written. */
  private readonly queued = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private readonly batchSize: number
  private readonly retryMs: number
  private readonly maxRetryMs: number
  private readonly timeoutMs: number
  private readonly clock: () => number

  constructor (
    private readonly db: Database,
    private readonly store: RecordStore,
    private readonly deliveries: DeliveryStore,
    private readonly records: RecordService,
    private readonly options: DeliveryOptions = {}
  ) {
    this.batchSize = options.batchSize ?? 128
    this.retryMs = options.retryMs ?? 500
    this.maxRetryMs = options.maxRetryMs ?? 60_000
    this.timeoutMs = options.timeoutMs ?? 20_000
    this.clock = options.clock ?? Date.now
  }

  /**
   * Who receives a new record of this node, and what of it: everyone the
   * owner's grants let in (with the fields they allow), everyone the request
   * names in `share` (the whole record), and the shares of other records the
   * request carries (an application's). Written in the record's own batch.
   */
  sharesOf (record: SignedRecord, input: CreateRecordInput): Share[] {
    const base = { recordId: record.id, issuedAt: record.envelope.issuedAt }
    const shares = new Map<string, Share>()
    for (const [recipient, allowance] of this.policy?.decide(record.envelope) ?? []) {
      shares.set(recipient, {
        ...base,
        recipient,
        ...(allowance.fields !== undefined && { fields: allowance.fields }),
        ...(allowance.grants.length > 0 && { grants: allowance.grants }),
        ...(allowance.purpose !== undefined && { purpose: allowance.purpose })
      })
    }
    for (const recipient of explicitRecipients(input, this.records.participant)) shares.set(recipient, { ...base, recipient })
    return [...shares.values(), ...(input.alsoShare ?? [])]
  }

  /** Outbox entries for a new record, to be written in the record's batch. */
  enqueueOps (record: SignedRecord, input: CreateRecordInput | undefined): WriteOp[] {
    if (input === undefined) return []
    const now = new Date(this.clock()).toISOString()
    const ops = this.sharesOf(record, input).flatMap(share => this.deliveries.enqueueOps(share, now))
    if (ops.length > 0) this.queued.add(record.id)
    return ops
  }

  /** Access policies decide what goes beyond explicit shares; set once the policy service exists. */
  policy: PolicyService | undefined

  /** Index entry for receipts, whichever node stores them. */
  receiptIndexOps (record: SignedRecord): WriteOp[] {
    if (record.envelope.type !== RECEIPT) return []
    try {
      const data = dataOf(record)
      if (typeof data.record !== 'string') return []
      return this.deliveries.receiptOps(data.record, record.envelope.issuer, record.id, acknowledged(data.sender, data.purpose, data.fields))
    } catch {
      return []
    }
  }

  async start (host: P2PHost, handshake: Handshake): Promise<void> {
    this.host = host
    this.handshake = handshake
    await serveDeliveries(host, {
      admitted: peer => handshake.isAdmitted(peer),
      accept: async (sender, batch) => await this.accept(sender, batch),
      onRefusedRequest: (peer, reason) => this.options.onRefused?.(peer, reason),
      timeoutMs: this.timeoutMs
    })
    const tick = (): void => {
      if (this.stopped) return
      void this.flushAll().finally(() => { if (!this.stopped) this.timer = setTimeout(tick, 250).unref() })
    }
    tick()
  }

  private host: P2PHost | undefined
  private handshake: Handshake | undefined

  /** Stops the loop and waits for deliveries under way. */
  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await Promise.allSettled([...this.flushing.values()])
  }

  /** A peer was admitted: whatever it is owed goes now, back-off or not. */
  peerAdmitted (peer: string): void {
    const state = this.states.get(peer)
    if (state !== undefined) state.notBefore = 0
    void this.flush(peer)
  }

  /**
   * A record is on disk: if it was queued for someone, deliver now rather than
   * at the next tick. Records shared with nobody cost nothing here.
   */
  stored (record: SignedRecord): void {
    if (this.queued.delete(record.id)) void this.flushAll()
  }

  async outbox (limit: number): Promise<OutboxView[]> {
    return (await this.deliveries.all(limit)).map(entry => {
      const state = this.states.get(entry.recipient)
      return {
        ...entry,
        attempts: state?.attempts ?? 0,
        ...(state?.lastError !== undefined && { lastError: state.lastError }),
        ...(state?.lastAttemptAt !== undefined && { lastAttemptAt: state.lastAttemptAt }),
        ...(state !== undefined && state.notBefore > 0 && { nextAttemptAt: new Date(state.notBefore).toISOString() })
      }
    })
  }

  async receipts (recordId: string): Promise<Array<{ receiver: string, receipt: SignedRecord }>> {
    const out: Array<{ receiver: string, receipt: SignedRecord }> = []
    for (const { receiver, receiptId } of await this.deliveries.receiptsOf(recordId)) {
      const bytes = await this.store.get(receiptId)
      if (bytes !== undefined) out.push({ receiver, receipt: parseRecord(bytes) })
    }
    return out
  }

  private async flushAll (): Promise<void> {
    const now = this.clock()
    const due = (await this.deliveries.recipients()).filter(r => (this.states.get(r)?.notBefore ?? 0) <= now)
    await Promise.all(due.map(async r => { await this.flush(r) }))
  }

  /** One flush per recipient at a time; a second caller waits for the running one. */
  private async flush (recipient: string): Promise<void> {
    const running = this.flushing.get(recipient)
    if (running !== undefined) return await running
    const run = this.drain(recipient).finally(() => this.flushing.delete(recipient))
    this.flushing.set(recipient, run)
    await run
  }

  /**
   * Sends a recipient everything it is owed, several batches in flight so that
   * the receiver's work, the network and our own writes overlap. Stops at the
   * first failure or refusal; the back-off decides when to try again.
   */
  private async drain (recipient: string): Promise<void> {
    if (this.host === undefined || this.stopped) return
    let connection: Connection
    try {
      connection = await this.connectionTo(recipient)
    } catch (err) {
      if ((await this.deliveries.pendingFor(recipient, 1)).length === 0) this.states.delete(recipient)
      else this.failed(recipient, (err as Error).message)
      return
    }
    let after: string | undefined
    let trouble = false
    const inFlight = new Set<Promise<void>>()
    while (!trouble && !this.stopped) {
      const pending = await this.deliveries.pendingFor(recipient, this.batchSize, after)
      if (pending.length === 0) break
      after = pending[pending.length - 1]?.key
      const batch = this.sendBatch(recipient, connection, pending)
        .then(ok => { if (!ok) trouble = true })
        .catch((err: Error) => {
          trouble = true
          this.failed(recipient, err.message)
        })
        .finally(() => inFlight.delete(batch))
      inFlight.add(batch)
      if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    if (!trouble) this.states.delete(recipient)
  }

  /** One batch: send, keep the receipts, dequeue. False if the recipient refused any record. */
  private async sendBatch (recipient: string, connection: Connection, pending: Array<{ key: string, entry: OutboxEntry }>): Promise<boolean> {
    const stored = await this.store.getMany(pending.map(p => p.entry.recordId))
    const sendable: Array<{ key: string, entry: OutboxEntry, delivery: Delivery }> = []
    // Entries whose record vanished, or whose grants were all revoked, do not go; drop them.
    const dropped: string[] = []
    pending.forEach(({ key, entry }, i) => {
      const bytes = stored[i]
      const record = bytes === undefined ? undefined : this.outgoing(entry, bytes)
      if (record === undefined) dropped.push(key)
      else sendable.push({ key, entry, delivery: { record, ...(entry.purpose !== undefined && { purpose: entry.purpose }) } })
    })
    if (dropped.length > 0) await this.db.commit(this.deliveries.dequeueOps(dropped))
    if (sendable.length === 0) return true
    const results = await sendDeliveries(connection, sendable.map(s => s.delivery), this.timeoutMs)
    return await this.settle(recipient, sendable, results)
  }

  /**
   * The copy a share sends: the whole record, or only the leaves its field
   * patterns cover and its grants still allow. Undefined when every grant it
   * was queued under has been revoked or has expired since.
   */
  private outgoing (entry: OutboxEntry, bytes: Uint8Array): Uint8Array | undefined {
    if (entry.fields === undefined && entry.grants === undefined) return bytes
    const wanted = entry.fields === undefined ? undefined : fieldPatterns(entry.fields)
    let allowed: readonly FieldPattern[] | undefined
    if (entry.grants !== undefined && entry.grants.length > 0) {
      // null: every grant is gone; undefined: one still allows the whole record.
      const still = this.policy === undefined ? null : this.policy.stillAllowed(entry.grants)
      if (still === null) return undefined
      allowed = still
    }
    const keep = (path: LeafPath): boolean =>
      (wanted === undefined || coversAny(wanted, path)) && (allowed === undefined || coversAny(allowed, path))
    const record = parseRecord(bytes)
    const copy = withDisclosures(record, keep)
    return copy.disclosures.length === record.disclosures.length ? bytes : copy.bytes
  }

  /** Keeps every valid receipt and dequeues its record, all in one batch; notes refusals. */
  private async settle (recipient: string, sent: Array<{ key: string, entry: OutboxEntry, delivery: Delivery }>, results: DeliveryResult[]): Promise<boolean> {
    const ops: WriteOp[] = []
    const delivered: Array<[string, string]> = []
    let refusal: string | undefined
    results.forEach((result, i) => {
      const { key, entry, delivery } = sent[i] as { key: string, entry: OutboxEntry, delivery: Delivery }
      if ('refused' in result) {
        refusal ??= `${entry.recordId}: ${result.refused}`
        return
      }
      const receipt = this.checkReceipt(result.receipt, recipient, entry.recordId, delivery)
      if (typeof receipt === 'string') {
        refusal ??= `${entry.recordId}: ${receipt}`
        return
      }
      ops.push(...this.store.putOps(receipt), ...this.receiptIndexOps(receipt), ...this.deliveries.dequeueOps([key]))
      delivered.push([entry.recordId, receipt.id])
    })
    await this.db.commit(ops)
    for (const [recordId, receiptId] of delivered) this.options.onDelivered?.(recipient, recordId, receiptId)
    if (refusal === undefined) return true
    this.failed(recipient, `refused ${refusal}`)
    return false
  }

  /** A receipt counts only if the recipient signed it, for this record from us, acknowledging the fields and purpose sent. */
  private checkReceipt (bytes: Uint8Array, recipient: string, recordId: string, delivery: Delivery): SignedRecord | string {
    try {
      const receipt = parseRecord(bytes)
      verifyRecord(receipt)
      const data = dataOf(receipt)
      if (receipt.envelope.type !== RECEIPT || receipt.envelope.issuer !== recipient) return 'receipt not signed by the recipient'
      if (data.record !== recordId || data.sender !== this.records.participant) return 'receipt for another record or sender'
      if (data.purpose !== delivery.purpose) return 'receipt names another purpose'
      const sent = parseRecord(delivery.record)
      if (JSON.stringify(data.fields) !== JSON.stringify(fieldsOf(sent))) return 'receipt acknowledges other fields than were sent'
      return receipt
    } catch (err) {
      if (err instanceof RecordError) return `receipt does not verify: ${err.message}`
      throw err
    }
  }

  private failed (recipient: string, error: string): void {
    const state = this.states.get(recipient) ?? { attempts: 0, notBefore: 0 }
    state.attempts++
    state.lastError = error
    state.lastAttemptAt = new Date(this.clock()).toISOString()
    state.notBefore = this.clock() + Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.min(state.attempts - 1, 20))
    this.states.set(recipient, state)
  }

  private async connectionTo (recipient: string): Promise<Connection> {
    const host = this.host as P2PHost
    const open = host.getConnections(peerIdFromString(recipient)).find(c => c.status === 'open')
    const connection = open ?? await host.dial(peerIdFromString(recipient), { signal: AbortSignal.timeout(this.timeoutMs) })
    if (!(this.handshake as Handshake).isAdmitted(recipient)) throw new Error('recipient not admitted (yet)')
    return connection
  }

  /**
   * Receives a batch: verifies and stores each record, and answers with a
   * signed receipt — the same receipt again for a record delivered twice.
   */
  async accept (sender: string, batch: Delivery[]): Promise<DeliveryResult[]> {
    return await Promise.all(batch.map(async ({ record: bytes, purpose }) => {
      let record: SignedRecord
      try {
        record = parseRecord(bytes)
        verifyRecord(record)
      } catch (err) {
        const reason = err instanceof RecordError ? `${err.code}: ${err.message}` : (err as Error).message
        this.options.onRefused?.(sender, `record refused: ${reason}`)
        return { refused: reason }
      }
      const id = record.id
      return await this.locks.run([`receipt:${id}`], async (): Promise<DeliveryResult> => {
        try {
          const { created } = await this.records.importVerified(record)
          const fields = fieldsOf(record)
          // The same copy again (a replay, or a retry after a lost answer) gets the same receipt.
          const existing = await this.deliveries.receiptFor(id, this.records.participant, acknowledged(sender, purpose, fields))
          const existingBytes = existing !== undefined ? await this.store.get(existing) : undefined
          if (existingBytes !== undefined) return { receipt: existingBytes }
          const { record: receipt } = await this.records.create({
            type: RECEIPT,
            data: { record: id, sender, receivedAt: new Date(this.clock()).toISOString(), fields, ...(purpose !== undefined && { purpose }) }
          })
          if (created) this.options.onReceived?.(sender, id)
          return { receipt: receipt.bytes }
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err
          this.options.onRefused?.(sender, `record ${id} refused: ${err.message}`)
          return { refused: `${err.code}: ${err.message}` }
        }
      })
    }))
  }
}

/** The fields a copy discloses, as a receipt lists them: [""] for all, else each leaf's pointer in order. */
export function fieldsOf (record: SignedRecord): string[] {
  if (isComplete(record)) return ['']
  return record.disclosures.map(d => pathText(d.path)).sort()
}

/** What a receipt acknowledges, as one key: sender, purpose and fields. */
function acknowledged (sender: unknown, purpose: unknown, fields: unknown): string {
  const text = JSON.stringify([sender, purpose ?? null, fields])
  return base64urlEncode(sha256(new TextEncoder().encode(text)))
}
