/**
 * A carrier in its cabinet, in a real Chromium: it finds the consignment
 * among its shipments, records a departure through the event form (a wrong
 * UN/LOCODE refused beside its field, then fixed), sends it to the trader,
 * who is ticked already, and sees it on the consignment's timeline; the
 * trader's node holds the event, signed by the carrier, and its cabinet
 * shows it. A viewer of the carrier may not record events. No console error,
 * no failed request beyond the refusals asserted.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { startApiServer, type ApiServer } from '../../api/server.js'
import { browserOrSkip, signIn, watchedPage } from '../support/browser.js'
import { certify, connect, json, networkedNode } from '../support/network.js'
import { repoFile } from '../support/repo.js'
import { openTempNode, type TempNode } from '../support/temp-node.js'
import { until } from '../support/until.js'

const REF = '6KZ123456789012-TRUCK01'

async function load (name: string): Promise<any> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/consignment/${name}.json`), 'utf8'))
}

describe('a carrier in its cabinet', function () {
  this.timeout(180_000)
  let browser: Browser | undefined
  let authority: TempNode
  let trader: TempNode
  let carrier: TempNode
  const servers: ApiServer[] = []
  const passwords = new Map<string, string>()

  before(async function () {
    browser = await browserOrSkip(this)
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    carrier = await networkedNode({ profile: { role: 'carrier', country: 'KZ', name: 'Steppe Haulage' } })
    await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit' })
    await certify(authority, carrier, 'carrier', { name: 'Steppe Haulage' })
    await connect(trader, carrier)
    // The trader sends its invoice to the carrier; the carrier issues the waybill.
    const invoice = await load('trade.invoice')
    await json(await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: REF, data: invoice.data, share: [carrier.node.participant] } }))
    await until(async () => (await carrier.node.records.consignment(REF)).length === 1, 'the invoice to reach the carrier')
    await json(await carrier.request('POST', '/v1/records', { body: { type: 'transport.waybill', consignment: REF, data: (await load('transport.waybill')).data } }))
    passwords.set('daulet', (await carrier.node.accounts.add({ id: 'daulet', name: 'Daulet Abenov', role: 'declarant' })).password)
    passwords.set('saule', (await carrier.node.accounts.add({ id: 'saule', name: 'Saule Omarova', role: 'viewer' })).password)
    passwords.set('aigerim', (await trader.node.accounts.add({ id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant' })).password)
    servers.push(await startApiServer(carrier.node), await startApiServer(trader.node))
  })
  after(async () => {
    await browser?.close()
    for (const server of servers) await server.close()
    for (const t of [authority, trader, carrier]) await t?.close()
  })

  it('records a departure from the form, shows it on the timeline, and the trader receives it signed by the carrier', async () => {
    const [atCarrier, atTrader] = servers as [ApiServer, ApiServer]
    const { page, faults, shot } = await watchedPage(browser as Browser)
    await signIn(page, atCarrier.url, 'daulet', passwords.get('daulet') as string)
    await page.getByRole('link', { name: 'Shipments' }).click()
    await page.waitForURL(/\/shipments$/)
    const row = page.getByRole('row', { name: new RegExp(REF) })
    assert.match(await row.textContent() ?? '', /0/)
    await shot('carrier-shipments')

    await row.getByRole('link', { name: 'Record an event' }).click()
    await page.waitForURL(/\/events\/new$/)
    await page.getByLabel('What happened').selectOption({ label: 'Departure' })
    await page.getByLabel('Date and local time').fill('2026-11-24T10:05')
    await page.getByLabel('Time zone (offset from UTC)').selectOption('+06:00')
    await page.getByLabel('Place: UN/LOCODE').fill('KZ-KSN')
    await page.getByLabel('Name of the place').fill('Kostanay grain terminal <b>gate</b>')
    await page.getByLabel('Vehicle or container number').fill('KZ 123 ABC 10')
    const trade = page.getByRole('checkbox', { name: /Almaty Dried Fruit/ })
    assert.equal(await trade.isChecked(), true, 'the trader, who sent a record of the consignment, is ticked already')
    await page.getByRole('button', { name: 'Record an event' }).click()
    // A wrong code is refused beside its field, and what was typed stays.
    assert.match(await page.getByRole('alert').textContent() ?? '', /Some fields need attention/)
    assert.equal(await page.getByLabel('Place: UN/LOCODE').getAttribute('aria-invalid'), 'true')
    assert.match(await page.textContent('#locode-error') ?? '', /two letters of the country/)
    assert.equal(await page.getByLabel('Vehicle or container number').inputValue(), 'KZ 123 ABC 10')
    faults.splice(0, faults.length, ...faults.filter(f => !/\b422\b/.test(f)))
    await shot('carrier-event-form')
    await page.getByLabel('Place: UN/LOCODE').fill('KZKSN')
    await page.getByRole('button', { name: 'Record an event' }).click()
    await page.waitForURL(/\/consignments\/[^/]+#movements$/)
    const timeline = page.locator('ol.timeline')
    assert.match(await timeline.textContent() ?? '', /2026-11-24 10:05 \(UTC\+06:00\)\s*Departure · Kostanay grain terminal <b>gate<\/b> KZKSN · Vehicle: KZ 123 ABC 10/)
    assert.equal(await timeline.locator('b').count(), 0, 'markup in a field is shown as text')
    await shot('carrier-timeline')

    // The event went to the trader: an EPCIS 2.0 event signed by the carrier.
    await until(async () => (await json(await trader.request('GET', `/v1/epcis/events?consignment=${REF}`))).epcisBody.queryResults.resultsBody.eventList.length === 1, 'the event to reach the trader')
    const [event] = (await json(await trader.request('GET', `/v1/epcis/events?consignment=${REF}`))).epcisBody.queryResults.resultsBody.eventList
    assert.equal(event.bizStep, 'departing')
    assert.equal(event.eventTime, '2026-11-24T10:05:00+06:00')
    assert.equal(event.readPoint.id, 'urn:keruen:locode:KZKSN')
    const held = await trader.node.records.list({ type: 'epcis.event', limit: 10 })
    assert.equal(held.records[0]?.issuer, carrier.node.participant)
    assert.equal(held.records[0]?.verified, true)

    const declarant = await watchedPage(browser as Browser)
    await signIn(declarant.page, atTrader.url, 'aigerim', passwords.get('aigerim') as string)
    await declarant.page.goto(`${atTrader.url}/consignments/${REF}`)
    assert.match(await declarant.page.locator('ol.timeline').textContent() ?? '', /Departure · Kostanay grain terminal/)
    assert.equal(await declarant.page.getByRole('link', { name: 'Record an event' }).count(), 1, 'a trader records events too')
    assert.deepEqual(declarant.faults, [])
    assert.deepEqual(faults, [])
  })

  it('does not let a viewer record an event', async () => {
    const [atCarrier] = servers as [ApiServer]
    const { page, faults } = await watchedPage(browser as Browser)
    await signIn(page, atCarrier.url, 'saule', passwords.get('saule') as string)
    await page.goto(`${atCarrier.url}/consignments/${REF}`)
    assert.equal(await page.getByRole('link', { name: 'Record an event' }).count(), 0)
    const refused = await page.goto(`${atCarrier.url}/consignments/${REF}/events/new`)
    assert.equal(refused?.status(), 403)
    assert.ok(faults.length > 0 && faults.every(f => /\b403\b/.test(f)), faults.join('\n'))
  })
})
