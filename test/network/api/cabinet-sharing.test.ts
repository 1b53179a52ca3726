/**
 * The administrator's sharing and network pages over HTTP: a grant added and
 * revoked through the forms (audit-logged, refused without the session's
 * CSRF token, mistakes marked beside their fields), the preview of an invoice
 * listing exactly the fields each recipient receives, a webhook removed; a
 * declarant or viewer is refused all of it.
 */
import assert from 'node:assert/strict'
import { certify } from '../../support/network.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-SHR0001'
const CUSTOMS = 'KZ.customs.export-declaration'
const SPS = 'KZ.sps.phytosanitary-certificate'

describe('the sharing and network pages over HTTP', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let invoiceId: string
  const passwords = new Map<string, string>()

  const browse = async (method: string, path: string, init: { cookie?: string, form?: URLSearchParams | Record<string, string> } = {}): Promise<Response> =>
    await trader.api.request(path, {
      method,
      headers: {
        'accept-language': 'en',
        ...(init.cookie !== undefined && { cookie: init.cookie }),
        ...(init.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' })
      },
      ...(init.form !== undefined && { body: new URLSearchParams(init.form).toString() })
    })
  const session = async (login: string): Promise<{ cookie: string, csrf: string }> => {
    const response = await browse('POST', '/login', { form: { login, password: passwords.get(login) as string, next: '/' } })
    assert.equal(response.status, 303)
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await browse('GET', '/', { cookie })).text())?.[1] ?? ''
    return { cookie, csrf }
  }

  /** The preview's field-by-field table: for each recipient (by column heading), the pointers of the fields it receives. */
  const received = (html: string): Map<string, string[]> => {
    const table = /<table[^>]*id="preview-fields"[^>]*>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? ''
    const recipients = [...table.matchAll(/<th scope="col" class="who"[^>]*>([^<]*)<\/th>/g)].map(m => m[1] as string)
    const out = new Map<string, string[]>(recipients.map(r => [r, []]))
    for (const row of table.matchAll(/<tr(?: class="group-start")?><th scope="row" title="([^"]*)">([\s\S]*?)<\/tr>/g)) {
      const cells = [...(row[2] as string).matchAll(/<td class="(yes|no)">/g)].map(m => m[1])
      assert.equal(cells.length, recipients.length)
      cells.forEach((cell, i) => { if (cell === 'yes') out.get(recipients[i] as string)?.push(row[1] as string) })
    }
    return out
  }

  before(async () => {
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await openTempNode({ profile: { role: 'trader', name: 'Kostanay Grain Export', country: 'KZ' } })
    customs = await openTempNode({ profile: { role: 'agency', name: 'customs', country: 'KZ' } })
    sps = await openTempNode({ profile: { role: 'agency', name: 'sps', country: 'KZ' } })
    await certify(authority, trader, 'trader')
    // The trader holds the agencies' certificates, as the trust gossip would bring them.
    for (const [t, competence, name] of [[customs, 'customs', 'State Revenue Committee'], [sps, 'phytosanitary', 'SPS <Inspection>']] as const) {
      const certificate = await certify(authority, t, 'agency', { competence, name }) as { id: string, record?: unknown }
      assert.equal((await trader.request('POST', '/v1/records/import', { body: certificate.record })).status, 201)
    }
    await trader.node.policy.refreshDirectory()
    for (const [id, role] of [['dana', 'admin'], ['aigerim', 'declarant'], ['erlan', 'viewer']] as const) {
      passwords.set(id, (await trader.node.accounts.add({ id, name: id, role })).password)
    }
    const created = await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: await fixture('trade.invoice') } })
    assert.equal(created.status, 201)
    invoiceId = ((await created.json()) as { id: string }).id
  })
  after(async () => {
    for (const t of [authority, trader, customs, sps]) await t?.close()
  })

  it('refuses a declarant and a viewer the pages and the forms, a valid CSRF token notwithstanding', async () => {
    for (const login of ['aigerim', 'erlan']) {
      const { cookie, csrf } = await session(login)
      for (const path of ['/sharing', `/sharing/preview?record=${invoiceId}`, '/network']) {
        const page = await browse('GET', path, { cookie })
        assert.equal(page.status, 403, `${login} ${path}`)
        assert.match(await page.text(), /Your role does not allow this/)
      }
      const form = { _csrf: csrf, recipient: `participant:${customs.node.participant}`, types: 'trade.invoice', purpose: CUSTOMS }
      assert.equal((await browse('POST', '/sharing/grants', { cookie, form })).status, 403)
      assert.equal((await browse('POST', '/network/webhooks/x/remove', { cookie, form: { _csrf: csrf } })).status, 403)
      const home = await (await browse('GET', '/', { cookie })).text()
      assert.ok(!home.includes('href="/sharing"'), 'no link to what the role may not see')
    }
    assert.deepEqual(trader.node.policy.list(), [])
  })

  it('adds a grant through the form, marks mistakes beside their fields, and refuses a form without the CSRF token', async () => {
    const { cookie, csrf } = await session('dana')
    const page = await (await browse('GET', '/sharing', { cookie })).text()
    assert.match(page, /No grant is in force/)
    assert.match(page, /href="\/sharing" aria-current="page"/)
    assert.match(page, new RegExp(`<option value="participant:${customs.node.participant}">State Revenue Committee`))
    assert.match(page, /SPS &lt;Inspection&gt;/, 'a certified name is shown as text')
    assert.ok(!page.includes('SPS <Inspection>'))
    assert.match(page, /<option value="role:agency:phytosanitary">every participant certified as state agency, competence: phytosanitary<\/option>/)
    assert.match(page, /<input type="checkbox" name="types" value="trade.invoice"\/?> Commercial invoice/)
    assert.ok(!page.includes('value="trust.certificate"'), 'only the types this node issues are offered')

    const whole = { recipient: `participant:${customs.node.participant}`, types: 'trade.invoice', fields: '', purpose: CUSTOMS }
    assert.equal((await browse('POST', '/sharing/grants', { cookie, form: whole })).status, 403)
    assert.equal((await browse('POST', '/sharing/grants', { cookie, form: { ...whole, _csrf: 'forged' } })).status, 403)
    assert.deepEqual(trader.node.policy.list(), [])

    const wrong = await browse('POST', '/sharing/grants', { cookie, form: { _csrf: csrf, recipient: '', fields: '/seller/name, lines / hsCode', purpose: 'customs', until: '2001-01-01' } })
    assert.equal(wrong.status, 422)
    const marked = await wrong.text()
    for (const [field, message] of [
      ['recipient', 'Choose to whom.'], ['types', 'Choose at least one document.'], ['fields', 'Not a field pointer: lines / hsCode.'],
      ['purpose', 'Write the purpose as a country code'], ['until', 'This day has passed']
    ]) assert.match(marked, new RegExp(`<p class="field-error" id="${field}-error">${message}`), field)
    assert.match(marked, /<input type="text" id="purpose" name="purpose"[^>]*value="customs"[^>]*aria-invalid="true"/, 'the value is kept, marked')
    assert.match(marked, /<textarea[^>]*>\/seller\/name, lines \/ hsCode<\/textarea>/)
    assert.deepEqual(trader.node.policy.list(), [])

    const added = await browse('POST', '/sharing/grants', { cookie, form: { ...whole, _csrf: csrf } })
    assert.equal(added.status, 303)
    const [grant] = trader.node.policy.list()
    assert.equal(added.headers.get('location'), `/sharing#grant-${grant?.id ?? ''}`)
    assert.deepEqual({ to: grant?.to, types: grant?.types, fields: grant?.fields, purpose: grant?.purpose, status: grant?.status },
      { to: { participant: customs.node.participant }, types: ['trade.invoice'], fields: [''], purpose: CUSTOMS, status: 'active' })

    const params = new URLSearchParams({ _csrf: csrf, recipient: 'role:agency:phytosanitary', fields: '/lines/*/hsCode\n/lines/*/description, originCountry', purpose: SPS, until: '2099-12-31' })
    params.append('types', 'trade.invoice')
    params.append('types', 'trade.packing-list')
    assert.equal((await browse('POST', '/sharing/grants', { cookie, form: params })).status, 303)
    const goods = trader.node.policy.list()[1]
    assert.deepEqual({ to: goods?.to, types: goods?.types, fields: goods?.fields, validUntil: goods?.validUntil },
      { to: { role: 'agency', competence: 'phytosanitary' }, types: ['trade.invoice', 'trade.packing-list'], fields: ['/lines/*/hsCode', '/lines/*/description', '/originCountry'], validUntil: '2099-12-31T23:59:59.999Z' })

    const listed = (await (await browse('GET', '/sharing', { cookie })).text()).replaceAll('<wbr/>', '')
    const table = /<table[^>]*id="grants-table"[^>]*>([\s\S]*?)<\/table>/.exec(listed)?.[1] ?? ''
    assert.match(table, /State Revenue Committee[\s\S]*Commercial invoice[\s\S]*all fields[\s\S]*KZ\.customs\.export-declaration[\s\S]*no end date/)
    assert.match(table, /every participant certified as state agency, competence: phytosanitary[\s\S]*Packing list[\s\S]*Lines › HS code[\s\S]*Lines › Description[\s\S]*31 Dec 2099/)
  })

  it('previews an invoice: the whole of it for customs, the goods fields alone for the SPS agency, each under its grant', async () => {
    const { cookie } = await session('dana')
    const page = await browse('GET', `/sharing/preview?record=${invoiceId}`, { cookie })
    assert.equal(page.status, 200)
    const html = await page.text()
    const invoice = await fixture('trade.invoice') as { number: string, lines: unknown[] }
    assert.match(html, new RegExp(`<option value="${invoiceId}" selected="">Commercial invoice ${invoice.number} · ${CONSIGNMENT}`))
    const fields = received(html)
    assert.deepEqual([...fields.keys()].sort(), ['SPS &lt;Inspection&gt;', 'State Revenue Committee'])
    const total = /<tr(?: class="group-start")?><th scope="row"/g
    assert.equal(fields.get('State Revenue Committee')?.length, html.match(total)?.length, 'customs receives every field')
    assert.deepEqual(fields.get('SPS &lt;Inspection&gt;')?.sort(), invoice.lines.flatMap((_, i) => [`/lines/${i}/hsCode`, `/lines/${i}/description`]).sort(), 'the SPS agency the goods alone; the invoice has no /originCountry of its own')
    // What the API says of the record, to the field.
    const access = (await (await trader.request('GET', `/v1/records/${invoiceId}/access`)).json()) as { access: Array<{ name: string, fields: string[], leaves: number, grants: Array<{ purpose: string }> }> }
    assert.deepEqual(access.access.map(a => [a.name, a.leaves, a.grants.map(g => g.purpose)]).sort(), [
      ['SPS <Inspection>', 4, [SPS]], ['State Revenue Committee', fields.get('State Revenue Committee')?.length, [CUSTOMS]]
    ])
    const recipients = /<table[^>]*id="preview-recipients"[^>]*>([\s\S]*?)<\/table>/.exec(html.replaceAll('<wbr/>', ''))?.[1] ?? ''
    assert.match(recipients, /SPS &lt;Inspection&gt;[\s\S]*state agency[\s\S]*4 of \d+ fields[\s\S]*KZ\.sps\.phytosanitary-certificate/)
    assert.match(recipients, /State Revenue Committee[\s\S]*all \d+ fields[\s\S]*KZ\.customs\.export-declaration/)
    assert.match(html, /Lines › 1 › HS code/, 'fields are labelled')

    assert.equal((await browse('GET', '/sharing/preview?record=bciqnosuchrecord', { cookie })).status, 404)
    const link = `href="/sharing/preview?record=${invoiceId}"`
    assert.ok((await (await browse('GET', `/documents/${invoiceId}`, { cookie })).text()).includes(link), 'the document\'s page leads to its preview')
    const declarant = await session('aigerim')
    assert.ok(!(await (await browse('GET', `/documents/${invoiceId}`, { cookie: declarant.cookie })).text()).includes(link), 'for the administrator only')
  })

  it('revokes a grant through its button, with the CSRF token only; the audit log says who did what', async () => {
    const { cookie, csrf } = await session('dana')
    const grant = trader.node.policy.list().find(g => g.purpose === CUSTOMS)
    assert.ok(grant !== undefined)
    const page = await (await browse('GET', '/sharing', { cookie })).text()
    assert.match(page, new RegExp(`action="/sharing/grants/${grant.id}/revoke"`))
    assert.equal((await browse('POST', `/sharing/grants/${grant.id}/revoke`, { cookie, form: {} })).status, 403)
    assert.equal(trader.node.policy.get(grant.id)?.status, 'active')
    const revoked = await browse('POST', `/sharing/grants/${grant.id}/revoke`, { cookie, form: { _csrf: csrf } })
    assert.equal(revoked.status, 303)
    assert.equal(trader.node.policy.get(grant.id)?.status, 'revoked')
    assert.equal((await browse('POST', `/sharing/grants/${grant.id}/revoke`, { cookie, form: { _csrf: csrf } })).status, 422, 'a grant is revoked once')

    const after = await (await browse('GET', `/sharing/preview?record=${invoiceId}`, { cookie })).text()
    assert.deepEqual([...received(after).keys()], ['SPS &lt;Inspection&gt;'], 'customs receives nothing more')
    assert.match(await (await browse('GET', '/sharing', { cookie })).text(), /Revoked and expired grants \(1\)/)
    const log = (await trader.node.accounts.auditLog(50)).map(e => `${e.who} ${e.action} ${e.detail ?? ''}`)
    assert.ok(log.includes(`user:dana grant made ${grant.id} ${CUSTOMS}`), log.join('\n'))
    assert.ok(log.includes(`user:dana grant revoked ${grant.id} ${CUSTOMS}`), log.join('\n'))
  })

  it('shows the participants, the outbox and the webhooks, and removes a webhook through its button', async () => {
    const subscribed = await trader.request('POST', '/v1/subscriptions', { body: { url: 'http://127.0.0.1:9/hooks/keruen', filter: { events: ['record.received'] } } })
    assert.equal(subscribed.status, 201)
    const { id } = await subscribed.json() as { id: string }
    const { cookie, csrf } = await session('dana')
    const page = await (await browse('GET', '/network', { cookie })).text()
    assert.match(page, /Nowhere: the node runs without the peer-to-peer network/)
    const peers = /<table[^>]*id="peers-table"[^>]*>([\s\S]*?)<\/table>/.exec(page)?.[1] ?? ''
    assert.match(peers, /State Revenue Committee[\s\S]*state agency[\s\S]*KZ[\s\S]*valid[\s\S]*not connected/)
    assert.match(peers, /SPS &lt;Inspection&gt;/)
    assert.match(page, /Nothing is waiting to be delivered/)
    assert.match(page, /http:\/\/127\.0\.0\.1:9\/hooks\/keruen/)
    assert.match(page, /record\.received/)
    assert.match(page, new RegExp(`action="/network/webhooks/${id}/remove"`))

    assert.equal((await browse('POST', `/network/webhooks/${id}/remove`, { cookie, form: {} })).status, 403)
    assert.equal(trader.node.webhooks.list().length, 1)
    const removed = await browse('POST', `/network/webhooks/${id}/remove`, { cookie, form: { _csrf: csrf } })
    assert.equal(removed.status, 303)
    assert.deepEqual(trader.node.webhooks.list(), [])
    assert.match(await (await browse('GET', '/network', { cookie })).text(), /No system subscribes to notifications/)
    assert.equal((await browse('POST', `/network/webhooks/${id}/remove`, { cookie, form: { _csrf: csrf } })).status, 422)
    const log = (await trader.node.accounts.auditLog(50)).map(e => `${e.who} ${e.action} ${e.detail ?? ''}`)
    assert.ok(log.includes('user:dana webhook removed http://127.0.0.1:9/hooks/keruen'), log.join('\n'))
  })
})
