/**
 * Paying a declaration: the trader's node orders its bank to pay what the
 * declaration owes (a signed payment order, to the bank); the bank's node
 * lists the orders it received and answers each with a signed confirmation of
 * the exact amounts paid — all, or part — or a refusal with its reason, sent
 * to the payer and to the payee the order names (customs). Either side then
 * sees where the declaration stands: due, paid, the balance.
 */
import { dataOf, type SignedRecord } from '../../record/index.js'
import { add, compare, dec, sub, sum, text, type Decimal } from '../../record/money/decimal.js'
import { recordInput, RecordTypes, type PaymentConfirmationData, type PaymentOrderData, type PaymentRefundData } from '../../record/types/index.js'
import { paymentConfirmation, paymentOrder, paymentRefund, paymentRefusal, PAYMENT_TAXES } from '../../record/types/payments.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import type { RecordService } from '../records/record-service.js'
import { heldRecords } from '../records/held-records.js'
import { storedRecord } from '../records/stored-record.js'
import type { TrustService } from '../trust/trust-service.js'
import type { PaymentService } from './payment-service.js'

export type OrderStatus = 'pending' | 'paid' | 'partly-paid' | 'refused'

export interface OrderView {
  readonly id: string
  readonly consignment: string
  readonly issuer: string
  readonly issuedAt: string
  readonly order: PaymentOrderData
  readonly status: OrderStatus
  readonly paid: string
  readonly confirmations: ReadonlyArray<{ readonly id: string, readonly total: string, readonly paidAt: string, readonly bankReference?: string }>
  readonly refusal?: { readonly id: string, readonly reason: string }
}

export interface RefundView {
  readonly id: string
  readonly issuer: string
  readonly issuedAt: string
  readonly total: string
  readonly amounts: PaymentRefundData['amounts']
  readonly reason: string
}

export interface Settlement {
  readonly consignment: string
  readonly currency: string
  readonly due?: string
  readonly paid: string
  /** What customs gave back of what was paid. */
  readonly refunded: string
  readonly refunds: readonly RefundView[]
  /** Paid less refunded less due: negative while something is owed, positive when overpaid. */
  readonly balance?: string
  readonly status: 'unpaid' | 'partly-paid' | 'paid' | 'overpaid' | 'unknown'
  readonly orders: readonly OrderView[]
}

export interface SettlementServiceComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'create' | 'now' | 'participant'>
  readonly trust: Pick<TrustService, 'status'>
  readonly payments: Pick<PaymentService, 'payments'>
}

type Totals = Awaited<ReturnType<PaymentService['payments']>>['totals']
type Amounts = PaymentOrderData['amounts']

/** What a declaration's payments come to for one kind of payment. */
const dueFor = (totals: Totals, tax: typeof PAYMENT_TAXES[number]): string => tax === 'fee' ? totals.fees : totals[tax]

/** `total` taken from the kinds in the order given, each up to what it has: a part payment, or a refund from what was paid in excess. */
function takeInOrder (available: ReadonlyArray<{ readonly tax: Amounts[number]['tax'], readonly amount: Decimal }>, total: Decimal): Amounts {
  let left = total
  return available.flatMap(({ tax, amount }) => {
    if (compare(left, dec('0')) <= 0 || compare(amount, dec('0')) <= 0) return []
    const part = compare(left, amount) >= 0 ? amount : left
    left = sub(left, part)
    return [{ tax, amount: text(part) }]
  })
}

/** The payment records of a consignment (or of every one) held here, read once for all that is worked out of them. */
interface Held {
  readonly orders: readonly SignedRecord[]
  readonly confirmations: readonly SignedRecord[]
  readonly refusals: readonly SignedRecord[]
}

export function settlementService () {
  return (components: SettlementServiceComponents): SettlementService => new SettlementService(components)
}

export class SettlementService {
  constructor (private readonly components: SettlementServiceComponents) {}

  private async all (type: string, consignment?: string): Promise<SignedRecord[]> {
    return await heldRecords(this.components.recordStore, type, { consignment })
  }

  private async held (consignment?: string): Promise<Held> {
    const [orders, confirmations, refusals] = await Promise.all([
      this.all(RecordTypes.paymentOrder, consignment),
      this.all(RecordTypes.paymentConfirmation, consignment),
      this.all(RecordTypes.paymentRefusal, consignment)
    ])
    return { orders, confirmations, refusals }
  }

  /** The trader orders `bank` to pay what the consignment's declaration owes, from `payer`'s account to `payee`'s. */
  async order (ref: string, input: { bank: string, payer: PaymentOrderData['payer'], payee: PaymentOrderData['payee'], reference?: string }): Promise<SignedRecord> {
    const bank = await this.components.trust.status(input.bank)
    if (bank.status !== 'valid' || bank.certificate?.role !== 'bank') {
      throw new ServiceError('invalid-request', `${input.bank} is not a certified bank here (${bank.status})`, [{ path: '/bank', message: 'must be a certified bank' }])
    }
    const due = await this.components.payments.payments(ref)
    const totals = due.totals
    const amounts = PAYMENT_TAXES.map(tax => ({ tax, amount: dueFor(totals, tax) })).filter(a => compare(dec(a.amount), dec('0')) > 0)
    if (amounts.length === 0) throw new ServiceError('invalid-request', `the declaration of ${ref} owes nothing`)
    const { record } = await this.components.records.create({
      ...recordInput(paymentOrder, {
        declaration: due.declaration,
        bank: input.bank,
        payer: input.payer,
        payee: input.payee,
        currency: due.currency,
        amounts,
        total: totals.total,
        ...(input.reference !== undefined && { reference: input.reference })
      }),
      consignment: ref,
      share: [input.bank]
    })
    return record
  }

  /** An order with what its bank answered: the view, and the confirmations' data it was worked out from. */
  private static view (order: SignedRecord, held: Held): { view: OrderView, confirmed: PaymentConfirmationData[] } {
    const data = dataOf(order) as unknown as PaymentOrderData
    // Only the bank the order names speaks for it.
    const mine = (r: SignedRecord): boolean => r.envelope.issuer === data.bank && dataOf(r).order === order.id
    const confirmed = held.confirmations.filter(mine).map(r => ({ record: r, data: dataOf(r) as unknown as PaymentConfirmationData }))
    const refusal = held.refusals.find(mine)
    const paid = sum(confirmed.map(c => dec(c.data.total)))
    const status: OrderStatus = confirmed.length > 0
      ? (compare(paid, dec(data.total)) >= 0 ? 'paid' : 'partly-paid')
      : refusal !== undefined ? 'refused' : 'pending'
    const view: OrderView = {
      id: order.id,
      consignment: order.envelope.consignment ?? '',
      issuer: order.envelope.issuer,
      issuedAt: order.envelope.issuedAt,
      order: data,
      status,
      paid: text(paid.scale < 2 ? add(paid, dec('0.00')) : paid),
      confirmations: confirmed.map(c => ({ id: c.record.id, total: c.data.total, paidAt: c.data.paidAt, ...(c.data.bankReference !== undefined && { bankReference: c.data.bankReference }) })),
      ...(refusal !== undefined && { refusal: { id: refusal.id, reason: String(dataOf(refusal).reason) } })
    }
    return { view, confirmed: confirmed.map(c => c.data) }
  }

  /** The views of the orders held, newest first. */
  private static views (held: Held): OrderView[] {
    return held.orders.map(o => SettlementService.view(o, held).view).sort((a, b) => a.issuedAt < b.issuedAt ? 1 : -1)
  }

  /** Orders held here (a bank's received ones, a trader's own), newest first, optionally of one consignment or status. */
  async orders (options: { consignment?: string, status?: OrderStatus } = {}): Promise<OrderView[]> {
    return SettlementService.views(await this.held(options.consignment)).filter(v => options.status === undefined || v.status === options.status)
  }

  /** On the bank's node: an order made to this bank, still to be answered, with what was confirmed of it so far. */
  private async received (id: string): Promise<{ order: SignedRecord, confirmed: PaymentConfirmationData[] }> {
    const order = storedRecord(await this.components.recordStore.get(id))
    if (order === undefined || order.envelope.type !== RecordTypes.paymentOrder) throw new ServiceError('not-found', `no payment order ${id} here`)
    if ((dataOf(order) as unknown as PaymentOrderData).bank !== this.components.records.participant) throw new ServiceError('not-owner', `payment order ${id} was made to another bank`)
    const { view, confirmed } = SettlementService.view(order, await this.held(order.envelope.consignment as string))
    if (view.status === 'paid' || view.status === 'refused') throw new ServiceError('already-decided', `payment order ${id} is already ${view.status}`)
    return { order, confirmed }
  }

  /** Whom the bank's answer goes to: the payer, and the payee's participant when the order names one. */
  private static recipients (order: SignedRecord): string[] {
    const data = dataOf(order) as unknown as PaymentOrderData
    return [order.envelope.issuer, ...(data.payee.participant !== undefined ? [data.payee.participant] : [])]
  }

  /**
   * The bank confirms what it paid: what is left of the order, or `total` of
   * it (a partial payment), taken from the kinds of payment still unpaid, in
   * the order's order.
   */
  async confirm (id: string, input: { total?: string, bankReference?: string, paidAt?: string } = {}): Promise<SignedRecord> {
    const { order, confirmed } = await this.received(id)
    const data = dataOf(order) as unknown as PaymentOrderData
    // What earlier confirmations of this order left unpaid, kind by kind.
    const unpaid = new Map(data.amounts.map(a => [a.tax, dec(a.amount)]))
    for (const c of confirmed) for (const a of c.amounts) unpaid.set(a.tax, sub(unpaid.get(a.tax) ?? dec('0'), dec(a.amount)))
    const left = sum([...unpaid.values()])
    const total = input.total === undefined ? left : dec(input.total)
    if (compare(total, dec('0')) <= 0 || compare(total, left) > 0) {
      throw new ServiceError('invalid-request', `a payment of ${input.total ?? ''} is not between 0 and the ${text(left)} left of the order's ${data.total}`, [{ path: '/total', message: `must be more than 0 and at most ${text(left)}` }])
    }
    const { record } = await this.components.records.create({
      ...recordInput(paymentConfirmation, {
        order: id,
        declaration: data.declaration,
        currency: data.currency,
        amounts: takeInOrder(data.amounts.map(a => ({ tax: a.tax, amount: unpaid.get(a.tax) ?? dec('0') })), total),
        total: text(total),
        paidAt: input.paidAt ?? this.components.records.now(),
        ...(input.bankReference !== undefined && { bankReference: input.bankReference })
      }),
      consignment: order.envelope.consignment as string,
      share: SettlementService.recipients(order)
    })
    return record
  }

  async refuse (id: string, reason: string): Promise<SignedRecord> {
    const { order } = await this.received(id)
    const { record } = await this.components.records.create({
      ...recordInput(paymentRefusal, { order: id, reason }),
      consignment: order.envelope.consignment as string,
      share: SettlementService.recipients(order)
    })
    return record
  }

  /** Refunds of a consignment that count: signed by a certified agency (customs). */
  private async refunds (ref: string): Promise<RefundView[]> {
    const held = await this.all(RecordTypes.paymentRefund, ref)
    const counted = await Promise.all(held.map(async r => {
      if (r.envelope.issuer !== this.components.records.participant && (await this.components.trust.status(r.envelope.issuer)).certificate?.role !== 'agency') return undefined
      const data = dataOf(r) as unknown as PaymentRefundData
      return { id: r.id, issuer: r.envelope.issuer, issuedAt: r.envelope.issuedAt, total: data.total, amounts: data.amounts, reason: data.reason }
    }))
    return counted.filter((r): r is RefundView => r !== undefined).sort((a, b) => a.issuedAt < b.issuedAt ? -1 : 1)
  }

  /**
   * What a consignment's payments stand on: its orders, the confirmations that
   * count — from the bank their order names, or, for one whose order is not
   * held here (customs), from a bank — and the refunds that count.
   */
  private async standing (ref: string): Promise<{ orders: OrderView[], counted: Array<{ issuer: string, data: PaymentConfirmationData }>, refunds: RefundView[] }> {
    const [held, refunds] = await Promise.all([this.held(ref), this.refunds(ref)])
    const orders = SettlementService.views(held)
    const counted = await Promise.all(held.confirmations.map(async r => {
      const c = { issuer: r.envelope.issuer, data: dataOf(r) as unknown as PaymentConfirmationData }
      const order = orders.find(o => o.id === c.data.order)
      if (order !== undefined) return order.order.bank === c.issuer ? c : undefined
      return (await this.components.trust.status(c.issuer)).certificate?.role === 'bank' ? c : undefined
    }))
    return { orders, counted: counted.filter(c => c !== undefined), refunds }
  }

  /** Where a consignment's declaration stands: what it owes (when this node can work it out), what banks confirmed, what customs refunded, the balance. */
  async settlement (ref: string): Promise<Settlement> {
    const { orders, counted, refunds } = await this.standing(ref)
    const paid = sum(counted.map(c => dec(c.data.total)))
    const refunded = sum(refunds.map(r => dec(r.total)))
    let due: Decimal | undefined
    let currency = orders[0]?.order.currency ?? counted[0]?.data.currency ?? ''
    try {
      const owed = await this.components.payments.payments(ref)
      due = dec(owed.totals.total)
      currency = owed.currency
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
    }
    const cents = (d: Decimal): string => text(add(d, dec('0.00')))
    const common = { consignment: ref, currency, paid: cents(paid), refunded: cents(refunded), refunds, orders }
    if (due === undefined) return { ...common, status: 'unknown' }
    const net = sub(paid, refunded)
    const balance = sub(net, due)
    const status = compare(net, dec('0')) === 0 ? 'unpaid' : compare(balance, dec('0')) < 0 ? 'partly-paid' : compare(balance, dec('0')) === 0 ? 'paid' : 'overpaid'
    return { ...common, due: text(due), balance: cents(balance), status }
  }

  /**
   * Customs gives back what was paid beyond what the declaration owes now:
   * all of it, or `total` of it, taken from the kinds of payment paid in
   * excess; signed and sent to the payer and to the banks that paid.
   */
  async refund (ref: string, input: { total?: string, reason: string, account?: PaymentRefundData['account'] }): Promise<SignedRecord> {
    const owed = await this.components.payments.payments(ref)
    if (owed.schedule.issuer !== this.components.records.participant) {
      throw new ServiceError('not-owner', `the payments of ${ref} are owed under ${owed.schedule.issuer}'s schedule: only that customs refunds them`)
    }
    const { counted, refunds } = await this.standing(ref)
    // Paid, less refunded, less owed, kind by kind: what may go back.
    const excess = new Map<string, Decimal>(PAYMENT_TAXES.map(tax => [tax, dec('0')]))
    const move = (tax: string, d: Decimal): void => { excess.set(tax, add(excess.get(tax) ?? dec('0'), d)) }
    for (const c of counted) for (const a of c.data.amounts) move(a.tax, dec(a.amount))
    for (const r of refunds) for (const a of r.amounts) move(a.tax, sub(dec('0'), dec(a.amount)))
    const totals = owed.totals
    for (const tax of PAYMENT_TAXES) move(tax, sub(dec('0'), dec(dueFor(totals, tax))))
    const over = sub(sub(sum(counted.map(c => dec(c.data.total))), sum(refunds.map(r => dec(r.total)))), dec(totals.total))
    if (compare(over, dec('0')) <= 0) throw new ServiceError('invalid-request', `nothing was paid for ${ref} beyond the ${totals.total} ${owed.currency} its declaration owes`)
    const total = input.total === undefined ? over : dec(input.total)
    if (compare(total, dec('0')) <= 0 || compare(total, over) > 0) {
      throw new ServiceError('invalid-request', `a refund of ${input.total ?? ''} is not between 0 and the ${text(over)} ${owed.currency} overpaid`, [{ path: '/total', message: `must be more than 0 and at most ${text(over)}` }])
    }
    // The payer: whoever issued the declaration the payments were made for, when it is not this node.
    const payer = storedRecord(await this.components.recordStore.get(owed.declaration))?.envelope.issuer
    const banks = [...new Set(counted.map(c => c.issuer))]
    const { record } = await this.components.records.create({
      ...recordInput(paymentRefund, {
        declaration: owed.declaration,
        currency: owed.currency,
        amounts: takeInOrder(PAYMENT_TAXES.map(tax => ({ tax, amount: excess.get(tax) ?? dec('0') })), total),
        total: text(total),
        reason: input.reason,
        ...(input.account !== undefined && { account: input.account })
      }),
      consignment: ref,
      share: [...(payer !== undefined && payer !== this.components.records.participant ? [payer] : []), ...banks]
    })
    return record
  }
}
