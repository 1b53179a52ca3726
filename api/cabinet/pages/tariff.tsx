/** The tariff finder for people: goods by HS code or by words, then every measure in force for them, with why, who and on what legal basis. */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { ApplicableMeasure } from '../../../node/reference/measure-service.js'
import { spaced } from '../../../node/reference/measure-service.js'
import type { CodeListEntry } from '../../../record/reference/codelist.js'
import { TRADE_DIRECTIONS } from '../../../record/types/regulation-measure.js'
import { translator, type Lang, type MessageKey } from '../i18n.js'
import { short } from './format.js'
import { Layout } from './layout.js'

export interface TariffProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly query: { readonly q: string, readonly direction: string, readonly origin?: string, readonly destination?: string }
  /** The HS code asked about, when the query is one. */
  readonly code?: string | undefined
  readonly goods?: { readonly code: string, readonly names: Readonly<Record<string, string>> } | undefined
  readonly measures: ReadonlyArray<ApplicableMeasure & { readonly agencyName?: string | undefined }>
  /** HS entries whose code or name matches words asked for. */
  readonly matches: readonly CodeListEntry[]
}

const inLang = (names: Readonly<Record<string, string>>, lang: Lang): string => names[lang] ?? names.en ?? ''

export function TariffPage (props: TariffProps) {
  const t = translator(props.lang)
  const q = props.query
  const link = (code: string): string => `/tariff?q=${code}&direction=${q.direction}${q.origin !== undefined ? `&origin=${q.origin}` : ''}${q.destination !== undefined ? `&destination=${q.destination}` : ''}`
  return (
    <Layout lang={props.lang} title={t('tariffTitle')} path={q.q === '' ? '/tariff' : link(encodeURIComponent(q.q))} account={props.account} csrf={props.csrf}>
      <h1>{t('tariffTitle')}</h1>
      <p class='muted'>{t('tariffIntro')}</p>
      <form method='get' action='/tariff' class='document-form noprint'>
        <label for='q'>{t('hsCodeLabel')}</label>
        <input type='text' id='q' name='q' value={q.q} maxlength={128} required />
        <label for='direction'>{t('directionLabel')}</label>
        <select id='direction' name='direction'>
          {TRADE_DIRECTIONS.map(d => <option value={d} selected={d === q.direction}>{t(`direction_${d}` as MessageKey)}</option>)}
        </select>
        <label for='origin'>{t('originLabel')}</label>
        <input type='text' id='origin' name='origin' value={q.origin ?? ''} maxlength={2} autocomplete='off' />
        <label for='destination'>{t('destinationLabel')}</label>
        <input type='text' id='destination' name='destination' value={q.destination ?? ''} maxlength={2} autocomplete='off' />
        <button class='primary' type='submit'>{t('find')}</button>
      </form>

      {props.code === undefined && q.q !== '' && (
        <section aria-labelledby='matches'>
          <h2 id='matches'>{t('goodsFound', { q: q.q })}</h2>
          {props.matches.length === 0
            ? <p class='muted'>{t('nothingFound')}</p>
            : <ul>{props.matches.map(e => <li><a href={link(e.code)}><span class='mono'>{spaced(e.code)}</span></a> — {inLang(e.names, props.lang)}</li>)}</ul>}
        </section>
      )}

      {props.code !== undefined && (
        <section aria-labelledby='found'>
          <h2 id='found'>{t('measuresFound', { code: spaced(props.code) })}</h2>
          {props.goods !== undefined && <p><span class='mono'>{spaced(props.goods.code)}</span> — {inLang(props.goods.names, props.lang)}</p>}
          {props.measures.length === 0
            ? <p class='muted'>{t('noMeasures')}</p>
            : (
              <table aria-labelledby='found' id='measures'>
                <thead><tr><th scope='col'>{t('measure')}</th><th scope='col'>{t('agency')}</th><th scope='col'>{t('because')}</th><th scope='col'>{t('legalBasis')}</th></tr></thead>
                <tbody>
                  {props.measures.map(({ measure: m, because, agencyName }) => (
                    <tr class={m.kind === 'prohibition' ? 'bad' : undefined}>
                      <td><strong>{inLang(m.title, props.lang)}</strong><div class='muted'>{t(`kind_${m.kind}` as MessageKey)}{m.procedure !== undefined && <> · <span class='mono'>{m.procedure}</span></>}</div>{m.note !== undefined && <div>{m.note}</div>}</td>
                      <td>{agencyName ?? ''} <span class='muted mono' title={m.agency}>{short(m.agency)}</span></td>
                      <td>{because}</td>
                      <td>{m.legalBasis.act}{m.legalBasis.article !== undefined && `, ${t('articleShort')} ${m.legalBasis.article}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              )}
        </section>
      )}
    </Layout>
  )
}
