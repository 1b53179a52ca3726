/**
 * The documents an application was given, as the agency's officer checks
 * them: each with its signature's verification, its issuer and what the
 * issuer's certificate says of it, and which of its fields were disclosed.
 */
import type { RecordView } from '../../../node/records/record-view.js'
import type { ParticipantStatus } from '../../../node/trust/trust-service.js'
import { pathLabel, typeTitle } from '../document-labels.js'
import { isMessageKey, translator, type Lang } from '../i18n.js'
import { leaves, short, when } from './format.js'
import { Verification } from './consignment.js'

export interface GivenDocument {
  readonly id: string
  /** Absent when this node does not hold the record. */
  readonly view?: RecordView | undefined
  /** The issuer's standing in the trust space. */
  readonly issuer?: ParticipantStatus | undefined
  /** The application's elements this document backs. */
  readonly elements: readonly string[]
}

function Issuer (props: { lang: Lang, id: string, status?: ParticipantStatus | undefined }) {
  const t = translator(props.lang)
  const certificate = props.status?.certificate
  const role = certificate !== undefined && isMessageKey(`prole_${certificate.role}`) ? t(`prole_${certificate.role}` as 'prole_trader') : certificate?.role
  return (
    <>
      {certificate?.name !== undefined && <>{certificate.name}<br /></>}
      <span class='muted mono' title={props.id}>{short(props.id)}</span>
      <div>
        {props.status === undefined || props.status.status !== 'valid'
          ? <span class='badge bad'>{t('certificateNot', { status: props.status?.status ?? 'absent' })}</span>
          : <span class='badge ok'>{t('certifiedAs', { role: role ?? '', country: certificate?.country ?? '' })}</span>}
        {certificate?.competence !== undefined && <div class='muted'>{t('competence')}: {certificate.competence}</div>}
        {certificate?.validUntil !== undefined && <div class='muted'>{t('validUntil')}: {when(props.lang, certificate.validUntil)}</div>}
      </div>
    </>
  )
}

export function GivenDocuments (props: { lang: Lang, documents: readonly GivenDocument[] }) {
  const t = translator(props.lang)
  if (props.documents.length === 0) return <p class='muted'>{t('noGivenDocuments')}</p>
  return (
    <table aria-labelledby='given'>
      <thead><tr><th scope='col'>{t('document')}</th><th scope='col'>{t('issuer')}</th><th scope='col'>{t('verification')}</th><th scope='col'>{t('disclosedFields')}</th></tr></thead>
      <tbody>
        {props.documents.map(d => (
          <tr>
            <td>
              {d.view === undefined
                ? <span class='mono'>{short(d.id)}</span>
                : <a href={`/documents/${d.id}`}>{typeTitle(props.lang, d.view.type)}</a>}
              <div class='muted mono'>{d.elements.join(' · ')}</div>
            </td>
            <td>{d.view !== undefined ? <Issuer lang={props.lang} id={d.view.issuer} status={d.issuer} /> : '—'}</td>
            <td>{d.view === undefined ? <span class='badge bad'>{t('notHeld')}</span> : <Verification lang={props.lang} view={d.view} />}</td>
            <td class='fields-cell'>
              {d.view !== undefined && (
                <details>
                  <summary>{t('disclosedOf', { disclosed: d.view.fields.disclosed, total: d.view.fields.total })}</summary>
                  <ul class='fieldlist'>{leaves(d.view.data).map(leaf => <li>{pathLabel(props.lang, leaf.steps)}</li>)}</ul>
                </details>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
