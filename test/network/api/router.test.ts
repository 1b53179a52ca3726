/**
 * The routes of the API and the cabinet fit Hono's RegExpRouter, which matches
 * a request with one regular expression per method. A route it cannot take
 * (for one method, a fixed segment beside a parameter in the same place)
 * makes Hono fall back to its TrieRouter, which walks a tree on every
 * request; the first test names the route that did. The document form shares
 * the route of the documents for that reason (api/cabinet/cabinet.tsx).
 */
import assert from 'node:assert/strict'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

describe('routes', function () {
  this.timeout(60_000)
  let t: TempNode

  before(async () => { t = await openTempNode() })
  after(async () => { await t.close() })

  it('every one fits a RegExpRouter', () => {
    const router = new RegExpRouter<unknown>()
    for (const { method, path, handler } of t.api.routes) {
      try {
        router.add(method, path, handler)
      } catch (err) {
        assert.fail(`${method} ${path} does not fit Hono's RegExpRouter beside the routes before it: ${(err as Error).message}`)
      }
    }
    assert.equal(router.match('POST', '/v1/records')[0].length > 0, true)
  })

  it('are matched by the RegExpRouter once the app has answered', async () => {
    assert.equal((await t.request('GET', '/healthz')).status, 200)
    assert.equal(t.api.router.name, 'SmartRouter + RegExpRouter')
  })

  it('give the form at /documents/new, a document at /documents/<id>, and 404 for an id the node does not hold', async () => {
    const { password } = await t.node.accounts.add({ id: 'dana', name: 'Dana Omarova', role: 'declarant' })
    const login = await t.api.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login: 'dana', password }).toString() })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const get = async (path: string): Promise<Response> => await t.api.request(path, { headers: { cookie, 'accept-language': 'en' } })

    const form = await get('/documents/new?type=trade.invoice')
    assert.equal(form.status, 200)
    assert.match(await form.text(), /<form[^>]+action="\/documents\/new"/)

    const { record } = await t.node.records.create({ type: 'trade.invoice', consignment: '6KZ123456789012-ROUTE001', data: await fixture('trade.invoice') })
    const page = await get(`/documents/${record.id}`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), new RegExp(record.id))

    assert.equal((await get('/documents/nothing-held-here')).status, 404)
    // Signed out, the form is behind the login like every document.
    assert.equal((await t.api.request('/documents/new')).status, 303)
  })
})
