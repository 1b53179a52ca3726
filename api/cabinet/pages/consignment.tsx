/**
 * A consignment: every document held, its current version and its history,
 * who issued it, whether it verifies; what each procedure needs of it, each
 * element named in the reader's language with the agency's own words beneath.
 */
import type { RefundFormProps } from './refund-form.js'
import type { ConsignmentEntry } from '../../../node/records/record-service.js'
import type { Resolution } from '../../../node/workflow/requirement-service.js'
import type { ApplicationView } from '../../../node/workflow/application-service.js'
import type { ConsignmentReuse } from '../../../node/policy/reuse-ledger.js'
import type { RecordView } from '../../../node/records/record-view.js'
import type { AccountView } from '../../../node/accounts/account-service.js'
import { translator, type Lang } from '../i18n.js'
import { pathLabel, pointerSteps } from '../document-labels.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'
import { ApplicationsTable } from './applications-table.js'
import { isMovement, type Movement } from '../shipment-events.js'
import { Movements } from './movements.js'
import { GoodsNeeds } from './goods-needs.js'
import type { ConsignmentProcedures } from '../../../node/workflow/procedure-finder.js'
import { PaymentsSection, type PaymentsShown } from './payments-section.js'
import type { PayFormProps } from './pay-form.js'

export interface ConsignmentProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly ref: string
  readonly entries: readonly ConsignmentEntry[]
  /** A record type's title in the reader's language. */
  readonly titleOf: (type: string) => string
  /** Each procedure an agency published, resolved against this consignment. */
  readonly procedures: ReadonlyArray<{ readonly title: string, readonly resolution: Resolution }>
  readonly applications: readonly ApplicationView[]
  readonly canApply: boolean
  /** Who received which fields of which document, from signed receipts. */
  readonly reuse: ConsignmentReuse
  readonly error?: string | undefined
  /** The carrier's movement events, in the order they happened. */
  readonly movements: readonly Movement[]
  /** This person may record a movement event here. */
  readonly canRecord: boolean
  /** Participants' names, as their certificates give them. */
  readonly names: ReadonlyMap<string, string>
  /** What the goods need, from the measures in force; undefined when it could not be worked out. */
  readonly needs?: ConsignmentProcedures | undefined
  /** What the declaration owes and where its payment stands, on a node that pays or is paid; the pay form for who may pay. */
  readonly payments?: { readonly shown: PaymentsShown, readonly pay?: PayFormProps | undefined, readonly refund?: RefundFormProps | undefined } | undefined
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

/** A participant by its certified name, with its id shortened beside it (whole in the title). */
export function Participant (props: { id: string, names: ReadonlyMap<string, string> }) {
  const name = props.names.get(props.id)
  return <>{name !== undefined && <>{name}<br /></>}<span class={name !== undefined ? 'muted mono' : 'mono'} title={props.id}>{short(props.id)}</span></>
}

export function ConsignmentPage (props: ConsignmentProps) {
  const t = translator(props.lang)
  const path = `/consignments/${encodeURIComponent(props.ref)}`
  return (
    <Layout lang={props.lang} title={`${t('consignment')} ${props.ref}`} path={path} account={props.account} csrf={props.csrf}>
      <p class='noprint'><a href='/'>← {t('back')}</a></p>
      <h1>{t('consignment')} <span class='mono'>{props.ref}</span></h1>
      <h2 id='documents'>{t('documents')}</h2>
      {props.canApply && <p class='noprint'><a href={`/documents/new?consignment=${encodeURIComponent(props.ref)}`}>{t('newDocument')}</a></p>}
      <table aria-labelledby='documents'>
        <thead><tr><th scope='col'>{t('document')}</th><th scope='col'>{t('issuer')}</th><th scope='col'>{t('issuedAt')}</th><th scope='col'>{t('verification')}</th></tr></thead>
        <tbody>
          {props.entries.filter(e => !isMovement(e.current.type)).map(({ current, history }) => (
            <tr>
              <td>
                <a href={`/documents/${current.id}`}>{props.titleOf(current.type)}</a>
                {history.length > 0 && <div class='muted'>{t('versions')}: {history.map((v, i) => <>{i > 0 && ', '}<a href={`/documents/${v.id}`}>{when(props.lang, v.issuedAt)}</a></>)}</div>}
              </td>
              <td><Participant id={current.issuer} names={props.names} /></td>
              <td>{when(props.lang, current.issuedAt)}</td>
              <td><Verification lang={props.lang} view={current} /></td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id='movements'>{t('movements')}</h2>
      {props.canRecord && <p class='noprint'><a href={`${path}/events/new`}>{t('recordEvent')}</a></p>}
      <Movements lang={props.lang} movements={props.movements} names={props.names} />

      <h2 id='needs'>{t('goodsNeed')}</h2>
      <GoodsNeeds lang={props.lang} ref={props.ref} csrf={props.csrf} view={props.needs} canApply={props.canApply} />

      {props.payments !== undefined && <PaymentsSection lang={props.lang} shown={props.payments.shown} names={props.names} pay={props.payments.pay} refund={props.payments.refund} />}

      <h2 id='procedures'>{t('procedures')}</h2>
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}
      {props.procedures.length === 0 && <p class='muted'>{t('noProcedures')}</p>}
      {props.procedures.map(({ title, resolution }) => {
        const applied = props.applications.find(a => a.procedure === resolution.procedure && a.agency === resolution.agency)
        return (
          <section class='procedure' aria-label={`${resolution.procedure} ${title}`}>
            <h3>{title !== '' ? `${title} — ` : ''}<span class='mono'>{resolution.procedure}</span></h3>
            <p>{t('agency')}: <span class='mono' title={resolution.agency}>{short(resolution.agency)}</span> · <strong>{t('coverage', { present: resolution.summary.present, required: resolution.summary.required })}</strong></p>
            <table>
              <thead><tr><th scope='col'>{t('element')}</th><th scope='col'>{t('status')}</th><th scope='col'>{t('source')}</th></tr></thead>
              <tbody>
                {resolution.elements.map(e => (
                  <tr>
                    <td>
                      {props.titleOf(e.type)}{e.path !== '' && `: ${pathLabel(props.lang, pointerSteps(e.path))}`}
                      {e.description !== undefined && <div>{e.description}</div>}
                      <div class='muted mono'>{e.id} · {e.type} {e.path}</div>
                    </td>
                    <td><span class={`badge ${e.status === 'present' ? 'ok' : 'bad'}`}>{t(`status_${e.status}`)}</span>{e.note !== undefined && <div class='muted'>{e.note}</div>}</td>
                    <td>{e.sources.map((src, i) => <>{i > 0 && ', '}<a href={`/documents/${src.record}`}>{props.titleOf(props.entries.find(x => x.current.id === src.record)?.current.type ?? '') || src.record.slice(0, 12)}</a></>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {props.canApply && (
              <form method='post' action={`${path}/apply`} class='noprint'>
                <input type='hidden' name='_csrf' value={props.csrf} />
                <input type='hidden' name='procedure' value={resolution.procedure} />
                <input type='hidden' name='agency' value={resolution.agency} />
                <button class='primary' type='submit'>{applied === undefined ? t('apply') : t('applyAgain')}</button>
              </form>
            )}
          </section>
        )
      })}

      <h2 id='reuse'>{t('reuse')}</h2>
      {props.reuse.entries.length === 0
        ? <p class='muted'>{t('noReuse')}</p>
        : (
          <>
            <p>{t('reuseIntro', { entered: props.reuse.entered, uses: props.reuse.usesByAuthorities, ratio: props.reuse.reuseRatio.toFixed(2) })}</p>
            <table aria-labelledby='reuse' id='reuse-table'>
              <thead><tr><th scope='col'>{t('document')}</th><th scope='col'>{t('receiver')}</th><th scope='col'>{t('fields')}</th><th scope='col'>{t('purpose')}</th><th scope='col'>{t('receivedAt')}</th></tr></thead>
              <tbody>
                {props.reuse.entries.map(e => (
                  <tr>
                    <td><a href={`/documents/${e.record}`}>{props.titleOf(e.type)}</a></td>
                    <td>{e.name ?? ''}{e.name !== undefined && <br />}<span class='muted mono' title={e.receiver}>{short(e.receiver)}</span>{e.competence !== undefined && <div class='muted'>{e.competence}</div>}</td>
                    <td>{e.fields.length === 1 && e.fields[0] === '' ? t('allFields') : <details><summary>{t('fieldsCount', { n: e.leaves })}</summary><span class='mono'>{e.fields.join(', ')}</span></details>}</td>
                    <td class='mono'>{e.purpose ?? ''}</td>
                    <td>{when(props.lang, e.receivedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
          )}

      <h2 id='applications'>{t('applications')}</h2>
      <ApplicationsTable lang={props.lang} label={t('applications')} applications={props.applications} columns={['procedure', 'agency', 'status', 'submittedAt']} />
    </Layout>
  )
}
