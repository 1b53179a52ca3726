/** The home page: the consignments this node holds documents of, and the applications with their status. */
import type { ApplicationView } from '../../../node/workflow/application-service.js'
import type { AccountView } from '../../../node/accounts/account-service.js'
import { translator, type Lang } from '../i18n.js'
import { ApplicationsTable } from './applications-table.js'
import { Layout } from './layout.js'
import type { AttentionItem } from '../attention.js'

export interface HomeProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly consignments: readonly string[]
  readonly applications: readonly ApplicationView[]
  readonly attention: readonly AttentionItem[]
}

export function HomePage (props: HomeProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('home')} path='/' account={props.account} csrf={props.csrf} live='list'>
      <h1>{t('home')}</h1>
      <section aria-labelledby='attention' class='attention'>
        <h2 id='attention'>{t('attention')}</h2>
        {props.attention.length === 0
          ? <p class='muted'>{t('nothingNeedsAttention')}</p>
          : <ul>{props.attention.map(item => <li>{item.href !== undefined ? <a href={item.href}>{t(item.message, item.vars)}</a> : t(item.message, item.vars)}</li>)}</ul>}
      </section>
      <h2 id='consignments'>{t('consignments')}</h2>
      {(props.account.role === 'declarant' || props.account.role === 'admin') && <p><a href='/documents/new'>{t('newDocument')}</a></p>}
      {props.consignments.length === 0
        ? <p class='muted'>{t('noConsignments')}</p>
        : (
          <ul aria-labelledby='consignments'>
            {props.consignments.map(ref => <li><a href={`/consignments/${encodeURIComponent(ref)}`}>{ref}</a></li>)}
          </ul>
          )}
      <h2 id='applications'>{t('applications')}</h2>
      <ApplicationsTable lang={props.lang} label={t('applications')} applications={props.applications} columns={['consignment', 'procedure', 'agency', 'status', 'submittedAt']} />
    </Layout>
  )
}
