/**
 * The administrator's page: the people who sign in, the tokens of the
 * organisation's systems with their scopes, and the audit log. A password or
 * token just made is shown once, here.
 */
import type { AccountView, ApiToken, AuditEntry } from '../../../node/accounts/account-service.js'
import { ACCOUNT_ROLES, TOKEN_SCOPES } from '../../../node/accounts/account-service.js'
import { translator, type Lang } from '../i18n.js'
import { when } from './format.js'
import { Layout } from './layout.js'

export interface AdminProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly accounts: readonly AccountView[]
  readonly tokens: readonly ApiToken[]
  readonly audit: readonly AuditEntry[]
  /** A secret just made, shown this once. */
  readonly shown?: { readonly what: string, readonly secret: string } | undefined
  readonly error?: string | undefined
}

/** The administrator's pages, the one shown marked: people and tokens, sharing, the network. */
export function AdminTabs (props: { lang: Lang, current: '/admin' | '/sharing' | '/network' }) {
  const t = translator(props.lang)
  const tabs = [['/admin', t('administration')], ['/sharing', t('sharing')], ['/network', t('network')]] as const
  return (
    <nav class='tabs noprint' aria-label={t('adminPages')}>
      {tabs.map(([href, label]) => <a href={href} aria-current={href === props.current ? 'page' : undefined}>{label}</a>)}
    </nav>
  )
}

function Action (props: { csrf: string, action: string, label: string, name: string }) {
  return (
    <form method='post' action={props.action} class='inline'>
      <input type='hidden' name='_csrf' value={props.csrf} />
      <button type='submit' class='secondary' aria-label={`${props.label}: ${props.name}`}>{props.label}</button>
    </form>
  )
}

export function AdminPage (props: AdminProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('administration')} path='/admin' account={props.account} csrf={props.csrf}>
      <h1>{t('administration')}</h1>
      <AdminTabs lang={props.lang} current='/admin' />
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}
      {props.shown !== undefined && (
        <p class='notice' role='status' id='secret'>{t('shownOnce', { what: props.shown.what })} <code class='mono'>{props.shown.secret}</code></p>
      )}

      <h2 id='people'>{t('people')}</h2>
      <table aria-labelledby='people'>
        <thead><tr><th scope='col'>{t('loginName')}</th><th scope='col'>{t('participantName')}</th><th scope='col'>{t('role')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('actions')}</th></tr></thead>
        <tbody>
          {props.accounts.map(a => (
            <tr>
              <td class='mono'>{a.id}</td><td>{a.name}</td><td>{t(`role_${a.role}`)}</td><td>{a.disabled ? t('disabled') : t('active')}</td>
              <td>
                {!a.disabled && a.id !== props.account.id && <Action csrf={props.csrf} action={`/admin/users/${a.id}/disable`} label={t('disable')} name={a.id} />}
                <Action csrf={props.csrf} action={`/admin/users/${a.id}/reset`} label={t('resetPassword')} name={a.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method='post' action='/admin/users' class='document-form'>
        <h3>{t('addPerson')}</h3>
        <input type='hidden' name='_csrf' value={props.csrf} />
        <label for='new-login'>{t('loginName')}</label>
        <input type='text' id='new-login' name='id' required pattern='[a-z0-9][a-z0-9._\-]{1,63}' />
        <label for='new-name'>{t('participantName')}</label>
        <input type='text' id='new-name' name='name' maxlength={200} />
        <label for='new-role'>{t('role')}</label>
        <select id='new-role' name='role'>{ACCOUNT_ROLES.map(r => <option value={r}>{t(`role_${r}`)}</option>)}</select>
        <button class='primary' type='submit'>{t('addPerson')}</button>
      </form>

      <h2 id='tokens'>{t('tokens')}</h2>
      <table aria-labelledby='tokens'>
        <thead><tr><th scope='col'>{t('participantName')}</th><th scope='col'>{t('scopes')}</th><th scope='col'>{t('issuedAt')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('actions')}</th></tr></thead>
        <tbody>
          {props.tokens.map(k => (
            <tr>
              <td>{k.name}</td><td class='mono'>{k.scopes.join(', ')}</td><td>{when(props.lang, k.createdAt)}</td>
              <td>{k.revokedAt !== undefined ? t('revoked') : t('active')}</td>
              <td>{k.revokedAt === undefined && <Action csrf={props.csrf} action={`/admin/tokens/${k.id}/revoke`} label={t('revoke')} name={k.name} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method='post' action='/admin/tokens' class='document-form'>
        <h3>{t('addToken')}</h3>
        <input type='hidden' name='_csrf' value={props.csrf} />
        <label for='token-name'>{t('participantName')}</label>
        <input type='text' id='token-name' name='name' required maxlength={100} />
        <fieldset>
          <legend>{t('scopes')}</legend>
          {TOKEN_SCOPES.map(s => <label class='check'><input type='checkbox' name='scopes' value={s} checked={s === 'read'} /> {s}</label>)}
        </fieldset>
        <button class='primary' type='submit'>{t('addToken')}</button>
      </form>

      <h2 id='audit'>{t('audit')}</h2>
      <table aria-labelledby='audit' id='audit-table'>
        <thead><tr><th scope='col'>{t('when')}</th><th scope='col'>{t('by')}</th><th scope='col'>{t('actions')}</th><th scope='col'>{t('note')}</th></tr></thead>
        <tbody>
          {props.audit.map(e => <tr><td>{when(props.lang, e.at)}</td><td class='mono'>{e.who}</td><td>{e.action}</td><td class='mono'>{[e.detail, e.from].filter(x => x !== undefined).join(' · ')}</td></tr>)}
        </tbody>
      </table>
    </Layout>
  )
}
