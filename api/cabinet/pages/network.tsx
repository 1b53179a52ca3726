/**
 * The administrator's view of the node on the network: where it listens, the
 * participants it knows and whether each is connected, the deliveries still
 * on their way to each recipient, and the webhooks that notify the
 * organisation's systems, with how their notifications went; a webhook can be
 * removed.
 */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { OutboxView } from '../../../node/delivery/delivery-service.js'
import type { CertificateStatus } from '../../../node/trust/trust-service.js'
import type { SubscriptionDeliveries } from '../../../node/workflow/webhook-service.js'
import type { Subscription } from '../../../storage/index.js'
import { translator, type Lang, type MessageKey } from '../i18n.js'
import { AdminTabs } from './admin.js'
import { Code } from './sharing.js'
import { short, when } from './format.js'
import { Layout } from './layout.js'

/** Deliveries listed one by one at most; the summary counts them all. */
const ENTRIES_SHOWN = 200
/** Notifications delivered shown per webhook. */
export const DELIVERED_SHOWN = 10

/** A participant as the network page shows it: connected now, or known from the directory. */
export interface PeerRow {
  readonly participant: string
  readonly name?: string | undefined
  readonly role?: string | undefined
  readonly country?: string | undefined
  readonly connected: boolean
  /** The handshake admitted it (connected peers only). */
  readonly admitted?: boolean | undefined
  readonly addresses: readonly string[]
  readonly certificate: CertificateStatus
}

export interface NetworkProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  readonly self: string
  /** Where this node listens for others; none when it runs without peer-to-peer. */
  readonly addresses: readonly string[]
  readonly peers: readonly PeerRow[]
  readonly outbox: readonly OutboxView[]
  /** The outbox holds at least this many more than were read. */
  readonly outboxTruncated: boolean
  readonly webhooks: ReadonlyArray<{ readonly subscription: Omit<Subscription, 'secret'>, readonly deliveries: SubscriptionDeliveries }>
  readonly names: ReadonlyMap<string, string>
  readonly titleOf: (type: string) => string
  readonly error?: string | undefined
}

/** A participant by name, its id shortened beneath (whole in the title). */
function Who (props: { id: string, names: ReadonlyMap<string, string> }) {
  const name = props.names.get(props.id)
  return <>{name ?? ''}<div class={name !== undefined ? 'muted mono' : 'mono'} title={props.id}>{short(props.id)}</div></>
}

/** The pending deliveries of one recipient, summed up. */
interface RecipientQueue {
  readonly recipient: string
  readonly count: number
  readonly oldest: string
  readonly attempts: number
  readonly lastError?: string | undefined
  readonly lastAttemptAt?: string | undefined
  readonly nextAttemptAt?: string | undefined
}

function queues (outbox: readonly OutboxView[]): RecipientQueue[] {
  const byRecipient = new Map<string, OutboxView[]>()
  for (const entry of outbox) byRecipient.set(entry.recipient, [...(byRecipient.get(entry.recipient) ?? []), entry])
  return [...byRecipient].map(([recipient, entries]) => {
    const last = entries.filter(e => e.lastAttemptAt !== undefined).sort((a, b) => (a.lastAttemptAt as string) < (b.lastAttemptAt as string) ? 1 : -1)[0]
    const next = entries.flatMap(e => e.nextAttemptAt !== undefined ? [e.nextAttemptAt] : []).sort()[0]
    return {
      recipient,
      count: entries.length,
      oldest: entries.map(e => e.queuedAt).sort()[0] as string,
      attempts: Math.max(...entries.map(e => e.attempts)),
      lastError: last?.lastError,
      lastAttemptAt: last?.lastAttemptAt,
      nextAttemptAt: next
    }
  }).sort((a, b) => a.oldest < b.oldest ? -1 : 1)
}

function Peers (props: NetworkProps) {
  const t = translator(props.lang)
  return (
    <section aria-labelledby='peers'>
      <h2 id='peers'>{t('peers')}</h2>
      {props.peers.length === 0
        ? <p class='muted'>{t('noPeers')}</p>
        : (
          <table aria-labelledby='peers' id='peers-table'>
            <thead>
              <tr>
                <th scope='col'>{t('participantName')}</th><th scope='col'>{t('role')}</th><th scope='col'>{t('country')}</th>
                <th scope='col'>{t('certificateStatus')}</th><th scope='col'>{t('connection')}</th><th scope='col'>{t('addresses')}</th>
              </tr>
            </thead>
            <tbody>
              {props.peers.map(p => (
                <tr>
                  <td>{p.name ?? ''}<div class={p.name !== undefined ? 'muted mono' : 'mono'} title={p.participant}>{short(p.participant)}</div></td>
                  <td>{p.role !== undefined ? t(`prole_${p.role}` as MessageKey) : '—'}</td>
                  <td>{p.country ?? '—'}</td>
                  <td><span class={p.certificate === 'valid' ? 'badge ok' : 'badge bad'}>{t(`cert_${p.certificate}`)}</span></td>
                  <td>
                    {p.connected ? <span class='badge ok'>{t('connected')}</span> : <span class='badge muted'>{t('notConnected')}</span>}
                    {p.connected && p.admitted === false && <div class='bad'>{t('notAdmitted')}</div>}
                  </td>
                  <td>{p.addresses.length === 0 ? '—' : <ul class='compact mono'>{p.addresses.map(a => <li>{a}</li>)}</ul>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
    </section>
  )
}

function Outbox (props: NetworkProps) {
  const t = translator(props.lang)
  const summary = queues(props.outbox)
  return (
    <section aria-labelledby='outbox'>
      <h2 id='outbox'>{t('outbox')}</h2>
      {props.outbox.length === 0
        ? <p class='muted' id='outbox-empty'>{t('outboxEmpty')}</p>
        : (
          <>
            <p class='muted'>{t('outboxIntro')}</p>
            <table aria-labelledby='outbox' id='outbox-table'>
              <thead>
                <tr>
                  <th scope='col'>{t('recipient')}</th><th scope='col'>{t('waiting')}</th><th scope='col'>{t('queuedSince')}</th>
                  <th scope='col'>{t('attempts')}</th><th scope='col'>{t('lastError')}</th><th scope='col'>{t('nextAttempt')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.map(q => (
                  <tr>
                    <td class='who'><Who id={q.recipient} names={props.names} /></td>
                    <td>{props.outboxTruncated ? `${q.count}+` : q.count}</td>
                    <td class='nowrap'>{when(props.lang, q.oldest)}</td>
                    <td>{q.attempts}</td>
                    <td>{q.lastError !== undefined ? <><span class='bad reason'>{q.lastError}</span>{q.lastAttemptAt !== undefined && <div class='muted'>{when(props.lang, q.lastAttemptAt)}</div>}</> : '—'}</td>
                    <td class='nowrap'>{q.nextAttemptAt !== undefined ? when(props.lang, q.nextAttemptAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <details>
              <summary id='outbox-entries'>{t('outboxEntries', { n: props.outbox.length })}</summary>
              <table aria-labelledby='outbox-entries'>
                <thead><tr><th scope='col'>{t('document')}</th><th scope='col'>{t('recipient')}</th><th scope='col'>{t('fields')}</th><th scope='col'>{t('purpose')}</th><th scope='col'>{t('queuedSince')}</th><th scope='col'>{t('lastError')}</th></tr></thead>
                <tbody>
                  {props.outbox.slice(0, ENTRIES_SHOWN).map(e => (
                    <tr>
                      <td><a href={`/documents/${e.recordId}`} class='mono'>{short(e.recordId)}</a></td>
                      <td><Who id={e.recipient} names={props.names} /></td>
                      <td>{e.fields === undefined || e.fields.includes('') ? t('allFields') : t('fieldsCount', { n: e.fields.length })}</td>
                      <td>{e.purpose !== undefined ? <Code text={e.purpose} /> : '—'}</td>
                      <td>{when(props.lang, e.queuedAt)}</td>
                      <td>{e.lastError !== undefined ? <span class='bad reason'>{e.lastError}</span> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
          )}
    </section>
  )
}

function Webhooks (props: NetworkProps) {
  const t = translator(props.lang)
  return (
    <section aria-labelledby='webhooks'>
      <h2 id='webhooks'>{t('webhooks')}</h2>
      <p class='muted'>{t('webhooksIntro')}</p>
      {props.webhooks.length === 0 && <p id='no-webhooks'>{t('noWebhooks')}</p>}
      {props.webhooks.map(({ subscription: s, deliveries: d }) => {
        const filter = s.filter
        const heading = `webhook-${s.id}`
        return (
          <section class='procedure webhook' aria-labelledby={heading} id={`subscription-${s.id}`}>
            <h3 id={heading} class='mono'>{s.url}</h3>
            <dl class='fields'>
              <dt>{t('webhookEvents')}</dt><dd class='mono'>{filter.events?.join(', ') ?? t('allEvents')}</dd>
              {filter.types !== undefined && <><dt>{t('documents')}</dt><dd>{filter.types.map(props.titleOf).join(', ')}</dd></>}
              {filter.consignment !== undefined && <><dt>{t('consignment')}</dt><dd class='mono'>{filter.consignment}</dd></>}
              <dt>{t('addedAt')}</dt><dd>{when(props.lang, s.createdAt)}</dd>
              <dt>{t('waiting')}</dt><dd>{d.pending.length}</dd>
              {d.lastError !== undefined && (
                <>
                  <dt>{t('lastError')}</dt>
                  <dd><span class='bad reason'>{d.lastError}</span> · {t('attemptsN', { n: d.attempts ?? 0 })}{d.nextAttemptAt !== undefined && <> · {t('nextAttempt')}: {when(props.lang, d.nextAttemptAt)}</>}</dd>
                </>
              )}
            </dl>
            {d.delivered.length === 0
              ? <p class='muted'>{t('nothingDelivered')}</p>
              : (
                <table aria-label={`${t('deliveredRecently')}: ${s.url}`}>
                  <thead><tr><th scope='col'>{t('webhookEvent')}</th><th scope='col'>{t('deliveredWhen')}</th><th scope='col'>{t('attempts')}</th><th scope='col'>{t('answer')}</th></tr></thead>
                  <tbody>
                    {d.delivered.slice(0, DELIVERED_SHOWN).map(e => <tr><td class='mono'>{e.event}</td><td>{when(props.lang, e.deliveredAt)}</td><td>{e.attempts}</td><td class='mono'>{e.responseStatus}</td></tr>)}
                  </tbody>
                </table>
                )}
            <form method='post' action={`/network/webhooks/${s.id}/remove`} class='inline noprint'>
              <input type='hidden' name='_csrf' value={props.csrf} />
              <button type='submit' class='secondary' aria-label={`${t('removeWebhook')}: ${s.url}`}>{t('removeWebhook')}</button>
              <span class='hint'>{t('removeWebhookHint')}</span>
            </form>
          </section>
        )
      })}
    </section>
  )
}

export function NetworkPage (props: NetworkProps) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('network')} path='/network' account={props.account} csrf={props.csrf}>
      <h1>{t('network')}</h1>
      <AdminTabs lang={props.lang} current='/network' />
      {props.error !== undefined && <p class='error' role='alert'>{props.error}</p>}
      <h2 id='this-node'>{t('thisNode')}</h2>
      <dl class='fields'>
        <dt>{t('participantId')}</dt><dd class='mono'>{props.self}</dd>
        <dt>{t('listensAt')}</dt>
        <dd>{props.addresses.length === 0 ? t('noAddresses') : <ul class='compact mono'>{props.addresses.map(a => <li>{a}</li>)}</ul>}</dd>
      </dl>
      <Peers {...props} />
      <Outbox {...props} />
      <Webhooks {...props} />
    </Layout>
  )
}
