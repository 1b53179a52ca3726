/**
 * The participant directory: the certified participants this node knows,
 * searched by name or legal id, role, country, competence and status; and one
 * participant's profile, with every certificate this node holds of it, their
 * revocations and reasons, where it listens and whether it is connected.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { DirectoryEntry, DirectoryPage, DirectoryQuery, DirectoryStatus, IssuingAuthority, ParticipantProfile } from '../../../node/trust/directory.js'
import { PARTICIPANT_ROLES } from '../../../record/types/trust-certificate.js'
import { translator, type Lang } from '../i18n.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'

export const DIRECTORY_STATUSES: readonly DirectoryStatus[] = ['valid', 'expired', 'revoked', 'untrusted']

/** Participants listed at once; a search narrows the rest. */
export const DIRECTORY_PAGE = 200

/** The search as typed, to fill the form again and to make the page's address. */
export type DirectorySearch = Omit<DirectoryQuery, 'limit'>

export interface DirectoryProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly search: DirectorySearch
  readonly page: DirectoryPage
}

/** The address of the directory with `search`. */
function searchPath (search: DirectorySearch): string {
  const query = new URLSearchParams(Object.entries(search).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString()
  return query === '' ? '/directory' : `/directory?${query}`
}

/** The status as a badge: its colour, and always its words. */
function StatusBadge (props: { lang: Lang, status: DirectoryStatus }) {
  return <span class={`badge ${props.status === 'valid' ? 'ok' : 'bad'}`} data-status={props.status}>{translator(props.lang)(`cert_${props.status}`)}</span>
}

/** The authority by name, its id shortened beneath (whole in the title). */
function Authority (props: { authority: IssuingAuthority }) {
  const { participant, name } = props.authority
  return <>{name ?? ''}<div class={name !== undefined ? 'muted mono' : 'mono'} title={participant}>{short(participant)}</div></>
}

export function DirectoryListPage (props: DirectoryProps) {
  const t = translator(props.lang)
  const s = props.search
  const { participants, matched, more } = props.page
  return (
    <Layout lang={props.lang} title={t('directoryTitle')} path={searchPath(s)} account={props.account} csrf={props.csrf}>
      <h1>{t('directoryTitle')}</h1>
      <p class='muted'>{t('directoryIntro')}</p>
      <form method='get' action='/directory' class='noprint filters directory-filters' role='search'>
        <label for='q'>{t('directoryQ')}</label>
        <input type='text' id='q' name='q' value={s.q ?? ''} maxlength={256} />
        <label for='role'>{t('role')}</label>
        <select id='role' name='role'>
          <option value=''>{t('allRoles')}</option>
          {PARTICIPANT_ROLES.map(r => <option value={r} selected={r === s.role}>{t(`prole_${r}`)}</option>)}
        </select>
        <label for='country'>{t('country')}</label>
        <input type='text' id='country' name='country' value={s.country ?? ''} maxlength={2} placeholder='KZ' />
        <label for='competence'>{t('competence')}</label>
        <input type='text' id='competence' name='competence' value={s.competence ?? ''} maxlength={256} />
        <label for='status'>{t('status')}</label>
        <select id='status' name='status'>
          <option value=''>{t('allStatuses')}</option>
          {DIRECTORY_STATUSES.map(v => <option value={v} selected={v === s.status}>{t(`cert_${v}`)}</option>)}
        </select>
        <button class='primary' type='submit'>{t('directorySearch')}</button>
      </form>
      {matched === 0
        ? <p id='directory-none'>{t('directoryNone')}</p>
        : (
          <>
            <p id='directory-matched' role='status'>{t('directoryMatched', { n: matched })}{more && <> {t('directoryMore', { shown: participants.length })}</>}</p>
            <table id='directory-table' aria-label={t('directoryTitle')}>
              <thead>
                <tr>
                  <th scope='col'>{t('participantName')}</th><th scope='col'>{t('role')}</th><th scope='col'>{t('competence')}</th><th scope='col'>{t('country')}</th>
                  <th scope='col'>{t('legalId')}</th><th scope='col'>{t('aeoShort')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('validUntil')}</th><th scope='col'>{t('certifiedBy')}</th>
                </tr>
              </thead>
              <tbody>
                {participants.map(p => <Row lang={props.lang} entry={p} />)}
              </tbody>
            </table>
          </>
          )}
    </Layout>
  )
}

function Row (props: { lang: Lang, entry: DirectoryEntry }) {
  const t = translator(props.lang)
  const p = props.entry
  return (
    <tr data-participant={p.participant}>
      <td><a href={`/directory/${encodeURIComponent(p.participant)}`}>{p.name}</a><div class='mono muted' title={p.participant}>{short(p.participant)}</div></td>
      <td>{t(`prole_${p.role}`)}</td>
      <td>{p.competence ?? ''}</td>
      <td>{p.country}</td>
      <td class='mono nowrap'>{p.legalId ?? ''}</td>
      <td class='nowrap'>{p.aeo !== undefined ? t('aeoType', { type: p.aeo }) : ''}</td>
      <td><StatusBadge lang={props.lang} status={p.status} /></td>
      <td>{p.validUntil !== undefined ? when(props.lang, p.validUntil) : '—'}</td>
      <td><Authority authority={p.authority} /></td>
    </tr>
  )
}

export interface ProfileProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly profile: ParticipantProfile
}

export function DirectoryProfilePage (props: ProfileProps) {
  const t = translator(props.lang)
  const p = props.profile
  return (
    <Layout lang={props.lang} title={p.name} path={`/directory/${encodeURIComponent(p.participant)}`} account={props.account} csrf={props.csrf}>
      <p class='noprint'><a href='/directory'>{t('directoryAll')}</a></p>
      <h1>{p.name} <StatusBadge lang={props.lang} status={p.status} /></h1>
      <dl class='fields' id='profile-facts'>
        <dt>{t('participantId')}</dt><dd class='mono'>{p.participant}</dd>
        <dt>{t('role')}</dt><dd>{t(`prole_${p.role}`)}</dd>
        {p.competence !== undefined && <><dt>{t('competence')}</dt><dd>{p.competence}</dd></>}
        <dt>{t('country')}</dt><dd>{p.country}</dd>
        {p.legalId !== undefined && <><dt>{t('legalId')}</dt><dd class='mono'>{p.legalId}</dd></>}
        <dt>{t('aeoFact')}</dt><dd>{p.aeo !== undefined ? t('aeoType', { type: p.aeo }) : t('no')}</dd>
        <dt>{t('validFrom')}</dt><dd>{when(props.lang, p.validFrom)}</dd>
        <dt>{t('validUntil')}</dt><dd>{p.validUntil !== undefined ? when(props.lang, p.validUntil) : '—'}</dd>
        <dt>{t('certifiedBy')}</dt><dd><Authority authority={p.authority} /></dd>
        <dt>{t('connectedNow')}</dt><dd id='connected'>{p.connected ? <span class='badge ok'>{t('connected')}</span> : <span class='badge muted'>{t('notConnected')}</span>}</dd>
      </dl>

      <h2 id='addresses'>{t('addresses')}</h2>
      {p.addresses.length === 0
        ? <p class='muted'>{t('directoryNoAddresses')}</p>
        : <ul aria-labelledby='addresses'>{p.addresses.map(a => <li class='mono'>{a}</li>)}</ul>}

      <h2 id='certificates'>{t('directoryCertificates')}</h2>
      <table aria-labelledby='certificates' id='certificates-table'>
        <thead>
          <tr>
            <th scope='col'>{t('certificateStatus')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('role')}</th><th scope='col'>{t('participantName')}</th>
            <th scope='col'>{t('validFrom')}</th><th scope='col'>{t('validUntil')}</th><th scope='col'>{t('certifiedBy')}</th><th scope='col'>{t('directoryRevocations')}</th>
          </tr>
        </thead>
        <tbody>
          {p.certificates.map(c => (
            <tr data-certificate={c.id}>
              <td class='mono nowrap' title={c.id}>{short(c.id)}</td>
              <td><StatusBadge lang={props.lang} status={c.status} /></td>
              <td>{t(`prole_${c.role}`)}{c.competence !== undefined && <div class='muted'>{c.competence}</div>}</td>
              <td>{c.name}{c.aeo !== undefined && <div class='muted'>{t('aeoShort')}: {t('aeoType', { type: c.aeo })}</div>}</td>
              <td>{when(props.lang, c.validFrom)}</td>
              <td>{c.validUntil !== undefined ? when(props.lang, c.validUntil) : '—'}</td>
              <td><Authority authority={c.authority} /></td>
              <td>
                {c.revocations.length === 0
                  ? <span class='muted'>{t('noneShown')}</span>
                  : (
                    <ul class='revocations'>
                      {c.revocations.map(r => <li>{t('directoryRevokedOn', { date: when(props.lang, r.issuedAt) })}: {r.reason ?? t('directoryNoReason')}</li>)}
                    </ul>
                    )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}
