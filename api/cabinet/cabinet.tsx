/**
 * The cabinet: web pages for the people of the organisation that runs the
 * node, served by the node itself under `/` beside the JSON API under `/v1`.
 * Pages are rendered on the server (hono/jsx) and escape everything they
 * show; they run no script of their own yet. See docs/cabinet.md.
 */
import { Hono, type Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { getCookie } from 'hono/cookie'
import type { NodeApi } from '../../node/node-api.js'
import { CABINET_CSS, CABINET_ICON } from './assets.js'
import { ConsignmentPage } from './pages/consignment.js'
import { DocumentPage } from './pages/document.js'
import { HomePage } from './pages/home.js'
import { Layout } from './pages/layout.js'
import { LoginPage } from './pages/login.js'
import { securityHeaders } from './security.js'
import { cabinetSession, clearSession, csrfValid, requireLogin, SESSION_COOKIE, setSession, type CabinetVariables } from './session.js'

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
  cabinet.use('*', securityHeaders(), cabinetSession(node))

  cabinet.get('/assets/cabinet.css', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    return c.body(CABINET_CSS, 200, { 'content-type': 'text/css; charset=utf-8' })
  })

  cabinet.get('/assets/icon.svg', (c) => {
    c.header('cache-control', 'public, max-age=86400')
    return c.body(CABINET_ICON, 200, { 'content-type': 'image/svg+xml' })
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
    return c.html(<HomePage
      lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''}
      consignments={await node.records.consignments(200)} applications={await node.applications.list(undefined, 100)}
                  />)
  })

  cabinet.get('/consignments/:ref', requireLogin, async (c) => {
    const account = c.get('account')
    const ref = c.req.param('ref')
    const entries = await node.records.consignment(ref)
    if (account === undefined || entries.length === 0) return notFound(c)
    return c.html(<ConsignmentPage lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} ref={ref} entries={entries} titleOf={type => node.types.get(type)?.title ?? type} />)
  })

  cabinet.get('/documents/:id', requireLogin, async (c) => {
    const account = c.get('account')
    const view = await node.records.get(c.req.param('id'))
    if (account === undefined || view === undefined) return notFound(c)
    return c.html(<DocumentPage lang={c.get('lang')} account={account} csrf={c.get('session')?.csrf ?? ''} view={view} title={node.types.get(view.type)?.title ?? view.type} />)
  })

  app.route('/', cabinet)
}
