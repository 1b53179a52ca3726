/**
 * Asking a participant: whom, for what (a consignment, a record, records by
 * type, time and goods), for which purpose, and whether to keep what comes;
 * below it the holder's answer — its records as its grants let this node see
 * them, each verified, or its signed "nothing" — or why there is no answer.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { QueryResult } from '../../../node/query/query-service.js'
import { pathLabel } from '../document-labels.js'
import { isMessageKey, translator, type Lang } from '../i18n.js'
import type { AskChoice, AskForm } from '../ask-form.js'
import { leaves, short, when } from './format.js'
import { Verification } from './consignment.js'
import { Layout } from './layout.js'
import { fieldWiring } from './field-wiring.js'

export interface AskPageProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  /** The person may send queries (one who applies or decides); others read the page only. */
  readonly canAsk: boolean
  readonly holders: readonly AskChoice[]
  /** The record types the form offers, with their titles. */
  readonly types: ReadonlyArray<{ readonly type: string, readonly title: string }>
  readonly form: AskForm
  /** What is wrong, by field name. */
  readonly errors: ReadonlyMap<string, string>
  /** Why the query got no answer: the node's refusal, said plainly. */
  readonly failure?: string | undefined
  /** The holder's answer, with the titles of its records' types. */
  readonly result?: QueryResult | undefined
  readonly titleOf: (type: string) => string
}

export function AskPage (props: AskPageProps) {
  const t = translator(props.lang)
  const { form, errors } = props
  /** The hint and error of a field, wired for screen readers. */
  const { described, error } = fieldWiring(errors)
  const text = (name: 'consignment' | 'record' | 'hsCode' | 'purpose', label: string, options: { max: number, hint?: string, required?: boolean, pattern?: string }) => (
    <div class='field'>
      <label for={name}>{label}{options.required === true && <span class='req' aria-hidden='true'> *</span>}</label>
      {options.hint !== undefined && <p class='hint' id={`${name}-hint`}>{options.hint}</p>}
      <input type='text' id={name} name={name} maxlength={options.max} required={options.required} pattern={options.pattern} autocomplete='off' class='mono' value={form[name]} {...described(name, options.hint !== undefined)} />
      {error(name)}
    </div>
  )
  const date = (name: 'since' | 'until', label: string) => (
    <div class='field'>
      <label for={name}>{label}</label>
      <input type='date' id={name} name={name} value={form[name]} {...described(name, false)} />
      {error(name)}
    </div>
  )
  const kind = (value: AskForm['kind'], label: string) => (
    <label class='check'><input type='radio' name='kind' value={value} checked={form.kind === value} /> {label}</label>
  )
  const roleName = (role: string): string => isMessageKey(`prole_${role}`) ? t(`prole_${role}` as 'prole_trader') : role
  return (
    <Layout lang={props.lang} title={t('askTitle')} path='/ask' account={props.account} csrf={props.csrf}>
      <h1>{t('askTitle')}</h1>
      <p class='muted'>{t('askIntro')}</p>
      {!props.canAsk && <p class='notice'>{t('askReadOnly')}</p>}
      {props.canAsk && props.holders.length === 0 && <p class='notice'>{t('askNoHolders')}</p>}
      {props.canAsk && props.holders.length > 0 && (
        <form method='post' action='/ask' class='document-form noprint' novalidate>
          {errors.size > 0 && <p class='error' role='alert'>{t('askNotSent')}</p>}
          <input type='hidden' name='_csrf' value={props.csrf} />
          <div class='field'>
            <label for='holder'>{t('askHolder')}<span class='req' aria-hidden='true'> *</span></label>
            <select id='holder' name='holder' required {...described('holder', false)}>
              <option value=''>—</option>
              {props.holders.map(h => (
                <option value={h.participant} selected={form.holder === h.participant}>
                  {h.name !== '' ? h.name : short(h.participant)}, {roleName(h.role)}{h.competence !== undefined && ` (${h.competence})`}
                </option>
              ))}
            </select>
            {error('holder')}
          </div>
          <fieldset class='group'>
            <legend>{t('askWhat')}</legend>
            <p>
              {kind('consignment', t('askByConsignment'))}{' '}
              {kind('record', t('askByRecord'))}{' '}
              {kind('type', t('askByType'))}
            </p>
            {text('consignment', t('askConsignment'), { max: 35, hint: t('askConsignmentHint') })}
            {text('record', t('askRecord'), { max: 64 })}
            <div class='field'>
              <label for='type'>{t('type')}</label>
              <select id='type' name='type' {...described('type', false)}>
                <option value=''>—</option>
                {props.types.map(ty => <option value={ty.type} selected={form.type === ty.type}>{ty.title} ({ty.type})</option>)}
              </select>
              {error('type')}
            </div>
            {date('since', t('askSince'))}
            {date('until', t('askUntil'))}
            {text('hsCode', t('askHsCode'), { max: 10, hint: t('askHsCodeHint') })}
          </fieldset>
          {text('purpose', t('askPurpose'), { max: 128, required: true, hint: t('askPurposeHint'), pattern: '^[A-Z]{2}(\\.[A-Za-z0-9-]+)+$' })}
          <div class='field'>
            <label class='check'><input type='checkbox' id='store' name='store' checked={form.store} aria-describedby='store-hint' /> {t('askStore')}</label>
            <p class='hint' id='store-hint'>{t('askStoreHint')}</p>
          </div>
          <button class='primary' type='submit'>{t('askSend')}</button>
        </form>
      )}
      {props.failure !== undefined && <p class='error' role='alert' id='ask-failure'>{props.failure}</p>}
      {props.result !== undefined && <Answer lang={props.lang} result={props.result} holders={props.holders} titleOf={props.titleOf} />}
    </Layout>
  )
}

function Answer (props: { lang: Lang, result: QueryResult, holders: readonly AskChoice[], titleOf: (type: string) => string }) {
  const t = translator(props.lang)
  const { result } = props
  const name = props.holders.find(h => h.participant === result.holder)?.name ?? short(result.holder)
  const kept = new Set(result.stored?.kept ?? [])
  return (
    <section aria-labelledby='answer' id='ask-result' data-outcome={result.answer.outcome}>
      <h2 id='answer'>{t('askAnswerOf', { name })}</h2>
      <dl class='fields'>
        <dt>{t('askOutcome')}</dt>
        <dd id='ask-outcome'>{result.answer.outcome === 'records' ? t('askOutcomeRecords', { count: result.records.length }) : t('askOutcomeNothing')}</dd>
        <dt>{t('issuedAt')}</dt><dd>{when(props.lang, result.answer.issuedAt)}</dd>
        {result.answer.reason !== undefined && <><dt>{t('askReason')}</dt><dd>{result.answer.reason}</dd></>}
      </dl>
      {result.answer.truncated && <p class='notice' role='status'>{t('askTruncated')}</p>}
      {result.stored !== undefined && result.stored.refused.length > 0 && (
        <ul class='error'>
          {result.stored.refused.map(r => <li>{t('askNotKept', { id: short(r.record), reason: r.reason })}</li>)}
        </ul>
      )}
      {result.records.map(view => (
        <article class='asked-record' aria-labelledby={`rec-${view.id}`}>
          <h3 id={`rec-${view.id}`}>
            {kept.has(view.id) ? <a href={`/documents/${view.id}`}>{props.titleOf(view.type)}</a> : props.titleOf(view.type)}
          </h3>
          <p>
            <Verification lang={props.lang} view={view} />{' '}
            <span class='muted'>{t('issuedAt')}: {when(props.lang, view.issuedAt)}</span>{' '}
            {kept.has(view.id) && <span class='badge ok'>{t('askKept')}</span>}
          </p>
          {!view.complete && <p class='muted'>{t('partial', { disclosed: view.fields.disclosed, total: view.fields.total })}</p>}
          <dl class='fields'>
            {leaves(view.data).map(leaf => <><dt title={leaf.pointer}>{pathLabel(props.lang, leaf.steps)}</dt><dd>{leaf.value}</dd></>)}
          </dl>
        </article>
      ))}
    </section>
  )
}
