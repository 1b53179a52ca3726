/** An agency officer's inbox: the applications made to this node, by status, searchable by consignment. */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { ApplicationState, ApplicationView } from '../../../node/workflow/application-service.js'
import type { Outcome } from '../../../node/workflow/risk-service.js'
import { translator, type Lang } from '../i18n.js'
import { ApplicationsTable } from './applications-table.js'
import { Layout } from './layout.js'

export const INBOX_STATES: readonly ApplicationState[] = ['submitted', 'received', 'under-review', 'more-information-requested', 'decided']

export interface InboxProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly applications: readonly ApplicationView[]
  readonly status?: ApplicationState | undefined
  readonly search: string
  /** The latest risk outcome of each application the rules evaluated, by id. */
  readonly outcomes: ReadonlyMap<string, Outcome>
}

export function InboxPage (props: InboxProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('inbox')} path={`/inbox${props.status !== undefined || props.search !== '' ? `?${new URLSearchParams({ ...(props.status !== undefined && { status: props.status }), ...(props.search !== '' && { q: props.search }) }).toString()}` : ''}`} account={props.account} csrf={props.csrf} live='list'>
      <h1>{t('inbox')}</h1>
      <form method='get' action='/inbox' class='noprint filters'>
        <label for='status'>{t('status')}</label>
        <select id='status' name='status'>
          <option value=''>{t('allStatuses')}</option>
          {INBOX_STATES.map(s => <option value={s} selected={s === props.status}>{t(`state_${s}`)}</option>)}
        </select>
        <label for='q'>{t('search')}</label>
        <input type='text' id='q' name='q' value={props.search} maxlength={64} />
        <button class='primary' type='submit'>{t('filter')}</button>
      </form>
      <ApplicationsTable lang={props.lang} label={t('inbox')} id='inbox' applications={props.applications} columns={['consignment', 'procedure', 'applicant', 'status', 'submittedAt']} outcomes={props.outcomes} />
    </Layout>
  )
}
