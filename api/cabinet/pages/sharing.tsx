/**
 * The administrator's sharing page: this node's access grants, each as who
 * receives which fields of which documents, for what and until when, with
 * Revoke; the form that signs a new grant; and the preview of one document:
 * which of its fields each participant the grants let in would receive.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { Grant, GrantStatus } from '../../../node/policy/grant.js'
import type { RecordView } from '../../../node/records/record-view.js'
import { translator, type Lang, type MessageKey } from '../i18n.js'
import { granteeText, patternLabel, wholeRecord, type GrantForm, type Preview, type RecipientChoice } from '../sharing.js'
import { AdminTabs } from './admin.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'

/** A grant's fields listed in full up to this many; more are folded. */
const FIELDS_SHOWN = 6

/** One document and who would receive which of its fields. */
export interface DocumentPreview {
  readonly view: RecordView
  readonly title: string
  /** This node issued it: its grants decide who receives it. */
  readonly owned: boolean
  readonly result: Preview
}

export interface SharingProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly grants: ReadonlyArray<Grant & { status: GrantStatus }>
  /** Participants' certified names, by participant id. */
  readonly names: ReadonlyMap<string, string>
  /** A record type's title in the reader's language. */
  readonly titleOf: (type: string) => string
  /** The record types a grant may be made for: those this node issues. */
  readonly types: readonly string[]
  readonly choices: { readonly participants: readonly RecipientChoice[], readonly roles: readonly RecipientChoice[] }
  /** Procedures the agencies published, offered for the purpose. */
  readonly purposes: readonly string[]
  /** The add-a-grant form as sent, and its errors by field, when it comes back. */
  readonly form: GrantForm
  readonly errors: ReadonlyMap<string, string>
  /** An action that failed as a whole. */
  readonly error?: string | undefined
  /** Documents this node issued, newest first, to choose one to preview. */
  readonly documents: ReadonlyArray<{ readonly id: string, readonly label: string }>
}

/** A code such as a procedure id, which may break after its dots and hyphens only. */
export function Code (props: { text: string }) {
  const parts = props.text.split(/(?<=[.\-/])/)
  return <span class='code'>{parts.map((part, i) => <>{i > 0 && <wbr />}{part}</>)}</span>
}

/** A grant's fields: all, or each labelled with its pointer beneath; many are folded. */
function GrantFields (props: { lang: Lang, fields: readonly string[] }) {
  const t = translator(props.lang)
  if (wholeRecord(props.fields)) return <>{t('allFields')}</>
  const list = (
    <ul class='compact'>
      {props.fields.map(f => {
        const { label, pattern } = patternLabel(props.lang, f)
        return <li title={pattern}>{label}</li>
      })}
    </ul>
  )
  if (props.fields.length <= FIELDS_SHOWN) return list
  return <details><summary>{t('fieldsCount', { n: props.fields.length })}</summary>{list}</details>
}

function GrantRow (props: SharingProps & { grant: Grant & { status: GrantStatus }, former: boolean }) {
  const t = translator(props.lang)
  const g = props.grant
  const recipient = granteeText(t, g.to, props.names)
  const fromFile = g.name?.startsWith('policies.json/') === true
  return (
    <tr id={`grant-${g.id}`}>
      <td>
        {recipient}
        {g.to.participant !== undefined && <div class='muted mono' title={g.to.participant}>{short(g.to.participant)}</div>}
        {g.name !== undefined && <div class='muted'>{g.name}</div>}
        {fromFile && !props.former && <p class='hint'>{t('fromPolicyFile')}</p>}
      </td>
      <td>
        {g.types.map(props.titleOf).join(', ')}
        {g.consignment !== undefined && <div class='muted'>{t('onlyConsignment', { ref: g.consignment })}</div>}
      </td>
      <td><GrantFields lang={props.lang} fields={g.fields} /></td>
      <td><Code text={g.purpose} /></td>
      <td>{g.validUntil !== undefined ? when(props.lang, g.validUntil) : t('noEndDate')}</td>
      {props.former
        ? <td>{t(`grant_${g.status}`)}</td>
        : (
          <td>
            <form method='post' action={`/sharing/grants/${g.id}/revoke`} class='inline'>
              <input type='hidden' name='_csrf' value={props.csrf} />
              <button type='submit' class='secondary' aria-label={`${t('revoke')}: ${recipient}, ${g.purpose}`}>{t('revoke')}</button>
            </form>
          </td>
          )}
    </tr>
  )
}

function GrantsTable (props: SharingProps & { rows: ReadonlyArray<Grant & { status: GrantStatus }>, former: boolean, labelledBy: string, id: string }) {
  const t = translator(props.lang)
  return (
    <table aria-labelledby={props.labelledBy} id={props.id}>
      <thead>
        <tr>
          <th scope='col'>{t('grantRecipient')}</th><th scope='col'>{t('documents')}</th><th scope='col'>{t('fields')}</th>
          <th scope='col'>{t('purpose')}</th><th scope='col'>{t('validUntil')}</th><th scope='col'>{props.former ? t('status') : t('actions')}</th>
        </tr>
      </thead>
      <tbody>{props.rows.map(grant => <GrantRow {...props} grant={grant} former={props.former} />)}</tbody>
    </table>
  )
}

/** The label, hint and error of one field of the form, wired for screen readers. */
function described (props: SharingProps, name: string, hint: boolean): Record<string, string | undefined> {
  const ids = [hint ? `${name}-hint` : undefined, props.errors.has(name) ? `${name}-error` : undefined].filter(x => x !== undefined)
  return { 'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined, 'aria-invalid': props.errors.has(name) ? 'true' : undefined }
}

function FieldError (props: { errors: ReadonlyMap<string, string>, name: string }) {
  const error = props.errors.get(props.name)
  return <>{error !== undefined && <p class='field-error' id={`${props.name}-error`}>{error}</p>}</>
}

function AddGrant (props: SharingProps) {
  const t = translator(props.lang)
  const { form } = props
  const option = (c: RecipientChoice) => (
    <option value={c.value} selected={form.recipient === c.value}>
      {c.to.participant !== undefined ? `${granteeText(t, c.to, props.names)} (${short(c.to.participant)})` : granteeText(t, c.to, props.names)}
    </option>
  )
  return (
    <section aria-labelledby='add-grant' class='noprint'>
      <h2 id='add-grant'>{t('addGrant')}</h2>
      <p class='muted'>{t('addGrantIntro')}</p>
      {props.types.length === 0
        ? <p class='muted'>{t('nothingToShare')}</p>
        : (
          <form method='post' action='/sharing/grants' class='document-form' novalidate>
            {props.errors.size > 0 && <p class='error' role='alert'>{t('grantNotMade')}</p>}
            <input type='hidden' name='_csrf' value={props.csrf} />
            <div class='field'>
              <label for='recipient'>{t('grantRecipient')}<span class='req' aria-hidden='true'> *</span></label>
              <select id='recipient' name='recipient' required {...described(props, 'recipient', false)}>
                <option value=''>—</option>
                {props.choices.participants.length > 0 && <optgroup label={t('recipientParticipants')}>{props.choices.participants.map(option)}</optgroup>}
                <optgroup label={t('recipientRoles')}>{props.choices.roles.map(option)}</optgroup>
              </select>
              <FieldError errors={props.errors} name='recipient' />
            </div>
            <fieldset class='group' {...described(props, 'types', false)}>
              <legend>{t('grantTypes')}<span class='req' aria-hidden='true'> *</span></legend>
              {props.types.map(type => (
                <label class='check'><input type='checkbox' name='types' value={type} checked={form.types.includes(type)} /> {props.titleOf(type)}</label>
              ))}
              <FieldError errors={props.errors} name='types' />
            </fieldset>
            <div class='field'>
              <label for='fields'>{t('grantFields')}</label>
              <p class='hint' id='fields-hint'>{t('grantFieldsHint')}</p>
              <textarea id='fields' name='fields' rows={4} class='mono' {...described(props, 'fields', true)}>{form.fields}</textarea>
              <FieldError errors={props.errors} name='fields' />
            </div>
            <div class='field'>
              <label for='purpose'>{t('grantPurpose')}<span class='req' aria-hidden='true'> *</span></label>
              <p class='hint' id='purpose-hint'>{t('grantPurposeHint')}</p>
              <input type='text' id='purpose' name='purpose' required maxlength={128} autocomplete='off' list='purposes' value={form.purpose} {...described(props, 'purpose', true)} />
              <datalist id='purposes'>{props.purposes.map(p => <option value={p} />)}</datalist>
              <FieldError errors={props.errors} name='purpose' />
            </div>
            <div class='field'>
              <label for='consignment'>{t('grantConsignment')}</label>
              <p class='hint' id='consignment-hint'>{t('grantConsignmentHint')}</p>
              <input type='text' id='consignment' name='consignment' maxlength={35} autocomplete='off' value={form.consignment} {...described(props, 'consignment', true)} />
              <FieldError errors={props.errors} name='consignment' />
            </div>
            <div class='field'>
              <label for='until'>{t('validUntil')}</label>
              <p class='hint' id='until-hint'>{t('grantUntilHint')}</p>
              <input type='date' id='until' name='until' value={form.until} {...described(props, 'until', true)} />
              <FieldError errors={props.errors} name='until' />
            </div>
            <button class='primary' type='submit'>{t('signGrant')}</button>
          </form>
          )}
    </section>
  )
}

/** The choice of a document to preview: those this node issued lately, and the one previewed. */
function PreviewChooser (props: { lang: Lang, documents: SharingProps['documents'], chosen?: { id: string, title: string } | undefined }) {
  const t = translator(props.lang)
  const { chosen } = props
  if (props.documents.length === 0 && chosen === undefined) return <p class='muted'>{t('noOwnDocuments')}</p>
  return (
    <form method='get' action='/sharing/preview' class='inline noprint'>
      <label for='record'>{t('document')}</label>
      <select id='record' name='record'>
        {chosen !== undefined && !props.documents.some(d => d.id === chosen.id) && <option value={chosen.id} selected>{chosen.title}</option>}
        {props.documents.map(d => <option value={d.id} selected={d.id === chosen?.id}>{d.label}</option>)}
      </select>
      <button type='submit' class='secondary'>{t('show')}</button>
    </form>
  )
}

export interface SharingPreviewProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly documents: SharingProps['documents']
  readonly preview?: DocumentPreview | undefined
  readonly error?: string | undefined
}

/** Which fields of one document each participant the grants let in would receive, and under which grant. */
export function SharingPreviewPage (props: SharingPreviewProps) {
  const t = translator(props.lang)
  const preview = props.preview
  const result = preview?.result
  return (
    <Layout lang={props.lang} title={t('sharingPreview')} path='/sharing/preview' account={props.account} csrf={props.csrf}>
      <p class='noprint'><a href='/sharing'>← {t('sharing')}</a></p>
      <h1>{t('sharingPreview')}</h1>
      <AdminTabs lang={props.lang} current='/sharing' />
      <p class='muted'>{t('sharingPreviewIntro')}</p>
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}
      <PreviewChooser lang={props.lang} documents={props.documents} chosen={preview !== undefined ? { id: preview.view.id, title: preview.title } : undefined} />
      {preview !== undefined && result !== undefined && (
        <>
          <h2 id='preview-title'>
            <a href={`/documents/${preview.view.id}`}>{preview.title}</a>
            {preview.view.consignment !== undefined && <span class='muted'> · {t('consignment')} {preview.view.consignment}</span>}
            <span class='muted'> · {when(props.lang, preview.view.issuedAt)}</span>
          </h2>
          {!preview.owned && <p class='notice'>{t('notOwnRecord')}</p>}
          {result.recipients.length === 0
            ? <p id='preview-nobody'>{t('previewNobody')}</p>
            : (
              <>
                <table aria-labelledby='preview-title' id='preview-recipients'>
                  <caption class='visually-hidden'>{t('previewRecipients')}</caption>
                  <thead><tr><th scope='col'>{t('recipient')}</th><th scope='col'>{t('role')}</th><th scope='col'>{t('fields')}</th><th scope='col'>{t('underGrant')}</th></tr></thead>
                  <tbody>
                    {result.recipients.map(r => (
                      <tr>
                        <td>{r.name}<div class='muted mono' title={r.participant}>{short(r.participant)}</div></td>
                        <td>{r.role !== undefined ? t(`prole_${r.role}` as MessageKey) : '—'}</td>
                        <td>{r.received === result.rows.length ? t('allFieldsOf', { n: r.received }) : t('fieldsOf', { n: r.received, total: result.rows.length })}</td>
                        <td>
                          {r.grants.length === 0
                            ? t('publishedToAll')
                            : <ul class='compact'>{r.grants.map(g => <li><Code text={g.purpose} />{g.name !== undefined && <span class='muted'> ({g.name})</span>}</li>)}</ul>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <h3 id='preview-fields-title'>{t('previewByField')}</h3>
                <div class='scroll'>
                  <table aria-labelledby='preview-fields-title' id='preview-fields' class='matrix'>
                    <thead>
                      <tr>
                        <th scope='col'>{t('field')}</th><th scope='col'>{t('value')}</th>
                        {result.recipients.map(r => <th scope='col' class='who' title={r.participant}>{r.name}</th>)}
                      </tr>
                    </thead>
                    <tbody>
                      {result.rows.map((row, n) => (
                        <tr class={n > 0 && row.leaf.steps[0] !== result.rows[n - 1]?.leaf.steps[0] ? 'group-start' : undefined}>
                          <th scope='row' title={row.leaf.pointer}>{row.label}</th>
                          <td class='value'>{row.leaf.value}</td>
                          {row.by.map((grants, i) => {
                            const recipient = result.recipients[i]
                            const several = (recipient?.grants.length ?? 0) > 1
                            return grants === undefined
                              ? <td class='no'><span aria-hidden='true'>—</span><span class='visually-hidden'>{t('notSent')}</span></td>
                              : (
                                <td class='yes'>
                                  <span aria-hidden='true'>✓</span><span class='visually-hidden'>{t('sent')}</span>
                                  {several && grants.map(id => <div class='muted'><Code text={recipient?.grants.find(g => g.id === id)?.purpose ?? ''} /></div>)}
                                </td>
                                )
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
              )}
        </>
      )}
    </Layout>
  )
}

export function SharingPage (props: SharingProps) {
  const t = translator(props.lang)
  const current = props.grants.filter(g => g.status === 'active')
  const former = props.grants.filter(g => g.status !== 'active')
  return (
    <Layout lang={props.lang} title={t('sharing')} path='/sharing' account={props.account} csrf={props.csrf}>
      <h1>{t('sharing')}</h1>
      <AdminTabs lang={props.lang} current='/sharing' />
      <p class='muted'>{t('sharingIntro')}</p>
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}

      <h2 id='grants'>{t('grantsInForce')}</h2>
      {current.length === 0
        ? <p id='no-grants'>{t('noGrants')}</p>
        : <GrantsTable {...props} rows={current} former={false} labelledBy='grants' id='grants-table' />}
      {former.length > 0 && (
        <details class='former'>
          <summary id='former-grants'>{t('formerGrants', { n: former.length })}</summary>
          <GrantsTable {...props} rows={former} former labelledBy='former-grants' id='former-grants-table' />
        </details>
      )}

      <AddGrant {...props} />
      <section aria-labelledby='preview'>
        <h2 id='preview'>{t('sharingPreview')}</h2>
        <p class='muted'>{t('sharingPreviewIntro')}</p>
        <PreviewChooser lang={props.lang} documents={props.documents} />
      </section>
    </Layout>
  )
}
