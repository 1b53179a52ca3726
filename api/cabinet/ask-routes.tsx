/**
 * The cabinet's `/ask`: a person asks another participant's node for its
 * records (node.queries.ask) and reads the verified answer on the same page.
 */
import type { Context, Hono } from 'hono'
import type { AccountView } from '../../node/accounts/account-service.js'
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import type { QueryResult } from '../../node/query/query-service.js'
import { askChoices, askFailure, EMPTY_ASK_FORM, readAskForm, type AskForm } from './ask-form.js'
import { typeTitle } from './document-labels.js'
import { AskPage } from './pages/ask.js'
import type { CabinetVariables } from './session.js'
import { requireLogin } from './session.js'

type Cabinet = Context<{ Variables: CabinetVariables }>

export interface AskRouteHelpers {
  /**
   * Whether the person may send queries. A query is signed by this node and
   * counted in the holder's reuse ledger against its purpose, so only those
   * who act for the organisation may send one: who applies (a declarant, an
   * administrator) or decides (an officer). A viewer reads the page only.
   */
  readonly mayAsk: (account: AccountView) => boolean
  /** The 403 answer to a form without the session's CSRF token or from a person who may not send it; undefined if it may. */
  readonly refuse: (c: Cabinet, form: Record<string, unknown>) => Response | undefined
  readonly audit: (c: Cabinet, action: string, detail?: string) => Promise<void>
}

export function askRoutes (cabinet: Hono<{ Variables: CabinetVariables }>, node: NodeApi, helpers: AskRouteHelpers): void {
  const page = async (c: Cabinet, shown: { form?: AskForm, errors?: Map<string, string>, failure?: string, result?: QueryResult } = {}, status: 200 | 422 | 502 | 503 | 504 = 200): Promise<Response> => {
    const account = c.get('account') as AccountView
    const lang = c.get('lang')
    const titleOf = (type: string): string => typeTitle(lang, type, node.types.get(type)?.title)
    const types = node.types.list().map(d => ({ type: d.type, title: titleOf(d.type) })).sort((a, b) => a.title.localeCompare(b.title))
    return c.html(
      <AskPage
        lang={lang} account={account} csrf={c.get('session')?.csrf ?? ''} canAsk={helpers.mayAsk(account)}
        holders={await askChoices(node)} types={types} form={shown.form ?? EMPTY_ASK_FORM} errors={shown.errors ?? new Map()}
        failure={shown.failure} result={shown.result} titleOf={titleOf}
      />, status)
  }

  cabinet.get('/ask', requireLogin, async (c) => await page(c))

  cabinet.post('/ask', requireLogin, async (c) => {
    const form = await c.req.parseBody()
    const refused = helpers.refuse(c, form)
    if (refused !== undefined) return refused
    const t = c.get('t')
    const sent = readAskForm(form, await askChoices(node), t)
    if (sent.query === undefined) return await page(c, { form: sent.input, errors: sent.errors }, 422)
    const { holder, select, purpose, store } = sent.query
    try {
      const result = await node.queries.ask(holder, select, { purpose, store })
      await helpers.audit(c, 'asked a participant', `${holder} ${purpose} ${JSON.stringify(select)}: ${result.answer.outcome}, ${result.records.length} record(s)${store ? `, ${result.stored?.kept.length ?? 0} kept` : ''}`)
      return await page(c, { form: sent.input, result })
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
      await helpers.audit(c, 'asked a participant', `${holder} ${purpose} ${JSON.stringify(select)}: ${err.code}`)
      const failure = askFailure(err, t)
      if (failure.retryAfter !== undefined) c.header('retry-after', String(failure.retryAfter))
      return await page(c, { form: sent.input, failure: failure.message }, failure.status)
    }
  })
}
