/** The frame of every cabinet page: language, header with navigation and the signed-in person, the page's own content. */
import type { Child } from 'hono/jsx'
import { tryGetContext } from 'hono/context-storage'
import { LANGS, translator, type Lang } from '../i18n.js'
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { CabinetVariables } from '../session.js'

export interface PageProps {
  readonly lang: Lang
  readonly title: string
  /** The path of this page, with the query that makes it (a search, a filter), for the language links. */
  readonly path: string
  readonly account?: AccountView | undefined
  readonly csrf?: string | undefined
  /** The page follows changes (live.ts): 'list', or the id of the application it shows. */
  readonly live?: string | undefined
  readonly children?: Child
}

export function Layout (props: PageProps) {
  const t = translator(props.lang)
  // The node's role comes with the request the page answers, so that no page has to pass it on.
  const nodeRole = tryGetContext<{ Variables: CabinetVariables }>()?.var.nodeRole
  return (
    <html lang={props.lang}>
      <head>
        <meta charset='utf-8' />
        <meta name='viewport' content='width=device-width, initial-scale=1' />
        <title>{`${props.title} · ${t('product')}`}</title>
        <link rel='stylesheet' href='/assets/cabinet.css' />
        <link rel='icon' href='/assets/icon.svg' type='image/svg+xml' />
        {props.live !== undefined && <script src='/assets/live.js' defer />}
      </head>
      <body data-live={props.live}>
        <a class='skip' href='#content'>{t('skip')}</a>
        <header class='top'>
          <span class='brand'>{t('product')}</span>
          <nav aria-label={t('home')}>
            {props.account !== undefined && <a href='/'>{t('home')}</a>}
            {props.account !== undefined && (props.account.role === 'officer' || props.account.role === 'admin') && <a href='/inbox'>{t('inbox')}</a>}
            {props.account !== undefined && nodeRole === 'bank' && <a href='/payment-orders'>{t('paymentOrdersNav')}</a>}
            {props.account !== undefined && <a href='/shipments'>{t('shipments')}</a>}
            {props.account !== undefined && <a href='/tariff'>{t('tariff')}</a>}
            {props.account !== undefined && <a href='/dashboard'>{t('dashboard')}</a>}
            {props.account !== undefined && <a href='/trust'>{t('trust')}</a>}
            {props.account !== undefined && <a href='/directory'>{t('directoryNav')}</a>}
            {/* Those who ask other participants in the course of their work: an officer at the border, an administrator. */}
            {(props.account?.role === 'officer' || props.account?.role === 'admin') && <a href='/ask'>{t('askNav')}</a>}
            {props.account?.role === 'admin' && <a href='/admin'>{t('administration')}</a>}
            <span class='langs' aria-label={t('language')}>
              {LANGS.map(l => (
                <>{' '}<a href={`${props.path}${props.path.includes('?') ? '&' : '?'}lang=${l}`} lang={l} aria-current={l === props.lang ? 'true' : undefined}>{translator(l)('langName')}</a></>
              ))}
            </span>
            {props.account !== undefined && (
              <>
                <span>{t('signedInAs', { name: props.account.name, role: t(`role_${props.account.role}`) })}</span>
                <form method='post' action='/logout'>
                  <input type='hidden' name='_csrf' value={props.csrf ?? ''} />
                  <button type='submit'>{t('logout')}</button>
                </form>
              </>
            )}
          </nav>
        </header>
        <main id='content'>
          {props.live !== undefined && props.live !== 'list' && <p id='changed' class='notice' role='status' hidden>{t('changed')} <a href={props.path}>{t('reload')}</a></p>}
          {props.children}
        </main>
      </body>
    </html>
  )
}
