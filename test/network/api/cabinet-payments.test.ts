/**
 * Paying a declaration through the cabinets over HTTP: the trader's
 * consignment page shows what the declaration owes line by line and in
 * total; a pay form with a mistake comes back with the error beside its
 * field, a right one orders the bank; the bank's officer finds the order on
 * the bank's page and confirms it, and the trader's settlement is paid. A
 * viewer at the bank may read, not confirm; a refusal needs its reason.
 * Customs' inbox shows the application's risk outcome beside its status.
 */
import assert from 'node:assert/strict'
import { openPaymentNodes, type PaymentNodes } from '../../support/payment-nodes.js'
import { fixture, type TempNode } from '../../support/temp-node.js'
import { until } from '../../support/until.js'
import { cabinetBrowser } from '../../support/cabinet-session.js'

describe('paying a declaration in the cabinets', function () {
  this.timeout(120_000)
  let nodes: PaymentNodes
  const passwords = new Map<string, string>()

  const { browse, signIn } = cabinetBrowser(passwords)
  const page = async (t: TempNode, cookie: string, path: string): Promise<string> => {
    const response = await browse(t, 'GET', path, { cookie })
    assert.equal(response.status, 200, path)
    return await response.text()
  }
  const payForm = (csrf: string, over: Record<string, string> = {}): Record<string, string> => ({
    _csrf: csrf,
    bank: nodes.bank.node.participant,
    payerName: 'Almaty Dried Fruit LLP',
    payerAccount: 'KZ86 125K ZT50 0410 0100',
    payerBic: 'HSBKKZKX',
    payeeAgency: nodes.customs.node.participant,
    payeeName: 'State Revenue Committee',
    payeeAccount: 'KZ24070105KSN0000000',
    payeeBic: '',
    reference: 'Import declaration, lorry and apricots',
    ...over
  })

  before(async () => {
    nodes = await openPaymentNodes()
    for (const [t, id, role] of [[nodes.trader, 'aigerim', 'declarant'], [nodes.bank, 'dana', 'officer'], [nodes.bank, 'erlan', 'viewer'], [nodes.customs, 'bolat', 'officer']] as const) {
      passwords.set(id, (await t.node.accounts.add({ id, name: id, role })).password)
    }
  })
  after(async () => { await nodes?.close() })

  it('shows the declaration\'s payments line by line, the totals and the settlement, and says plainly when they cannot be worked out', async () => {
    const { cookie } = await signIn(nodes.trader, 'aigerim')
    const html = await page(nodes.trader, cookie, `/consignments/${nodes.ref}`)
    const lines = /<table aria-labelledby="payments" id="payment-lines">.*?<\/table>/s.exec(html)?.[0] ?? ''
    for (const words of ['Customs duty', 'VAT', 'Customs fee', '8704 21 9000', '0813 10 0000', 'Common Customs Tariff of the EAEU', 'the higher of two', '15 % or, if higher, 0.20 EUR/KGM × 3200.000 KGM']) {
      assert.ok(lines.includes(words), words)
    }
    assert.match(lines, /Total<\/th><td class="num">8,725,455\.84<\/td><td>KZT<\/td>/)
    assert.match(html, /Exchange rate used: 1 EUR = 612\.35 KZT, of 2026-11-02\./)
    assert.match(html, /id="settlement-status" data-status="unpaid"/)
    assert.match(html, /No payment order yet\./)
    // The payee is customs, the agency the application went to.
    assert.match(html, new RegExp(`<option value="${nodes.customs.node.participant}" selected="">State Revenue Committee, customs`))
    assert.match(html, /id="payeeName"[^>]*value="State Revenue Committee"/)

    // Customs works the same payments out from the declaration it received.
    const officer = await signIn(nodes.customs, 'bolat')
    assert.match(await page(nodes.customs, officer.cookie, `/consignments/${nodes.ref}`), /Total<\/th><td class="num">8,725,455\.84<\/td>/)

    // A consignment with no declaration: said so, without the node's innards.
    const invoice = await nodes.trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', data: await fixture('trade.invoice') } })
    assert.equal(invoice.status, 201)
    const other = ((await invoice.json()) as { consignment: string }).consignment
    const none = await page(nodes.trader, cookie, `/consignments/${other}`)
    assert.match(none, /The payments cannot be worked out here/)
    assert.match(none, /holds no verified goods declaration/)
    assert.ok(!/ServiceError|at async|\.js:\d+/.test(none), 'no stack trace')
    assert.ok(!none.includes('action="/consignments/' + other + '/payment-orders"'), 'nothing to pay')
  })

  it('brings a pay form with a mistake back with the error beside its field, and orders the bank with a right one', async () => {
    const { cookie, csrf } = await signIn(nodes.trader, 'aigerim')
    const wrong = await browse(nodes.trader, 'POST', `/consignments/${nodes.ref}/payment-orders`, { cookie, form: payForm(csrf, { bank: '', payerBic: 'NOT A BIC' }) })
    assert.equal(wrong.status, 422)
    const html = await wrong.text()
    assert.match(html, /The payment order was not sent: correct the fields marked below\./)
    assert.match(html, /<select id="bank" name="bank" required="" aria-describedby="bank-error" aria-invalid="true">/)
    assert.match(html, /<p class="field-error" id="bank-error">Choose a bank\.<\/p>/)
    assert.match(html, /id="payerBic"[^>]*value="NOTABIC"[^>]*aria-describedby="payerBic-hint payerBic-error"/)
    assert.match(html, /id="payerAccount"[^>]*value="KZ86125KZT5004100100"/, 'the form comes back filled')

    const made = await browse(nodes.trader, 'POST', `/consignments/${nodes.ref}/payment-orders`, { cookie, form: payForm(csrf) })
    assert.equal(made.status, 303)
    assert.equal(made.headers.get('location'), `/consignments/${nodes.ref}#payments`)
    const [order] = await nodes.trader.node.settlements.orders()
    assert.ok(order !== undefined)
    assert.deepEqual(order.order.payer, { name: 'Almaty Dried Fruit LLP', account: 'KZ86125KZT5004100100', bic: 'HSBKKZKX', participant: nodes.trader.node.participant })
    assert.deepEqual(order.order.payee, { name: 'State Revenue Committee', account: 'KZ24070105KSN0000000', participant: nodes.customs.node.participant })
    assert.equal(order.order.total, '8725455.84')
    await until(async () => (await nodes.bank.node.settlements.orders({ status: 'pending' })).length === 1, 'the order to reach the bank')
    assert.match(await page(nodes.trader, cookie, `/consignments/${nodes.ref}`), /data-status="pending">pending at the bank</)
    assert.ok((await nodes.trader.node.accounts.auditLog(20)).some(e => e.action === 'payment ordered' && e.detail === `${nodes.ref} ${order.id}`))
  })

  it('lists the order on the bank\'s page; a viewer reads it but may not confirm, a refusal needs its reason, the officer confirms and the trader is paid', async () => {
    const [order] = await nodes.bank.node.settlements.orders({ status: 'pending' })
    assert.ok(order !== undefined)
    const viewer = await signIn(nodes.bank, 'erlan')
    const seen = await page(nodes.bank, viewer.cookie, '/payment-orders')
    assert.match(seen, /<a href="\/payment-orders">Payment orders<\/a>/, 'in the bank\'s navigation')
    for (const words of ['Almaty Dried Fruit LLP', 'KZ86125KZT5004100100 · HSBKKZKX', 'State Revenue Committee', nodes.ref, 'Customs duty', '4,295,455.22 KZT', '8,725,455.84 KZT', 'pending at the bank']) {
      assert.ok(seen.includes(words), words)
    }
    assert.ok(!seen.includes(`/payment-orders/${order.id}/confirm`), 'a viewer is offered no form')
    const byViewer = await browse(nodes.bank, 'POST', `/payment-orders/${order.id}/confirm`, { cookie: viewer.cookie, form: { _csrf: viewer.csrf } })
    assert.equal(byViewer.status, 403)
    assert.match(await byViewer.text(), /Your role does not allow this/)

    const officer = await signIn(nodes.bank, 'dana')
    assert.match(await page(nodes.bank, officer.cookie, '/payment-orders?status=pending'), new RegExp(`action="/payment-orders/${order.id}/confirm"`))
    const noReason = await browse(nodes.bank, 'POST', `/payment-orders/${order.id}/refuse`, { cookie: officer.cookie, form: { _csrf: officer.csrf, reason: '  ' } })
    assert.equal(noReason.status, 422)
    const refusedHtml = await noReason.text()
    assert.match(refusedHtml, new RegExp(`<textarea name="reason" rows="2" maxlength="1000" required="" id="reason-${order.id}" aria-describedby="reason-${order.id}-error" aria-invalid="true">`))
    assert.match(refusedHtml, new RegExp(`<p class="field-error" id="reason-${order.id}-error">State the reason\\.</p>`))
    assert.equal((await nodes.bank.node.settlements.orders({ status: 'pending' })).length, 1, 'nothing was signed')

    const tooMuch = await browse(nodes.bank, 'POST', `/payment-orders/${order.id}/confirm`, { cookie: officer.cookie, form: { _csrf: officer.csrf, total: '9000000.00' } })
    assert.equal(tooMuch.status, 422)
    assert.match(await tooMuch.text(), /An amount such as 1500000\.00, more than 0 and at most what is left of the order\./)

    const confirmed = await browse(nodes.bank, 'POST', `/payment-orders/${order.id}/confirm`, { cookie: officer.cookie, form: { _csrf: officer.csrf, total: '', bankReference: 'HSBK-77' } })
    assert.equal(confirmed.status, 303)
    assert.match(await page(nodes.bank, officer.cookie, '/payment-orders?status=paid'), /HSBK-77/)
    const again = await browse(nodes.bank, 'POST', `/payment-orders/${order.id}/confirm`, { cookie: officer.cookie, form: { _csrf: officer.csrf } })
    assert.equal(again.status, 409, 'a paid order is not paid twice')
    assert.match(await again.text(), new RegExp(`Not done: payment order ${order.id} is already paid`))
    assert.ok((await nodes.bank.node.accounts.auditLog(20)).some(e => e.action === 'payment confirmed' && e.detail === order.id))

    await until(async () => (await nodes.trader.node.settlements.settlement(nodes.ref)).status === 'paid', 'the confirmation to reach the trader')
    const trader = await signIn(nodes.trader, 'aigerim')
    const paid = await page(nodes.trader, trader.cookie, `/consignments/${nodes.ref}`)
    assert.match(paid, /id="settlement-status" data-status="paid"/)
    assert.match(paid, /8,725,455\.84 KZT, paid/)
    assert.ok(!paid.includes(`action="/consignments/${nodes.ref}/payment-orders"`), 'nothing left to pay')
  })

  it('offers customs\' officer the refund of an overpayment, which needs its reason, and the trader sees what came back', async () => {
    const { trader, customs, ref } = nodes
    // A certificate of origin proves the apricots Uzbek after payment, and the declaration is declared again with the preference.
    const certificate = await (await trader.request('POST', '/v1/records', { body: { type: 'cert.origin', consignment: ref, data: { ...await fixture('cert.origin'), originCountry: 'UZ' }, share: [customs.node.participant] } })).json() as { id: string }
    await until(async () => (await customs.request('GET', `/v1/records/${certificate.id}`)).status === 200, 'the certificate to reach customs')
    const [declaration] = (await (await trader.request('GET', `/v1/records?type=customs.declaration&consignment=${ref}`)).json() as { records: Array<{ id: string, data: Record<string, unknown> }> }).records
    const { payments: _, ...data } = declaration?.data ?? {}
    assert.equal((await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', consignment: ref, supersedes: declaration?.id, data, share: [customs.node.participant] } })).status, 201)
    await until(async () => (await customs.node.settlements.settlement(ref)).status === 'overpaid', 'the new version to reach customs')

    const officer = await signIn(customs, 'bolat')
    const shown = await page(customs, officer.cookie, `/consignments/${ref}`)
    assert.match(shown, /<h3 id="refund">Refund the overpayment<\/h3>/)
    assert.ok(shown.includes('320,727.27 KZT was paid beyond what the declaration owes'))
    const noReason = await browse(customs, 'POST', `/consignments/${ref}/refunds`, { cookie: officer.cookie, form: { _csrf: officer.csrf, total: '', reason: ' ' } })
    assert.equal(noReason.status, 422)
    const html = await noReason.text()
    assert.match(html, /<textarea id="refund-reason" name="reason" maxlength="1000" required="" rows="3" aria-describedby="refund-reason-error" aria-invalid="true">/)
    assert.match(html, /<p class="field-error" id="refund-reason-error">Say why the payments are refunded\.<\/p>/)
    const tooMuch = await browse(customs, 'POST', `/consignments/${ref}/refunds`, { cookie: officer.cookie, form: { _csrf: officer.csrf, total: '400000.00', reason: 'Preference proven' } })
    assert.equal(tooMuch.status, 422)
    assert.match(await tooMuch.text(), /at most what was overpaid/)
    const refunded = await browse(customs, 'POST', `/consignments/${ref}/refunds`, { cookie: officer.cookie, form: { _csrf: officer.csrf, total: '', reason: 'CIS free-trade preference proven after payment' } })
    assert.equal(refunded.status, 303)
    assert.ok(!(await page(customs, officer.cookie, `/consignments/${ref}`)).includes('id="refund"'), 'nothing more to refund')

    await until(async () => (await trader.node.settlements.settlement(ref)).refunds.length === 1, 'the refund to reach the trader')
    const declarant = await signIn(trader, 'aigerim')
    const seen = await page(trader, declarant.cookie, `/consignments/${ref}`)
    assert.match(seen, /id="settlement-status" data-status="paid"/)
    assert.ok(seen.includes('CIS free-trade preference proven after payment'))
    assert.ok(seen.includes('320,727.27'))
  })

  it('shows customs\' officer the latest risk outcome of each application in the inbox, and every evaluation on the application', async () => {
    const officer = await signIn(nodes.customs, 'bolat')
    const inbox = await page(nodes.customs, officer.cookie, '/inbox')
    assert.match(inbox, /<span class="badge risk-red" data-outcome="red">Red — inspection<\/span>/)
    const application = await page(nodes.customs, officer.cookie, `/applications/${nodes.application}`)
    assert.match(application, /<h2 id="evaluations">Risk evaluations<\/h2>/)
    assert.match(application, /Prompted by: application received/)
    assert.ok(application.includes('Inspect the vehicle identification number against the papers'))
  })
})
