/**
 * The sending side of delivery. A record shared with recipients is queued in
 * the outbox in the same batch that stores it; a retry loop hands each
 * recipient its queue over /keruen/deliver/2.0.0 whenever it is reachable and
 * admitted, and keeps the receiver's signed receipt. Failures back off per
 * recipient; a recipient that comes back is served at once. The outbox is the
 * cursor of what each peer is still owed, so a reconnect sends exactly that.
 */
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { SignedRecord } from '../../record/index.js'
import type { Database, DeliveryStore, OutboxEntry, RecordStore, WriteOp } from '../../storage/index.js'
import { MAX_REQUESTS_PER_PEER, SlowDownError, sendDeliveries, type Delivery, type DeliveryResult } from '../../protocols/deliver.js'
import type { Handshake } from '../../protocols/handshake.js'
import type { NodeEvents } from '../events.js'
import type { P2PHost } from '../network/p2p.js'
import { openConnection } from '../network/open-connection.js'
import type { Disclosure } from '../policy/disclosure.js'
import type { CreateRecordInput } from '../records/record-service.js'
import type { Logger } from '../runtime/log.js'
import { RetryLoop } from '../runtime/retry-loop.js'
import { readWithin, splitRequests } from './delivery-requests.js'
import { acknowledges, checkReceipt, fieldsOf, WHOLE, type CheckedReceipt, type ReceiptBook } from './receipts.js'
import { RefusedEntries } from './refused-entries.js'
import { sharesOf, type ShareDecider } from './shares.js'

/** Delivery requests one recipient may have outstanding at once: half what a receiver serves per peer. */
const BATCHES_IN_FLIGHT = MAX_REQUESTS_PER_PEER / 2
/** Records whose write stored() is awaited, at most: a bound, should writes fail. */
const MAX_AWAITED = 10_000

/** What delivery needs of the libp2p host and the handshake. */
export interface DeliveryNetwork {
  readonly host: Pick<P2PHost, 'getConnections' | 'dial' | 'handle' | 'unhandle'>
  readonly handshake: Pick<Handshake, 'isAdmitted' | 'admission'>
}

export interface OutboxOptions {
  /** Records per batch, at most. */
  readonly batchSize: number
  /** First retry delay; doubles per failure up to maxRetryMs. */
  readonly retryMs: number
  readonly maxRetryMs: number
  readonly timeoutMs: number
}

export interface OutboxComponents {
  readonly db: Database
  readonly recordStore: RecordStore
  readonly deliveryStore: DeliveryStore
  readonly records: { readonly participant: string }
  /** Who receives what of a new record, and what a queued copy may still carry. */
  readonly disclosure: ShareDecider & Pick<Disclosure, 'outgoing'>
  readonly receipts: ReceiptBook
  readonly events: NodeEvents
  readonly clock: () => number
  readonly logger?: Logger
  /** Read at start: a node off the network queues, and sends once it is on it. */
  readonly network?: DeliveryNetwork
}

export interface OutboxView extends OutboxEntry {
  readonly attempts: number
  readonly lastError?: string
  readonly lastAttemptAt?: string
  readonly nextAttemptAt?: string
}

/** A share on its way: its outbox key and entry, the copy sent and the fields that copy discloses. */
interface Sent { readonly key: string, readonly entry: OutboxEntry, readonly fields: readonly string[], readonly delivery: Delivery }

/** One copy as a receipt lists it: record, fields and purpose. */
function acknowledgedCopy (recordId: string, fields: readonly string[], purpose: string | undefined): string {
  return JSON.stringify([recordId, fields, purpose ?? null])
}

export class Outbox {
  private readonly refused: RefusedEntries
  private readonly loop: RetryLoop
  /** Recipients of the records queued by enqueueOps whose batch is not yet known to be written. */
  private readonly queued = new Map<string, string[]>()
  private network: DeliveryNetwork | undefined

  constructor (private readonly components: OutboxComponents, private readonly options: OutboxOptions) {
    this.loop = new RetryLoop({
      keys: async () => await components.deliveryStore.recipients(),
      drain: async recipient => { await this.drain(recipient) },
      retryMs: options.retryMs,
      maxRetryMs: options.maxRetryMs,
      clock: components.clock,
      what: 'delivery',
      ...(components.logger !== undefined && { logger: components.logger })
    })
    this.refused = new RefusedEntries(options.retryMs, options.maxRetryMs, components.clock)
  }

  start (): void {
    this.network = this.components.network
    if (this.network !== undefined) this.loop.start()
  }

  /** Stops the loop and waits for deliveries under way. */
  async stop (): Promise<void> {
    await this.loop.stop()
    this.network = undefined
  }

  /** Outbox entries for a new record, to be written in the record's batch. */
  enqueueOps (record: SignedRecord, input: CreateRecordInput | undefined): WriteOp[] {
    if (input === undefined) return []
    const now = new Date(this.components.clock()).toISOString()
    const shares = sharesOf(this.components.disclosure, record, input, this.components.records.participant)
    // An entry whose batch failed is never claimed by stored(); the periodic
    // tick delivers whatever is queued anyway, so forgetting them all is safe.
    if (this.queued.size >= MAX_AWAITED) this.queued.clear()
    if (shares.length > 0) this.queued.set(record.id, [...new Set(shares.map(s => s.recipient))])
    return shares.flatMap(share => this.components.deliveryStore.enqueueOps(share, now))
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
    for (const recipient of recipients) this.loop.poke(recipient)
  }

  /**
   * A peer was admitted: whatever it is owed goes now, back-off or not, and
   * failures from while it was away no longer lengthen the next back-off.
   */
  peerAdmitted (peer: string): void {
    this.loop.reset(peer)
    this.refused.forget(peer)
    void this.loop.flush(peer)
  }

  /** Pending deliveries, each with how its last attempt went: its own refusal, if the recipient refused it, else the recipient's state. */
  async view (limit: number): Promise<OutboxView[]> {
    return (await this.components.deliveryStore.all(limit)).map(({ key, entry }) => {
      const state = this.refused.get(entry.recipient, key) ?? this.loop.state(entry.recipient)
      return {
        ...entry,
        attempts: state?.attempts ?? 0,
        ...(state?.lastError !== undefined && { lastError: state.lastError }),
        ...(state?.lastAttemptAt !== undefined && { lastAttemptAt: state.lastAttemptAt }),
        ...(state !== undefined && state.notBefore > 0 && { nextAttemptAt: new Date(state.notBefore).toISOString() })
      }
    })
  }

  /**
   * Sends a recipient everything it is owed, several batches in flight so that
   * the receiver's work, the network and our own writes overlap. Stops at the
   * first failure, and the recipient's back-off decides when to try again; a
   * record the recipient refuses backs off alone, and the rest goes on.
   */
  private async drain (recipient: string): Promise<void> {
    const { deliveryStore, recordStore, clock } = this.components
    if (this.network === undefined || this.loop.isStopped) return
    let connection: Connection
    try {
      connection = await this.connectionTo(this.network, recipient)
    } catch (err) {
      if ((await deliveryStore.pendingFor(recipient, 1)).length === 0) this.loop.succeeded(recipient)
      else this.loop.failed(recipient, (err as Error).message)
      return
    }
    let after: string | undefined
    let trouble = false
    let sent = 0
    const inFlight = new Set<Promise<void>>()
    while (!trouble && !this.loop.isStopped) {
      const page = await deliveryStore.pendingFor(recipient, this.options.batchSize, after)
      if (page.length === 0) break
      const now = clock()
      const listed = page.filter(p => !this.refused.waiting(recipient, p.key, now))
      const stored = listed.length === 0 ? [] : await readWithin(listed.map(p => p.entry.recordId), async ids => await recordStore.getMany(ids))
      const pending = listed.slice(0, stored.length)
      // Past the whole page, unless the batch could take only part of it.
      after = (pending.length === listed.length ? page[page.length - 1] : pending[pending.length - 1])?.key
      if (pending.length === 0) continue
      sent += pending.length
      const batch = this.sendBatch(recipient, connection, pending, stored)
        .then(ok => { if (!ok) trouble = true })
        .catch((err: Error) => {
          trouble = true
          this.loop.failed(recipient, err.message)
          // The receiver said how long to wait: no sooner than that.
          if (err instanceof SlowDownError) this.loop.rest(recipient, this.components.clock() + err.retryAfterMs)
        })
        .finally(() => inFlight.delete(batch))
      inFlight.add(batch)
      if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    if (trouble) return
    this.loop.succeeded(recipient)
    if (sent > 0) this.components.logger?.debug({ to: recipient, records: sent }, 'delivered')
    // Only entries backing off were left: the tick need not look again before the first may go.
    const next = sent === 0 ? this.refused.nextDue(recipient) : undefined
    if (next !== undefined) this.loop.rest(recipient, next)
  }

  /** One batch, its records read: send, keep the receipts, dequeue. False if a receipt is wrong. */
  private async sendBatch (recipient: string, connection: Connection, pending: Array<{ key: string, entry: OutboxEntry }>, stored: Array<Uint8Array | undefined>): Promise<boolean> {
    const sendable: Sent[] = []
    // Entries whose record vanished, or whose grants were all revoked, do not go; drop them.
    const dropped: string[] = []
    pending.forEach(({ key, entry }, i) => {
      const bytes = stored[i]
      const copy = bytes === undefined ? undefined : this.components.disclosure.outgoing(entry, bytes)
      if (copy === undefined) dropped.push(key)
      else sendable.push({ key, entry, fields: copy.record === undefined ? WHOLE : fieldsOf(copy.record), delivery: { record: copy.bytes, ...(entry.purpose !== undefined && { purpose: entry.purpose }) } })
    })
    if (dropped.length > 0) {
      await this.components.db.commit(this.components.deliveryStore.dequeueOps(dropped))
      for (const key of dropped) this.refused.settled(recipient, key)
    }
    // Usually one request; several when the records are large.
    for (const request of splitRequests(sendable)) {
      const results = await sendDeliveries(connection, request.map(s => s.delivery), this.options.timeoutMs)
      if (!(await this.settle(recipient, request, results))) return false
    }
    return true
  }

  /**
   * Keeps every valid receipt and dequeues the records it lists, all in one
   * batch; a record refused backs off alone. False if a receipt is wrong: the
   * recipient then backs off.
   */
  private async settle (recipient: string, sent: Sent[], results: DeliveryResult[]): Promise<boolean> {
    const { recordStore, deliveryStore, receipts, records } = this.components
    const ops: WriteOp[] = []
    const delivered: Array<[string, string, string]> = []
    // Each receipt is checked once, however many records it lists.
    const checked = new Map<Uint8Array, CheckedReceipt | string>()
    for (const result of results) {
      if ('refused' in result || checked.has(result.receipt)) continue
      const receipt = checkReceipt(result.receipt, recipient, records.participant)
      // A receipt counts only for what this node sent that recipient: one that lists anything else is refused whole.
      checked.set(result.receipt, typeof receipt === 'string' ? receipt : (await this.strayIn(receipt, recipient, sent)) ?? receipt)
    }
    for (const receipt of checked.values()) {
      if (typeof receipt !== 'string') ops.push(...recordStore.putOps(receipt.record), ...receipts.indexOps(receipt.record))
    }
    let refusal: string | undefined
    results.forEach((result, i) => {
      const { key, entry, fields, delivery } = sent[i] as Sent
      if ('refused' in result) {
        this.refused.refused(recipient, key, `refused ${entry.recordId}: ${result.refused}`)
        return
      }
      const receipt = checked.get(result.receipt) as CheckedReceipt | string
      const problem = typeof receipt === 'string' ? receipt : acknowledges(receipt, entry.recordId, fields, delivery.purpose)
      if (problem !== undefined) {
        refusal ??= `${entry.recordId}: ${problem}`
        return
      }
      ops.push(...deliveryStore.dequeueOps([key]))
      delivered.push([key, entry.recordId, (receipt as CheckedReceipt).record.id])
    })
    await this.components.db.commit(ops)
    for (const [key, recordId, receiptId] of delivered) {
      this.refused.settled(recipient, key)
      this.components.events.emit('record:delivered', recipient, recordId, receiptId)
    }
    if (refusal === undefined) return true
    this.loop.failed(recipient, `bad receipt for ${refusal}`)
    return false
  }

  /**
   * Why a receipt lists a copy this node did not send the recipient, or
   * undefined. A receipt given again (a copy sent again gets the receipt it
   * got then) lists that earlier batch: one this node took before was checked
   * then; one whose answer was lost lists copies still owed, which a retry may
   * have split differently. Only then are the store and the outbox read.
   */
  private async strayIn (receipt: CheckedReceipt, recipient: string, sent: readonly Sent[]): Promise<string | undefined> {
    const inRequest = new Set(sent.map(s => acknowledgedCopy(s.entry.recordId, s.fields, s.delivery.purpose)))
    const strays = receipt.data.records.filter(e => !inRequest.has(acknowledgedCopy(e.record, e.fields, e.purpose)))
    if (strays.length === 0 || await this.components.recordStore.has(receipt.record.id)) return undefined
    const owed = new Set<string>()
    let after: string | undefined
    for (;;) {
      const page = await this.components.deliveryStore.pendingFor(recipient, 1000, after)
      for (const { entry } of page) owed.add(entry.recordId)
      if (page.length < 1000) break
      after = page[page.length - 1]?.key
    }
    const stray = strays.find(e => !owed.has(e.record))
    return stray === undefined ? undefined : `receipt lists ${stray.record}, which this node did not send it`
  }

  private async connectionTo (network: DeliveryNetwork, recipient: string): Promise<Connection> {
    const connection = await openConnection(network.host, peerIdFromString(recipient), this.options.timeoutMs)
    if (!network.handshake.isAdmitted(recipient)) throw new Error('recipient not admitted (yet)')
    return connection
  }
}
