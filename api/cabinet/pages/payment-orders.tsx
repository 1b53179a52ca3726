/**
 * A bank's payment orders: those traders' nodes sent it, newest first, by
 * status; each with the payer, the payee, the declaration and consignment it
 * pays, the amounts by kind; for a person who decides, on a pending order,
 * the forms that confirm the payment (whole or a part) or refuse it with the
 * reason.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { OrderStatus, OrderView } from '../../../node/payments/settlement-service.js'
import type { PaymentOrderData } from '../../../record/types/index.js'
import { translator, type Lang } from '../i18n.js'
import { restOf } from '../payment-forms.js'
import { amount, short, when } from './format.js'
import { Layout } from './layout.js'

export const ORDER_STATES: readonly OrderStatus[] = ['pending', 'partly-paid', 'paid', 'refused']

/** A form of one order that came back: what is wrong by field, or the node's refusal. */
export interface OrderFormSent {
  readonly order: string
  readonly errors: ReadonlyMap<string, string>
  readonly failure?: string | undefined
  /** What was written, to show again. */
  readonly values: Readonly<Record<string, string>>
}

export interface PaymentOrdersProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly orders: readonly OrderView[]
  readonly status?: OrderStatus | undefined
  /** This node is a bank and the person may decide: the forms are shown. */
  readonly canDecide: boolean
  readonly names: ReadonlyMap<string, string>
  readonly sent?: OrderFormSent | undefined
}

const BADGE: Record<OrderStatus, string> = { pending: 'muted', paid: 'ok', 'partly-paid': 'bad', refused: 'bad' }

function Holder (props: { holder: PaymentOrderData['payer'], names: ReadonlyMap<string, string> }) {
  const { holder } = props
  return (
    <>
      {holder.name}
      <div class='mono'>{holder.account}{holder.bic !== undefined && ` · ${holder.bic}`}</div>
      {holder.participant !== undefined && <div class='muted'>{props.names.get(holder.participant) ?? ''} <span class='mono' title={holder.participant}>{short(holder.participant)}</span></div>}
    </>
  )
}

/** What ties a field of one order's form to its hint and error, for screen readers. */
function wired (id: string, hint: boolean, error: string | undefined): Record<string, string | undefined> {
  const ids = [hint ? `${id}-hint` : undefined, error !== undefined ? `${id}-error` : undefined].filter(x => x !== undefined)
  return { id, 'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined, 'aria-invalid': error !== undefined ? 'true' : undefined }
}

function FieldError (props: { id: string, error: string | undefined }) {
  return <>{props.error !== undefined && <p class='field-error' id={`${props.id}-error`}>{props.error}</p>}</>
}

function Decide (props: { lang: Lang, csrf: string, order: OrderView, sent?: OrderFormSent | undefined }) {
  const t = translator(props.lang)
  const o = props.order
  const sent = props.sent?.order === o.id ? props.sent : undefined
  const action = `/payment-orders/${o.id}`
  return (
    <div class='decide noprint'>
      <form method='post' action={`${action}/confirm`} novalidate>
        <input type='hidden' name='_csrf' value={props.csrf} />
        <h3>{t('confirmPayment')}</h3>
        {sent?.errors.has('total') === true && <p class='error' role='alert'>{t('fixBelow')}</p>}
        <div class='field'>
          <label for={`total-${o.id}`}>{t('partialTotal')}</label>
          <p class='hint' id={`total-${o.id}-hint`}>{t('partialTotalHint', { rest: amount(props.lang, restOf(o)), currency: o.order.currency })}</p>
          <input type='text' name='total' inputmode='decimal' maxlength={40} autocomplete='off' value={sent?.values.total ?? ''} {...wired(`total-${o.id}`, true, sent?.errors.get('total'))} />
          <FieldError id={`total-${o.id}`} error={sent?.errors.get('total')} />
        </div>
        <div class='field'>
          <label for={`bankReference-${o.id}`}>{t('bankReference')}</label>
          <input type='text' name='bankReference' maxlength={64} autocomplete='off' value={sent?.values.bankReference ?? ''} {...wired(`bankReference-${o.id}`, false, sent?.errors.get('bankReference'))} />
          <FieldError id={`bankReference-${o.id}`} error={sent?.errors.get('bankReference')} />
        </div>
        <button class='primary' type='submit'>{t('confirmPayment')}</button>
      </form>
      {o.status === 'pending' && (
        <form method='post' action={`${action}/refuse`} novalidate>
          <input type='hidden' name='_csrf' value={props.csrf} />
          <h3>{t('refuseOrder')}</h3>
          {sent?.errors.has('reason') === true && <p class='error' role='alert'>{t('fixBelow')}</p>}
          <div class='field'>
            <label for={`reason-${o.id}`}>{t('reason')}<span class='req' aria-hidden='true'> *</span></label>
            <textarea name='reason' rows={2} maxlength={1000} required {...wired(`reason-${o.id}`, false, sent?.errors.get('reason'))}>{sent?.values.reason ?? ''}</textarea>
            <FieldError id={`reason-${o.id}`} error={sent?.errors.get('reason')} />
          </div>
          <button class='secondary' type='submit'>{t('refuseOrder')}</button>
        </form>
      )}
    </div>
  )
}

function Order (props: { lang: Lang, csrf: string, order: OrderView, canDecide: boolean, names: ReadonlyMap<string, string>, sent?: OrderFormSent | undefined }) {
  const t = translator(props.lang)
  const o = props.order
  const money = (value: string): string => `${amount(props.lang, value)} ${o.order.currency}`
  return (
    <section class='order' id={`order-${o.id}`} aria-labelledby={`order-${o.id}-title`}>
      <h2 id={`order-${o.id}-title`}>
        {t('orderedAt')} {when(props.lang, o.issuedAt)} — {money(o.order.total)}{' '}
        <span class={`badge ${BADGE[o.status]}`} data-status={o.status}>{t(`order_${o.status}`)}</span>
      </h2>
      {o.refusal !== undefined && <p class='reason'>{t('refusedBecause', { reason: o.refusal.reason })}</p>}
      {props.sent?.order === o.id && props.sent.failure !== undefined && <p class='error' role='alert'>{props.sent.failure}</p>}
      <div class='order-body'>
        <dl class='fields'>
          <dt>{t('payer')}</dt><dd><Holder holder={o.order.payer} names={props.names} /></dd>
          <dt>{t('payee')}</dt><dd><Holder holder={o.order.payee} names={props.names} /></dd>
          {o.order.reference !== undefined && <><dt>{t('paymentReference')}</dt><dd>{o.order.reference}</dd></>}
          <dt>{t('declaration')}</dt><dd class='mono' title={o.order.declaration}>{short(o.order.declaration)}</dd>
          <dt>{t('consignment')}</dt><dd><a class='mono' href={`/consignments/${encodeURIComponent(o.consignment)}`}>{o.consignment}</a></dd>
          <dt>{t('amounts')}</dt>
          <dd>
            <table class='amounts'>
              <tbody>
                {o.order.amounts.map(a => <tr><th scope='row'>{t(`tax_${a.tax}`)}</th><td class='num'>{money(a.amount)}</td></tr>)}
                <tr class='total'><th scope='row'>{t('total')}</th><td class='num'>{money(o.order.total)}</td></tr>
              </tbody>
            </table>
          </dd>
          <dt>{t('paid')}</dt><dd>{money(o.paid)}</dd>
          {o.confirmations.length > 0 && (
            <>
              <dt>{t('confirmations')}</dt>
              <dd>
                <ul class='compact'>
                  {o.confirmations.map(c => <li>{t('confirmedOn', { amount: amount(props.lang, c.total), currency: o.order.currency, date: when(props.lang, c.paidAt) })}{c.bankReference !== undefined && <> · <span class='mono'>{c.bankReference}</span></>}</li>)}
                </ul>
              </dd>
            </>
          )}
        </dl>
        {props.canDecide && (o.status === 'pending' || o.status === 'partly-paid') && <Decide lang={props.lang} csrf={props.csrf} order={o} sent={props.sent} />}
      </div>
    </section>
  )
}

export function PaymentOrdersPage (props: PaymentOrdersProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('paymentOrdersTitle')} path={`/payment-orders${props.status !== undefined ? `?status=${props.status}` : ''}`} account={props.account} csrf={props.csrf}>
      <h1>{t('paymentOrdersTitle')}</h1>
      <p class='muted'>{t('paymentOrdersIntro')}</p>
      <form method='get' action='/payment-orders' class='inline noprint'>
        <label for='status'>{t('status')}</label>
        <select id='status' name='status'>
          <option value=''>{t('allStatuses')}</option>
          {ORDER_STATES.map(s => <option value={s} selected={s === props.status}>{t(`order_${s}`)}</option>)}
        </select>
        <button class='secondary' type='submit'>{t('filter')}</button>
      </form>
      {props.orders.length === 0 && <p class='muted'>{t('noOrdersReceived')}</p>}
      {props.orders.map(order => <Order lang={props.lang} csrf={props.csrf} order={order} canDecide={props.canDecide} names={props.names} sent={props.sent} />)}
    </Layout>
  )
}
