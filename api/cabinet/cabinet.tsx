/**
 * The cabinet: web pages for the people of the organisation that runs the
 * node, served by the node itself under `/` beside the JSON API under `/v1`.
 * Pages are rendered on the server (hono/jsx) and escape everything they
 * show; the only script they run is the node's own live.ts. See docs/cabinet.md.
 */
import { Hono, type Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { getCookie } from 'hono/cookie'
import { contextStorage } from 'hono/context-storage'
import type { NodeApi } from '../../node/node-api.js'
import { actorOf, TOKEN_SCOPES, type AccountRole, type AccountView, type Actor, type TokenScope } from '../../node/accounts/account-service.js'
import { AdminPage } from './pages/admin.js'
import { DashboardPage } from './pages/dashboard.js'
import { dashboardFigures } from './dashboard-figures.js'
import { ServiceError } from '../../node/errors.js'
import { DECISION_KINDS } from '../../record/types/decisions.js'
import type { Resolution } from '../../node/workflow/requirement-service.js'
import { RecordTypes } from '../../record/types/names.js'
import { issuingRefusal } from '../../node/trust/issuers.js'
import { dataOfForm, errorsByField, readForm, valuesOfData, type FormState } from './schema-form.js'
import { typeTitle } from './document-labels.js'
import type { Lang } from './i18n.js'
import { NewDocumentPage } from './pages/new-document.js'
import { TrustPage } from './pages/trust.js'
import { DIRECTORY_PAGE, DIRECTORY_STATUSES, DirectoryListPage, DirectoryProfilePage, type DirectorySearch } from './pages/directory.js'
import { PARTICIPANT_ROLES } from '../../record/types/trust-certificate.js'
import { isParticipantId, parseRecord, type DataObject } from '../../record/index.js'
import { ApplicationPage } from './pages/application.js'
import { InboxPage, INBOX_STATES } from './pages/inbox.js'
import { CABINET_CSS, CABINET_ICON } from './assets.js'
import { LIVE_JS, liveEvents } from './live.js'
import { VERIFY_JS, vendorModule } from './browser-verify.js'
import { ConsignmentPage } from './pages/consignment.js'
import { DocumentPage } from './pages/document.js'
import { HomePage } from './pages/home.js'
import { Layout } from './pages/layout.js'
import { LoginPage } from './pages/login.js'
import { securityHeaders } from './security.js'
import { TariffPage } from './pages/tariff.js'
import { TRADE_DIRECTIONS } from '../../record/types/regulation-measure.js'
import { attentionItems } from './attention.js'
import { epcisEventOf, movementsOf, readEventForm, type EventForm } from './shipment-events.js'
import { ShipmentsPage } from './pages/shipments.js'
import { NewEventPage } from './pages/new-event.js'
import type { MessageKey } from './i18n.js'
import { EMPTY_GRANT_FORM, previewOf, readGrantForm, recipientChoices, type GrantForm } from './sharing.js'
import { SharingPage, SharingPreviewPage, type DocumentPreview } from './pages/sharing.js'
import { DELIVERED_SHOWN, NetworkPage, type PeerRow } from './pages/network.js'
import { when } from './pages/format.js'
import { cabinetSession, clearSession, csrfValid, requireLogin, SESSION_COOKIE, setSession, type CabinetVariables } from './session.js'
import { firstPayForm, payErrors, readConfirmForm, readPayForm, type PayForm } from './payment-forms.js'
import { payChoices, paymentsShown, paysHere } from './payments-view.js'
import { ORDER_STATES, PaymentOrdersPage, type OrderFormSent } from './pages/payment-orders.js'
import type { ApplicationView } from '../../node/workflow/application-service.js'
import type { Outcome } from '../../node/workflow/risk-service.js'
import { askRoutes } from './ask-routes.js'

type Cabinet = Context<{ Variables: CabinetVariables }>

/** Where to go after login: a path of this site only. */
function safeNext (next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/'
}

/** The address a request came from, for throttling failed logins. */
function remoteAddress (c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'in-process'
  }
}

/** The record types a person enters in the cabinet, in the order offered: documents, not what the node makes of actions. */
export const ENTERED_TYPES: readonly string[] = [
  RecordTypes.tradeContract, RecordTypes.tradeInvoice, RecordTypes.tradePackingList, RecordTypes.customsDeclaration,
  RecordTypes.transportWaybill, RecordTypes.certOrigin, RecordTypes.certPhytosanitary, RecordTypes.eventShipment
]

/** Applications an inbox shows at once, newest first. */
const INBOX_PAGE = 50

/** What each role may do besides reading; `record` is no role's (a node that does not issue movement events). */
type Action = 'apply' | 'decide' | 'certify' | 'administer' | 'record'

const ALLOWED: Record<AccountRole, ReadonlySet<Action>> = {
  admin: new Set(['apply', 'decide', 'certify', 'administer']),
  declarant: new Set(['apply']),
  officer: new Set(['decide']),
  viewer: new Set()
}

const may = (account: AccountView, action: Action): boolean => ALLOWED[account.role].has(action)

/** The answer to a form the session may not send: no CSRF token of the session (403), or a role that may not (403); undefined if it may. */
function refuse (c: Cabinet, form: Record<string, unknown>, action: Action): Response | undefined {
  const t = c.get('t')
  const account = c.get('account')
  const reason = !csrfValid(c.get('session'), form._csrf) ? t('csrf') : account === undefined || !may(account, action) ? t('forbidden') : undefined
  if (reason === undefined) return undefined
  return c.html(<Layout lang={c.get('lang')} title='403' path='/' account={account} csrf={c.get('session')?.csrf}><h1>403</h1><p class='error' role='alert'>{reason}</p></Layout>, 403) as Response
}

function notFound (c: Cabinet): Response | Promise<Response> {
  const t = c.get('t')
  return c.html(
    <Layout lang={c.get('lang')} title={t('notFound')} path={new URL(c.req.url).pathname} account={c.get('account')} csrf={c.get('session')?.csrf}>
      <h1>{t('notFound')}</h1>
      <p>{t('notFoundText')}</p>
      <p><a href='/'>{t('home')}</a></p>
    </Layout>, 404)
}

export function cabinetRoutes (app: Hono, node: NodeApi): void {
  const cabinet = new Hono<{ Variables: CabinetVariables }>()
  cabinet.use('*', securityHeaders(), contextStorage(), cabinetSession(node))

  /** Records in the audit log what the signed-in person did. */
  const audit = async (c: Cabinet, action: string, detail?: string): Promise<void> => {
    await node.accounts.record({ who: `user:${c.get('account')?.id ?? '?'}`, action, ...(detail !== undefined && { detail }) })
  }

  cabinet.get('/assets/cabinet.css', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    return c.body(CABINET_CSS, 200, { 'content-type': 'text/css; charset=utf-8' })
  })

  cabinet.get('/assets/icon.svg', (c) => {
    c.header('cache-control', 'public, max-age=86400')
    return c.body(CABINET_ICON, 200, { 'content-type': 'image/svg+xml' })
  })

  cabinet.get('/assets/live.js', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    return c.body(LIVE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' })
  })

  cabinet.get('/events', requireLogin, (c) => liveEvents(c, node))

  cabinet.get('/assets/verify.js', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    return c.body(VERIFY_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' })
  })

  cabinet.get('/assets/vendor/*', async (c) => {
    const text = await vendorModule(c.req.path.slice('/assets/vendor/'.length))
    if (text === undefined) return await notFound(c)
    c.header('cache-control', 'public, max-age=86400')
    return c.body(text, 200, { 'content-type': 'text/javascript; charset=utf-8' })
  })

  // The exact bytes of a record, for the page's own check of them.
  cabinet.get('/documents/:id/record.cbor', requireLogin, async (c) => {
    const bytes = await node.records.getBytes(c.req.param('id'))
    if (bytes === undefined) return await notFound(c)
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/cbor' })
  })

  cabinet.get('/login', (c) => {
    if (c.get('account') !== undefined) return c.redirect(safeNext(c.req.query('next')), 303)
    return c.html(<LoginPage lang={c.get('lang')} next={safeNext(c.req.query('next'))} />)
  })

  cabinet.post('/login', async (c) => {
    const form = await c.req.parseBody()
    const login = typeof form.login === 'string' ? form.login.trim().toLowerCase() : ''
    const password = typeof form.password === 'string' ? form.password : ''
    const next = safeNext(form.next)
    const t = c.get('t')
    const result = await node.accounts.login(login, password, remoteAddress(c))
    if ('refused' in result) {
      const locked = result.refused === 'locked'
      if (locked) c.header('retry-after', String(Math.ceil((result.retryAfterMs ?? 0) / 1000)))
      const error = locked ? t('locked', { minutes: Math.ceil((result.retryAfterMs ?? 0) / 60_000) }) : t('wrongLogin')
      return c.html(<LoginPage lang={c.get('lang')} next={next} error={error} login={login} />, locked ? 429 : 401)
    }
    setSession(c, result.token, result.session.expiresAt)
    return c.redirect(next, 303)
  })

  cabinet.post('/logout', async (c) => {
    const form = await c.req.parseBody()
    if (!csrfValid(c.get('session'), form._csrf)) return c.html(<Layout lang={c.get('lang')} title='403' path='/'><p class='error' role='alert'>{c.get('t')('csrf')}</p></Layout>, 403)
    const token = getCookie(c, SESSION_COOKIE)
    if (token !== undefined) await node.accounts.logout(token)
    clearSession(c)
    return c.redirect('/login', 303)
  })

  cabinet.get('/', requireLogin, async (c) => {
    const account = c.get('account')
    if (account === undefined) return notFound(c)
    const applications = await node.applications.list(undefined, 100)
    const attention = await attentionItems(node, c.get('lang'), applications, account.role === 'officer' || account.role === 'admin')
    return c.html(<HomePage
      lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''}
      consignments={await node.records.consignments(200)} applications={applications} attention={attention}
                  />)
  })

  /** The refund form as it comes back: what was typed, and what is wrong. */
  type RefundSent = { values: { total: string, reason: string }, errors: Map<string, string>, failure?: string }

  /** Whether this person may order payments from this node: one who applies, on a node whose role pays. */
  const canPay = (account: AccountView): boolean => may(account, 'apply') && issuingRefusal(RecordTypes.paymentOrder, node.profile.role) === undefined

  /** The payments section of a consignment on a node that pays or is paid; with the pay form, as sent when it comes back, for who may pay what is owed. */
  const paymentsOf = async (c: Cabinet, ref: string, applications: readonly ApplicationView[], sent?: { input: PayForm, errors: Map<string, string>, failure?: string }, refundSent?: RefundSent) => {
    if (!await paysHere(node)) return undefined
    const shown = await paymentsShown(node, ref)
    // Customs — whose schedule the payments are worked out by — gives back an overpayment.
    const overpaid = shown.settlement.status === 'overpaid' && shown.calculation?.schedule.issuer === node.participant && shown.settlement.balance !== undefined
    if (overpaid && may(c.get('account') as AccountView, 'decide')) {
      return { shown, refund: { lang: c.get('lang'), ref, csrf: c.get('session')?.csrf ?? '', overpaid: shown.settlement.balance as string, currency: shown.settlement.currency, ...refundSent } }
    }
    const owed = shown.calculation !== undefined && shown.settlement.status !== 'paid' && shown.settlement.status !== 'overpaid'
    if (!canPay(c.get('account') as AccountView) || (!owed && sent === undefined)) return { shown }
    const { banks, agencies } = await payChoices(node)
    const involved = new Set(applications.map(a => a.agency))
    const ownOrders = sent === undefined ? (await node.settlements.orders()).filter(o => o.issuer === node.participant) : []
    const form = sent?.input ?? firstPayForm({ banks, agencies, involved, ownOrders, ref, selfName: node.profile.name })
    const pending = shown.settlement.orders.some(o => o.status === 'pending')
    const pay = { lang: c.get('lang'), ref, csrf: c.get('session')?.csrf ?? '', banks, agencies, form, errors: sent?.errors ?? new Map<string, string>(), failure: sent?.failure, pending }
    return { shown, pay }
  }

  /** The consignment page, with what each procedure needs of it; `error` when an action on it failed, `paySent` when the pay form comes back. */
  const consignmentPage = async (c: Cabinet, ref: string, error?: string, status: 200 | 404 | 409 | 422 = 200, paySent?: Parameters<typeof paymentsOf>[3], refundSent?: RefundSent): Promise<Response> => {
    const account = c.get('account')
    const entries = await node.records.consignment(ref)
    if (account === undefined || entries.length === 0) return await notFound(c)
    const profiles = await node.requirements.profiles()
    const resolutions = await node.requirements.resolveAll(ref, profiles)
    const procedures = profiles.map((profile, i) => ({ title: profile.title ?? '', resolution: resolutions[i] as Resolution }))
    const applications = await Promise.all((await node.requirements.applications(ref)).map(async r => await node.applications.view(r.id)))
    return c.html(
      <ConsignmentPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} ref={ref} entries={entries}
        titleOf={type => typeTitle(c.get('lang'), type, node.types.get(type)?.title)} procedures={procedures} applications={applications}
        canApply={may(account, 'apply')} error={error} reuse={await node.reuse.ofConsignment(ref)}
        movements={movementsOf(entries)} canRecord={canRecordEvents(account)} names={await participantNames()}
        needs={await node.procedures.procedures(ref).catch(() => undefined)}
        payments={await paymentsOf(c, ref, applications, paySent, refundSent)}
      />, status)
  }

  cabinet.get('/consignments/:ref', requireLogin, async (c) => await consignmentPage(c, c.req.param('ref')))

  cabinet.post('/consignments/:ref/apply', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'apply')
    if (refused !== undefined) return refused
    const ref = c.req.param('ref')
    try {
      const result = await node.requirements.apply(ref, String(form.procedure), String(form.agency), actorOf(c.get('account') as AccountView))
      await audit(c, 'applied', `${String(form.procedure)} ${result.application.id}`)
      return c.redirect(`/applications/${result.application.id}`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await consignmentPage(c, ref, c.get('t')('failed', { reason: err.message }), 422)
    }
  })

  /** Each certified participant's name, by participant id. */
  const participantNames = async (): Promise<Map<string, string>> =>
    new Map((await node.trust.directory()).flatMap(p => p.certificate?.name !== undefined && p.certificate.name !== '' ? [[p.participant, p.certificate.name] as [string, string]] : []))

  /** Whether this person records movement events here: the node's role issues them, and the person enters documents. */
  const canRecordEvents = (account: AccountView): boolean => may(account, 'apply') && issuingRefusal(RecordTypes.epcisEvent, node.profile.role) === undefined

  cabinet.get('/shipments', requireLogin, async (c) => {
    const account = c.get('account') as AccountView
    const shipments = await Promise.all((await node.records.consignments(200)).map(async ref => {
      const movements = movementsOf(await node.records.consignment(ref))
      return { ref, events: movements.length, last: movements.at(-1) }
    }))
    return c.html(<ShipmentsPage lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} shipments={shipments} canRecord={canRecordEvents(account)} />)
  })

  /** The event form of a consignment; with what was sent and its errors when it comes back. */
  const newEventPage = async (c: Cabinet, ref: string, sent?: { input: EventForm, errors: Map<string, MessageKey> }, failure?: string): Promise<Response> => {
    const account = c.get('account') as AccountView
    const entries = await node.records.consignment(ref)
    if (entries.length === 0) return await notFound(c)
    // Whoever already has a part in the consignment is ticked: the issuers of its records, the agencies applied to.
    const involved = new Set([...entries.map(e => e.current.issuer), ...(await node.requirements.applications(ref)).map(a => String(a.data.agency))])
    const recipients = (await node.trust.directory())
      .filter(p => p.status === 'valid' && p.participant !== node.participant && p.certificate !== undefined)
      .map(p => ({ participant: p.participant, name: p.certificate?.name ?? '', role: p.certificate?.role ?? '', chosen: involved.has(p.participant) }))
    const status = sent !== undefined || failure !== undefined ? 422 : 200
    return c.html(
      <NewEventPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} ref={ref}
        input={sent?.input} errors={sent?.errors ?? new Map()} recipients={recipients} failure={failure}
      />, status)
  }

  cabinet.get('/consignments/:ref/events/new', requireLogin, async (c) => {
    if (!canRecordEvents(c.get('account') as AccountView)) return refuse(c, { _csrf: c.get('session')?.csrf }, 'record') as Response
    return await newEventPage(c, c.req.param('ref'))
  })

  cabinet.post('/consignments/:ref/events', requireLogin, async (c) => {
    const form = await c.req.parseBody({ all: true })
    const refused = refuse(c, form, canRecordEvents(c.get('account') as AccountView) ? 'apply' : 'record')
    if (refused !== undefined) return refused
    const ref = c.req.param('ref')
    const sent = readEventForm(form)
    if (sent.errors.size > 0) return await newEventPage(c, ref, sent)
    try {
      const [captured] = await node.epcis.capture(epcisEventOf(sent.input, ref), { consignment: ref, share: sent.input.share })
      await audit(c, 'event recorded', `${sent.input.step} ${captured?.record ?? ''}`)
      return c.redirect(`/consignments/${encodeURIComponent(ref)}#movements`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await newEventPage(c, ref, undefined, c.get('t')('failed', { reason: err.message }))
    }
  })

  cabinet.post('/consignments/:ref/apply-all', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'apply')
    if (refused !== undefined) return refused
    const ref = c.req.param('ref')
    try {
      const { applied } = await node.procedures.applyAll(ref, actorOf(c.get('account') as AccountView))
      await audit(c, 'applied to all', `${ref}: ${applied.map(a => `${String(a.application.data.procedure)} ${a.application.id}`).join(', ')}`)
      return c.redirect(`/consignments/${encodeURIComponent(ref)}#needs`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await consignmentPage(c, ref, c.get('t')('failed', { reason: err.message }), err.code === 'prohibited' ? 409 : 422)
    }
  })

  cabinet.post('/consignments/:ref/refunds', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'decide')
    if (refused !== undefined) return refused
    const ref = c.req.param('ref')
    const t = c.get('t')
    const values = { total: typeof form.total === 'string' ? form.total.trim() : '', reason: typeof form.reason === 'string' ? form.reason.trim() : '' }
    if (values.reason === '') return await consignmentPage(c, ref, undefined, 422, undefined, { values, errors: new Map([['reason', t('errRefundReason')]]) })
    if (values.total !== '' && !/^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/.test(values.total)) return await consignmentPage(c, ref, undefined, 422, undefined, { values, errors: new Map([['total', t('errRefundTotal')]]) })
    try {
      const record = await node.settlements.refund(ref, { reason: values.reason.slice(0, 1000), ...(values.total !== '' && { total: values.total }) })
      await audit(c, 'payments refunded', `${ref} ${record.id}`)
      return c.redirect(`/consignments/${encodeURIComponent(ref)}#payments`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      const total = err.violations.some(v => v.path === '/total')
      return await consignmentPage(c, ref, undefined, 422, undefined, { values, errors: total ? new Map([['total', t('errRefundTotal')]]) : new Map(), ...(!total && { failure: t('failed', { reason: err.message }) }) })
    }
  })

  cabinet.post('/consignments/:ref/payment-orders', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, canPay(c.get('account') as AccountView) ? 'apply' : 'record')
    if (refused !== undefined) return refused
    const ref = c.req.param('ref')
    const t = c.get('t')
    const { banks, agencies } = await payChoices(node)
    const { input, order, errors } = readPayForm(form, { t, banks, agencies, self: node.participant })
    if (order === undefined) return await consignmentPage(c, ref, undefined, 422, { input, errors })
    try {
      const record = await node.settlements.order(ref, order)
      await audit(c, 'payment ordered', `${ref} ${record.id}`)
      return c.redirect(`/consignments/${encodeURIComponent(ref)}#payments`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      const byField = payErrors(t, err.violations)
      return await consignmentPage(c, ref, undefined, 422, { input, errors: byField, ...(byField.size === 0 && { failure: t('failed', { reason: err.message }) }) })
    }
  })

  /** The payment orders held here (a bank's received ones), by status; a form of one order back with what is wrong. */
  const paymentOrdersPage = async (c: Cabinet, sent?: OrderFormSent, status: 200 | 409 | 422 = 200): Promise<Response> => {
    const account = c.get('account') as AccountView
    const shown = ORDER_STATES.find(s => s === c.req.query('status'))
    return c.html(
      <PaymentOrdersPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} status={shown}
        orders={await node.settlements.orders(shown !== undefined ? { status: shown } : {})} names={await participantNames()}
        canDecide={node.profile.role === 'bank' && may(account, 'decide')} sent={sent}
      />, status)
  }

  cabinet.get('/payment-orders', requireLogin, async (c) => await paymentOrdersPage(c))

  /** A bank's answer to an order, then back to the list; a form with a mistake comes back beside its field. */
  const bankAction = (action: (id: string, form: Record<string, string | File>, t: Cabinet['var']['t']) => Promise<{ errors: Map<string, string> } | undefined>) => async (c: Cabinet) => {
    const form = await c.req.parseBody()
    // Only a bank answers payment orders: elsewhere, no role may.
    const refused = refuse(c, form, node.profile.role === 'bank' ? 'decide' : 'record')
    if (refused !== undefined) return refused
    const id = c.req.param('id') as string
    const t = c.get('t')
    const values = Object.fromEntries(['total', 'bankReference', 'reason'].map(name => [name, typeof form[name] === 'string' ? form[name] : '']))
    try {
      const wrong = await action(id, form, t)
      if (wrong !== undefined) return await paymentOrdersPage(c, { order: id, errors: wrong.errors, values }, 422)
      await audit(c, `payment ${new URL(c.req.url).pathname.split('/').pop() === 'confirm' ? 'confirmed' : 'refused'}`, id)
      return c.redirect(`/payment-orders#order-${id}`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      if (err.code === 'not-found') return await notFound(c)
      const total = err.violations.some(v => v.path === '/total')
      const failure = { order: id, errors: total ? new Map([['total', t('errTotal')]]) : new Map<string, string>(), values, ...(!total && { failure: t('failed', { reason: err.message }) }) }
      return await paymentOrdersPage(c, failure, err.code === 'already-decided' ? 409 : 422)
    }
  }

  cabinet.post('/payment-orders/:id/confirm', requireLogin, bankAction(async (id, form, t) => {
    const order = (await node.settlements.orders()).find(o => o.id === id)
    if (order === undefined) throw new ServiceError('not-found', `no payment order ${id} here`)
    const { errors, ...confirmation } = readConfirmForm(form, order, t)
    if (errors.size > 0) return { errors }
    await node.settlements.confirm(id, confirmation)
    return undefined
  }))

  cabinet.post('/payment-orders/:id/refuse', requireLogin, bankAction(async (id, form, t) => {
    const reason = text(form.reason)
    if (reason === undefined) return { errors: new Map([['reason', t('errReason')]]) }
    await node.settlements.refuse(id, reason.slice(0, 1000))
    return undefined
  }))

  cabinet.get('/tariff', requireLogin, async (c) => {
    const account = c.get('account') as AccountView
    const raw = (c.req.query('q') ?? '').trim().slice(0, 128)
    const direction = TRADE_DIRECTIONS.find(d => d === c.req.query('direction')) ?? 'export'
    const country = (name: string): string | undefined => { const v = (c.req.query(name) ?? '').trim().toUpperCase(); return /^[A-Z]{2}$/.test(v) ? v : undefined }
    const origin = country('origin')
    const destination = country('destination')
    const code = raw.replace(/[\s.]/g, '')
    const isCode = /^[0-9]{2,10}$/.test(code)
    const hsList = node.codelists.find('hs-2022')
    const matches = raw === '' || isCode || hsList === undefined ? [] : node.codelists.search(hsList.entries, raw, 30)
    const found = isCode ? node.measures.lookup({ hsCode: code, direction, origin, destination }) : []
    const names = await participantNames()
    return c.html(
      <TariffPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''}
        query={{ q: raw, direction, ...(origin !== undefined && { origin }), ...(destination !== undefined && { destination }) }}
        code={isCode ? code : undefined} goods={isCode ? node.measures.goodsName(code) : undefined}
        measures={found.map(f => ({ ...f, agencyName: names.get(f.measure.agency) }))} matches={matches}
      />)
  })

  cabinet.get('/inbox', requireLogin, async (c) => {
    const account = c.get('account') as AccountView
    const status = INBOX_STATES.find(s => s === c.req.query('status'))
    const search = (c.req.query('q') ?? '').trim().slice(0, 64)
    // A page of the newest; a search looks further back.
    const applications = (await node.applications.list(status, search === '' ? INBOX_PAGE : 1000, node.participant))
      .filter(a => search === '' || a.consignment.includes(search.toUpperCase()))
    return c.html(<InboxPage lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} applications={applications} status={status} search={search} outcomes={await latestOutcomes(applications)} />)
  })

  /** The latest risk outcome of each application the rules evaluated: one lookup each, side by side; none off an agency's node. */
  const latestOutcomes = async (applications: readonly ApplicationView[]): Promise<Map<string, Outcome>> => {
    if (node.profile.role !== 'agency') return new Map()
    const latest = await Promise.all(applications.map(async a => [a.id, (await node.risk.evaluations(a.id).catch(() => [])).at(-1)?.outcome] as const))
    return new Map(latest.flatMap(([id, outcome]) => outcome !== undefined ? [[id, outcome]] : []))
  }

  /** The application page; `error` when an officer's action on it failed. */
  const applicationPage = async (c: Cabinet, id: string, error?: string, status: 200 | 409 | 422 = 200): Promise<Response> => {
    const account = c.get('account') as AccountView
    let application
    try {
      application = await node.applications.view(id)
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'not-found') return await notFound(c)
      throw err
    }
    const elements = (application.application.data.elements ?? []) as Array<{ id: string, status: string, records?: string[] }>
    // Each record the application points to, once, with the elements it backs.
    const backs = new Map<string, string[]>()
    for (const e of elements) for (const r of e.records ?? []) backs.set(r, [...(backs.get(r) ?? []), e.id])
    const directory = new Map((await node.trust.directory()).map(p => [p.participant, p]))
    const given = await Promise.all([...backs].map(async ([record, ids]) => {
      const view = await node.records.get(record)
      return { id: record, view, issuer: view === undefined ? undefined : directory.get(view.issuer), elements: ids }
    }))
    return c.html(
      <ApplicationPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} application={application}
        lacking={elements.filter(e => e.status !== 'present').map(e => e.id)} given={given}
        names={new Map([...directory].flatMap(([id, p]) => p.certificate?.name !== undefined && p.certificate.name !== '' ? [[id, p.certificate.name] as [string, string]] : []))}
        canDecide={application.agency === node.participant && may(account, 'decide')} error={error}
        evaluations={application.agency === node.participant ? await node.risk.evaluations(id) : undefined}
      />, status)
  }

  cabinet.get('/applications/:id', requireLogin, async (c) => await applicationPage(c, c.req.param('id')))

  /** An officer's action on an application, then back to its page. */
  const officerAction = (action: (id: string, form: Record<string, string | File | Array<string | File>>, actor: Actor) => Promise<unknown>) => async (c: Cabinet) => {
    const form = await c.req.parseBody({ all: true })
    const refused = refuse(c, form, 'decide')
    if (refused !== undefined) return refused
    const id = c.req.param('id') as string
    try {
      await action(id, form, actorOf(c.get('account') as AccountView))
      await audit(c, `application ${new URL(c.req.url).pathname.split('/').pop() ?? ''}`, id)
      return c.redirect(`/applications/${id}`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      const conflict = err.code === 'already-decided' || err.code === 'already-superseded' || err.code === 'not-in-force'
      return await applicationPage(c, id, c.get('t')('failed', { reason: err.message }), conflict ? 409 : 422)
    }
  }
  const text = (value: unknown): string | undefined => typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
  const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')

  cabinet.post('/applications/:id/status', requireLogin, officerAction(async (id, _form, actor) => await node.applications.setStatus(id, 'under-review', undefined, actor)))
  cabinet.post('/applications/:id/missing-data', requireLogin, officerAction(async (id, form, actor) => {
    const elements = list(form.elements)
    await node.requirements.requestMissing(id, elements.length > 0 ? elements : undefined, text(form.message), actor)
  }))
  cabinet.post('/applications/:id/decision', requireLogin, officerAction(async (id, form, actor) => {
    const kind = DECISION_KINDS.find(k => k === form.kind)
    if (kind === undefined) throw new ServiceError('invalid-request', 'choose a decision')
    const reasons = (text(form.reasons) ?? '').split('\n').map(r => r.trim()).filter(r => r !== '')
    const number = text(form.number)
    const summary = text(form.summary)
    await node.applications.decide(id, { kind, actor, ...(number !== undefined && { number }), ...(summary !== undefined && { summary }), ...(reasons.length > 0 && { reasons }) })
  }))

  /**
   * The decision a change form names, when it is a version of the decision of
   * the application the page is about, with the validity of the version in
   * force. The form names the version it showed: a stale page changes nothing.
   */
  const shownDecision = async (id: string, form: Record<string, unknown>): Promise<{ id: string, validUntil?: string }> => {
    const decision = text(form.decision)
    const view = await node.applications.view(id)
    if (decision === undefined || view.decisionStatus === undefined || !view.decisionStatus.versions.includes(decision)) {
      throw new ServiceError('invalid-request', 'the form names no decision of this application')
    }
    return { id: decision, ...(view.decision?.validUntil !== undefined && { validUntil: view.decision.validUntil }) }
  }
  const decisionOf = async (id: string, form: Record<string, unknown>): Promise<string> => (await shownDecision(id, form)).id
  const day = (value: unknown, name: string): string | undefined => {
    const v = text(value)
    if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new ServiceError('invalid-request', `${name} is not a date`)
    return v
  }
  const reasonOf = (form: Record<string, unknown>): string => {
    const reason = text(form.reason)
    if (reason === undefined) throw new ServiceError('invalid-request', 'state the reason')
    return reason
  }
  cabinet.post('/applications/:id/amend', requireLogin, officerAction(async (id, form, actor) => {
    const decision = await shownDecision(id, form)
    const number = text(form.number)
    const summary = text(form.summary)
    // The day the form showed is the validity the decision has: kept as it was signed.
    const shown = day(form.validUntil, 'validUntil')
    const validUntil = shown !== undefined && shown !== decision.validUntil?.slice(0, 10) ? shown : undefined
    await node.applications.amend(decision.id, { actor, ...(number !== undefined && { number }), ...(summary !== undefined && { summary }), ...(validUntil !== undefined && { validUntil }) })
  }))
  cabinet.post('/applications/:id/suspend', requireLogin, officerAction(async (id, form, actor) => {
    const decision = await decisionOf(id, form)
    const until = day(form.until, 'until')
    await node.applications.suspend(decision, { reason: reasonOf(form), actor, ...(until !== undefined && { until }) })
  }))
  cabinet.post('/applications/:id/reinstate', requireLogin, officerAction(async (id, form, actor) => {
    await node.applications.reinstate(await decisionOf(id, form), { reason: reasonOf(form), actor })
  }))
  cabinet.post('/applications/:id/withdraw', requireLogin, officerAction(async (id, form, actor) => {
    await node.applications.withdraw(await decisionOf(id, form), { reason: reasonOf(form), actor })
  }))

  /** The documents this node may issue that a person enters by hand, titled in `lang`. */
  const enterable = (lang: Lang): Array<{ type: string, title: string }> => ENTERED_TYPES
    .filter(type => issuingRefusal(type, node.profile.role) === undefined && node.types.get(type) !== undefined)
    .map(type => ({ type, title: typeTitle(lang, type, node.types.get(type)?.title) }))

  const newDocumentPage = (c: Cabinet, input: { type?: string, consignment?: string, supersedes?: string, state?: FormState, uploadError?: string }, status: 200 | 422 = 200): Response | Promise<Response> => {
    const account = c.get('account') as AccountView
    const lang = c.get('lang')
    const definition = input.type === undefined ? undefined : node.types.get(input.type)
    const form = definition === undefined
      ? undefined
      : { type: definition.type, title: typeTitle(lang, definition.type, definition.title), schema: definition.schema, state: input.state ?? { values: new Map(), counts: new Map(), errors: new Map() } }
    return c.html(
      <NewDocumentPage
        lang={lang} account={account} csrf={c.get('session')?.csrf ?? ''} types={enterable(lang)}
        consignment={input.consignment} supersedes={input.supersedes} form={form} uploadError={input.uploadError}
      />, status)
  }

  /** The form of a new document (GET /documents/new, answered by the route of /documents/:id). */
  const newDocumentForm = async (c: Cabinet): Promise<Response> => {
    const account = c.get('account') as AccountView
    if (!may(account, 'apply')) return refuse(c, { _csrf: c.get('session')?.csrf }, 'apply') as Response
    const supersedes = c.req.query('supersedes')
    if (supersedes !== undefined) {
      const earlier = await node.records.get(supersedes)
      if (earlier === undefined) return await notFound(c)
      const { values, counts } = valuesOfData(earlier.data)
      return await newDocumentPage(c, { type: earlier.type, supersedes, ...(earlier.consignment !== undefined && { consignment: earlier.consignment }), state: { values, counts, errors: new Map() } })
    }
    const type = enterable(c.get('lang')).find(e => e.type === c.req.query('type'))?.type
    const consignment = c.req.query('consignment')
    return await newDocumentPage(c, { ...(type !== undefined && { type }), ...(consignment !== undefined && { consignment }) })
  }

  cabinet.post('/documents/new', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'apply')
    if (refused !== undefined) return refused
    const type = String(form.type)
    const definition = node.types.get(type)
    if (definition === undefined) return await notFound(c)
    const consignment = text(form.consignment)
    const supersedes = text(form.supersedes)
    const { values, counts, edited } = readForm(definition.schema, form)
    const page = { type, ...(consignment !== undefined && { consignment }), ...(supersedes !== undefined && { supersedes }) }
    if (edited) return await newDocumentPage(c, { ...page, state: { values, counts, errors: new Map() } })
    try {
      const { record } = await node.records.create({
        type,
        data: (dataOfForm(definition.schema, values, counts) ?? {}) as DataObject,
        ...(consignment !== undefined && { consignment }),
        ...(supersedes !== undefined && { supersedes })
      })
      await audit(c, supersedes !== undefined ? 'document corrected' : 'document entered', `${type} ${record.id}`)
      return c.redirect(`/documents/${record.id}`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      const errors = errorsByField(c.get('t'), err.violations.length > 0 ? err.violations : [{ path: '', message: err.message }])
      if (err.violations.length === 0) errors.set('', err.message)
      return await newDocumentPage(c, { ...page, state: { values, counts, errors } }, 422)
    }
  })

  /** A file in place of the form: the fields of a document of the chosen type as JSON, or a record signed elsewhere as CBOR. */
  cabinet.post('/documents/upload', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'apply')
    if (refused !== undefined) return refused
    const t = c.get('t')
    const chosen = enterable(c.get('lang')).find(e => e.type === form.type)?.type
    const consignment = text(form.consignment)
    const supersedes = text(form.supersedes)
    const page = { ...(chosen !== undefined && { type: chosen }), ...(consignment !== undefined && { consignment }), ...(supersedes !== undefined && { supersedes }) }
    const file = form.file
    if (!(file instanceof File) || file.size === 0) return await newDocumentPage(c, { ...page, uploadError: t('uploadEmpty') }, 422)
    const bytes = new Uint8Array(await file.arrayBuffer())
    // A JSON text starts with an object's brace (after any blank space); anything else is taken for a CBOR record.
    const json = /^\s*\{/.test(new TextDecoder().decode(bytes.subarray(0, 64)))
    if (!json || chosen === undefined) {
      try {
        const { record } = await node.records.import(bytes)
        await audit(c, 'document imported', `${record.envelope.type} ${record.id}`)
        return c.redirect(`/documents/${record.id}`, 303)
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err
        return await newDocumentPage(c, { ...page, uploadError: t('failed', { reason: err.message }) }, 422)
      }
    }
    const definition = node.types.get(chosen)
    if (definition === undefined) return await notFound(c)
    let data: unknown
    try {
      const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Record<string, unknown>
      // The API's request form ({ type, data, … }) or the fields alone.
      const wrapped = typeof parsed.type === 'string' && typeof parsed.data === 'object' && parsed.data !== null
      if (wrapped && parsed.type !== chosen) {
        return await newDocumentPage(c, { ...page, uploadError: t('uploadWrongType', { found: typeTitle(c.get('lang'), String(parsed.type), node.types.get(String(parsed.type))?.title), expected: typeTitle(c.get('lang'), chosen, definition.title) }) }, 422)
      }
      data = wrapped ? parsed.data : parsed
    } catch (err) {
      return await newDocumentPage(c, { ...page, uploadError: t('uploadNotJson', { reason: (err as Error).message }) }, 422)
    }
    try {
      const { record } = await node.records.create({ type: chosen, data: data as DataObject, ...(consignment !== undefined && { consignment }), ...(supersedes !== undefined && { supersedes }) })
      await audit(c, 'document uploaded', `${chosen} ${record.id}`)
      return c.redirect(`/documents/${record.id}`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      // The file's values go into the form, with what is wrong beside each field, to be fixed there.
      const { values, counts } = valuesOfData(data)
      const errors = errorsByField(t, err.violations.length > 0 ? err.violations : [{ path: '', message: err.message }])
      if (err.violations.length === 0) errors.set('', err.message)
      return await newDocumentPage(c, { ...page, state: { values, counts, errors } }, 422)
    }
  })

  const trustPage = async (c: Cabinet, error?: string, status: 200 | 422 = 200): Promise<Response> => {
    const account = c.get('account') as AccountView
    return c.html(
      <TrustPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} self={node.participant}
        authorities={await node.trust.authorities()} directory={await node.trust.directory()}
        canCertify={node.profile.role === 'authority' && may(account, 'certify')} error={error}
      />, status)
  }

  cabinet.get('/trust', requireLogin, async (c) => await trustPage(c))

  /** The participant directory, searched by the form's GET query; what the form cannot make is ignored. */
  cabinet.get('/directory', requireLogin, async (c) => {
    const field = (name: string): string | undefined => {
      const value = (c.req.query(name) ?? '').trim().slice(0, 256)
      return value === '' ? undefined : value
    }
    const role = PARTICIPANT_ROLES.find(r => r === c.req.query('role'))
    const status = DIRECTORY_STATUSES.find(s => s === c.req.query('status'))
    const country = field('country')?.toUpperCase()
    const competence = field('competence')
    const q = field('q')
    const search: DirectorySearch = {
      ...(q !== undefined && { q }),
      ...(role !== undefined && { role }),
      ...(country !== undefined && { country }),
      ...(competence !== undefined && { competence }),
      ...(status !== undefined && { status })
    }
    const page = await node.directory.list({ ...search, limit: DIRECTORY_PAGE })
    return c.html(<DirectoryListPage lang={c.get('lang')} account={c.get('account') as AccountView} csrf={c.get('session')?.csrf ?? ''} search={search} page={page} />)
  })

  cabinet.get('/directory/:participant', requireLogin, async (c) => {
    const participant = c.req.param('participant')
    if (!isParticipantId(participant)) return await notFound(c)
    try {
      const profile = await node.directory.profile(participant)
      return c.html(<DirectoryProfilePage lang={c.get('lang')} account={c.get('account') as AccountView} csrf={c.get('session')?.csrf ?? ''} profile={profile} />)
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'not-found') return await notFound(c)
      throw err
    }
  })

  /** An authority's action on the trust space, then back to its page. */
  const authorityAction = (action: (form: Record<string, string | File>) => Promise<unknown>) => async (c: Cabinet) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'certify')
    if (refused !== undefined) return refused
    try {
      await action(form)
      await audit(c, `trust ${new URL(c.req.url).pathname.split('/').pop() ?? ''}`, text(form.participant) ?? text(form.certificate))
      return c.redirect('/trust', 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await trustPage(c, c.get('t')('failed', { reason: err.message }), 422)
    }
  }

  cabinet.post('/trust/certify', requireLogin, authorityAction(async (form) => {
    const role = PARTICIPANT_ROLES.find(r => r === form.role)
    const participant = text(form.participant) ?? ''
    if (role === undefined || !isParticipantId(participant)) throw new ServiceError('invalid-request', 'a participant id and a role are needed')
    const [legalId, competence, validUntil] = [text(form.legalId), text(form.competence), text(form.validUntil)]
    await node.trust.certify({
      participant,
      role,
      name: text(form.name) ?? '',
      country: (text(form.country) ?? '').toUpperCase(),
      ...(legalId !== undefined && { legalId }),
      ...(competence !== undefined && { competence })
    }, validUntil === undefined ? undefined : `${validUntil}T23:59:59.999Z`)
  }))

  cabinet.post('/trust/revoke', requireLogin, authorityAction(async (form) => {
    await node.trust.revoke(text(form.certificate) ?? '', text(form.reason) ?? '')
  }))

  const adminPage = async (c: Cabinet, extra: { shown?: { what: string, secret: string }, error?: string } = {}, status: 200 | 201 | 422 = 200): Promise<Response> => {
    const account = c.get('account') as AccountView
    if (!may(account, 'administer')) return refuse(c, { _csrf: c.get('session')?.csrf }, 'administer') as Response
    return c.html(
      <AdminPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''}
        accounts={await node.accounts.list()} tokens={await node.accounts.tokens()} audit={await node.accounts.auditLog(200)}
        shown={extra.shown} error={extra.error}
      />, status)
  }

  cabinet.get('/admin', requireLogin, async (c) => await adminPage(c))

  /** An administrator's action; `shown` is a secret it made, to show once. */
  const adminAction = (action: (c: Cabinet, form: Record<string, string | File | Array<string | File>>) => Promise<{ what: string, secret: string } | undefined>) => async (c: Cabinet) => {
    const form = await c.req.parseBody({ all: true })
    const refused = refuse(c, form, 'administer')
    if (refused !== undefined) return refused
    try {
      const shown = await action(c, form)
      // A secret is shown on the page that answers the form, never in a URL.
      return shown !== undefined ? await adminPage(c, { shown }, 201) : c.redirect('/admin', 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await adminPage(c, { error: c.get('t')('failed', { reason: err.message }) }, 422)
    }
  }

  cabinet.post('/admin/users', requireLogin, adminAction(async (c, form) => {
    const id = text(form.id) ?? ''
    const name = text(form.name)
    const { password } = await node.accounts.add({ id, role: String(form.role), ...(name !== undefined && { name }) })
    await audit(c, 'account added', id)
    return { what: c.get('t')('password'), secret: password }
  }))
  cabinet.post('/admin/users/:id/disable', requireLogin, adminAction(async (c) => {
    await node.accounts.disable(c.req.param('id') as string)
    await audit(c, 'account disabled', c.req.param('id'))
    return undefined
  }))
  cabinet.post('/admin/users/:id/reset', requireLogin, adminAction(async (c) => {
    const { password } = await node.accounts.reset(c.req.param('id') as string)
    await audit(c, 'password reset', c.req.param('id'))
    return { what: c.get('t')('password'), secret: password }
  }))
  cabinet.post('/admin/tokens', requireLogin, adminAction(async (c, form) => {
    const scopes = list(form.scopes).filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s))
    const { token, secret } = await node.accounts.addToken(text(form.name) ?? '', scopes)
    await audit(c, 'token made', `${token.name} (${token.scopes.join(', ')})`)
    return { what: `${c.get('t')('addToken')}: ${token.name}`, secret }
  }))
  cabinet.post('/admin/tokens/:id/revoke', requireLogin, adminAction(async (c) => {
    const token = await node.accounts.revokeToken(c.req.param('id') as string)
    await audit(c, 'token revoked', token.name)
    return undefined
  }))

  /** The record types a grant is made for: the documents and events this node's role issues. */
  const sharedTypes = (): string[] => [...ENTERED_TYPES, RecordTypes.epcisEvent]
    .filter(type => issuingRefusal(type, node.profile.role) === undefined && node.types.get(type) !== undefined)
  const titleIn = (lang: Lang) => (type: string): string => typeTitle(lang, type, node.types.get(type)?.title)
  const namesOf = (directory: ReadonlyArray<{ participant: string, certificate?: { name?: string } }>): Map<string, string> =>
    new Map(directory.flatMap(p => p.certificate?.name !== undefined && p.certificate.name !== '' ? [[p.participant, p.certificate.name] as [string, string]] : []))

  /** The documents of the kinds grants cover that this node issued lately, newest first, to preview one. */
  const ownDocuments = async (lang: Lang): Promise<Array<{ id: string, label: string }>> => {
    const kinds = new Set([...ENTERED_TYPES, RecordTypes.epcisEvent])
    const { records } = await node.records.list({ issuer: node.participant, limit: 200, newestFirst: true })
    return records.filter(v => kinds.has(v.type)).slice(0, 50).map(v => ({
      id: v.id,
      label: [
        `${titleIn(lang)(v.type)}${typeof v.data.number === 'string' ? ` ${v.data.number}` : ''}`,
        ...(v.consignment !== undefined ? [v.consignment] : []),
        when(lang, v.issuedAt)
      ].join(' · ')
    }))
  }

  /** The sharing page; with the add-a-grant form as sent and its errors, or a failure, when an action comes back. */
  const sharingPage = async (c: Cabinet, extra: { form?: GrantForm, errors?: Map<string, string>, error?: string } = {}, status: 200 | 422 = 200): Promise<Response> => {
    const account = c.get('account') as AccountView
    if (!may(account, 'administer')) return refuse(c, { _csrf: c.get('session')?.csrf }, 'administer') as Response
    const lang = c.get('lang')
    const directory = await node.trust.directory()
    return c.html(
      <SharingPage
        lang={lang} account={account} csrf={c.get('session')?.csrf ?? ''}
        grants={node.policy.list()} names={namesOf(directory)} titleOf={titleIn(lang)} types={sharedTypes()}
        choices={recipientChoices(directory, node.participant)}
        purposes={[...new Set((await node.requirements.profiles()).map(p => p.procedure))]}
        form={extra.form ?? EMPTY_GRANT_FORM} errors={extra.errors ?? new Map()} error={extra.error}
        documents={await ownDocuments(lang)}
      />, status)
  }

  // Who would receive which fields of one document (`?record=`), as the grants in force decide.
  cabinet.get('/sharing/preview', requireLogin, async (c) => {
    const account = c.get('account') as AccountView
    if (!may(account, 'administer')) return refuse(c, { _csrf: c.get('session')?.csrf }, 'administer') as Response
    const lang = c.get('lang')
    const chosen = c.req.query('record') ?? ''
    let preview: DocumentPreview | undefined
    if (chosen !== '') {
      const [bytes, view] = await Promise.all([node.records.getBytes(chosen), node.records.get(chosen)])
      if (bytes !== undefined && view !== undefined) {
        const access = node.policy.access(parseRecord(bytes))
        const names = namesOf(await node.trust.directory())
        preview = { view, title: titleIn(lang)(view.type), owned: view.issuer === node.participant, result: previewOf(lang, view, node.types.get(view.type)?.schema, access, id => node.policy.get(id)?.patterns, names) }
      }
    }
    const missing = chosen !== '' && preview === undefined
    return c.html(
      <SharingPreviewPage
        lang={lang} account={account} csrf={c.get('session')?.csrf ?? ''} documents={await ownDocuments(lang)} preview={preview}
        error={missing ? c.get('t')('noSuchDocument') : undefined}
      />, missing ? 404 : 200)
  })

  cabinet.get('/sharing', requireLogin, async (c) => await sharingPage(c))

  cabinet.post('/sharing/grants', requireLogin, async (c) => {
    const form = await c.req.parseBody({ all: true })
    const refused = refuse(c, form, 'administer')
    if (refused !== undefined) return refused
    const t = c.get('t')
    const choices = recipientChoices(await node.trust.directory(), node.participant)
    const { input, grant, errors } = readGrantForm(form, { t, choices: [...choices.participants, ...choices.roles], types: sharedTypes(), today: node.records.now().slice(0, 10) })
    if (grant === undefined) return await sharingPage(c, { form: input, errors }, 422)
    try {
      const record = await node.policy.grant(grant)
      await audit(c, 'grant made', `${record.id} ${grant.purpose}`)
      return c.redirect(`/sharing#grant-${record.id}`, 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await sharingPage(c, { form: input, error: t('failed', { reason: err.message }) }, 422)
    }
  })

  cabinet.post('/sharing/grants/:id/revoke', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'administer')
    if (refused !== undefined) return refused
    const id = c.req.param('id')
    try {
      const grant = node.policy.get(id)
      await node.policy.revoke(id, `revoked in the cabinet by ${c.get('account')?.id ?? '?'}`)
      await audit(c, 'grant revoked', `${id}${grant !== undefined ? ` ${grant.purpose}` : ''}`)
      return c.redirect('/sharing#grants', 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await sharingPage(c, { error: c.get('t')('failed', { reason: err.message }) }, 422)
    }
  })

  /** The network page: this node's addresses, the participants connected or certified, the outbox, the webhooks. */
  const networkPage = async (c: Cabinet, error?: string, status: 200 | 422 = 200): Promise<Response> => {
    const account = c.get('account') as AccountView
    if (!may(account, 'administer')) return refuse(c, { _csrf: c.get('session')?.csrf }, 'administer') as Response
    const [connected, directory] = await Promise.all([node.peers(), node.trust.directory()])
    const online = new Set(connected.map(p => p.participant))
    const peers: PeerRow[] = [
      ...connected.map(p => ({ participant: p.participant, name: p.name, role: p.role, country: p.country, connected: true, admitted: p.admitted, addresses: p.addresses, certificate: p.certificate })),
      ...directory.filter(p => p.participant !== node.participant && !online.has(p.participant)).map(p => ({
        participant: p.participant, name: p.certificate?.name, role: p.certificate?.role, country: p.certificate?.country, connected: false, addresses: [], certificate: p.status
      }))
    ]
    const outboxLimit = 1000
    const outbox = await node.delivery.outbox(outboxLimit + 1)
    const webhooks = await Promise.all(node.webhooks.list().map(async subscription => ({ subscription, deliveries: await node.webhooks.deliveries(subscription.id, DELIVERED_SHOWN) })))
    return c.html(
      <NetworkPage
        lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} self={node.participant} addresses={node.addresses()}
        peers={peers} outbox={outbox.slice(0, outboxLimit)} outboxTruncated={outbox.length > outboxLimit} webhooks={webhooks}
        names={namesOf(directory)} titleOf={titleIn(c.get('lang'))} error={error}
      />, status)
  }

  cabinet.get('/network', requireLogin, async (c) => await networkPage(c))

  cabinet.post('/network/webhooks/:id/remove', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = refuse(c, form, 'administer')
    if (refused !== undefined) return refused
    const id = c.req.param('id')
    try {
      const subscription = node.webhooks.list().find(s => s.id === id)
      await node.webhooks.unsubscribe(id)
      await audit(c, 'webhook removed', subscription?.url ?? id)
      return c.redirect('/network#webhooks', 303)
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      return await networkPage(c, c.get('t')('failed', { reason: err.message }), 422)
    }
  })

  cabinet.get('/dashboard', requireLogin, async (c) => {
    const figures = await dashboardFigures(node, c.get('t'))
    return c.html(<DashboardPage lang={c.get('lang')} account={c.get('account') as AccountView} csrf={c.get('session')?.csrf ?? ''} figures={figures} />)
  })

  // One route for a document and for the form of a new one: Hono's fastest
  // router takes no fixed segment beside a parameter in the same place, and
  // no record id reads "new" (test/network/api/router.test.ts).
  cabinet.get('/documents/:id', requireLogin, async (c) => {
    if (c.req.param('id') === 'new') return await newDocumentForm(c)
    const account = c.get('account')
    // One document read by a person: its signature is checked again now, which costs a fraction of a millisecond.
    const view = await node.records.get(c.req.param('id'), { verify: true })
    if (account === undefined || view === undefined) return notFound(c)
    const correctable = may(account, 'apply') && view.issuer === node.participant && ENTERED_TYPES.includes(view.type) && (await node.records.supersessorOf(view.id)) === undefined
    return c.html(<DocumentPage lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} view={view} title={typeTitle(c.get('lang'), view.type, node.types.get(view.type)?.title)} correctable={correctable} previewable={may(account, 'administer') && view.issuer === node.participant} />)
  })

  // Asking another participant's node: who applies or decides may ask (see ask-routes.tsx).
  const mayAsk = (account: AccountView): boolean => may(account, 'apply') || may(account, 'decide')
  askRoutes(cabinet, node, { mayAsk, refuse: (c, form) => refuse(c, form, may(c.get('account') as AccountView, 'decide') ? 'decide' : 'apply'), audit })

  app.route('/', cabinet)
}
