/**
 * One document as a person reads and prints it: its fields, labelled in the
 * reader's language with the data's own path beneath, who issued it, when,
 * and whether its signature verifies.
 */
import type { RecordView } from '../../../node/records/record-view.js'
import type { AccountView } from '../../../node/accounts/account-service.js'
import { translator, type Lang } from '../i18n.js'
import { pathLabel } from '../document-labels.js'
import { leaves, when } from './format.js'
import { Layout } from './layout.js'
import { Verification } from './consignment.js'

export interface DocumentProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly view: RecordView
  readonly title: string
  /** A corrected version may be entered: this node issued it, nothing replaces it yet, and the account enters documents. */
  readonly correctable: boolean
  /** The account administers this node, which issued the document: the preview of who receives it is offered. */
  readonly previewable?: boolean
}

export function DocumentPage (props: DocumentProps) {
  const t = translator(props.lang)
  const { view } = props
  return (
    <Layout lang={props.lang} title={props.title} path={`/documents/${view.id}`} account={props.account} csrf={props.csrf}>
      {view.consignment !== undefined && <p class='noprint'><a href={`/consignments/${encodeURIComponent(view.consignment)}`}>← {t('consignment')} {view.consignment}</a></p>}
      <h1>{props.title}</h1>
      <p>
        <Verification lang={props.lang} view={view} />{' '}
        <span
          id='browser-check' class='badge' role='status' data-id={view.id} data-bytes={`/documents/${view.id}/record.cbor`}
          data-ok={t('browserOk')} data-bad={t('browserBad')} data-insecure={t('browserInsecure')}
        >{t('browserChecking')}
        </span>
        <script type='module' src='/assets/verify.js' />
      </p>
      {props.correctable && <p class='noprint'><a href={`/documents/new?supersedes=${view.id}`}>{t('newVersion')}</a></p>}
      {props.previewable === true && <p class='noprint'><a href={`/sharing/preview?record=${view.id}`}>{t('whoReceives')}</a></p>}
      <dl class='fields'>
        <dt>{t('issuer')}</dt><dd class='mono'>{view.issuer}</dd>
        <dt>{t('issuedAt')}</dt><dd>{when(props.lang, view.issuedAt)}</dd>
        {view.consignment !== undefined && <><dt>{t('consignment')}</dt><dd class='mono'>{view.consignment}</dd></>}
        <dt>ID</dt><dd class='mono'>{view.id}</dd>
      </dl>
      {!view.complete && <p class='muted'>{t('partial', { disclosed: view.fields.disclosed, total: view.fields.total })}</p>}
      <h2 id='fields'>{t('document')}</h2>
      <table aria-labelledby='fields'>
        <thead><tr><th scope='col'>{t('field')}</th><th scope='col'>{t('value')}</th></tr></thead>
        <tbody>
          {leaves(view.data).map(leaf => (
            <tr>
              <th scope='row' title={leaf.pointer}>{pathLabel(props.lang, leaf.steps)}<small class='muted mono path'>{leaf.path}</small></th>
              <td>{leaf.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}
