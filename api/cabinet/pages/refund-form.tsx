/** @jsxImportSource hono/jsx */
/**
 * Customs gives back what was paid beyond what the declaration owes: the
 * amount (all of the overpayment unless said) and the reason, signed as a
 * refund and sent to the declarant and the banks that paid.
 */
import { translator, type Lang } from '../i18n.js'
import { amount } from './format.js'
import { fieldWiring } from './field-wiring.js'

export interface RefundFormProps {
  readonly lang: Lang
  readonly ref: string
  readonly csrf: string
  /** What was paid beyond what is owed. */
  readonly overpaid: string
  readonly currency: string
  readonly values?: { readonly total: string, readonly reason: string }
  readonly errors?: ReadonlyMap<string, string>
  readonly failure?: string | undefined
}

export function RefundForm (props: RefundFormProps) {
  const t = translator(props.lang)
  const errors = props.errors ?? new Map<string, string>()
  const { described, error } = fieldWiring(errors, 'refund-')
  return (
    <section aria-labelledby='refund' class='noprint'>
      <h3 id='refund'>{t('refundTitle')}</h3>
      <p class='muted'>{t('refundIntro', { amount: `${amount(props.lang, props.overpaid)} ${props.currency}` })}</p>
      <form method='post' action={`/consignments/${encodeURIComponent(props.ref)}/refunds`} class='document-form' novalidate>
        {props.failure !== undefined && <p class='error' role='alert'>{props.failure}</p>}
        <input type='hidden' name='_csrf' value={props.csrf} />
        <div class='field'>
          <label for='refund-total'>{t('refundAmount')}</label>
          <p class='hint' id='refund-total-hint'>{t('refundAmountHint', { amount: props.overpaid })}</p>
          <input type='text' id='refund-total' name='total' inputmode='decimal' maxlength={40} class='mono' value={props.values?.total ?? ''} {...described('total', true)} />
          {error('total')}
        </div>
        <div class='field'>
          <label for='refund-reason'>{t('reason')}<span class='req' aria-hidden='true'> *</span></label>
          <textarea id='refund-reason' name='reason' maxlength={1000} required rows={3} {...described('reason', false)}>{props.values?.reason ?? ''}</textarea>
          {error('reason')}
        </div>
        <button type='submit'>{t('refundSubmit')}</button>
      </form>
    </section>
  )
}
