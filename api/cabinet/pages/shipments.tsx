/** Shipments: each consignment this node holds, with how many movement events it has and the last of them. */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { Movement } from '../shipment-events.js'
import { translator, type Lang } from '../i18n.js'
import { Layout } from './layout.js'
import { localTime, stepName } from './movements.js'

export interface ShipmentRow {
  readonly ref: string
  readonly events: number
  readonly last?: Movement | undefined
}

export interface ShipmentsProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly shipments: readonly ShipmentRow[]
  /** This node records movement events (a carrier, or whoever handles the goods). */
  readonly canRecord: boolean
}

export function ShipmentsPage (props: ShipmentsProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('shipments')} path='/shipments' account={props.account} csrf={props.csrf} live='list'>
      <h1 id='shipments'>{t('shipments')}</h1>
      {props.shipments.length === 0
        ? <p class='muted'>{t('noShipments')}</p>
        : (
          <table aria-labelledby='shipments'>
            <thead><tr><th scope='col'>{t('consignment')}</th><th scope='col'>{t('eventsCount')}</th><th scope='col'>{t('lastEvent')}</th><th scope='col' class='noprint'><span class='visually-hidden'>{t('recordEvent')}</span></th></tr></thead>
            <tbody>
              {props.shipments.map(s => (
                <tr>
                  <td><a class='mono' href={`/consignments/${encodeURIComponent(s.ref)}#movements`}>{s.ref}</a></td>
                  <td>{s.events}</td>
                  <td>{s.last === undefined ? '—' : <>{stepName(props.lang, s.last.step)}{s.last.place !== '' && ` · ${s.last.place}`}<div class='muted'>{localTime(s.last.at)}</div></>}</td>
                  <td class='noprint'>{props.canRecord && <a href={`/consignments/${encodeURIComponent(s.ref)}/events/new`}>{t('recordEvent')}</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
    </Layout>
  )
}
