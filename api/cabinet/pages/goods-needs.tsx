/**
 * What a consignment's goods need, as the trader reads it: from the measures
 * in force for its HS codes, direction and countries, each procedure with the
 * measures behind it and their legal basis, what its agency's profile still
 * needs, and where its application stands; a prohibition instead, when one
 * applies; and one button to apply to all of them.
 */
import type { ConsignmentProcedures, MeasureReason } from '../../../node/workflow/procedure-finder.js'
import { translator, type Lang, type MessageKey } from '../i18n.js'
import { spaced } from '../../../node/reference/measure-service.js'
import { short } from './format.js'

const inLang = (names: Readonly<Record<string, string>>, lang: Lang): string => names[lang] ?? names.en ?? ''

function LegalBasis (props: { lang: Lang, measure: MeasureReason }) {
  const t = translator(props.lang)
  const basis = props.measure.legalBasis
  return <span class='muted'>{t('legalBasis')}: {basis.act}{basis.article !== undefined && `, ${t('articleShort')} ${basis.article}`}</span>
}

export function GoodsNeeds (props: { lang: Lang, ref: string, csrf: string, view: ConsignmentProcedures | undefined, canApply: boolean }) {
  const t = translator(props.lang)
  const view = props.view
  if (view === undefined || view.goods.length === 0) return <p class='muted'>{t('noGoods')}</p>
  const path = `/consignments/${encodeURIComponent(props.ref)}`
  return (
    <>
      <p>
        {t(`direction_${view.direction}` as MessageKey)}
        {view.exporter !== undefined && <> · {t('fromCountry', { country: view.exporter })}</>}
        {view.importer !== undefined && <> · {t('toCountry', { country: view.importer })}</>}
        {' · '}{t('goodsCodes')}: {view.goods.map((g, i) => <>{i > 0 && ', '}<span class='mono' title={g.name !== undefined ? inLang(g.name, props.lang) : undefined}>{spaced(g.hsCode)}</span></>)}
      </p>
      {view.prohibited.length > 0 && (
        <div class='error' role='alert' id='prohibited'>
          <strong>{t('prohibitedTitle')}</strong>
          <ul>{view.prohibited.map(m => <li>{inLang(m.title, props.lang)} ({m.hsCodes.map(spaced).join(', ')}) — <LegalBasis lang={props.lang} measure={m} /></li>)}</ul>
        </div>
      )}
      {view.prohibited.length === 0 && view.procedures.length === 0 && <p class='muted'>{t('noMeasures')}</p>}
      {view.procedures.length > 0 && (
        <table aria-labelledby='needs' id='needs-table'>
          <thead><tr><th scope='col'>{t('procedure')}</th><th scope='col'>{t('because')}</th><th scope='col'>{t('requirementStatus')}</th><th scope='col'>{t('application')}</th></tr></thead>
          <tbody>
            {view.procedures.map(p => (
              <tr>
                <td>
                  <strong>{p.measures.map(m => inLang(m.title, props.lang)).join('; ')}</strong>
                  <div class='mono muted'>{p.procedure}</div>
                  <div>{p.agencyName ?? ''} <span class='muted mono' title={p.agency}>{short(p.agency)}</span></div>
                </td>
                <td>
                  {p.measures.map(m => <div>{m.because.join(' · ')}<br /><LegalBasis lang={props.lang} measure={m} /></div>)}
                </td>
                <td>
                  {p.requirement.status === 'no-profile'
                    ? <span class='badge bad'>{t('noProfile')}</span>
                    : (
                      <>
                        <span class={`badge ${p.requirement.status === 'complete' ? 'ok' : 'bad'}`}>{t('coverage', { present: p.requirement.present, required: p.requirement.required })}</span>
                        {p.requirement.missing.length > 0 && <div class='muted'>{t('status_missing')}: <span class='mono'>{p.requirement.missing.join(', ')}</span></div>}
                        {p.requirement.expired.length > 0 && <div class='muted'>{t('status_expired')}: <span class='mono'>{p.requirement.expired.join(', ')}</span></div>}
                      </>
                      )}
                </td>
                <td>
                  {p.application === undefined
                    ? <span class='muted'>{t('notApplied')}</span>
                    : <a href={`/applications/${p.application.id}`}>{t(`state_${p.application.status}` as MessageKey)}</a>}
                  {p.changedSinceApplication === true && <div class='badge bad'>{t('changedSince')}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canApply && view.prohibited.length === 0 && view.procedures.some(p => p.requirement.status !== 'no-profile' && (p.application === undefined || p.changedSinceApplication === true)) && (
        <form method='post' action={`${path}/apply-all`} class='noprint'>
          <input type='hidden' name='_csrf' value={props.csrf} />
          <button class='primary' type='submit'>{t('applyAll')}</button>
        </form>
      )}
    </>
  )
}
