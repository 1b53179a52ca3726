/**
 * Store-and-forward delivery, as one component: the outbox sends what this
 * node shares, the inbox receives what others send it, and the receipt book
 * keeps the signed receipts of both. It registers the outbox and the receipt
 * index in every new record's batch, follows admitted peers and stored
 * records, and undoes all of it at stop.
 */
import type { Database, DeliveryStore, RecordStore } from '../../storage/index.js'
import type { SignedRecord } from '../../record/index.js'
import type { Delivery, DeliveryResult } from '../../protocols/deliver.js'
import { listen, type NodeEvents } from '../events.js'
import type { Logger } from '../runtime/log.js'
import type { Disclosure } from '../policy/disclosure.js'
import type { RecordIndexes } from '../records/record-indexes.js'
import type { RecordService } from '../records/record-service.js'
import type { TrustService } from '../trust/trust-service.js'
import type { NodeConfig } from '../setup/config.js'
import { Inbox } from './inbox.js'
import { Outbox, type DeliveryNetwork, type OutboxView } from './outbox.js'
import { ReceiptBook, type ReceiptOfRecord } from './receipts.js'

export type { OutboxView } from './outbox.js'
export type { ReceiptOfRecord } from './receipts.js'

export interface DeliveryOptions {
  /** Records per batch, at most (default 256). */
  readonly batchSize?: number
  /** First retry delay (default 500 ms); doubles per failure up to maxRetryMs (default 60 s). */
  readonly retryMs?: number
  readonly maxRetryMs?: number
  /** How long a dial or a request may take (default 20 s). */
  readonly timeoutMs?: number
}

export interface DeliveryComponents {
  readonly db: Database
  readonly recordStore: RecordStore
  readonly deliveryStore: DeliveryStore
  readonly records: Pick<RecordService, 'participant' | 'importVerifiedMany' | 'create' | 'receivedRefusal' | 'getBytes'>
  readonly disclosure: Pick<Disclosure, 'decide' | 'outgoing'>
  readonly trust: Pick<TrustService, 'fromTrustedAuthorities' | 'status'>
  readonly indexes: RecordIndexes
  readonly events: NodeEvents
  readonly clock: () => number
  readonly logger?: Logger
  readonly verifying?: { refusals: (records: readonly Uint8Array[]) => Promise<Array<string | null>> }
  /** Absent on a node off the network: it queues, and receives nothing. */
  readonly network?: DeliveryNetwork
  /** What one sender may ask of this node's inbox. */
  readonly config?: Pick<NodeConfig, 'deliveryLimits'>
}

export function deliveryService (options: DeliveryOptions = {}) {
  return (components: DeliveryComponents): DeliveryService => new DeliveryService(components, options)
}

export class DeliveryService {
  private readonly receiptBook: ReceiptBook
  private readonly sender: Outbox
  private readonly receiver: Inbox
  private unlisten: (() => void) | undefined

  constructor (private readonly components: DeliveryComponents, options: DeliveryOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 20_000
    this.receiptBook = new ReceiptBook(components.deliveryStore, components.recordStore, components.records.participant)
    // The network is read at start, when the node has built it.
    const parts = { ...components, receipts: this.receiptBook, get network () { return components.network } }
    this.sender = new Outbox(parts, {
      batchSize: options.batchSize ?? 256,
      retryMs: options.retryMs ?? 500,
      maxRetryMs: options.maxRetryMs ?? 60_000,
      timeoutMs
    })
    this.receiver = new Inbox(parts, timeoutMs)
  }

  async start (): Promise<void> {
    const { indexes, events } = this.components
    indexes.add('delivery.outbox', (record, input) => this.sender.enqueueOps(record, input))
    indexes.add('delivery.receipts', record => this.receiptBook.storedOps(record))
    this.unlisten = listen(events, {
      'record:stored': record => { this.sender.stored(record) },
      'peer:admitted': peer => { this.sender.peerAdmitted(peer) }
    })
    // Through accept() below, the service's one entry point for received batches.
    await this.receiver.start(async (sender, batch) => await this.accept(sender, batch))
    this.sender.start()
  }

  /** Stops sending and receiving, and waits for deliveries under way. */
  async stop (): Promise<void> {
    this.unlisten?.()
    this.unlisten = undefined
    await this.receiver.stop()
    await this.sender.stop()
    this.components.indexes.remove('delivery.outbox')
    this.components.indexes.remove('delivery.receipts')
  }

  /** Pending deliveries with how each last went. */
  async outbox (limit: number): Promise<OutboxView[]> {
    return await this.sender.view(limit)
  }

  /** Every receipt of one record: who signed it, the receipt, and what it says of this record. */
  async receipts (recordId: string): Promise<ReceiptOfRecord[]> {
    return await this.receiptBook.of(recordId)
  }

  /**
   * Keeps a receipt a peer signed for records this node answered it (a
   * query): stored and indexed like a delivery's, so the reuse ledger counts
   * the use. The caller checked that it lists only what was answered.
   */
  async keepReceipt (receipt: SignedRecord): Promise<void> {
    if (await this.components.recordStore.has(receipt.id)) return
    await this.components.db.commit([...this.components.recordStore.putOps(receipt), ...this.receiptBook.indexOps(receipt)])
  }

  /** Receives a batch as if it came over the network (the inbox's entry point). */
  async accept (sender: string, batch: Delivery[]): Promise<DeliveryResult[]> {
    return await this.receiver.accept(sender, batch)
  }
}
