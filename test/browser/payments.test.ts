/**
 * Paying a declaration in three cabinets, in a real Chromium: the trader's
 * declarant reads what the declaration owes and orders the bank to pay it;
 * the bank's officer finds the order on the bank's page and confirms it; the
 * trader's page shows it paid; customs' officer finds the application red in
 * the inbox and reads each evaluation with the rule's reason. No console
 * error, no failed request.
 */
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { startApiServer, type ApiServer } from '../../api/server.js'
import { join } from 'node:path'
import { browserOrSkip, SCREENSHOTS, signIn, watchedPage } from '../support/browser.js'
import { LORRY_REASON, openPaymentNodes, type PaymentNodes } from '../support/payment-nodes.js'
import { until } from '../support/until.js'
import { fixture } from '../support/temp-node.js'

describe('paying a declaration in the cabinets of trader, bank and customs', function () {
  this.timeout(180_000)
  let browser: Browser | undefined
  let nodes: PaymentNodes
  const servers: ApiServer[] = []
  const passwords = new Map<string, string>()

  before(async function () {
    browser = await browserOrSkip(this)
    nodes = await openPaymentNodes()
    for (const [t, id, name, role] of [
      [nodes.trader, 'aigerim', 'Aigerim Seitkali', 'declarant'],
      [nodes.bank, 'dana', 'Dana Zhaksylykova', 'officer'],
      [nodes.customs, 'bolat', 'Bolat Nurlanov', 'officer']
    ] as const) {
      passwords.set(id, (await t.node.accounts.add({ id, name, role })).password)
    }
    servers.push(await startApiServer(nodes.trader.node), await startApiServer(nodes.bank.node), await startApiServer(nodes.customs.node))
  })
  after(async () => {
    await browser?.close()
    for (const server of servers) await server.close()
    await nodes?.close()
  })

  it('the declarant pays, the bank confirms, customs reads the evaluations', async () => {
    const [atTrader, atBank, atCustoms] = servers as [ApiServer, ApiServer, ApiServer]
    const declarant = await watchedPage(browser as Browser)
    await signIn(declarant.page, atTrader.url, 'aigerim', passwords.get('aigerim') as string)
    await declarant.page.getByRole('link', { name: nodes.ref }).first().click()
    const payments = declarant.page.getByRole('region', { name: 'Payments' })
    assert.match(await payments.locator('#payment-totals').textContent() ?? '', /Total8,725,455\.84KZT/)
    assert.equal(await declarant.page.textContent('#settlement-status'), 'unpaid')
    // The one certified bank is chosen already.
    assert.equal(await declarant.page.getByLabel('Bank').inputValue(), nodes.bank.node.participant)
    const payer = declarant.page.getByRole('group', { name: 'Payer' })
    assert.equal(await payer.getByLabel('Account holder').inputValue(), 'Almaty Dried Fruit LLP')
    await payer.getByLabel('IBAN or account number').fill('KZ86125KZT5004100100')
    await payer.getByLabel('BIC').fill('HSBKKZKX')
    const payee = declarant.page.getByRole('group', { name: 'Payee: the customs account' })
    assert.equal(await payee.getByLabel('Account holder').inputValue(), 'State Revenue Committee')
    await payee.getByLabel('IBAN or account number').fill('KZ24070105KSN0000000')
    await declarant.page.getByLabel('Payment reference').fill('Import declaration 50509/031126/0012345')
    await declarant.shot('payments-page')
    await payments.screenshot({ path: join(SCREENSHOTS, 'payments.png') })
    await declarant.page.getByRole('button', { name: 'Sign and send the payment order' }).click()
    await declarant.page.waitForURL(/#payments$/)
    assert.match(await declarant.page.textContent('#payment-orders-table') ?? '', /8,725,455\.84 KZT.*pending at the bank/s)

    const officer = await watchedPage(browser as Browser)
    await signIn(officer.page, atBank.url, 'dana', passwords.get('dana') as string)
    await until(async () => (await nodes.bank.node.settlements.orders({ status: 'pending' })).length === 1, 'the order to reach the bank')
    await officer.page.getByRole('link', { name: 'Payment orders' }).click()
    const order = officer.page.locator('section.order').first()
    assert.match(await order.textContent() ?? '', /Almaty Dried Fruit LLP.*KZ86125KZT5004100100 · HSBKKZKX.*State Revenue Committee.*Customs duty.*4,295,455\.22 KZT.*VAT.*Customs fee.*Total.*8,725,455\.84 KZT/s)
    await order.getByLabel('Bank reference').fill('HSBK-2026-110345')
    await officer.shot('bank-orders')
    await order.getByRole('button', { name: 'Refuse' }).click()
    assert.equal(await order.getByText('State the reason.').count(), 1, 'a refusal needs its reason')
    assert.equal(await order.getByLabel('Reason').getAttribute('aria-invalid'), 'true')
    officer.faults.splice(0, officer.faults.length, ...officer.faults.filter(f => !/\b422\b/.test(f)))
    await order.getByLabel('Bank reference').fill('HSBK-2026-110345')
    await officer.page.getByRole('button', { name: 'Confirm payment' }).click()
    await officer.page.waitForURL(/\/payment-orders#order-/)
    assert.match(await officer.page.locator('section.order').first().textContent() ?? '', /paid.*HSBK-2026-110345/s)

    await until(async () => (await nodes.trader.node.settlements.settlement(nodes.ref)).status === 'paid', 'the confirmation to reach the trader')
    await declarant.page.reload()
    assert.equal(await declarant.page.textContent('#settlement-status'), 'paid')
    assert.match(await declarant.page.textContent('#payment-orders-table') ?? '', /paid.*8,725,455\.84 KZT, paid.*HSBK-2026-110345/s)
    await declarant.shot('payments-paid-page')
    await payments.screenshot({ path: join(SCREENSHOTS, 'payments-paid.png') })
    await declarant.page.getByRole('link', { name: 'Қазақша' }).click()
    assert.match(await declarant.page.getByRole('region', { name: 'Төлемдер' }).textContent() ?? '', /Кедендік баж.*немесе, егер көп болса,.*422-бап.*Барлығы.*төленген/s)
    await declarant.page.getByRole('link', { name: 'Русский' }).click()
    const russian = declarant.page.getByRole('region', { name: 'Платежи' })
    assert.match(await russian.textContent() ?? '', /Таможенная пошлина.*8\u00a0725\u00a0455,84.*оплачено/s)
    await russian.screenshot({ path: join(SCREENSHOTS, 'payments-paid-ru.png') })
    await declarant.page.getByRole('link', { name: 'English' }).click()

    // Customs evaluates again when the bank's confirmation arrives: still red, for the lorry.
    await until(async () => (await nodes.customs.node.risk.evaluations(nodes.application)).length === 2, 'customs to evaluate the payment')
    const customs = await watchedPage(browser as Browser)
    await signIn(customs.page, atCustoms.url, 'bolat', passwords.get('bolat') as string)
    await customs.page.getByRole('link', { name: 'Inbox' }).click()
    const row = customs.page.getByRole('row', { name: /KZ\.customs\.import-declaration/ })
    assert.match(await row.textContent() ?? '', /Red — inspection/)
    await customs.shot('inbox-risk')
    await row.getByRole('link', { name: 'KZ.customs.import-declaration' }).click()
    const evaluations = customs.page.getByRole('region', { name: 'Risk evaluations' })
    const items = evaluations.locator('li.evaluation')
    assert.equal(await items.count(), 2)
    assert.match(await items.nth(0).textContent() ?? '', /Red — inspection.*Prompted by: application received.*lorries.*Red — inspection/s)
    const last = await items.nth(1).textContent() ?? ''
    assert.match(last, /Prompted by: payment confirmed/)
    assert.ok(last.includes(LORRY_REASON))
    assert.match(last, /Payments confirmedyes/)
    assert.match(last, /0813 10 0000, 8704 21 9000/)
    await customs.shot('evaluations-page')
    await evaluations.screenshot({ path: join(SCREENSHOTS, 'evaluations.png') })

    // A certificate of origin proves the apricots Uzbek after payment; the declaration is declared again, and customs refunds the overpayment.
    const { trader, ref } = nodes
    const certificate = await (await trader.request('POST', '/v1/records', { body: { type: 'cert.origin', consignment: ref, data: { ...await fixture('cert.origin'), originCountry: 'UZ' }, share: [nodes.customs.node.participant] } })).json() as { id: string }
    await until(async () => (await nodes.customs.request('GET', `/v1/records/${certificate.id}`)).status === 200, 'the certificate to reach customs')
    const [declaration] = (await (await trader.request('GET', `/v1/records?type=customs.declaration&consignment=${ref}`)).json() as { records: Array<{ id: string, data: Record<string, unknown> }> }).records
    const { payments: _, ...data } = declaration?.data ?? {}
    assert.equal((await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', consignment: ref, supersedes: declaration?.id, data, share: [nodes.customs.node.participant] } })).status, 201)
    await until(async () => (await nodes.customs.node.settlements.settlement(ref)).status === 'overpaid', 'the new version to reach customs')
    await customs.page.goto(`${atCustoms.url}/consignments/${ref}`)
    const refund = customs.page.getByRole('region', { name: 'Refund the overpayment' })
    await refund.getByRole('button', { name: 'Sign and send the refund' }).click()
    assert.equal(await customs.page.getByLabel('Reason').getAttribute('aria-invalid'), 'true', 'a refund needs its reason')
    // That 422 is the answer asked for, not a fault.
    customs.faults.splice(0, customs.faults.length, ...customs.faults.filter(f => !/\b422\b/.test(f)))
    await customs.page.getByLabel('Reason').fill('CIS free-trade preference proven after payment')
    await customs.page.getByRole('region', { name: 'Refund the overpayment' }).getByRole('button', { name: 'Sign and send the refund' }).click()
    await until(async () => (await nodes.trader.node.settlements.settlement(ref)).refunds.length === 1, 'the refund to reach the trader')
    await declarant.page.goto(`${atTrader.url}/consignments/${ref}`)
    const settled = declarant.page.getByRole('region', { name: 'Payments' })
    assert.match(await settled.textContent() ?? '', /CIS free-trade preference proven after payment/)
    await settled.screenshot({ path: join(SCREENSHOTS, 'payments-refunded.png') })
    assert.deepEqual([...declarant.faults, ...officer.faults, ...customs.faults], [])
  })
})
