/**
 * Asking a participant from the cabinet over HTTP: customs' officer asks the
 * carrier for a consignment's movement events. A missing purpose comes back
 * beside its field with the form refilled; the answer shows the events with
 * only the fields the carrier's pull grant allows, each verified; with
 * "keep" they become documents here; the trader, which grants customs
 * nothing, answers with its signed "nothing". A viewer may not ask.
 */
import assert from 'node:assert/strict'
import { ARRIVAL, openQueryNodes, QUERY_REF, type QueryNodes } from '../../support/query-nodes.js'
import { cabinetBrowser } from '../../support/cabinet-session.js'

describe('asking a participant in the cabinet', function () {
  this.timeout(120_000)
  let nodes: QueryNodes
  const passwords = new Map<string, string>()

  const { browse, signIn } = cabinetBrowser(passwords)
  const ask = async (session: { cookie: string, csrf: string }, over: Record<string, string>, status = 200): Promise<string> => {
    const response = await browse(nodes.customs, 'POST', '/ask', {
      cookie: session.cookie,
      form: { _csrf: session.csrf, holder: nodes.carrier.node.participant, kind: 'consignment', consignment: QUERY_REF, purpose: ARRIVAL, ...over }
    })
    const html = await response.text()
    assert.equal(response.status, status, html.slice(0, 2000))
    assert.ok(!/ServiceError|at async|\.js:\d+/.test(html), 'no stack trace')
    return html
  }

  before(async () => {
    nodes = await openQueryNodes()
    for (const [id, role] of [['bolat', 'officer'], ['erlan', 'viewer']] as const) {
      passwords.set(id, (await nodes.customs.node.accounts.add({ id, name: id, role })).password)
    }
  })
  after(async () => { await nodes?.close() })

  it('offers the certified participants other than this node, and brings a missing purpose back beside its field', async () => {
    const officer = await signIn(nodes.customs, 'bolat')
    const form = await (await browse(nodes.customs, 'GET', '/ask', { cookie: officer.cookie })).text()
    assert.match(form, /<a href="\/ask">Ask a participant<\/a>/)
    assert.match(form, new RegExp(`<option value="${nodes.carrier.node.participant}">Silk Road Logistics, carrier</option>`))
    assert.match(form, new RegExp(`<option value="${nodes.trader.node.participant}">Almaty Dried Fruit, trader</option>`))
    assert.ok(!form.includes(`<option value="${nodes.customs.node.participant}"`), 'not this node')
    assert.ok(!form.includes(`<option value="${nodes.authority.node.participant}"`), 'not an uncertified node')

    const html = await ask(officer, { purpose: '' }, 422)
    assert.match(html, /<p class="error" role="alert">The query was not sent: correct the fields marked below\.<\/p>/)
    assert.match(html, /id="purpose"[^>]*aria-describedby="purpose-hint purpose-error" aria-invalid="true"/)
    assert.match(html, /<p class="field-error" id="purpose-error">Say the purpose the records are asked for\.<\/p>/)
    assert.match(html, new RegExp(`<option value="${nodes.carrier.node.participant}" selected="">`), 'the form comes back filled')
    assert.match(html, new RegExp(`id="consignment"[^>]*value="${QUERY_REF}"`))
    assert.ok(!html.includes('id="ask-result"'), 'nothing was asked')
  })

  it('shows the carrier\'s events with only the granted fields, and keeps them as documents when asked to', async () => {
    const officer = await signIn(nodes.customs, 'bolat')
    const html = await ask(officer, {})
    assert.match(html, /<h2 id="answer">Answer of Silk Road Logistics<\/h2>/)
    assert.match(html, /data-outcome="records"/)
    assert.match(html, /<dd id="ask-outcome">records: 2<\/dd>/)
    const shown = /<section aria-labelledby="answer".*?<\/section>/s.exec(html)?.[0] ?? ''
    assert.equal(shown.match(/Signature verified/g)?.length, 2)
    for (const step of ['departing', 'arriving']) assert.ok(shown.includes(`<dd>${step}</dd>`), step)
    for (const place of ['KZALA', 'KZKOR']) assert.ok(shown.includes(place), place)
    for (const secret of ['urn:epc:class:lgtin', 'loading dock', 'KZ0457812', '43.2957', '123 ABC 02']) assert.ok(!html.includes(secret), secret)
    assert.ok(!shown.includes('href="/documents/'), 'not kept: no document to link to')
    assert.equal((await browse(nodes.customs, 'GET', `/documents/${nodes.events[0] as string}`, { cookie: officer.cookie })).status, 404)

    const kept = await ask(officer, { store: 'on' })
    assert.match(kept, /name="store" checked=""/)
    for (const id of nodes.events) {
      assert.ok(kept.includes(`href="/documents/${id}"`), id)
      const page = await browse(nodes.customs, 'GET', `/documents/${id}`, { cookie: officer.cookie })
      assert.equal(page.status, 200)
      const text = await page.text()
      assert.match(text, /Signature verified/)
      assert.ok(!text.includes('loading dock'))
    }
    const log = await nodes.customs.node.accounts.auditLog(20)
    assert.ok(log.some(e => e.who === 'user:bolat' && e.action === 'asked a participant' && e.detail?.includes(`${nodes.carrier.node.participant} ${ARRIVAL}`) === true && e.detail.includes('2 kept')), JSON.stringify(log))
  })

  it('shows the signed "nothing" of a participant that grants this node nothing, and lets a viewer read but not ask', async () => {
    const officer = await signIn(nodes.customs, 'bolat')
    const html = await ask(officer, { holder: nodes.trader.node.participant })
    assert.match(html, /<h2 id="answer">Answer of Almaty Dried Fruit<\/h2>/)
    assert.match(html, /data-outcome="nothing"/)
    assert.match(html, /<dd id="ask-outcome">nothing you may see<\/dd>/)
    assert.ok(!html.includes('<article'), 'no records')

    const viewer = await signIn(nodes.customs, 'erlan')
    const page = await (await browse(nodes.customs, 'GET', '/ask', { cookie: viewer.cookie })).text()
    assert.match(page, /You may read this page; asking is for those who enter documents or decide\./)
    assert.ok(!page.includes('action="/ask"'))
    assert.ok(!page.includes('<a href="/ask">'), 'no link for a viewer')
    await ask(viewer, {}, 403)
  })
})
