/**
 * The cabinet over HTTP: login with throttling, a session cookie a script
 * cannot read, CSRF on every form, the security headers, pages in the
 * person's language, and everything shown escaped.
 */
import assert from 'node:assert/strict'
import { CONTENT_SECURITY_POLICY } from '../../../api/cabinet/security.js'
import { MAX_FAILED_LOGINS } from '../../../node/accounts/account-service.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-CAB0001'

describe('cabinet over HTTP', function () {
  this.timeout(60_000)
  let t: TempNode
  let password: string
  let invoiceId: string

  /** A request as a browser sends it: cookies, a form, no token. */
  const browse = async (method: string, path: string, init: { cookie?: string, form?: Record<string, string>, lang?: string } = {}): Promise<Response> =>
    await t.api.request(path, {
      method,
      headers: {
        ...(init.cookie !== undefined && { cookie: init.cookie }),
        ...(init.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
        ...(init.lang !== undefined && { 'accept-language': init.lang })
      },
      ...(init.form !== undefined && { body: new URLSearchParams(init.form).toString() })
    })
  const login = async (name: string, secret: string): Promise<Response> => await browse('POST', '/login', { form: { login: name, password: secret, next: '/' } })
  const cookieOf = (response: Response): string => (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

  before(async () => {
    t = await openTempNode()
    const response = await t.request('POST', '/v1/users', { body: { id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant' } })
    assert.equal(response.status, 201)
    password = ((await response.json()) as { password: string }).password
    const invoice = { ...await fixture('trade.invoice'), number: '<script>alert("x")</script>' }
    const created = await t.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice } })
    invoiceId = ((await created.json()) as { id: string }).id
  })
  after(async () => { await t.close() })

  it('sends a person who is not signed in to the login page, in the browser\'s language, with the security headers', async () => {
    const home = await browse('GET', '/')
    assert.equal(home.status, 303)
    assert.equal(home.headers.get('location'), '/login?next=%2F')
    const page = await browse('GET', '/login', { lang: 'kk-KZ,kk;q=0.9,ru;q=0.8' })
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY)
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/)
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff')
    const html = await page.text()
    assert.match(html, /<html lang="kk">/)
    assert.match(html, /Жеке кабинетке кіру/)
    assert.match(await (await browse('GET', '/login', { lang: 'en-US' })).text(), /Sign in to the cabinet/)
    assert.match(await (await browse('GET', '/login?lang=ru', { lang: 'en-US' })).text(), /Вход в личный кабинет/)
  })

  it('brings a person who signs in back to the page asked for, its query kept, and to no other site', async () => {
    const asked = `/documents/new?type=trade.invoice&consignment=${CONSIGNMENT}`
    const away = await browse('GET', asked)
    assert.equal(away.status, 303)
    const next = new URL(away.headers.get('location') ?? '', 'http://cabinet').searchParams.get('next')
    assert.equal(next, asked)
    const page = await (await browse('GET', `/login?next=${encodeURIComponent(next ?? '')}`)).text()
    assert.ok(page.includes(`name="next" value="${asked.replaceAll('&', '&amp;')}"`), 'the login form carries the page asked for')
    const back = await browse('POST', '/login', { form: { login: 'aigerim', password, next: next ?? '' } })
    assert.equal(back.status, 303)
    assert.equal(back.headers.get('location'), asked)
    const form = await (await browse('GET', back.headers.get('location') ?? '', { cookie: cookieOf(back), lang: 'en' })).text()
    assert.match(form, new RegExp(`value="${CONSIGNMENT}"`))
    for (const elsewhere of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      const refused = await browse('POST', '/login', { form: { login: 'aigerim', password, next: elsewhere } })
      assert.equal(refused.headers.get('location'), '/', elsewhere)
    }
  })

  it('signs in with the right password into an HttpOnly, SameSite=Strict session, and shows what the node holds, escaped', async () => {
    assert.equal((await login('aigerim', 'wrong password!')).status, 401)
    const response = await login('aigerim', password)
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/')
    const setCookie = response.headers.get('set-cookie') ?? ''
    assert.match(setCookie, /^keruen_session=[^;]+;/)
    assert.match(setCookie, /HttpOnly/)
    assert.match(setCookie, /SameSite=Strict/)
    const cookie = cookieOf(response)
    const home = await (await browse('GET', '/', { cookie })).text()
    assert.match(home, new RegExp(CONSIGNMENT))
    assert.match(home, /Aigerim Seitkali/)
    const consignment = await (await browse('GET', `/consignments/${CONSIGNMENT}`, { cookie })).text()
    assert.match(consignment, new RegExp(`/documents/${invoiceId}`))
    const document = await (await browse('GET', `/documents/${invoiceId}`, { cookie, lang: 'en' })).text()
    assert.match(document, /Signature verified/)
    assert.ok(!document.includes('<script>alert'), 'a field is never markup')
    assert.match(document, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/)
    assert.equal((await browse('GET', '/documents/bciqnothere', { cookie })).status, 404)
  })

  it('refuses a form without the session\'s CSRF token, and signs out with it', async () => {
    const cookie = cookieOf(await login('aigerim', password))
    const html = await (await browse('GET', '/', { cookie })).text()
    const csrf = csrfOf(html)
    assert.ok(csrf.length > 20)
    assert.equal((await browse('POST', '/logout', { cookie, form: {} })).status, 403)
    assert.equal((await browse('POST', '/logout', { cookie, form: { _csrf: 'forged' } })).status, 403)
    assert.equal((await browse('GET', '/', { cookie })).status, 200, 'the session outlives the forged form')
    const out = await browse('POST', '/logout', { cookie, form: { _csrf: csrf } })
    assert.equal(out.status, 303)
    assert.equal((await browse('GET', '/', { cookie })).status, 303, 'the session is over')
  })

  it('refuses an action the role does not allow, with a valid CSRF token: a declarant or viewer does not decide, a viewer does not apply', async () => {
    assert.equal((await t.request('POST', '/v1/users', { body: { id: 'dana', role: 'viewer', password: 'viewer password 1' } })).status, 201)
    for (const [name, secret] of [['aigerim', password], ['dana', 'viewer password 1']] as const) {
      const cookie = cookieOf(await login(name, secret))
      const csrf = csrfOf(await (await browse('GET', '/', { cookie })).text())
      const decided = await browse('POST', '/applications/bciqsomeapplication/decision', { cookie, form: { _csrf: csrf, kind: 'release' } })
      assert.equal(decided.status, 403, name)
      assert.match(await decided.text(), /Your role does not allow this|Ваша роль не позволяет/)
    }
    const viewer = cookieOf(await login('dana', 'viewer password 1'))
    const csrf = csrfOf(await (await browse('GET', '/', { cookie: viewer })).text())
    assert.equal((await browse('POST', `/consignments/${CONSIGNMENT}/apply`, { cookie: viewer, form: { _csrf: csrf, procedure: 'KZ.x.y', agency: 'z' } })).status, 403)
    const page = await (await browse('GET', `/consignments/${CONSIGNMENT}`, { cookie: viewer })).text()
    assert.ok(!page.includes('/apply'), 'a viewer is not offered Apply')
  })

  it('locks an account out after repeated failures, the right password too, and ends the sessions of a disabled account', async () => {
    const added = await t.request('POST', '/v1/users', { body: { id: 'bolat', role: 'viewer', password: 'correct horse battery' } })
    assert.equal(added.status, 201)
    const cookie = cookieOf(await login('bolat', 'correct horse battery'))
    assert.equal((await browse('GET', '/', { cookie })).status, 200)
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) assert.equal((await login('bolat', `guess ${i}`)).status, 401)
    const locked = await login('bolat', 'correct horse battery')
    assert.equal(locked.status, 429)
    assert.ok(Number(locked.headers.get('retry-after')) > 0)
    assert.equal((await t.request('POST', '/v1/users/bolat/disable')).status, 200)
    assert.equal((await browse('GET', '/', { cookie })).status, 303, 'a disabled account\'s session is over')
    const users = await (await t.request('GET', '/v1/users')).json() as Array<Record<string, unknown>>
    assert.deepEqual(users.map(u => [u.id, u.role, u.disabled]), [['aigerim', 'declarant', false], ['bolat', 'viewer', true], ['dana', 'viewer', false]])
    assert.ok(users.every(u => !('passwordHash' in u)), 'no password hash leaves the node')
    assert.equal((await t.request('GET', '/v1/users', { auth: null })).status, 401, 'accounts are the administrator\'s')
  })
})
