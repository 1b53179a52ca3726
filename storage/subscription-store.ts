/**
 * Webhook subscriptions and what each is owed.
 *
 *   subscriptions   id → Subscription
 *   webhook-queue   subscriptionId␀sequence → Notification   (pending, oldest first)
 *   webhook-log     subscriptionId␀sequence → DeliveryLogEntry (delivered or given up)
 *
 * A notification is queued in the batch of the record that causes it, so none
 * is lost to a crash; it leaves the queue in the batch that logs its delivery.
 */
import type { Database, Sublevel, WriteOp } from './database.js'

const SEP = '\u0000'

export interface SubscriptionFilter {
  readonly events?: readonly string[]
  readonly types?: readonly string[]
  readonly consignment?: string
}

export interface Subscription {
  readonly id: string
  readonly url: string
  readonly filter: SubscriptionFilter
  readonly secret: string
  readonly createdAt: string
}

export interface Notification {
  readonly sequence: string
  readonly event: string
  readonly at: string
  readonly data: Record<string, unknown>
}

export interface DeliveryLogEntry {
  readonly sequence: string
  readonly event: string
  readonly status: 'delivered'
  readonly attempts: number
  readonly deliveredAt: string
  readonly responseStatus: number
}

export class SubscriptionStore {
  private readonly subscriptions: Sublevel<Subscription>
  private readonly queue: Sublevel<Notification>
  private readonly log: Sublevel<DeliveryLogEntry>

  constructor (private readonly db: Database) {
    this.subscriptions = db.sublevel<Subscription>('subscriptions', 'json')
    this.queue = db.sublevel<Notification>('webhook-queue', 'json')
    this.log = db.sublevel<DeliveryLogEntry>('webhook-log', 'json')
  }

  async put (subscription: Subscription): Promise<void> {
    await this.db.commit([{ type: 'put', sublevel: this.subscriptions, key: subscription.id, value: subscription } as WriteOp])
  }

  async all (): Promise<Subscription[]> {
    return await this.subscriptions.values().all()
  }

  async get (id: string): Promise<Subscription | undefined> {
    return await this.subscriptions.get(id)
  }

  /** Removes a subscription and whatever it was still owed. */
  async remove (id: string): Promise<boolean> {
    if ((await this.subscriptions.get(id)) === undefined) return false
    const pending = await this.queue.keys({ gt: `${id}${SEP}`, lt: `${id}\u0001` }).all()
    await this.db.commit([
      { type: 'del', sublevel: this.subscriptions, key: id } as WriteOp,
      ...pending.map(key => ({ type: 'del', sublevel: this.queue, key } as WriteOp))
    ])
    return true
  }

  enqueueOps (subscriptionId: string, notification: Notification): WriteOp[] {
    return [{ type: 'put', sublevel: this.queue, key: `${subscriptionId}${SEP}${notification.sequence}`, value: notification } as WriteOp]
  }

  async pending (subscriptionId: string, limit: number): Promise<Notification[]> {
    return await this.queue.values({ gt: `${subscriptionId}${SEP}`, lt: `${subscriptionId}\u0001`, limit }).all()
  }

  async deliveredOps (subscriptionId: string, entry: DeliveryLogEntry): Promise<WriteOp[]> {
    const key = `${subscriptionId}${SEP}${entry.sequence}`
    return [
      { type: 'del', sublevel: this.queue, key } as WriteOp,
      { type: 'put', sublevel: this.log, key, value: entry } as WriteOp
    ]
  }

  async deliveries (subscriptionId: string, limit: number): Promise<DeliveryLogEntry[]> {
    return await this.log.values({ gt: `${subscriptionId}${SEP}`, lt: `${subscriptionId}\u0001`, limit, reverse: true }).all()
  }
}
