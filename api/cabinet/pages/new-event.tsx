/** The form a carrier fills in to record a movement event of a consignment and send it. */
import type { AccountView } from '../../../node/accounts/account-service.js'
import { DEFAULT_OFFSET, EVENT_STEPS, UTC_OFFSETS, type EventForm } from '../shipment-events.js'
import { translator, type Lang, type MessageKey } from '../i18n.js'
import { short } from './format.js'
import { Layout } from './layout.js'
import { stepName } from './movements.js'

export interface NewEventProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly ref: string
  /** What was sent, when the form comes back with errors. */
  readonly input?: EventForm | undefined
  readonly errors: ReadonlyMap<string, MessageKey>
  /** Participants the event may go to; `chosen` are ticked unless the person chose otherwise. */
  readonly recipients: ReadonlyArray<{ readonly participant: string, readonly name: string, readonly role: string, readonly chosen: boolean }>
  /** A failure that is not one field's (the node refused the event). */
  readonly failure?: string | undefined
}

export function NewEventPage (props: NewEventProps) {
  const t = translator(props.lang)
  const path = `/consignments/${encodeURIComponent(props.ref)}`
  const input = props.input
  /** Label, hint and error of a field, wired for screen readers. */
  const described = (name: string, hint: boolean): Record<string, string | undefined> => {
    const ids = [hint ? `${name}-hint` : undefined, props.errors.has(name) ? `${name}-error` : undefined].filter(x => x !== undefined)
    return { 'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined, 'aria-invalid': props.errors.has(name) ? 'true' : undefined }
  }
  const error = (name: string) => {
    const key = props.errors.get(name)
    return key !== undefined && <p class='field-error' id={`${name}-error`}>{t(key)}</p>
  }
  return (
    <Layout lang={props.lang} title={t('recordEvent')} path={`${path}/events/new`} account={props.account} csrf={props.csrf}>
      <p class='noprint'><a href={path}>← {t('consignment')} {props.ref}</a></p>
      <h1>{t('recordEvent')}</h1>
      <p class='muted'>{t('recordEventIntro', { ref: props.ref })}</p>
      {props.errors.size > 0 && <p class='error' role='alert'>{t('fixBelow')}</p>}
      {props.failure !== undefined && <p class='error' role='alert'>{props.failure}</p>}
      <form method='post' action={`${path}/events`} class='document-form' novalidate>
        <input type='hidden' name='_csrf' value={props.csrf} />
        <div class='field'>
          <label for='step'>{t('eventStep')}<span class='req' aria-hidden='true'> *</span></label>
          <select id='step' name='step' required {...described('step', false)}>
            <option value=''>—</option>
            {EVENT_STEPS.map(s => <option value={s.step} selected={input?.step === s.step}>{stepName(props.lang, s.step)}</option>)}
          </select>
          {error('step')}
        </div>
        <div class='field'>
          <label for='time'>{t('eventTime')}<span class='req' aria-hidden='true'> *</span></label>
          <input type='datetime-local' id='time' name='time' required value={input?.time ?? ''} {...described('time', false)} />
          {error('time')}
        </div>
        <div class='field'>
          <label for='offset'>{t('eventOffset')}</label>
          <select id='offset' name='offset' {...described('offset', false)}>
            {UTC_OFFSETS.map(o => <option value={o} selected={(input?.offset ?? DEFAULT_OFFSET) === o}>UTC{o}</option>)}
          </select>
          {error('offset')}
        </div>
        <div class='field'>
          <label for='locode'>{t('eventPlace')}<span class='req' aria-hidden='true'> *</span></label>
          <p class='hint' id='locode-hint'>{t('eventPlaceHint')}</p>
          <input type='text' id='locode' name='locode' required maxlength={6} autocomplete='off' value={input?.locode ?? ''} {...described('locode', true)} />
          {error('locode')}
        </div>
        <div class='field'>
          <label for='placeName'>{t('eventPlaceName')}</label>
          <input type='text' id='placeName' name='placeName' maxlength={256} value={input?.placeName ?? ''} />
        </div>
        <div class='field'>
          <label for='gln'>{t('eventGln')}</label>
          <p class='hint' id='gln-hint'>{t('eventGlnHint')}</p>
          <input type='text' id='gln' name='gln' inputmode='numeric' maxlength={13} value={input?.gln ?? ''} {...described('gln', true)} />
          {error('gln')}
        </div>
        <div class='field'>
          <label for='vehicle'>{t('eventVehicle')}</label>
          <input type='text' id='vehicle' name='vehicle' maxlength={64} value={input?.vehicle ?? ''} />
        </div>
        <div class='field'>
          <label for='note'>{t('eventNote')}</label>
          <textarea id='note' name='note' rows={2} maxlength={1000}>{input?.note ?? ''}</textarea>
        </div>
        <fieldset class='group'>
          <legend>{t('shareWith')}</legend>
          {props.recipients.length === 0
            ? <p class='muted'>{t('nobodyToShare')}</p>
            : <p class='hint'>{t('shareWithHint')}</p>}
          {props.recipients.map(r => (
            <label class='check'>
              <input type='checkbox' name='share' value={r.participant} checked={input !== undefined ? input.share.includes(r.participant) : r.chosen} />
              {' '}{r.name} <span class='muted'>({t(`prole_${r.role}` as MessageKey)})</span> <span class='muted mono'>{short(r.participant)}</span>
            </label>
          ))}
        </fieldset>
        <button class='primary' type='submit'>{t('recordEvent')}</button>
      </form>
    </Layout>
  )
}
