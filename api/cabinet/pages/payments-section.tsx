/**
 * A consignment's payments, as the trader and customs read them: what the
 * declaration owes line by line (goods item, kind of payment, base, rate,
 * legal basis, amount), the exchange rate and preferences applied, the
 * totals; then where it stands — due, paid, balance — with each payment
 * order, the bank's confirmations or refusal, and any refunds.
 */
import type { ConsignmentPayments } from '../../../node/payments/payment-service.js'
import type { ItemPayments, PaymentLine } from '../../../node/payments/duty-calculation.js'
import type { OrderView, Settlement } from '../../../node/payments/settlement-service.js'
import { spaced } from '../../../node/reference/measure-service.js'
import { translator, type Lang } from '../i18n.js'
import { amount, when } from './format.js'
import { Participant } from './consignment.js'
import { PayForm, type PayFormProps } from './pay-form.js'
import { RefundForm, type RefundFormProps } from './refund-form.js'

type Refund = Settlement['refunds'][number]

export type SettlementShown = Settlement

export interface PaymentsShown {
  /** What the declaration owes; absent when this node cannot work it out. */
  readonly calculation?: ConsignmentPayments | undefined
  /** Why it cannot: the node's own words. */
  readonly unavailable?: string | undefined
  readonly settlement: SettlementShown
}

export interface PaymentsSectionProps {
  readonly lang: Lang
  readonly shown: PaymentsShown
  readonly names: ReadonlyMap<string, string>
  /** The pay form, for a person who may pay from this node. */
  readonly pay?: PayFormProps | undefined
  /** The refund form, for customs' officer when more was paid than is owed. */
  readonly refund?: RefundFormProps | undefined
}

const ORDER_BADGE: Record<OrderView['status'], string> = { pending: 'muted', paid: 'ok', 'partly-paid': 'bad', refused: 'bad' }
const SETTLEMENT_BADGE: Record<Settlement['status'], string> = { unpaid: 'bad', 'partly-paid': 'bad', paid: 'ok', overpaid: 'ok', unknown: 'muted' }

function LegalBasis (props: { lang: Lang, basis: PaymentLine['legalBasis'] }) {
  const t = translator(props.lang)
  return <>{props.basis.act}{props.basis.article !== undefined && `, ${t('articleN', { n: props.basis.article })}`}</>
}

/** One kind of payment of an item: the tax, how its rate works, and a preference when one applied. */
function Kind (props: { lang: Lang, line: PaymentLine }) {
  const t = translator(props.lang)
  const { line } = props
  return (
    <>
      {/* A fee has a title of its own; a tax is named by its kind. */}
      {line.title !== undefined ? line.title[props.lang] ?? line.title.en ?? t(`tax_${line.tax}`) : t(`tax_${line.tax}`)}
      {line.kind !== undefined && <div class='muted'>{t(`rate_${line.kind}`)}</div>}
      {line.preferential === true && <div><span class='badge ok'>{t('preferenceApplied')}</span></div>}
    </>
  )
}

function ItemCell (props: { lang: Lang, item: ItemPayments, rows: number }) {
  const t = translator(props.lang)
  const { item } = props
  return (
    <td rowspan={props.rows} class='item'>
      <strong>{t('line', { n: item.lineNumber })}</strong> <span class='code nowrap'>{spaced(item.hsCode)}</span>
      <div class='muted'>{t('originOf', { country: item.origin })}</div>
      <div class='muted'>{t('customsValueOf', { declared: amount(props.lang, item.customsValue.declared), currency: item.customsValue.currency })}</div>
    </td>
  )
}

function Calculation (props: { lang: Lang, calculation: ConsignmentPayments }) {
  const t = translator(props.lang)
  const c = props.calculation
  const money = (value: string): string => amount(props.lang, value)
  const cells = (line: PaymentLine) => (
    <>
      <td><Kind lang={props.lang} line={line} /></td>
      {line.base !== '' ? <td class='num'>{money(line.base)}</td> : <td class='muted'>{t('feeOnce')}</td>}
      <td>{line.rate.replace(' or, if higher, ', ` ${t('rateOrHigher')} `)}</td>
      <td class='reason basis'><LegalBasis lang={props.lang} basis={line.legalBasis} /></td>
      <td class='num'>{money(line.amount)}</td>
      <td>{c.currency}</td>
    </>
  )
  const totals: Array<[string, string]> = [
    [t('tax_duty'), c.totals.duty], [t('tax_excise'), c.totals.excise], [t('tax_vat'), c.totals.vat], [t('fees'), c.totals.fees]
  ]
  return (
    <>
      <p>
        {t('paymentsBasis', { schedule: c.schedule.schedule, version: c.schedule.version })}
        {c.exchangeRate !== undefined && <> {t('exchangeRateUsed', { units: c.exchangeRate.units, currency: c.exchangeRate.currency, rate: money(c.exchangeRate.rate), national: c.currency, date: c.exchangeRate.date })}</>}
      </p>
      <div class='scroll'>
        <table aria-labelledby='payments' id='payment-lines'>
          <thead>
            <tr>
              <th scope='col'>{t('goodsItem')}</th><th scope='col'>{t('paymentKind')}</th><th scope='col' class='num'>{t('base')}</th>
              <th scope='col'>{t('rate')}</th><th scope='col'>{t('legalBasis')}</th><th scope='col' class='num'>{t('amount')}</th><th scope='col'>{t('currency')}</th>
            </tr>
          </thead>
          <tbody>
            {c.items.map(item => item.payments.length === 0
              ? <tr><ItemCell lang={props.lang} item={item} rows={1} /><td colspan={6} class='muted'>{t('noneShown')}</td></tr>
              : item.payments.map((line, i) => <tr>{i === 0 && <ItemCell lang={props.lang} item={item} rows={item.payments.length} />}{cells(line)}</tr>))}
            {c.fees.map(fee => <tr><td class='muted'>—</td>{cells(fee)}</tr>)}
          </tbody>
          <tfoot id='payment-totals'>
            {totals.map(([label, value]) => <tr><th scope='row' colspan={5}>{label}</th><td class='num'>{money(value)}</td><td>{c.currency}</td></tr>)}
            <tr class='total'><th scope='row' colspan={5}>{t('total')}</th><td class='num'>{money(c.totals.total)}</td><td>{c.currency}</td></tr>
          </tfoot>
        </table>
      </div>
    </>
  )
}

function Orders (props: { lang: Lang, orders: readonly OrderView[], names: ReadonlyMap<string, string> }) {
  const t = translator(props.lang)
  if (props.orders.length === 0) return <p class='muted'>{t('noPaymentOrders')}</p>
  return (
    <table aria-labelledby='payment-orders' id='payment-orders-table'>
      <thead>
        <tr><th scope='col'>{t('orderedAt')}</th><th scope='col'>{t('bank')}</th><th scope='col' class='num'>{t('total')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('confirmations')}</th></tr>
      </thead>
      <tbody>
        {props.orders.map(o => (
          <tr id={`order-${o.id}`}>
            <td><a href={`/documents/${o.id}`}>{when(props.lang, o.issuedAt)}</a></td>
            <td><Participant id={o.order.bank} names={props.names} /></td>
            <td class='num'>{amount(props.lang, o.order.total)} {o.order.currency}</td>
            <td>
              <span class={`badge ${ORDER_BADGE[o.status]}`} data-status={o.status}>{t(`order_${o.status}`)}</span>
              {o.refusal !== undefined && <div class='reason'>{t('refusedBecause', { reason: o.refusal.reason })}</div>}
            </td>
            <td>
              {o.confirmations.length === 0
                ? <span class='muted'>{t('noneShown')}</span>
                : (
                  <ul class='compact'>
                    {o.confirmations.map(c => (
                      <li>
                        <a href={`/documents/${c.id}`}>{t('confirmedOn', { amount: amount(props.lang, c.total), currency: o.order.currency, date: when(props.lang, c.paidAt) })}</a>
                        {c.bankReference !== undefined && <div class='muted'>{t('bankReference')}: <span class='mono'>{c.bankReference}</span></div>}
                      </li>
                    ))}
                  </ul>
                  )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Refunds (props: { lang: Lang, refunds: readonly Refund[], currency: string }) {
  const t = translator(props.lang)
  return (
    <>
      <h3 id='refunds'>{t('refunds')}</h3>
      <table aria-labelledby='refunds'>
        <thead><tr><th scope='col'>{t('when')}</th><th scope='col' class='num'>{t('amount')}</th><th scope='col'>{t('reason')}</th></tr></thead>
        <tbody>
          {props.refunds.map(r => (
            <tr><td><a href={`/documents/${r.id}`}>{when(props.lang, r.issuedAt)}</a></td><td class='num'>{amount(props.lang, r.total)} {props.currency}</td><td class='reason'>{r.reason}</td></tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

export function PaymentsSection (props: PaymentsSectionProps) {
  const t = translator(props.lang)
  const { calculation, settlement } = props.shown
  const money = (value: string): string => `${amount(props.lang, value)} ${settlement.currency}`
  return (
    <section aria-labelledby='payments'>
      <h2 id='payments'>{t('payments')}</h2>
      {calculation !== undefined
        ? <Calculation lang={props.lang} calculation={calculation} />
        : (
          <p class='notice' id='payments-unknown'>
            {t('paymentsUnknown')}
            {props.shown.unavailable !== undefined && <><br /><span class='muted'>{t('nodeSays', { reason: props.shown.unavailable })}</span></>}
          </p>
          )}

      <h3 id='settlement'>{t('settlement')}</h3>
      <dl class='fields' id='settlement-figures'>
        <dt>{t('status')}</dt>
        <dd><span class={`badge ${SETTLEMENT_BADGE[settlement.status]}`} id='settlement-status' data-status={settlement.status}>{t(`settlement_${settlement.status}`)}</span></dd>
        <dt>{t('due')}</dt><dd>{settlement.due !== undefined ? money(settlement.due) : '—'}</dd>
        <dt>{t('paid')}</dt><dd>{money(settlement.paid)}</dd>
        {settlement.refunds.length > 0 && <><dt>{t('refunded')}</dt><dd>{money(settlement.refunded)}</dd></>}
        {settlement.balance !== undefined && <><dt>{t('balance')}</dt><dd>{money(settlement.balance)}</dd></>}
      </dl>
      <h3 id='payment-orders'>{t('paymentOrdersNav')}</h3>
      <Orders lang={props.lang} orders={settlement.orders} names={props.names} />
      {settlement.refunds.length > 0 && <Refunds lang={props.lang} refunds={settlement.refunds} currency={settlement.currency} />}
      {props.pay !== undefined && <PayForm {...props.pay} />}
      {props.refund !== undefined && <RefundForm {...props.refund} />}
    </section>
  )
}
