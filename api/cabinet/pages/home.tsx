/** The home page: the consignments this node holds documents of, and the applications with their status. */
import type { ApplicationView } from '../../../node/workflow/application-service.js'
import type { AccountView } from '../../../node/accounts/account-service.js'
import { translator, type Lang } from '../i18n.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'

export interface HomeProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly consignments: readonly string[]
  readonly applications: readonly ApplicationView[]
}

export function HomePage (props: HomeProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('home')} path='/' account={props.account} csrf={props.csrf}>
      <h1>{t('home')}</h1>
      <h2 id='consignments'>{t('consignments')}</h2>
      {props.consignments.length === 0
        ? <p class='muted'>{t('noConsignments')}</p>
        : (
          <ul aria-labelledby='consignments'>
            {props.consignments.map(ref => <li><a href={`/consignments/${encodeURIComponent(ref)}`}>{ref}</a></li>)}
          </ul>
          )}
      <h2 id='applications'>{t('applications')}</h2>
      {props.applications.length === 0
        ? <p class='muted'>{t('noApplications')}</p>
        : (
          <table aria-labelledby='applications'>
            <thead><tr><th scope='col'>{t('consignment')}</th><th scope='col'>{t('procedure')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('issuedAt')}</th></tr></thead>
            <tbody>
              {props.applications.map(a => (
                <tr>
                  <td><a href={`/consignments/${encodeURIComponent(a.consignment)}`}>{a.consignment}</a></td>
                  <td>{a.procedure}<br /><span class='muted mono' title={a.agency}>{short(a.agency)}</span></td>
                  <td><span class='badge'>{t(`state_${a.status}`)}</span></td>
                  <td>{when(props.lang, a.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
    </Layout>
  )
}
