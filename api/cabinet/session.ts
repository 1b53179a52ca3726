/**
 * Who is using the cabinet: the session cookie (HttpOnly, SameSite=Strict,
 * Secure when the page came over TLS) names a session of the node's
 * accounts; every form carries the session's CSRF token back, and a POST
 * without it changes nothing.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie, deleteCookie } from 'hono/cookie'
import type { AccountView } from '../../node/accounts/account-service.js'
import type { NodeApi } from '../../node/node-api.js'
import type { Session } from '../../storage/index.js'
import { pickLang, translator, type Lang } from './i18n.js'
import { sameSecret } from '../auth.js'

export const SESSION_COOKIE = 'keruen_session'
export const LANG_COOKIE = 'keruen_lang'

export interface CabinetVariables {
  lang: Lang
  t: ReturnType<typeof translator>
  account: AccountView | undefined
  session: Session | undefined
  /** The role of the node serving the page (the header offers what the role uses). */
  nodeRole: NodeApi['profile']['role']
}

export type CabinetContext = Context<{ Variables: CabinetVariables }>

const secure = (c: Context): boolean => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'

/** Reads the language and the session of each request into the context. */
export function cabinetSession (node: NodeApi): MiddlewareHandler<{ Variables: CabinetVariables }> {
  return async (c, next) => {
    const lang = pickLang(c.req.query('lang') ?? getCookie(c, LANG_COOKIE), c.req.header('accept-language'))
    if (c.req.query('lang') === lang) setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Strict', maxAge: 365 * 24 * 3600, secure: secure(c) })
    c.set('lang', lang)
    c.set('nodeRole', node.profile.role)
    c.set('t', translator(lang))
    const token = getCookie(c, SESSION_COOKIE)
    const found = token === undefined ? undefined : await node.accounts.session(token)
    c.set('account', found?.account)
    c.set('session', found?.session)
    await next()
  }
}

/** Starts a session in the browser. */
export function setSession (c: Context, token: string, expiresAt: string): void {
  setCookie(c, SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Strict', secure: secure(c), expires: new Date(expiresAt) })
}

export function clearSession (c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c) })
}

/** Sends a person who is not signed in to the login page. */
export const requireLogin: MiddlewareHandler<{ Variables: CabinetVariables }> = async (c, next) => {
  if (c.get('account') === undefined) {
    // Back to the page asked for, its query too: a link to a form can say which document and consignment.
    const { pathname, search } = new URL(c.req.url)
    return c.redirect(`/login?next=${encodeURIComponent(pathname + search)}`, 303)
  }
  await next()
}

/** Whether a submitted form carries this session's CSRF token. */
export function csrfValid (session: Session | undefined, given: unknown): boolean {
  return session !== undefined && typeof given === 'string' && sameSecret(given, session.csrf)
}
