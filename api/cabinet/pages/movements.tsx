/** A consignment's movement events as a timeline: when, what, where, on what, by whom, whether the signature verifies. */
import type { Movement } from '../shipment-events.js'
import { isMessageKey, translator, type Lang } from '../i18n.js'
import { short } from './format.js'

/** The step's name in the reader's language, or the step itself when it has none. */
export function stepName (lang: Lang, step: string): string {
  const key = `step_${step}`
  return isMessageKey(key) ? translator(lang)(key) : step
}

/** The event's local time as written (with its offset), readable: `2026-11-24 08:30 (UTC+06:00)`. */
export function localTime (at: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(at)
  if (match === null) return at
  return `${match[1] ?? ''} ${match[2] ?? ''} (UTC${match[3] === 'Z' ? '' : match[3] ?? ''})`
}

export function Movements (props: { lang: Lang, movements: readonly Movement[], names: ReadonlyMap<string, string> }) {
  const t = translator(props.lang)
  if (props.movements.length === 0) return <p class='muted'>{t('noMovements')}</p>
  return (
    <ol class='timeline' aria-labelledby='movements'>
      {props.movements.map(m => (
        <li>
          <time datetime={m.at}>{localTime(m.at)}</time>{' '}
          <strong>{stepName(props.lang, m.step)}</strong>
          {m.place !== '' && <> · {m.place}</>}
          {m.placeCode !== undefined && m.placeCode !== m.place && <> <span class='muted mono'>{m.placeCode}</span></>}
          {m.vehicle !== undefined && <> · {t('vehicle')}: <span class='mono'>{m.vehicle}</span></>}
          {m.note !== undefined && <div>{m.note}</div>}
          <div class='muted'>
            {props.names.get(m.by) ?? ''} <span class='mono' title={m.by}>{short(m.by)}</span> ·{' '}
            {m.verified ? <span class='badge ok'>✓ {t('verified')}</span> : <span class='badge bad'>✗ {t('notVerified')}</span>}{' '}
            <a href={`/documents/${m.record}`}>{t('document')}</a>
          </div>
        </li>
      ))}
    </ol>
  )
}
