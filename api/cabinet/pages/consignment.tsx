/** A consignment: every document held, its current version and its history, who issued it, whether it verifies. */
import type { ConsignmentEntry } from '../../../node/records/record-service.js'
import type { RecordView } from '../../../node/records/record-view.js'
import type { AccountView } from '../../../node/accounts/account-service.js'
import { translator, type Lang } from '../i18n.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'

export interface ConsignmentProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly ref: string
  readonly entries: readonly ConsignmentEntry[]
  readonly titleOf: (type: string) => string
}

export function Verification (props: { lang: Lang, view: RecordView }) {
  const t = translator(props.lang)
  return (
    <>
      {props.view.verified ? <span class='badge ok'>✓ {t('verified')}</span> : <span class='badge bad'>✗ {t('notVerified')}</span>}
      {props.view.expired && <>{' '}<span class='badge bad'>{t('expired')}</span></>}
    </>
  )
}

export function ConsignmentPage (props: ConsignmentProps) {
  const t = translator(props.lang)
  const path = `/consignments/${encodeURIComponent(props.ref)}`
  return (
    <Layout lang={props.lang} title={`${t('consignment')} ${props.ref}`} path={path} account={props.account} csrf={props.csrf}>
      <p class='noprint'><a href='/'>← {t('back')}</a></p>
      <h1>{t('consignment')} <span class='mono'>{props.ref}</span></h1>
      <h2 id='documents'>{t('documents')}</h2>
      <table aria-labelledby='documents'>
        <thead><tr><th scope='col'>{t('document')}</th><th scope='col'>{t('issuer')}</th><th scope='col'>{t('issuedAt')}</th><th scope='col'>{t('verification')}</th></tr></thead>
        <tbody>
          {props.entries.map(({ current, history }) => (
            <tr>
              <td>
                <a href={`/documents/${current.id}`}>{props.titleOf(current.type)}</a>
                {history.length > 0 && <div class='muted'>{t('versions')}: {history.map((v, i) => <>{i > 0 && ', '}<a href={`/documents/${v.id}`}>{when(props.lang, v.issuedAt)}</a></>)}</div>}
              </td>
              <td class='mono' title={current.issuer}>{short(current.issuer)}</td>
              <td>{when(props.lang, current.issuedAt)}</td>
              <td><Verification lang={props.lang} view={current} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}
