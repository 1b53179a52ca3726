/**
 * Webhooks: the participant's systems subscribe a URL to what happens here —
 * records received, application changes, shipment events — and each
 * notification is POSTed to it, signed with the subscription's secret
 * (HMAC-SHA-256), retried with back-off until the receiver answers 2xx, in
 * order, once. Notifications are queued in the batch of the record that causes
 * them, so a crash or a restart loses none.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { SignedRecord } from '../../record/index.js'
import { RecordTypes } from '../../record/types/names.js'
import type { DeliveryLogEntry, Notification, Subscription, SubscriptionFilter, SubscriptionStore, Database, WriteOp } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import type { RecordIndexes } from '../records/record-indexes.js'
import type { Logger } from '../runtime/log.js'
import { RetryLoop } from '../runtime/retry-loop.js'
import { applicationOf } from './application-service.js'

export const WEBHOOK_EVENTS = ['record.received', 'application.changed', 'shipment.event', 'regulation.changed'] as const
const BATCH = 32

export interface WebhookOptions {
  readonly retryMs?: number
  readonly maxRetryMs?: number
  readonly timeoutMs?: number
}

/** A subscription's notifications: those waiting, how the last attempt went, and those delivered, newest first. */
export interface SubscriptionDeliveries {
  readonly subscription: string
  readonly pending: ReadonlyArray<{ readonly sequence: string, readonly event: string, readonly at: string }>
  readonly attempts?: number
  readonly nextAttemptAt?: string
  readonly lastError?: string
  readonly delivered: readonly DeliveryLogEntry[]
}

export interface WebhookServiceComponents {
  readonly db: Database
  readonly subscriptionStore: SubscriptionStore
  /** Notifications are queued in the batch of the record that causes them. */
  readonly indexes: RecordIndexes
  /** This node: records it did not issue are received ones. */
  readonly participant: string
  readonly clock: () => number
  readonly logger?: Logger
}

export function webhookService (options: WebhookOptions = {}) {
  return (components: WebhookServiceComponents): WebhookService => new WebhookService(components, options)
}

/** The signature header value: t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">. */
export function webhookSignature (secret: string, body: string, seconds: number): string {
  return `t=${seconds},v1=${createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex')}`
}

export class WebhookService {
  private readonly subscriptions = new Map<string, Subscription>()
  private readonly loop: RetryLoop
  private readonly db: Database
  private readonly store: SubscriptionStore
  private readonly self: string
  private readonly clock: () => number

  constructor (private readonly components: WebhookServiceComponents, private readonly options: WebhookOptions = {}) {
    this.db = components.db
    this.store = components.subscriptionStore
    this.self = components.participant
    this.clock = components.clock
    this.loop = new RetryLoop({
      keys: () => this.subscriptions.keys(),
      drain: async id => { await this.drain(id) },
      ...(options.retryMs !== undefined && { retryMs: options.retryMs }),
      ...(options.maxRetryMs !== undefined && { maxRetryMs: options.maxRetryMs }),
      clock: components.clock,
      what: 'webhook',
      ...(components.logger !== undefined && { logger: components.logger })
    })
  }

  async start (): Promise<void> {
    for (const s of await this.store.all()) this.subscriptions.set(s.id, s)
    this.components.indexes.add('webhooks', (record, _input, replaced) => this.enqueueOps(record, replaced))
    this.loop.start()
  }

  /** Stops sending and waits for the posts under way. */
  async stop (): Promise<void> {
    this.components.indexes.remove('webhooks')
    await this.loop.stop()
  }

  async subscribe (url: string, filter: SubscriptionFilter = {}): Promise<Subscription> {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new ServiceError('invalid-request', `${url} is not a URL`, [{ path: '/url', message: 'must be an absolute http or https URL' }])
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ServiceError('invalid-request', `webhooks are delivered over http or https, not ${parsed.protocol}`, [{ path: '/url', message: 'must be http or https' }])
    }
    const subscription: Subscription = {
      id: randomUUID(),
      url: parsed.toString(),
      filter,
      secret: randomBytes(32).toString('base64url'),
      createdAt: new Date(this.clock()).toISOString()
    }
    await this.store.put(subscription)
    this.subscriptions.set(subscription.id, subscription)
    return subscription
  }

  async unsubscribe (id: string): Promise<void> {
    if (!(await this.store.remove(id))) throw new ServiceError('not-found', `no subscription ${id}`)
    this.subscriptions.delete(id)
    this.loop.forget(id)
  }

  list (): Array<Omit<Subscription, 'secret'>> {
    return [...this.subscriptions.values()].map(({ secret: _secret, ...rest }) => rest)
  }

  async deliveries (id: string, limit: number): Promise<SubscriptionDeliveries> {
    if (!this.subscriptions.has(id)) throw new ServiceError('not-found', `no subscription ${id}`)
    const retry = this.loop.state(id)
    return {
      subscription: id,
      pending: (await this.store.pending(id, 1000)).map(n => ({ sequence: n.sequence, event: n.event, at: n.at })),
      ...(retry !== undefined && { attempts: retry.attempts, nextAttemptAt: new Date(retry.notBefore).toISOString(), ...(retry.lastError !== undefined && { lastError: retry.lastError }) }),
      delivered: await this.store.deliveries(id, limit)
    }
  }

  /** Notifications a newly stored record causes, queued in its batch (not when a known record only gains fields). */
  enqueueOps (record: SignedRecord, replaced: boolean): WriteOp[] {
    if (replaced || this.subscriptions.size === 0) return []
    const e = record.envelope
    const events: string[] = []
    if (e.issuer !== this.self) events.push('record.received')
    const application = applicationOf(record)
    if (application !== undefined) events.push('application.changed')
    if (e.type === RecordTypes.eventShipment || e.type === RecordTypes.epcisEvent) events.push('shipment.event')
    if (events.length === 0) return []
    const at = new Date(this.clock()).toISOString()
    const data = {
      record: record.id,
      type: e.type,
      issuer: e.issuer,
      ...(e.consignment !== undefined && { consignment: e.consignment }),
      ...(application !== undefined && { application })
    }
    const ops: WriteOp[] = []
    for (const subscription of this.subscriptions.values()) {
      for (const event of events) {
        if (!matches(subscription.filter, event, e.type, e.consignment)) continue
        // Time first so the queue is in order; the record and event make it unique.
        ops.push(...this.store.enqueueOps(subscription.id, { sequence: `${at}.${record.id}.${event}`, event, at, data }))
      }
    }
    return ops
  }

  /**
   * The operations that queue a notification not caused by one record's
   * arrival alone (a regulatory change, once its reach is known), for the
   * caller's batch; `sent()` after the batch is committed.
   */
  notificationOps (event: typeof WEBHOOK_EVENTS[number], key: string, data: Record<string, unknown>, about: { type: string, consignments: readonly string[] }): WriteOp[] {
    const at = new Date(this.clock()).toISOString()
    const ops: WriteOp[] = []
    for (const subscription of this.subscriptions.values()) {
      // A subscription for one consignment hears of a change that concerns it.
      const consignment = subscription.filter.consignment !== undefined && about.consignments.includes(subscription.filter.consignment) ? subscription.filter.consignment : undefined
      if (!matches(subscription.filter, event, about.type, consignment)) continue
      ops.push(...this.store.enqueueOps(subscription.id, { sequence: `${at}.${key}.${event}`, event, at, data }))
    }
    return ops
  }

  /** Starts sending what notificationOps queued. */
  sent (): void {
    for (const id of this.subscriptions.keys()) this.loop.poke(id)
  }

  /** Sends a subscription its notifications in order; stops at the first failure and backs off. */
  private async drain (id: string): Promise<void> {
    while (!this.loop.isStopped) {
      const subscription = this.subscriptions.get(id)
      if (subscription === undefined) return
      const pending = await this.store.pending(id, BATCH)
      if (pending.length === 0) return
      for (const notification of pending) {
        const answer = await this.post(subscription, notification)
        if (typeof answer === 'string') {
          this.loop.failed(id, answer)
          return
        }
        const attempts = (this.loop.state(id)?.attempts ?? 0) + 1
        this.loop.succeeded(id)
        await this.db.commit(await this.store.deliveredOps(id, {
          sequence: notification.sequence, event: notification.event, status: 'delivered', attempts, deliveredAt: new Date(this.clock()).toISOString(), responseStatus: answer.status
        }))
      }
    }
  }

  /** One POST: the status of a 2xx answer, else why it failed. */
  private async post (subscription: Subscription, notification: Notification): Promise<{ status: number } | string> {
    const body = JSON.stringify({ id: notification.sequence, event: notification.event, at: notification.at, data: notification.data })
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'keruen-event': notification.event,
          'keruen-delivery': `${subscription.id}/${notification.sequence}`,
          'keruen-signature': webhookSignature(subscription.secret, body, Math.floor(this.clock() / 1000))
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000)
      })
      await response.body?.cancel()
      return response.ok ? { status: response.status } : `answered ${response.status}`
    } catch (err) {
      return (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message
    }
  }
}

function matches (filter: SubscriptionFilter, event: string, type: string, consignment: string | undefined): boolean {
  return (filter.events === undefined || filter.events.includes(event)) &&
    (filter.types === undefined || filter.types.includes(type)) &&
    (filter.consignment === undefined || filter.consignment === consignment)
}
