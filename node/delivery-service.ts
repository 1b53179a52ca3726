/**
 * Store-and-forward delivery. A record shared with recipients is queued in the
 * outbox in the same batch that stores it; a loop hands each recipient its
 * queue over /keruen/deliver/2.0.0 whenever it is reachable and admitted, and
 * keeps the receiver's signed receipt. Failures back off per recipient; a
 * recipient that comes back is served at once. The outbox is the cursor of
 * what each peer is still owed, so a reconnect sends exactly that.
 */
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { MAX_RECEIPT_RECORDS } from '../record/types/delivery-receipt.js'
import { RecordTypes } from '../record/types/names.js'
import {
  base64urlEncode, coversAny, dataOf, fieldPatterns, isComplete, isParticipantId, parseRecord, parseVerified, pathText, RecordError, sha256,
  verifyRecord, withDisclosures, type CborValue, type FieldPattern, type LeafPath, type SignedRecord
} from '../record/index.js'
import type { DeliveryStore, OutboxEntry, RecordStore, Share, WriteOp } from '../storage/index.js'
import type { Database } from '../storage/index.js'
import { MAX_REQUESTS_PER_PEER, sendDeliveries, serveDeliveries, type Delivery, type DeliveryResult } from '../protocols/deliver.js'
import type { Handshake } from '../protocols/handshake.js'
import { backOffMs } from './back-off.js'
import { acknowledgementBytes, readWithin, splitRequests } from './delivery-requests.js'
import { RefusedEntries } from './refused-entries.js'
import { ServiceError } from './errors.js'
import { KeyedLock } from './keyed-lock.js'
import type { P2PHost } from './p2p.js'
import type { PolicyService } from './policy-service.js'
import type { CreateRecordInput, ImportOutcome, RecordService } from './record-service.js'

export const RECEIPT = RecordTypes.deliveryReceipt
/** Delivery requests one recipient may have outstanding at once: half what a receiver serves per peer. */
const BATCHES_IN_FLIGHT = MAX_REQUESTS_PER_PEER / 2
export const MAX_SHARE = 100
/** Records whose write stored() is awaited, at most: a bound, should writes fail. */
const MAX_AWAITED = 10_000

export interface DeliveryOptions {
  /** Records per batch, at most. */
  readonly batchSize?: number
  /** First retry delay; doubles per failure up to maxRetryMs. */
  readonly retryMs?: number
  readonly maxRetryMs?: number
  readonly timeoutMs?: number
  readonly clock?: () => number
  readonly onDelivered?: (recipient: string, recordId: string, receiptId: string) => void
  readonly onReceived?: (sender: string, recordId: string) => void
  readonly onRefused?: (peer: string, reason: string) => void
  /** Checks received records (a worker pool): per record, why it is refused (see receivedRefusal), or null. */
  readonly refusals?: (records: readonly Uint8Array[]) => Promise<Array<string | null>>
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
  private readonly refused: RefusedEntries
  /** Recipients owed nothing but entries backing off: the periodic tick leaves each alone until then. */
  private readonly idleUntil = new Map<string, number>()
  private readonly flushing = new Map<string, Promise<void>>()
  /** Recipients whose running flush was asked for again meanwhile. */
  private readonly again = new Set<string>()
  private readonly locks = new KeyedLock()
  /** Recipients of the records queued by enqueueOps whose batch is not yet known to be written. */
  private readonly queued = new Map<string, string[]>()
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
    this.batchSize = options.batchSize ?? 256
    this.retryMs = options.retryMs ?? 500
    this.maxRetryMs = options.maxRetryMs ?? 60_000
    this.timeoutMs = options.timeoutMs ?? 20_000
    this.clock = options.clock ?? Date.now
    this.refused = new RefusedEntries(this.retryMs, this.maxRetryMs, this.clock)
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
    const shares = this.sharesOf(record, input)
    // An entry whose batch failed is never claimed by stored(); the periodic
    // tick delivers whatever is queued anyway, so forgetting them all is safe.
    if (this.queued.size >= MAX_AWAITED) this.queued.clear()
    if (shares.length > 0) this.queued.set(record.id, [...new Set(shares.map(s => s.recipient))])
    return shares.flatMap(share => this.deliveries.enqueueOps(share, now))
  }

  /** Access policies decide what goes beyond explicit shares; set once the policy service exists. */
  policy: PolicyService | undefined

  /** Index entries for a receipt, one per copy it acknowledges, whichever node stores it. */
  receiptIndexOps (record: SignedRecord): WriteOp[] {
    if (record.envelope.type !== RECEIPT) return []
    const receipt = receiptData(record)
    if (receipt === undefined) return []
    return receipt.records.flatMap(entry =>
      this.deliveries.receiptOps(entry.record, record.envelope.issuer, record.id, acknowledged(receipt.sender, entry.purpose, entry.fields)))
  }

  async start (host: P2PHost, handshake: Handshake): Promise<void> {
    this.host = host
    this.handshake = handshake
    await serveDeliveries(host, {
      admitted: async peer => await handshake.admission(peer),
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

  /**
   * A peer was admitted: whatever it is owed goes now, back-off or not, and
   * failures from while it was away no longer lengthen the next back-off.
   */
  peerAdmitted (peer: string): void {
    const state = this.states.get(peer)
    if (state !== undefined) {
      state.notBefore = 0
      state.attempts = 0
    }
    this.refused.forget(peer)
    this.idleUntil.delete(peer)
    void this.flush(peer)
  }

  /**
   * A record is on disk: if it was queued for someone, deliver to them now
   * rather than at the next tick, unless they are backing off. Records shared
   * with nobody cost nothing here.
   */
  stored (record: SignedRecord): void {
    const recipients = this.queued.get(record.id)
    if (recipients === undefined) return
    this.queued.delete(record.id)
    const now = this.clock()
    for (const recipient of recipients) {
      this.idleUntil.delete(recipient)
      if ((this.states.get(recipient)?.notBefore ?? 0) <= now) void this.flush(recipient)
    }
  }

  /** Pending deliveries, each with how its last attempt went: its own refusal, if the recipient refused it, else the recipient's state. */
  async outbox (limit: number): Promise<OutboxView[]> {
    return (await this.deliveries.all(limit)).map(({ key, entry }) => {
      const state = this.refused.get(entry.recipient, key) ?? this.states.get(entry.recipient)
      return {
        ...entry,
        attempts: state?.attempts ?? 0,
        ...(state?.lastError !== undefined && { lastError: state.lastError }),
        ...(state?.lastAttemptAt !== undefined && { lastAttemptAt: state.lastAttemptAt }),
        ...(state !== undefined && state.notBefore > 0 && { nextAttemptAt: new Date(state.notBefore).toISOString() })
      }
    })
  }

  /** Every receipt of one record: who signed it, the receipt, and what it says of this record. */
  async receipts (recordId: string): Promise<ReceiptOfRecord[]> {
    const out: ReceiptOfRecord[] = []
    for (const { receiver, receiptId } of await this.deliveries.receiptsOf(recordId)) {
      const bytes = await this.store.get(receiptId)
      if (bytes === undefined) continue
      const receipt = parseRecord(bytes)
      const data = receiptData(receipt)
      // A receipt lists a record once per copy acknowledged (whole, or other fields).
      for (const entry of data?.records ?? []) {
        if (entry.record === recordId) out.push({ receiver, receipt, receivedAt: (data as ReceiptData).receivedAt, ...entry })
      }
    }
    return out
  }

  private async flushAll (): Promise<void> {
    const now = this.clock()
    const due = (await this.deliveries.recipients()).filter(r => (this.states.get(r)?.notBefore ?? 0) <= now && (this.idleUntil.get(r) ?? 0) <= now)
    await Promise.all(due.map(async r => { await this.flush(r) }))
  }

  /**
   * One flush per recipient at a time. A caller that finds one running waits
   * for it, and has it drain once more: what it brings may have been queued
   * after the running drain last looked.
   */
  private async flush (recipient: string): Promise<void> {
    const running = this.flushing.get(recipient)
    if (running !== undefined) {
      this.again.add(recipient)
      return await running
    }
    const run = (async () => {
      do {
        this.again.delete(recipient)
        await this.drain(recipient)
      } while (this.again.has(recipient) && !this.stopped && (this.states.get(recipient)?.notBefore ?? 0) <= this.clock())
    })().finally(() => {
      this.again.delete(recipient)
      this.flushing.delete(recipient)
    })
    this.flushing.set(recipient, run)
    await run
  }

  /**
   * Sends a recipient everything it is owed, several batches in flight so that
   * the receiver's work, the network and our own writes overlap. Stops at the
   * first failure, and the recipient's back-off decides when to try again; a
   * record the recipient refuses backs off alone, and the rest goes on.
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
    let sent = 0
    const inFlight = new Set<Promise<void>>()
    while (!trouble && !this.stopped) {
      const page = await this.deliveries.pendingFor(recipient, this.batchSize, after)
      if (page.length === 0) break
      const now = this.clock()
      const listed = page.filter(p => !this.refused.waiting(recipient, p.key, now))
      const stored = listed.length === 0 ? [] : await readWithin(listed.map(p => p.entry.recordId), async ids => await this.store.getMany(ids))
      const pending = listed.slice(0, stored.length)
      // Past the whole page, unless the batch could take only part of it.
      after = (pending.length === listed.length ? page[page.length - 1] : pending[pending.length - 1])?.key
      if (pending.length === 0) continue
      sent += pending.length
      const batch = this.sendBatch(recipient, connection, pending, stored)
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
    if (trouble) return
    this.states.delete(recipient)
    // Only entries backing off were left: the tick need not look again before the first may go.
    const next = sent === 0 ? this.refused.nextDue(recipient) : undefined
    if (next !== undefined) this.idleUntil.set(recipient, next)
  }

  /** One batch, its records read: send, keep the receipts, dequeue. False if a receipt is wrong. */
  private async sendBatch (recipient: string, connection: Connection, pending: Array<{ key: string, entry: OutboxEntry }>, stored: Array<Uint8Array | undefined>): Promise<boolean> {
    const sendable: Sent[] = []
    // Entries whose record vanished, or whose grants were all revoked, do not go; drop them.
    const dropped: string[] = []
    pending.forEach(({ key, entry }, i) => {
      const bytes = stored[i]
      const copy = bytes === undefined ? undefined : this.outgoing(entry, bytes)
      if (copy === undefined) dropped.push(key)
      else sendable.push({ key, entry, fields: copy.fields, delivery: { record: copy.bytes, ...(entry.purpose !== undefined && { purpose: entry.purpose }) } })
    })
    if (dropped.length > 0) {
      await this.db.commit(this.deliveries.dequeueOps(dropped))
      for (const key of dropped) this.refused.settled(recipient, key)
    }
    // Usually one request; several when the records are large.
    for (const request of splitRequests(sendable)) {
      const results = await sendDeliveries(connection, request.map(s => s.delivery), this.timeoutMs)
      if (!(await this.settle(recipient, request, results))) return false
    }
    return true
  }

  /**
   * The copy a share sends: the whole record, or only the leaves its field
   * patterns cover and its grants still allow. Undefined when every grant it
   * was queued under has been revoked or has expired since.
   */
  private outgoing (entry: OutboxEntry, bytes: Uint8Array): { bytes: Uint8Array, fields: readonly string[] } | undefined {
    if (entry.fields === undefined && entry.grants === undefined) return { bytes, fields: WHOLE }
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
    return copy.disclosures.length === record.disclosures.length ? { bytes, fields: fieldsOf(record) } : { bytes: copy.bytes, fields: fieldsOf(copy) }
  }

  /**
   * Keeps every valid receipt and dequeues the records it lists, all in one
   * batch; a record refused backs off alone. False if a receipt is wrong: the
   * recipient then backs off.
   */
  private async settle (recipient: string, sent: Sent[], results: DeliveryResult[]): Promise<boolean> {
    const ops: WriteOp[] = []
    const delivered: Array<[string, string, string]> = []
    // Each receipt is checked once, however many records it lists.
    const checked = new Map<Uint8Array, CheckedReceipt | string>()
    let refusal: string | undefined
    results.forEach((result, i) => {
      const { key, entry, fields, delivery } = sent[i] as Sent
      if ('refused' in result) {
        this.refused.refused(recipient, key, `refused ${entry.recordId}: ${result.refused}`)
        return
      }
      let receipt = checked.get(result.receipt)
      if (receipt === undefined) {
        receipt = this.checkReceipt(result.receipt, recipient)
        checked.set(result.receipt, receipt)
        if (typeof receipt !== 'string') ops.push(...this.store.putOps(receipt.record), ...this.receiptIndexOps(receipt.record))
      }
      const problem = typeof receipt === 'string' ? receipt : acknowledges(receipt, entry.recordId, fields, delivery.purpose)
      if (problem !== undefined) {
        refusal ??= `${entry.recordId}: ${problem}`
        return
      }
      ops.push(...this.deliveries.dequeueOps([key]))
      delivered.push([key, entry.recordId, (receipt as CheckedReceipt).record.id])
    })
    await this.db.commit(ops)
    for (const [key, recordId, receiptId] of delivered) {
      this.refused.settled(recipient, key)
      this.options.onDelivered?.(recipient, recordId, receiptId)
    }
    if (refusal === undefined) return true
    this.failed(recipient, `bad receipt for ${refusal}`)
    return false
  }

  /** A receipt counts only if the recipient signed it, for records from us. */
  private checkReceipt (bytes: Uint8Array, recipient: string): CheckedReceipt | string {
    try {
      const record = parseRecord(bytes)
      verifyRecord(record)
      if (record.envelope.type !== RECEIPT || record.envelope.issuer !== recipient) return 'receipt not signed by the recipient'
      const data = receiptData(record)
      if (data === undefined) return 'receipt is not a complete delivery.receipt'
      if (data.sender !== this.records.participant) return 'receipt for another sender'
      const byRecord = new Map<string, ReceiptEntry[]>()
      for (const entry of data.records) {
        const same = byRecord.get(entry.record)
        if (same === undefined) byRecord.set(entry.record, [entry])
        else same.push(entry)
      }
      return { record, data, byRecord }
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
    state.notBefore = this.clock() + backOffMs(state.attempts, this.retryMs, this.maxRetryMs)
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
   * Receives a batch: verifies each record, stores them all in one batch, and
   * answers with one signed receipt listing every copy newly received; a copy
   * received before gets the receipt it got then.
   */
  async accept (sender: string, batch: Delivery[]): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = new Array(batch.length)
    const verified: Array<{ index: number, record: SignedRecord, purpose?: string }> = []
    const records = batch.map(d => d.record)
    const refusals = this.options.refusals !== undefined ? await this.options.refusals(records) : records.map(bytes => this.records.receivedRefusal(bytes))
    batch.forEach(({ record: bytes, purpose }, index) => {
      const reason = refusals[index] ?? null
      if (reason === null) {
        // Checked whole just now: read again without decoding every field.
        verified.push({ index, record: parseVerified(bytes), ...(purpose !== undefined && { purpose }) })
        return
      }
      this.options.onRefused?.(sender, `record refused: ${reason}`)
      results[index] = { refused: reason }
    })
    if (verified.length === 0) return results
    const me = this.records.participant
    const received: string[] = []
    await this.locks.run(verified.map(v => `receipt:${v.record.id}`), async () => {
      const outcomes = await this.records.importVerifiedMany(verified.map(v => v.record), true)
      // Copies to acknowledge in a new receipt, once each: the key says what is acknowledged.
      const fresh = new Map<string, { entry: ReceiptEntry, indexes: number[] }>()
      for (const [k, { index, record, purpose }] of verified.entries()) {
        const outcome = outcomes[k] as ImportOutcome
        if ('refused' in outcome) {
          this.options.onRefused?.(sender, `record ${record.id} refused: ${outcome.refused.message}`)
          results[index] = { refused: `${outcome.refused.code}: ${outcome.refused.message}` }
          continue
        }
        if (outcome.created) received.push(record.id)
        const fields = fieldsOf(record)
        const acknowledges = acknowledged(sender, purpose, fields)
        const key = `${record.id}\u0000${acknowledges}`
        const same = fresh.get(key)
        if (same !== undefined) {
          same.indexes.push(index)
          continue
        }
        // The same copy again (a replay, or a retry after a lost answer) gets the same receipt.
        if (!outcome.created) {
          const existing = await this.deliveries.receiptFor(record.id, me, acknowledges)
          const bytes = existing !== undefined ? await this.store.get(existing) : undefined
          if (bytes !== undefined) {
            results[index] = { receipt: bytes }
            continue
          }
        }
        fresh.set(key, { entry: { record: record.id, fields, ...(purpose !== undefined && { purpose }) }, indexes: [index] })
      }
      for (const group of receiptGroups([...fresh.values()])) {
        let receipt: SignedRecord
        try {
          ({ record: receipt } = await this.records.create({
            type: RECEIPT,
            data: { sender, receivedAt: new Date(this.clock()).toISOString(), records: group.map(g => entryData(g.entry)) }
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
    for (const id of received) this.options.onReceived?.(sender, id)
    return results
  }
}

/** What a receipt says of one copy it acknowledges. */
export interface ReceiptEntry {
  readonly record: string
  readonly fields: readonly string[]
  readonly purpose?: string
}

export interface ReceiptData {
  readonly sender: string
  readonly receivedAt: string
  readonly records: readonly ReceiptEntry[]
}

/** One receipt of one record, as `receipts()` lists them. */
export interface ReceiptOfRecord extends ReceiptEntry {
  readonly receiver: string
  readonly receivedAt: string
  readonly receipt: SignedRecord
}

interface CheckedReceipt {
  readonly record: SignedRecord
  readonly data: ReceiptData
  /** The data's entries by record id: a receipt is looked up once per record it lists. */
  readonly byRecord: ReadonlyMap<string, readonly ReceiptEntry[]>
}

/** A share on its way: its outbox key and entry, the copy sent and the fields that copy discloses. */
interface Sent { readonly key: string, readonly entry: OutboxEntry, readonly fields: readonly string[], readonly delivery: Delivery }

const WHOLE: readonly string[] = ['']

/** The data of a complete, well-formed receipt; undefined otherwise (schema checks came first where it was stored). */
export function receiptData (receipt: SignedRecord): ReceiptData | undefined {
  if (receipt.envelope.type !== RECEIPT || !isComplete(receipt)) return undefined
  try {
    const data = dataOf(receipt)
    if (typeof data.sender !== 'string' || typeof data.receivedAt !== 'string' || !Array.isArray(data.records)) return undefined
    const records: ReceiptEntry[] = []
    for (const item of data.records) {
      const e = item as Record<string, unknown>
      if (typeof e !== 'object' || e === null || typeof e.record !== 'string') return undefined
      if (e.fields !== undefined && (!Array.isArray(e.fields) || !e.fields.every(f => typeof f === 'string'))) return undefined
      if (e.purpose !== undefined && typeof e.purpose !== 'string') return undefined
      records.push({ record: e.record, fields: (e.fields as string[] | undefined) ?? WHOLE, ...(typeof e.purpose === 'string' && { purpose: e.purpose }) })
    }
    return { sender: data.sender, receivedAt: data.receivedAt, records }
  } catch {
    return undefined
  }
}

/** Why a checked receipt does not acknowledge this copy, or undefined if it does. */
function acknowledges (receipt: CheckedReceipt, recordId: string, fields: readonly string[], purpose: string | undefined): string | undefined {
  const wanted = JSON.stringify(fields)
  const entries = receipt.byRecord.get(recordId)
  if (entries === undefined) return 'receipt does not list the record'
  if (!entries.some(e => e.purpose === purpose)) return 'receipt names another purpose'
  if (!entries.some(e => e.purpose === purpose && JSON.stringify(e.fields) === wanted)) return 'receipt acknowledges other fields than were sent'
  return undefined
}

/** An entry as a receipt's data holds it: a whole copy without its fields, one leaf fewer per record. */
function entryData (entry: ReceiptEntry): Record<string, CborValue> {
  const whole = entry.fields.length === 1 && entry.fields[0] === ''
  return { record: entry.record, ...(!whole && { fields: [...entry.fields] }), ...(entry.purpose !== undefined && { purpose: entry.purpose }) }
}

/** Bytes one receipt may take, about, well under a record's limit, so that copies with long field lists split over several. */
const RECEIPT_BYTES = 6 * 1024 * 1024

function receiptGroups<T extends { entry: ReceiptEntry }> (items: readonly T[]): T[][] {
  const groups: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const item of items) {
    const size = acknowledgementBytes(item.entry.fields, item.entry.purpose)
    if (current.length > 0 && (bytes + size > RECEIPT_BYTES || current.length >= MAX_RECEIPT_RECORDS)) {
      groups.push(current)
      current = []
      bytes = 0
    }
    current.push(item)
    bytes += size
  }
  if (current.length > 0) groups.push(current)
  return groups
}

/** The fields a copy discloses, as a receipt lists them: [""] for all, else each leaf's pointer in order. */
export function fieldsOf (record: SignedRecord): string[] {
  if (isComplete(record)) return ['']
  return record.disclosures.map(d => pathText(d.path)).sort()
}

/** Keys of what receipts acknowledge, by their text: nearly every copy one sender sends has the same. */
const acknowledgedKeys = new Map<string, string>()

/** What a receipt acknowledges, as one key: sender, purpose and fields. */
function acknowledged (sender: unknown, purpose: unknown, fields: unknown): string {
  const text = JSON.stringify([sender, purpose ?? null, fields])
  let key = acknowledgedKeys.get(text)
  if (key === undefined) {
    key = base64urlEncode(sha256(new TextEncoder().encode(text)))
    if (acknowledgedKeys.size >= 1024) acknowledgedKeys.clear()
    acknowledgedKeys.set(text, key)
  }
  return key
}
