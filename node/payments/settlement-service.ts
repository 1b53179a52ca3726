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
import { verifiedRecord } from '../records/verified-record.js'
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
  readonly records: Pick<RecordService, 'create' | 'now' | 'participant' | 'consignment'>
  readonly trust: Pick<TrustService, 'status'>
  readonly payments: Pick<PaymentService, 'payments'>
}

export function settlementService () {
  return (components: SettlementServiceComponents): SettlementService => new SettlementService(components)
}

export class SettlementService {
  constructor (private readonly components: SettlementServiceComponents) {}

  private async all (type: string, consignment?: string): Promise<SignedRecord[]> {
    return await heldRecords(this.components.recordStore, type, { consignment })
  }

  /** The trader orders `bank` to pay what the consignment's declaration owes, from `payer`'s account to `payee`'s. */
  async order (ref: string, input: { bank: string, payer: PaymentOrderData['payer'], payee: PaymentOrderData['payee'], reference?: string }): Promise<SignedRecord> {
    const bank = await this.components.trust.status(input.bank)
    if (bank.status !== 'valid' || bank.certificate?.role !== 'bank') {
      throw new ServiceError('invalid-request', `${input.bank} is not a certified bank here (${bank.status})`, [{ path: '/bank', message: 'must be a certified bank' }])
    }
    const due = await this.components.payments.payments(ref)
    const totals = due.totals
    const amounts = PAYMENT_TAXES.map(tax => ({ tax, amount: tax === 'fee' ? totals.fees : totals[tax] })).filter(a => compare(dec(a.amount), dec('0')) > 0)
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

  private async view (order: SignedRecord, confirmations: readonly SignedRecord[], refusals: readonly SignedRecord[]): Promise<OrderView> {
    const data = dataOf(order) as unknown as PaymentOrderData
    // Only the bank the order names speaks for it.
    const mine = (r: SignedRecord): boolean => r.envelope.issuer === data.bank && dataOf(r).order === order.id
    const confirmed = confirmations.filter(mine).map(r => ({ record: r, data: dataOf(r) as unknown as PaymentConfirmationData }))
    const refusal = refusals.find(mine)
    const paid = sum(confirmed.map(c => dec(c.data.total)))
    const status: OrderStatus = confirmed.length > 0
      ? (compare(paid, dec(data.total)) >= 0 ? 'paid' : 'partly-paid')
      : refusal !== undefined ? 'refused' : 'pending'
    return {
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
  }

  /** Orders held here (a bank's received ones, a trader's own), newest first, optionally of one consignment or status. */
  async orders (options: { consignment?: string, status?: OrderStatus } = {}): Promise<OrderView[]> {
    const [orders, confirmations, refusals] = await Promise.all([
      this.all(RecordTypes.paymentOrder, options.consignment),
      this.all(RecordTypes.paymentConfirmation, options.consignment),
      this.all(RecordTypes.paymentRefusal, options.consignment)
    ])
    const views = await Promise.all(orders.map(async o => await this.view(o, confirmations, refusals)))
    return views.filter(v => options.status === undefined || v.status === options.status).sort((a, b) => a.issuedAt < b.issuedAt ? 1 : -1)
  }

  /** On the bank's node: an order made to this bank. */
  private async received (id: string): Promise<SignedRecord> {
    const order = verifiedRecord(await this.components.recordStore.get(id))
    if (order === undefined || order.envelope.type !== RecordTypes.paymentOrder) throw new ServiceError('not-found', `no payment order ${id} here`)
    if ((dataOf(order) as unknown as PaymentOrderData).bank !== this.components.records.participant) throw new ServiceError('not-owner', `payment order ${id} was made to another bank`)
    const [view] = (await this.orders({ consignment: order.envelope.consignment as string })).filter(v => v.id === id)
    if (view !== undefined && (view.status === 'paid' || view.status === 'refused')) throw new ServiceError('already-decided', `payment order ${id} is already ${view.status}`)
    return order
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
    const order = await this.received(id)
    const data = dataOf(order) as unknown as PaymentOrderData
    const [view] = (await this.orders({ consignment: order.envelope.consignment as string })).filter(v => v.id === id)
    // What earlier confirmations of this order left unpaid, kind by kind.
    const unpaid = new Map(data.amounts.map(a => [a.tax, dec(a.amount)]))
    const earlier = (await this.all(RecordTypes.paymentConfirmation, order.envelope.consignment as string))
      .filter(r => r.envelope.issuer === this.components.records.participant && view?.confirmations.some(c => c.id === r.id) === true)
    for (const r of earlier) {
      for (const a of (dataOf(r) as unknown as PaymentConfirmationData).amounts) unpaid.set(a.tax, sub(unpaid.get(a.tax) ?? dec('0'), dec(a.amount)))
    }
    const left = sum([...unpaid.values()])
    const total = input.total === undefined ? left : dec(input.total)
    if (compare(total, dec('0')) <= 0 || compare(total, left) > 0) {
      throw new ServiceError('invalid-request', `a payment of ${input.total ?? ''} is not between 0 and the ${text(left)} left of the order's ${data.total}`, [{ path: '/total', message: `must be more than 0 and at most ${text(left)}` }])
    }
    let rest: Decimal = total
    const amounts = data.amounts.flatMap(a => {
      const owed = unpaid.get(a.tax) ?? dec('0')
      if (compare(rest, dec('0')) <= 0 || compare(owed, dec('0')) <= 0) return []
      const part = compare(rest, owed) >= 0 ? owed : rest
      rest = sub(rest, part)
      return [{ tax: a.tax, amount: text(part) }]
    })
    const { record } = await this.components.records.create({
      ...recordInput(paymentConfirmation, {
        order: id,
        declaration: data.declaration,
        currency: data.currency,
        amounts,
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
    const order = await this.received(id)
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

  /** Confirmations of a consignment that count: from the bank their order names, or, for one whose order is not held here (customs), from a bank. */
  private async counted (ref: string, orders: readonly OrderView[]): Promise<Array<{ issuer: string, data: PaymentConfirmationData }>> {
    const confirmations = (await this.all(RecordTypes.paymentConfirmation, ref)).map(r => ({ issuer: r.envelope.issuer, data: dataOf(r) as unknown as PaymentConfirmationData }))
    const counted = await Promise.all(confirmations.map(async c => {
      const order = orders.find(o => o.id === c.data.order)
      if (order !== undefined) return order.order.bank === c.issuer ? c : undefined
      return (await this.components.trust.status(c.issuer)).certificate?.role === 'bank' ? c : undefined
    }))
    return counted.filter(c => c !== undefined)
  }

  /** Where a consignment's declaration stands: what it owes (when this node can work it out), what banks confirmed, what customs refunded, the balance. */
  async settlement (ref: string): Promise<Settlement> {
    const orders = await this.orders({ consignment: ref })
    const [counted, refunds] = await Promise.all([this.counted(ref, orders), this.refunds(ref)])
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
    const orders = await this.orders({ consignment: ref })
    const [counted, refunds] = await Promise.all([this.counted(ref, orders), this.refunds(ref)])
    // Paid, less refunded, less owed, kind by kind: what may go back.
    const excess = new Map<string, Decimal>(PAYMENT_TAXES.map(tax => [tax, dec('0')]))
    const move = (tax: string, d: Decimal): void => { excess.set(tax, add(excess.get(tax) ?? dec('0'), d)) }
    for (const c of counted) for (const a of c.data.amounts) move(a.tax, dec(a.amount))
    for (const r of refunds) for (const a of r.amounts) move(a.tax, sub(dec('0'), dec(a.amount)))
    const totals = owed.totals
    for (const tax of PAYMENT_TAXES) move(tax, sub(dec('0'), dec(tax === 'fee' ? totals.fees : totals[tax])))
    const over = sub(sub(sum(counted.map(c => dec(c.data.total))), sum(refunds.map(r => dec(r.total)))), dec(totals.total))
    if (compare(over, dec('0')) <= 0) throw new ServiceError('invalid-request', `nothing was paid for ${ref} beyond the ${totals.total} ${owed.currency} its declaration owes`)
    const total = input.total === undefined ? over : dec(input.total)
    if (compare(total, dec('0')) <= 0 || compare(total, over) > 0) {
      throw new ServiceError('invalid-request', `a refund of ${input.total ?? ''} is not between 0 and the ${text(over)} ${owed.currency} overpaid`, [{ path: '/total', message: `must be more than 0 and at most ${text(over)}` }])
    }
    let left = total
    const amounts = PAYMENT_TAXES.flatMap(tax => {
      const extra = excess.get(tax) ?? dec('0')
      if (compare(left, dec('0')) <= 0 || compare(extra, dec('0')) <= 0) return []
      const part = compare(left, extra) >= 0 ? extra : left
      left = sub(left, part)
      return [{ tax, amount: text(part) }]
    })
    const banks = [...new Set(counted.map(c => c.issuer))]
    const { record } = await this.components.records.create({
      ...recordInput(paymentRefund, {
        declaration: owed.declaration,
        currency: owed.currency,
        amounts,
        total: text(total),
        reason: input.reason,
        ...(input.account !== undefined && { account: input.account })
      }),
      consignment: ref,
      share: [...await this.payers(ref, owed.declaration), ...banks]
    })
    return record
  }

  /** Who paid: the issuer of the declaration the payments were made for. */
  private async payers (ref: string, declaration: string): Promise<string[]> {
    const entries = await this.components.records.consignment(ref)
    const found = entries.map(e => e.current).find(v => v.id === declaration)
    return found === undefined || found.issuer === this.components.records.participant ? [] : [found.issuer]
  }
}
