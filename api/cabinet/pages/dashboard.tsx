/**
 * The node's reports at a glance: time from application to decision per
 * procedure (median and 90th percentile), applications by status,
 * missing-data requests per procedure, what was entered once against what
 * state bodies received, the share of documents received electronically,
 * and deliveries still on their way.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { DecisionTimes } from '../../../node/workflow/application-service.js'
import { translator, type Lang } from '../i18n.js'
import { BarChart, type Bar } from './charts.js'
import { Layout } from './layout.js'

export interface DashboardFigures {
  readonly byStatus: readonly Bar[]
  readonly decisionTimes: readonly DecisionTimes[]
  readonly missingRequests: readonly Bar[]
  readonly entered: number
  readonly usesByAuthorities: number
  readonly deliveriesPending: number
  readonly deliveriesFailing: number
  /** Documents of the newest consignments: all, and those that came signed by another participant. */
  readonly documents: { readonly total: number, readonly received: number }
}

export function duration (lang: Lang, ms: number): string {
  const minutes = ms / 60_000
  const format = (n: number, unit: 'minute' | 'hour' | 'day' | 'second'): string =>
    new Intl.NumberFormat(lang === 'kk' ? 'kk-KZ' : lang === 'ru' ? 'ru-RU' : 'en-GB', { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(n)
  if (ms < 60_000) return format(ms / 1000, 'second')
  if (minutes < 120) return format(minutes, 'minute')
  if (minutes < 48 * 60) return format(minutes / 60, 'hour')
  return format(minutes / 1440, 'day')
}

export function DashboardPage (props: { lang: Lang, account: AccountView, csrf: string, figures: DashboardFigures }) {
  const t = translator(props.lang)
  const f = props.figures
  return (
    <Layout lang={props.lang} title={t('dashboard')} path='/dashboard' account={props.account} csrf={props.csrf}>
      <h1>{t('dashboard')}</h1>
      <section aria-labelledby='times'>
        <h2 id='times'>{t('decisionTimes')}</h2>
        {f.decisionTimes.length === 0
          ? <p class='muted'>{t('noDecisions')}</p>
          : (
            <>
              <h3>{t('medianTime')}</h3>
              <BarChart id='chart-median' title={t('medianTime')} bars={f.decisionTimes.map(d => ({ label: d.procedure, value: d.medianMs, text: duration(props.lang, d.medianMs) }))} />
              <h3>{t('p90Time')}</h3>
              <BarChart id='chart-p90' title={t('p90Time')} bars={f.decisionTimes.map(d => ({ label: d.procedure, value: d.p90Ms, text: duration(props.lang, d.p90Ms) }))} />
              <p class='muted'>{f.decisionTimes.map(d => `${d.procedure}: ${d.decided}`).join(' · ')} {t('decidedCount')}</p>
            </>
            )}
      </section>
      <section aria-labelledby='statuses'>
        <h2 id='statuses'>{t('applicationsByStatus')}</h2>
        <BarChart id='chart-status' title={t('applicationsByStatus')} bars={f.byStatus} />
      </section>
      <section aria-labelledby='requests'>
        <h2 id='requests'>{t('missingPerProcedure')}</h2>
        {f.missingRequests.length === 0 ? <p class='muted'>{t('noMissingRequests')}</p> : <BarChart id='chart-missing' title={t('missingPerProcedure')} bars={f.missingRequests} />}
      </section>
      <section aria-labelledby='reuse-figures'>
        <h2 id='reuse-figures'>{t('enteredOnce')}</h2>
        <BarChart
          id='chart-reuse' title={t('enteredOnce')} bars={[
            { label: t('elementsEntered'), value: f.entered },
            { label: t('usesByAuthorities'), value: f.usesByAuthorities }
          ]}
        />
      </section>
      <section aria-labelledby='electronic'>
        <h2 id='electronic'>{t('electronicShare')}</h2>
        <BarChart
          id='chart-electronic' title={t('electronicShare')} bars={[
            { label: t('electronicShare'), value: f.documents.received, text: f.documents.total === 0 ? '—' : `${Math.round(100 * f.documents.received / f.documents.total)} %` },
            { label: t('documents'), value: f.documents.total }
          ]}
        />
        <p id='electronic-figures'>{t('electronicShareText', { received: f.documents.received, total: f.documents.total })}</p>
      </section>
      <section aria-labelledby='deliveries'>
        <h2 id='deliveries'>{t('deliveries')}</h2>
        <p id='deliveries-figures'>{t('deliveriesFigures', { pending: f.deliveriesPending, failing: f.deliveriesFailing })}</p>
      </section>
    </Layout>
  )
}
