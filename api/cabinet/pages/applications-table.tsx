/** Applications as a table: the home page's, a consignment's, an officer's inbox. Each links to its page. */
import type { ApplicationView } from '../../../node/workflow/application-service.js'
import { translator, type Lang, type MessageKey } from '../i18n.js'
import { short, when } from './format.js'
import type { Outcome } from '../../../node/workflow/risk-service.js'
import { OutcomeBadge } from './evaluations.js'

export type ApplicationColumn = 'consignment' | 'procedure' | 'agency' | 'applicant' | 'status' | 'submittedAt'

const cell: Record<ApplicationColumn, (a: ApplicationView, lang: Lang, outcome?: Outcome) => unknown> = {
  consignment: a => <td class='mono'>{a.consignment}</td>,
  procedure: a => <td><a href={`/applications/${a.id}`}>{a.procedure}</a></td>,
  agency: a => <td class='mono' title={a.agency}>{short(a.agency)}</td>,
  applicant: a => <td class='mono' title={a.applicant}>{short(a.applicant)}</td>,
  status: (a, lang, outcome) => <td><span class='badge'>{translator(lang)(`state_${a.status}`)}</span>{outcome !== undefined && <> <OutcomeBadge lang={lang} outcome={outcome} /></>}</td>,
  submittedAt: (a, lang) => <td>{when(lang, a.submittedAt)}</td>
}

const heading: Record<ApplicationColumn, MessageKey> = {
  consignment: 'consignment', procedure: 'procedure', agency: 'agency', applicant: 'applicant', status: 'status', submittedAt: 'submittedAt'
}

/** `outcomes`: the latest risk outcome of each application, by id, shown beside its status. */
export function ApplicationsTable (props: { lang: Lang, label: string, applications: readonly ApplicationView[], columns: readonly ApplicationColumn[], id?: string, outcomes?: ReadonlyMap<string, Outcome> }) {
  const t = translator(props.lang)
  if (props.applications.length === 0) return <p class='muted'>{t('noApplications')}</p>
  return (
    <table aria-label={props.label} id={props.id}>
      <thead><tr>{props.columns.map(c => <th scope='col'>{t(heading[c])}</th>)}</tr></thead>
      <tbody>{props.applications.map(a => <tr>{props.columns.map(c => cell[c](a, props.lang, props.outcomes?.get(a.id)))}</tr>)}</tbody>
    </table>
  )
}
