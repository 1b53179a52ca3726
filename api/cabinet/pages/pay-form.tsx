/** The trader's form that orders a bank to pay what a declaration owes: bank, payer's account, the customs account, reference. */
import { translator, type Lang } from '../i18n.js'
import type { PayChoice, PayForm as PayFormInput } from '../payment-forms.js'
import { short } from './format.js'
import { fieldWiring } from './field-wiring.js'

export interface PayFormProps {
  readonly lang: Lang
  readonly ref: string
  readonly csrf: string
  readonly banks: readonly PayChoice[]
  /** Certified agencies the payee may be; customs first. */
  readonly agencies: readonly PayChoice[]
  readonly form: PayFormInput
  /** What is wrong, by field name. */
  readonly errors: ReadonlyMap<string, string>
  /** A refusal of the node that names no field. */
  readonly failure?: string | undefined
  /** An order of the declaration waits at a bank already. */
  readonly pending: boolean
}

export function PayForm (props: PayFormProps) {
  const t = translator(props.lang)
  const { form, errors } = props
  /** The hint and error of a field, wired for screen readers. */
  const { described, error } = fieldWiring(errors)
  const text = (name: 'payerName' | 'payerAccount' | 'payerBic' | 'payeeName' | 'payeeAccount' | 'payeeBic' | 'reference', label: string, options: { required?: boolean, max: number, hint?: string, mono?: boolean }) => (
    <div class='field'>
      <label for={name}>{label}{options.required === true && <span class='req' aria-hidden='true'> *</span>}</label>
      {options.hint !== undefined && <p class='hint' id={`${name}-hint`}>{options.hint}</p>}
      <input type='text' id={name} name={name} maxlength={options.max} required={options.required} autocomplete='off' class={options.mono === true ? 'mono' : undefined} value={form[name]} {...described(name, options.hint !== undefined)} />
      {error(name)}
    </div>
  )
  return (
    <section aria-labelledby='pay' class='noprint'>
      <h3 id='pay'>{t('payDeclaration')}</h3>
      <p class='muted'>{t('payIntro')}</p>
      {props.pending && <p class='notice' role='status'>{t('orderPendingNotice')}</p>}
      {props.banks.length === 0
        ? <p class='notice'>{t('noBanks')}</p>
        : (
          <form method='post' action={`/consignments/${encodeURIComponent(props.ref)}/payment-orders`} class='document-form' novalidate>
            {errors.size > 0 && <p class='error' role='alert'>{t('orderNotMade')}</p>}
            {props.failure !== undefined && <p class='error' role='alert'>{props.failure}</p>}
            <input type='hidden' name='_csrf' value={props.csrf} />
            <div class='field'>
              <label for='bank'>{t('bank')}<span class='req' aria-hidden='true'> *</span></label>
              <select id='bank' name='bank' required {...described('bank', false)}>
                <option value=''>—</option>
                {props.banks.map(b => <option value={b.participant} selected={form.bank === b.participant}>{b.name} ({short(b.participant)})</option>)}
              </select>
              {error('bank')}
            </div>
            <fieldset class='group'>
              <legend>{t('payer')}</legend>
              {text('payerName', t('accountHolder'), { required: true, max: 256 })}
              {text('payerAccount', t('accountNumber'), { required: true, max: 42, mono: true })}
              {text('payerBic', t('bic'), { max: 14, hint: t('bicHint'), mono: true })}
            </fieldset>
            <fieldset class='group'>
              <legend>{t('payee')}</legend>
              <div class='field'>
                <label for='payeeAgency'>{t('payeeAgency')}</label>
                <p class='hint' id='payeeAgency-hint'>{t('payeeAgencyHint')}</p>
                <select id='payeeAgency' name='payeeAgency' {...described('payeeAgency', true)}>
                  <option value=''>—</option>
                  {props.agencies.map(a => <option value={a.participant} selected={form.payeeAgency === a.participant}>{a.name}{a.competence !== undefined && `, ${a.competence}`} ({short(a.participant)})</option>)}
                </select>
                {error('payeeAgency')}
              </div>
              {text('payeeName', t('accountHolder'), { required: true, max: 256 })}
              {text('payeeAccount', t('accountNumber'), { required: true, max: 42, mono: true })}
              {text('payeeBic', t('bic'), { max: 14, hint: t('bicHint'), mono: true })}
            </fieldset>
            {text('reference', t('paymentReference'), { max: 140 })}
            <button class='primary' type='submit'>{t('sendOrder')}</button>
          </form>
          )}
    </section>
  )
}
