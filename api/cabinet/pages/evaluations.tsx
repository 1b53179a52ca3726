/**
 * What an agency's risk rules made of an application, for its officers: each
 * evaluation, the newest last — when, what prompted it, the outcome as a
 * coloured badge with its words, the rules that matched with their reasons,
 * the facts they were judged on, and the release a green outcome issued.
 */
import type { Evaluation, Outcome } from '../../../node/workflow/risk-service.js'
import { spaced } from '../../../node/reference/measure-service.js'
import { typeTitle } from '../document-labels.js'
import { translator, type Lang, type MessageKey } from '../i18n.js'
import { amount, when } from './format.js'

/** The outcome as a badge: its colour, and always its words, so it does not rest on colour alone. */
export function OutcomeBadge (props: { lang: Lang, outcome: Outcome }) {
  return <span class={`badge risk-${props.outcome}`} data-outcome={props.outcome}>{translator(props.lang)(`outcome_${props.outcome}`)}</span>
}

/** The node's triggers, as the reader says them. */
const TRIGGERS: Readonly<Record<string, MessageKey>> = {
  'application received': 'triggerApplication',
  'payment confirmed': 'triggerPayment',
  'on request': 'triggerRequest',
  'green, waiting for the payments to be confirmed': 'triggerWaiting'
}

/** What prompted an evaluation, in the reader's language; words the node may add later stay as written. */
export function triggerText (lang: Lang, trigger: string): string {
  const t = translator(lang)
  return trigger.split('; ').map(part => {
    const key = TRIGGERS[part]
    if (key !== undefined) return t(key)
    const received = /^([a-z]+(?:\.[a-z-]+)+) received$/.exec(part)
    return received !== null ? t('triggerReceived', { type: typeTitle(lang, received[1] ?? '') }) : part
  }).join('; ')
}

function Facts (props: { lang: Lang, facts: Evaluation['facts'] }) {
  const t = translator(props.lang)
  const f = props.facts
  const none = <span class='muted'>{t('noneShown')}</span>
  return (
    <dl class='fields'>
      <dt>{t('goodsCodes')}</dt><dd class='mono'>{f.hsCodes.length > 0 ? f.hsCodes.map(spaced).join(', ') : none}</dd>
      <dt>{t('origins')}</dt><dd>{f.origins.length > 0 ? f.origins.join(', ') : none}</dd>
      <dt>{t('valuePerKg')}</dt><dd>{f.valuePerKg !== undefined ? `${amount(props.lang, f.valuePerKg)} ${f.valueCurrency ?? ''}` : none}</dd>
      <dt>{t('documents')}</dt><dd>{f.documents.length > 0 ? f.documents.map(type => typeTitle(props.lang, type)).join(', ') : none}</dd>
      <dt>{t('paymentConfirmed')}</dt><dd>{t(f.paymentConfirmed ? 'yes' : 'no')}</dd>
      <dt>{t('openMissingData')}</dt><dd>{t(f.openMissingData ? 'yes' : 'no')}</dd>
      <dt>{t('aeoFact')}</dt><dd>{f.aeo !== undefined ? `${t('yes')}, ${t('aeoType', { type: f.aeo })}` : t('no')}</dd>
    </dl>
  )
}

export function Evaluations (props: { lang: Lang, evaluations: readonly Evaluation[] }) {
  const t = translator(props.lang)
  return (
    <section aria-labelledby='evaluations'>
      <h2 id='evaluations'>{t('evaluations')}</h2>
      {props.evaluations.length === 0
        ? <p class='muted'>{t('noEvaluations')}</p>
        : (
          <>
            <p class='muted'>{t('evaluationsIntro')}</p>
            <ol class='timeline' id='evaluations-list'>
              {props.evaluations.map((e, i) => (
                <li class='evaluation' id={`evaluation-${e.record}`}>
                  <p>
                    <OutcomeBadge lang={props.lang} outcome={e.outcome} />{' '}
                    <a href={`/documents/${e.record}`}>{when(props.lang, e.at)}</a>
                    {' · '}{t('trigger')}: {triggerText(props.lang, e.trigger)}
                  </p>
                  {e.rules.length === 0
                    ? <p class='muted'>{t('noRuleMatched')}</p>
                    : (
                      <>
                        <h3>{t('rulesMatched')}</h3>
                        <ul class='compact rules'>
                          {e.rules.map(r => (
                            <li>
                              <a class='mono' href={`/documents/${r.record}`}>{r.rule}</a> <OutcomeBadge lang={props.lang} outcome={r.outcome} />
                              {r.reason !== undefined && <div class='reason'>{r.reason}</div>}
                            </li>
                          ))}
                        </ul>
                      </>
                      )}
                  <details open={i === props.evaluations.length - 1}>
                    <summary>{t('facts')}</summary>
                    <Facts lang={props.lang} facts={e.facts} />
                  </details>
                  {e.release !== undefined && <p><a href={`/documents/${e.release}`} class='release'>{t('releaseIssued')}</a></p>}
                </li>
              ))}
            </ol>
          </>
          )}
    </section>
  )
}
