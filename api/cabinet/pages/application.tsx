/**
 * One application: its procedure, the agency, its signed timeline (who acted,
 * by name), the decision in force with its standing and the decisions it
 * relied on; on the agency's node, the officer's actions: take it under
 * review, ask for missing elements only, decide; then amend, suspend,
 * reinstate or withdraw the decision.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { ApplicationView } from '../../../node/workflow/application-service.js'
import type { DecisionStanding } from '../../../node/workflow/decision-standing.js'
import { typeTitle } from '../document-labels.js'
import { translator, type Lang } from '../i18n.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'
import { Participant, Verification } from './consignment.js'
import { GivenDocuments, type GivenDocument } from './given-documents.js'
import type { Evaluation } from '../../../node/workflow/risk-service.js'
import { Evaluations, OutcomeBadge } from './evaluations.js'

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
  /** The agency's risk evaluations of the application, oldest first; undefined where it is not the agency's node. */
  readonly evaluations?: readonly Evaluation[] | undefined
}

export function ApplicationPage (props: ApplicationProps) {
  const t = translator(props.lang)
  const a = props.application
  const path = `/applications/${a.id}`
  const decider = a.decision?.data.actor as { name?: string } | undefined
  // The officer may change a permit, certificate or release of this agency until it is withdrawn.
  const changeable = props.canDecide && a.decision !== undefined && a.decisionStatus !== undefined && a.decisionStatus.status !== 'withdrawn' &&
    a.decision.type !== 'decision.refusal' && a.decision.issuer === a.agency
  const latest = props.evaluations?.at(-1)
  return (
    <Layout lang={props.lang} title={`${t('application')} ${a.procedure}`} path={path} account={props.account} csrf={props.csrf} live={a.id}>
      <p class='noprint'><a href={`/consignments/${encodeURIComponent(a.consignment)}`}>← {t('consignment')} {a.consignment}</a></p>
      <h1>{t('application')}: <span class='mono'>{a.procedure}</span></h1>
      <p>
        <span class='badge' id='status'>{t(`state_${a.status}`)}</span>
        {latest !== undefined && <> <OutcomeBadge lang={props.lang} outcome={latest.outcome} /></>}
      </p>
      <dl class='fields'>
        <dt>{t('consignment')}</dt><dd class='mono'>{a.consignment}</dd>
        <dt>{t('applicant')}</dt><dd><Participant id={a.applicant} names={props.names} /></dd>
        <dt>{t('agency')}</dt><dd><Participant id={a.agency} names={props.names} /></dd>
        <dt>{t('submittedAt')}</dt><dd>{when(props.lang, a.submittedAt)}</dd>
      </dl>
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}

      {props.evaluations !== undefined && <Evaluations lang={props.lang} evaluations={props.evaluations} />}

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
          <h2 id='decision'>{t('decision')}: <a href={`/documents/${a.decision.id}`}>{t(`kind_${a.decision.type.slice('decision.'.length) as 'release'}`)}</a>
            {typeof a.decision.data.number === 'string' && <> <span class='mono'>{a.decision.data.number}</span></>}
          </h2>
          <p><Verification lang={props.lang} view={a.decision} />{decider?.name !== undefined && <> · <strong id='decided-by'>{t('decidedBy', { name: decider.name })}</strong></>}</p>
          {a.decisionStatus !== undefined && <Standing lang={props.lang} standing={a.decisionStatus} />}
          {a.reliance !== undefined && a.reliance.length > 0 && (
            <>
              <h3 id='reliance'>{t('reliedOn')}</h3>
              {a.reliance.some(r => r.status !== 'valid' && r.status !== 'amended') && <p class='notice' role='status' id='reliance-warning'>{t('relianceWarning')}</p>}
              <ul aria-labelledby='reliance'>
                {a.reliance.map(r => (
                  <li>
                    <a href={`/documents/${r.record}`}>{typeTitle(props.lang, r.type)}</a>{' '}
                    <span class={`badge ${r.status === 'valid' ? 'ok' : 'bad'}`} data-status={r.status}>{t(`standing_${r.status}`)}</span>
                    {r.until !== undefined && <> {t('standingUntil', { date: r.until })}</>}
                    {r.reason !== undefined && <> — {r.reason}</>}
                    {r.current !== undefined && <> · <a href={`/documents/${r.current}`}>{t('amendedSince')}</a></>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      {changeable && a.decision !== undefined && a.decisionStatus !== undefined && (
        <section aria-labelledby='change' class='noprint'>
          <h2 id='change'>{t('changeDecision')}</h2>
          <p class='muted'>{t('changeDecisionIntro')}</p>
          <form method='post' action={`${path}/amend`}>
            <input type='hidden' name='_csrf' value={props.csrf} />
            <input type='hidden' name='decision' value={a.decision.id} />
            <h3>{t('amendDecision')}</h3>
            <label for='amend-number'>{t('number')}</label>
            <input type='text' id='amend-number' name='number' maxlength={70} value={typeof a.decision.data.number === 'string' ? a.decision.data.number : ''} />
            <label for='amend-summary'>{t('summary')}</label>
            <textarea id='amend-summary' name='summary' rows={2} maxlength={4000}>{typeof a.decision.data.summary === 'string' ? a.decision.data.summary : ''}</textarea>
            <label for='amend-until'>{t('validUntil')}</label>
            <input type='date' id='amend-until' name='validUntil' value={a.decision.validUntil?.slice(0, 10) ?? ''} />
            <button class='primary' type='submit'>{t('amendDecision')}</button>
          </form>
          {a.decisionStatus.status !== 'expired' && (
            <form method='post' action={`${path}/suspend`}>
              <input type='hidden' name='_csrf' value={props.csrf} />
              <input type='hidden' name='decision' value={a.decision.id} />
              <h3>{t('suspendDecision')}</h3>
              <label for='suspend-reason'>{t('reason')}</label>
              <textarea id='suspend-reason' name='reason' rows={2} maxlength={2000} required />
              <label for='suspend-until'>{t('suspendUntil')}</label>
              <input type='date' id='suspend-until' name='until' />
              <button class='secondary' type='submit'>{t('suspendDecision')}</button>
            </form>
          )}
          {(a.decisionStatus.status === 'suspended' || a.decisionStatus.pending?.status === 'suspended') && (
            <form method='post' action={`${path}/reinstate`}>
              <input type='hidden' name='_csrf' value={props.csrf} />
              <input type='hidden' name='decision' value={a.decision.id} />
              <h3>{t('reinstateDecision')}</h3>
              <label for='reinstate-reason'>{t('reason')}</label>
              <textarea id='reinstate-reason' name='reason' rows={2} maxlength={2000} required />
              <button class='secondary' type='submit'>{t('reinstateDecision')}</button>
            </form>
          )}
          <form method='post' action={`${path}/withdraw`}>
            <input type='hidden' name='_csrf' value={props.csrf} />
            <input type='hidden' name='decision' value={a.decision.id} />
            <h3>{t('withdrawDecision')}</h3>
            <label for='withdraw-reason'>{t('reason')}</label>
            <textarea id='withdraw-reason' name='reason' rows={2} maxlength={2000} required />
            <button class='secondary' type='submit'>{t('withdrawDecision')}</button>
          </form>
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

/** Whether the decision is in force: a badge, with the reason and days of a suspension or withdrawal, and one to come. */
function Standing (props: { lang: Lang, standing: DecisionStanding }) {
  const t = translator(props.lang)
  const s = props.standing
  return (
    <>
      <p>
        <span id='decision-status' data-status={s.status} class={`badge ${s.status === 'valid' ? 'ok' : 'bad'}`}>{t(`standing_${s.status}`)}</span>
        {s.status === 'suspended' && s.from !== undefined && <> {t('standingFrom', { date: s.from })}</>}
        {s.status === 'suspended' && s.until !== undefined && <> {t('standingUntil', { date: s.until })}</>}
        {s.status === 'withdrawn' && s.from !== undefined && <> {t('standingFrom', { date: s.from })}</>}
        {s.versions.length > 1 && <> · {t('decisionVersion', { n: s.versions.length })}</>}
      </p>
      {s.reason !== undefined && <p id='decision-reason'><strong>{t('reason')}:</strong> {s.reason}</p>}
      {s.pending !== undefined && <p class='notice' id='decision-pending'>{t(`pending_${s.pending.status}`, { date: s.pending.from, reason: s.pending.reason ?? '' })}</p>}
    </>
  )
}
