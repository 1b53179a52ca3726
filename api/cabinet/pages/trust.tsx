/**
 * The trust space as this node sees it: the authorities it trusts and the
 * participants certified by them; on an authority's node, the forms to
 * certify a participant and to revoke a certificate it issued.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { ParticipantStatus } from '../../../node/trust/trust-service.js'
import type { TrustedAuthority } from '../../../storage/index.js'
import { PARTICIPANT_ROLES } from '../../../record/types/trust-certificate.js'
import { translator, type Lang } from '../i18n.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'

export interface TrustProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly authorities: readonly TrustedAuthority[]
  readonly directory: readonly ParticipantStatus[]
  /** This node is an authority and the account may certify: the forms are shown. */
  readonly canCertify: boolean
  /** This node's participant id: the certificates it issued can be revoked here. */
  readonly self: string
  readonly error?: string | undefined
}

export function TrustPage (props: TrustProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('trust')} path='/trust' account={props.account} csrf={props.csrf}>
      <h1>{t('trust')}</h1>
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}
      <h2 id='authorities'>{t('authorities')}</h2>
      <ul aria-labelledby='authorities'>
        {props.authorities.map(a => <li>{a.name ?? ''} {a.country !== undefined && `(${a.country})`} <span class='mono muted' title={a.participant}>{short(a.participant)}</span></li>)}
      </ul>

      <h2 id='directory'>{t('directory')}</h2>
      <table aria-labelledby='directory' id='directory-table'>
        <thead><tr><th scope='col'>{t('participantName')}</th><th scope='col'>{t('role')}</th><th scope='col'>{t('country')}</th><th scope='col'>{t('competence')}</th><th scope='col'>{t('validUntil')}</th>{props.canCertify && <th scope='col'>{t('revoke')}</th>}</tr></thead>
        <tbody>
          {props.directory.map(p => (
            <tr>
              <td>{p.certificate?.name ?? ''}<div class='mono muted' title={p.participant}>{short(p.participant)}</div></td>
              <td>{p.certificate?.role ?? ''}</td>
              <td>{p.certificate?.country ?? ''}</td>
              <td>{p.certificate?.competence ?? ''}</td>
              <td>{p.certificate?.validUntil !== undefined ? when(props.lang, p.certificate.validUntil) : '—'}</td>
              {props.canCertify && (
                <td>
                  {p.certificate !== undefined && p.certificate.issuer === props.self && p.participant !== props.self && (
                    <form method='post' action='/trust/revoke' class='inline'>
                      <input type='hidden' name='_csrf' value={props.csrf} />
                      <input type='hidden' name='certificate' value={p.certificate.id} />
                      <label for={`reason-${p.certificate.id}`}>{t('reason')}</label>
                      <input type='text' id={`reason-${p.certificate.id}`} name='reason' required maxlength={1024} />
                      <button type='submit' class='secondary' aria-label={`${t('revoke')}: ${p.certificate.name}`}>{t('revoke')}</button>
                    </form>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      {props.canCertify && (
        <section aria-labelledby='certify' class='noprint'>
          <h2 id='certify'>{t('certify')}</h2>
          <form method='post' action='/trust/certify' class='document-form'>
            <input type='hidden' name='_csrf' value={props.csrf} />
            <label for='participant'>{t('participantId')}</label>
            <input type='text' id='participant' name='participant' required />
            <label for='name'>{t('participantName')}</label>
            <input type='text' id='name' name='name' required maxlength={256} />
            <label for='role'>{t('role')}</label>
            <select id='role' name='role'>{PARTICIPANT_ROLES.map(r => <option value={r}>{r}</option>)}</select>
            <label for='country'>{t('country')}</label>
            <input type='text' id='country' name='country' required pattern='[A-Z]{2}' maxlength={2} />
            <label for='legalId'>{t('legalId')}</label>
            <input type='text' id='legalId' name='legalId' maxlength={70} />
            <label for='competence'>{t('competence')}</label>
            <input type='text' id='competence' name='competence' maxlength={256} />
            <label for='validUntil'>{t('validUntil')}</label>
            <input type='date' id='validUntil' name='validUntil' />
            <button class='primary' type='submit'>{t('certify')}</button>
          </form>
        </section>
      )}
    </Layout>
  )
}
