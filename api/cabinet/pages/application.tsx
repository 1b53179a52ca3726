/**
 * One application: its procedure, the agency, its signed timeline (who acted,
 * by name), the decision; on the agency's node, the officer's actions: take
 * it under review, ask for missing elements only, decide.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { ApplicationView } from '../../../node/workflow/application-service.js'
import { translator, type Lang } from '../i18n.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'
import { Participant, Verification } from './consignment.js'
import { GivenDocuments, type GivenDocument } from './given-documents.js'

export interface ApplicationProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly application: ApplicationView
  /** The elements the application lacked, which the officer may ask for. */
  readonly lacking: readonly string[]
  /** The officer's actions are shown: this node is the agency applied to, and the account may decide. */
  readonly canDecide: boolean
  readonly error?: string | undefined
  /** The records the application points to, as this node holds them. */
  readonly given: readonly GivenDocument[]
  /** Participants' certified names. */
  readonly names: ReadonlyMap<string, string>
}

export function ApplicationPage (props: ApplicationProps) {
  const t = translator(props.lang)
  const a = props.application
  const path = `/applications/${a.id}`
  const decider = a.decision?.data.actor as { name?: string } | undefined
  return (
    <Layout lang={props.lang} title={`${t('application')} ${a.procedure}`} path={path} account={props.account} csrf={props.csrf} live={a.id}>
      <p class='noprint'><a href={`/consignments/${encodeURIComponent(a.consignment)}`}>← {t('consignment')} {a.consignment}</a></p>
      <h1>{t('application')}: <span class='mono'>{a.procedure}</span></h1>
      <p><span class='badge' id='status'>{t(`state_${a.status}`)}</span></p>
      <dl class='fields'>
        <dt>{t('consignment')}</dt><dd class='mono'>{a.consignment}</dd>
        <dt>{t('applicant')}</dt><dd><Participant id={a.applicant} names={props.names} /></dd>
        <dt>{t('agency')}</dt><dd><Participant id={a.agency} names={props.names} /></dd>
        <dt>{t('submittedAt')}</dt><dd>{when(props.lang, a.submittedAt)}</dd>
      </dl>
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}

      <h2 id='given'>{t('givenDocuments')}</h2>
      <GivenDocuments lang={props.lang} documents={props.given} />

      <h2 id='timeline'>{t('timeline')}</h2>
      <table aria-labelledby='timeline'>
        <thead><tr><th scope='col'>{t('when')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('by')}</th><th scope='col'>{t('note')}</th></tr></thead>
        <tbody>
          {a.history.map(h => (
            <tr>
              <td>{when(props.lang, h.at)}</td>
              <td><a href={`/documents/${h.record}`}>{t(`state_${h.status}`)}</a></td>
              <td>{h.actor !== undefined ? <>{h.actor.name}<br /></> : null}<span class='muted mono' title={h.by}>{short(h.by)}</span></td>
              <td>{h.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {a.decision !== undefined && (
        <section aria-labelledby='decision'>
          <h2 id='decision'>{t('decision')}: <a href={`/documents/${a.decision.id}`}>{t(`kind_${a.decision.type.slice('decision.'.length) as 'release'}`)}</a></h2>
          <p><Verification lang={props.lang} view={a.decision} />{decider?.name !== undefined && <> · <strong id='decided-by'>{t('decidedBy', { name: decider.name })}</strong></>}</p>
        </section>
      )}

      {props.canDecide && a.status !== 'decided' && (
        <section aria-labelledby='actions' class='noprint'>
          <h2 id='actions'>{t('actions')}</h2>
          {a.status !== 'under-review' && (
            <form method='post' action={`${path}/status`}>
              <input type='hidden' name='_csrf' value={props.csrf} />
              <input type='hidden' name='status' value='under-review' />
              <button class='primary' type='submit'>{t('markUnderReview')}</button>
            </form>
          )}
          {props.lacking.length > 0 && (
            <form method='post' action={`${path}/missing-data`}>
              <input type='hidden' name='_csrf' value={props.csrf} />
              <h3>{t('requestMissing')}</h3>
              <fieldset>
                <legend>{t('requestWhich')}</legend>
                {props.lacking.map(id => <label class='check'><input type='checkbox' name='elements' value={id} checked /> {id}</label>)}
              </fieldset>
              <label for='message'>{t('message')}</label>
              <textarea id='message' name='message' rows={3} maxlength={4000} />
              <button class='primary' type='submit'>{t('requestMissing')}</button>
            </form>
          )}
          <form method='post' action={`${path}/decision`}>
            <input type='hidden' name='_csrf' value={props.csrf} />
            <h3>{t('decide')}</h3>
            <label for='kind'>{t('kind')}</label>
            <select id='kind' name='kind'>
              {(['release', 'permit', 'certificate', 'refusal'] as const).map(k => <option value={k}>{t(`kind_${k}`)}</option>)}
            </select>
            <label for='number'>{t('number')}</label>
            <input type='text' id='number' name='number' maxlength={70} />
            <label for='summary'>{t('summary')}</label>
            <textarea id='summary' name='summary' rows={2} maxlength={4000} />
            <label for='reasons'>{t('reasons')}</label>
            <textarea id='reasons' name='reasons' rows={3} />
            <button class='primary' type='submit'>{t('decide')}</button>
          </form>
        </section>
      )}
    </Layout>
  )
}
