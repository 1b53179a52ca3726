/**
 * A trader's administrator in a real Chromium: reads the node's grants (those
 * of its policies.json: customs gets every document whole, the SPS agency the
 * goods fields), adds one for its bank through the form (a wrong purpose
 * marked beside its field, then fixed), previews an invoice and sees, field
 * by field, that customs receives all of it, the SPS agency the goods without
 * prices and the bank the payment fields alone; then the network page: the
 * customs node connected, deliveries to the SPS agency waiting with their
 * error, and the webhooks with how their notifications went. No console
 * error, no failed request beyond the refusal asserted.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { startApiServer, type ApiServer } from '../../api/server.js'
import { SPS_FIELDS } from '../../node/policy/policy-file.js'
import { covers, fieldPatterns } from '../../record/index.js'
import { leaves } from '../../api/cabinet/pages/format.js'
import { browserOrSkip, signIn, watchedPage } from '../support/browser.js'
import { certify, connect, json, networkedNode } from '../support/network.js'
import { repoFile } from '../support/repo.js'
import { openTempNode, type TempNode } from '../support/temp-node.js'
import { until } from '../support/until.js'

const REF = '6KZ123456789012-SHARE01'
const BANK_FIELDS = ['/payeeAccount', '/currency', '/totalAmount']

describe('an administrator\'s sharing and network pages', function () {
  this.timeout(180_000)
  let browser: Browser | undefined
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let bank: TempNode
  let server: ApiServer | undefined
  let hooks: Server | undefined
  let down: string
  let password: string
  let invoiceId: string
  let invoice: Record<string, unknown>

  before(async function () {
    browser = await browserOrSkip(this)
    // The organisation's ERP takes notifications; its other system is down.
    hooks = createServer((_request, response) => { response.writeHead(204).end() })
    await new Promise<void>(resolve => { hooks?.listen(0, '127.0.0.1', resolve) })
    const closed = createServer()
    await new Promise<void>(resolve => { closed.listen(0, '127.0.0.1', resolve) })
    down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/erp/notifications`
    await new Promise(resolve => { closed.close(resolve) })
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ defaultPolicies: true, profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    for (const url of [`http://127.0.0.1:${(hooks.address() as AddressInfo).port}/keruen`, down]) {
      assert.equal((await trader.request('POST', '/v1/subscriptions', { body: { url, filter: { events: ['record.received'] } } })).status, 201)
    }
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'customs' } })
    sps = await openTempNode({ profile: { role: 'agency', country: 'KZ', name: 'sps' } })
    bank = await openTempNode({ profile: { role: 'bank', country: 'KZ', name: 'bank' } })
    await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit' })
    for (const [t, role, name, competence] of [
      [customs, 'agency', 'State Revenue Committee', 'customs'], [sps, 'agency', 'Committee of State Inspection in the Agro-Industrial Complex', 'phytosanitary'], [bank, 'bank', 'Halyk Bank', undefined]
    ] as const) {
      const certificate = await certify(authority, t, role, { name, ...(competence !== undefined && { competence }) }) as { id: string, record?: unknown }
      // The trader holds each certificate, as the trust gossip would bring it.
      assert.equal((await trader.request('POST', '/v1/records/import', { body: certificate.record })).status, 201)
    }
    await connect(trader, customs)
    await trader.node.policy.refreshDirectory()
    invoice = (JSON.parse(await readFile(repoFile('test/fixtures/consignment/trade.invoice.json'), 'utf8')) as { data: Record<string, unknown> }).data
    invoiceId = (await json(await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: REF, data: invoice } }))).id
    await until(async () => (await customs.node.records.get(invoiceId)) !== undefined, 'the invoice to reach customs')
    password = (await trader.node.accounts.add({ id: 'dana', name: 'Dana Omarova', role: 'admin' })).password
    server = await startApiServer(trader.node)
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    await new Promise(resolve => { hooks?.close(resolve) })
    for (const t of [authority, trader, customs, sps, bank]) await t?.close()
  })

  it('shows the grants, adds one through the form, previews who receives which field of an invoice, and shows the network', async () => {
    const url = (server as ApiServer).url
    const { page, faults, shot } = await watchedPage(browser as Browser)
    await signIn(page, url, 'dana', password)
    await page.getByRole('link', { name: 'Administration' }).click()
    await page.getByRole('navigation', { name: 'Administration pages' }).getByRole('link', { name: 'Data sharing' }).click()
    await page.waitForURL(`${url}/sharing`)
    const grants = page.locator('#grants-table tbody tr')
    assert.equal(await grants.count(), 2, 'the rules of policies.json')
    // Both were signed as the node started, often within one millisecond: their order is then their ids', not the file's.
    assert.match(await grants.filter({ hasText: 'competence: customs' }).textContent() ?? '', /every participant certified as state agency, competence: customs, country: KZ.*Commercial invoice.*all fields.*KZ\.customs\.export-declaration/)
    assert.match(await grants.filter({ hasText: 'competence: phytosanitary' }).textContent() ?? '', /competence: phytosanitary.*Lines › HS code.*KZ\.sps\.phytosanitary-certificate/)

    // A grant for the bank: the payment fields of invoices, a purpose mistyped first.
    await page.getByLabel('To whom').selectOption(`participant:${bank.node.participant}`)
    await page.getByLabel('Commercial invoice').check()
    await page.getByLabel('Which fields').fill(BANK_FIELDS.join('\n'))
    await page.getByLabel('Purpose (procedure)').fill('currency control')
    await page.getByLabel('Valid until').fill('2099-12-31')
    await page.getByRole('button', { name: 'Sign the grant' }).click()
    assert.match(await page.textContent('#purpose-error') ?? '', /Write the purpose as a country code/)
    assert.equal(await page.getAttribute('#purpose', 'aria-invalid'), 'true')
    assert.equal(await page.getByLabel('Commercial invoice').isChecked(), true, 'what was entered is kept')
    faults.splice(0, faults.length, ...faults.filter(f => !/\b422\b/.test(f)))
    await page.getByLabel('Purpose (procedure)').fill('KZ.bank.currency-control')
    await page.getByRole('button', { name: 'Sign the grant' }).click()
    await page.waitForURL(/\/sharing#grant-/)
    assert.equal(await grants.count(), 3)
    assert.match(await grants.nth(2).textContent() ?? '', /Halyk Bank.*Commercial invoice.*Payee account.*Currency.*Total amount.*KZ\.bank\.currency-control.*31 Dec 2099/)
    await shot('sharing')

    await page.getByLabel('Document', { exact: true }).selectOption(invoiceId)
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/\/sharing\/preview\?record=/)
    // The field-by-field table read back: for each recipient (a column), the pointers of the fields it receives.
    const who = await page.locator('#preview-fields thead th.who').allTextContents()
    type Row = { querySelector: (s: string) => { getAttribute: (n: string) => string | null } | null, querySelectorAll: (s: string) => ArrayLike<{ className: string }> }
    const rows = await page.locator('#preview-fields tbody tr').evaluateAll((trs: Row[]) => trs.map(tr => ({
      pointer: tr.querySelector('th')?.getAttribute('title') ?? '',
      cells: Array.from(tr.querySelectorAll('td.yes, td.no')).map(td => td.className)
    })))
    const received = Object.fromEntries(who.map((name, i) => [name, rows.filter(r => r.cells[i] === 'yes').map(r => r.pointer)]))
    const all = leaves(invoice).map(l => l.pointer).sort()
    const coveredBy = (patterns: readonly string[]): string[] => leaves(invoice).filter(l => fieldPatterns(patterns).some(p => covers(p, l.steps))).map(l => l.pointer).sort()
    assert.deepEqual(Object.keys(received).sort(), ['Committee of State Inspection in the Agro-Industrial Complex', 'Halyk Bank', 'State Revenue Committee'])
    assert.deepEqual(received['State Revenue Committee']?.sort(), all, 'customs receives the whole invoice')
    const goods = received['Committee of State Inspection in the Agro-Industrial Complex']?.sort()
    assert.deepEqual(goods, coveredBy(SPS_FIELDS), 'the SPS agency the goods fields')
    assert.ok(goods?.includes('/lines/0/hsCode') === true && goods.includes('/lines/0/originCountry') && goods.includes('/seller/name'))
    assert.ok(!goods.includes('/lines/0/unitPrice') && !goods.includes('/totalAmount') && !goods.includes('/payeeAccount/accountNumber'), 'and no prices')
    assert.deepEqual(received['Halyk Bank']?.sort(), coveredBy(BANK_FIELDS), 'the bank the payment fields alone')
    assert.match(await page.textContent('#preview-recipients') ?? '', /Committee of State Inspection.*state agency.*\d+ of \d+ fields.*KZ\.sps\.phytosanitary-certificate \(policies\.json\/phytosanitary\)/)
    await shot('sharing-preview')

    await page.getByRole('navigation', { name: 'Administration pages' }).getByRole('link', { name: 'Network' }).click()
    await page.waitForURL(`${url}/network`)
    const peers = page.locator('#peers-table tbody tr')
    assert.match(await peers.filter({ hasText: 'State Revenue Committee' }).textContent() ?? '', /valid.*connected.*\/ip4\/127\.0\.0\.1\/tcp\//)
    assert.match(await peers.filter({ hasText: 'Halyk Bank' }).textContent() ?? '', /not connected/)
    // The invoice waits for the SPS agency, which is not on the network; nothing waits for customs, which confirmed it.
    await until(async () => {
      await page.reload()
      return /Committee of State Inspection/.test(await page.textContent('#outbox-table') ?? '') && (await page.locator('#outbox-table td .bad').count()) > 0
    }, 'a failed attempt to reach the SPS agency')
    assert.doesNotMatch(await page.textContent('#outbox-table') ?? '', /State Revenue Committee/)
    const erp = page.locator('section.webhook').filter({ hasText: down })
    await until(async () => {
      await page.reload()
      return await erp.getByText('Last error').count() === 1 && await page.locator('section.webhook').first().locator('tbody tr').count() > 0
    }, 'a notification delivered and one failing')
    await shot('network')

    await erp.getByRole('button', { name: `Remove: ${down}` }).click()
    await page.waitForURL(`${url}/network#webhooks`)
    assert.equal(await page.locator('section.webhook').count(), 1)
    assert.equal(trader.node.webhooks.list().length, 1)
    assert.deepEqual(faults, [])
  })
})
