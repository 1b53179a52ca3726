/**
 * A procedure end to end in the cabinets of two nodes, in a real Chromium:
 * a declarant at the trader's node sees what the SPS procedure needs already
 * covered and applies; an officer at the SPS agency's node finds the
 * application in the inbox, takes it under review and issues the
 * certificate; the declarant's page then shows it decided, by that officer,
 * with its signature verified. No console error, no failed request.
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

const SPS = 'KZ.sps.phytosanitary-certificate'
// The waybill comes later, when the agency asks for what it holds.
const DOCUMENTS = ['trade.contract', 'trade.invoice', 'trade.packing-list', 'cert.origin']

async function load (name: string): Promise<any> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/consignment/${name}.json`), 'utf8'))
}

describe('a procedure in the cabinets of two nodes', function () {
  this.timeout(180_000)
  let browser: Browser | undefined
  let authority: TempNode
  let trader: TempNode
  let sps: TempNode
  const servers: ApiServer[] = []
  let consignment: string
  const passwords = new Map<string, string>()

  before(async function () {
    browser = await browserOrSkip(this)
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ defaultPolicies: true, profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    sps = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'SPS agency' } })
    await certify(authority, trader, 'trader')
    await certify(authority, sps, 'agency', { competence: 'phytosanitary' })
    await connect(trader, sps)
    for (const t of [trader, sps]) await t.node.policy.refreshDirectory()
    assert.equal((await sps.request('POST', '/v1/profiles', { body: await load('profile.phytosanitary') })).status, 201)
    await until(async () => (await trader.request('GET', `/v1/profiles/${SPS}?agency=${sps.node.participant}`)).status === 200, 'the trader to hold the SPS profile')
    for (const type of DOCUMENTS) {
      const doc = await load(type)
      const record = await json(await trader.request('POST', '/v1/records', { body: { type, data: doc.data, ...(consignment !== undefined && { consignment }), ...(doc.validUntil !== undefined && { validUntil: doc.validUntil }) } }))
      consignment ??= record.consignment
    }
    passwords.set('aigerim', (await trader.node.accounts.add({ id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant' })).password)
    passwords.set('bolat', (await sps.node.accounts.add({ id: 'bolat', name: 'Bolat Nurlanov', role: 'officer' })).password)
    servers.push(await startApiServer(trader.node), await startApiServer(sps.node))
  })
  after(async () => {
    await browser?.close()
    for (const server of servers) await server.close()
    for (const t of [authority, trader, sps]) await t?.close()
  })

  it('a declarant applies with what was entered once; the officer, told live, asks for the missing elements only; the declarant supplies them and applies again; the officer decides; the declarant sees who decided and who received what', async () => {
    const [atTrader, atSps] = servers as [ApiServer, ApiServer]
    const declarant = await watchedPage(browser as Browser)
    const officer = await watchedPage(browser as Browser)
    await signIn(officer.page, atSps.url, 'bolat', passwords.get('bolat') as string)
    await officer.page.getByRole('link', { name: 'Inbox' }).click()
    assert.match(await officer.page.textContent('main') ?? '', /No applications/)

    await signIn(declarant.page, atTrader.url, 'aigerim', passwords.get('aigerim') as string)
    await declarant.page.getByRole('link', { name: consignment }).click()
    const procedure = declarant.page.getByRole('region', { name: new RegExp(SPS.replaceAll('.', '\\.')) })
    const required = (await load('profile.phytosanitary')).elements.length
    const waybillElements = (await load('profile.phytosanitary')).elements.filter((e: { type: string }) => e.type === 'transport.waybill').length
    assert.match(await procedure.textContent() ?? '', new RegExp(`${required - waybillElements} of ${required} elements present`))
    await declarant.shot('procedure-consignment-missing')
    await procedure.getByRole('button', { name: 'Apply' }).click()
    await declarant.page.waitForURL(/\/applications\//)
    // The page shows 'submitted' or, if the agency's receipt came first,
    // 'received'; once the receipt is held, both are in the signed timeline.
    const applied = new URL(declarant.page.url()).pathname.split('/').pop() as string
    await until(async () => (await json(await trader.request('GET', `/v1/applications/${applied}`))).status === 'received', 'the agency\'s receipt of the application')
    await declarant.page.reload()
    assert.equal(await declarant.page.textContent('#status'), 'received')
    assert.match(await declarant.page.textContent('#timeline + table') ?? '', /submitted.*Aigerim Seitkali.*received/s)

    // The officer's inbox shows it without being reloaded by anyone.
    await officer.page.getByRole('link', { name: SPS }).waitFor({ timeout: 30_000 })
    await officer.shot('procedure-inbox')
    await officer.page.getByRole('link', { name: SPS }).click()
    assert.equal(await officer.page.getByRole('checkbox').count(), waybillElements, 'only the elements the application lacked are offered')
    await officer.page.getByLabel('Message to the applicant').fill('Please add the waybill.')
    await officer.page.getByRole('button', { name: 'Request missing data' }).click()
    assert.equal(await officer.page.textContent('#status'), 'more data requested')

    // The declarant's open page says the application changed.
    await declarant.page.locator('#changed').waitFor({ state: 'visible', timeout: 30_000 })
    await declarant.page.getByRole('link', { name: 'Show the current state' }).click()
    assert.equal(await declarant.page.textContent('#status'), 'more data requested')
    assert.match(await declarant.page.textContent('#timeline + table') ?? '', /Bolat Nurlanov.*Please add the waybill\./s)

    const waybill = await load('transport.waybill')
    assert.equal((await trader.request('POST', '/v1/records', { body: { type: 'transport.waybill', consignment, data: waybill.data } })).status, 201)
    await declarant.page.goto(`${atTrader.url}/consignments/${consignment}`)
    assert.match(await procedure.textContent() ?? '', new RegExp(`${required} of ${required} elements present`))
    await procedure.getByRole('button', { name: 'Apply again with what was added' }).click()
    await declarant.page.waitForURL(/\/applications\//)
    const applicationUrl = declarant.page.url()

    await officer.page.goto(`${atSps.url}${new URL(applicationUrl).pathname}`)
    await until(async () => {
      if (await officer.page.getByRole('button', { name: 'Take under review' }).count() === 1) return true
      await officer.page.reload()
      return false
    }, 'the new application to reach the agency')
    assert.equal(await officer.page.getByRole('checkbox').count(), 0, 'nothing is missing now')
    // The documents the application was given, each verified, with its issuer's certificate and the fields disclosed.
    const given = officer.page.locator('#given + table')
    const invoiceRow = given.getByRole('row', { name: /Commercial invoice/ })
    assert.match(await invoiceRow.textContent() ?? '', /trader node.*Certified: trader, KZ.*Signature verified.*\d+ of \d+/s)
    assert.match(await given.textContent() ?? '', /Waybill/)
    await invoiceRow.getByText(/\d+ of \d+/).click()
    assert.ok(await invoiceRow.locator('ul.fieldlist li').count() > 0, 'the disclosed fields are listed')
    await officer.shot('procedure-given-documents')
    await officer.page.getByRole('button', { name: 'Take under review' }).click()
    assert.equal(await officer.page.textContent('#status'), 'under review')
    await officer.page.getByLabel('Decision', { exact: true }).selectOption('certificate')
    await officer.page.getByLabel('Number').fill('KZ-PC-2026-004512')
    await officer.page.getByLabel('Summary').fill('Free from quarantine pests.')
    await officer.page.getByRole('button', { name: 'Decide' }).click()
    assert.equal(await officer.page.textContent('#status'), 'decided')
    assert.equal(await officer.page.textContent('#decided-by'), 'Decided by Bolat Nurlanov')
    await officer.shot('procedure-decided-agency')
    // The agency's reports: the decision's time, and the one missing-data request, per procedure.
    await officer.page.getByRole('link', { name: 'Reports' }).click()
    assert.match(await officer.page.getAttribute('#chart-median', 'aria-label') ?? '', new RegExp(`^Median time to decision, by procedure\\. ${SPS.replaceAll('.', '\\.')}: `))
    assert.equal(await officer.page.getAttribute('#chart-missing', 'aria-label'), `Missing-data requests per procedure. ${SPS}: 1`)
    assert.match(await officer.page.getAttribute('#chart-status', 'aria-label') ?? '', /decided: 1/)
    await officer.shot('dashboard')

    await declarant.page.locator('#changed').waitFor({ state: 'visible', timeout: 30_000 })
    await declarant.page.getByRole('link', { name: 'Show the current state' }).click()
    assert.equal(await declarant.page.textContent('#status'), 'decided')
    assert.equal(await declarant.page.textContent('#decided-by'), 'Decided by Bolat Nurlanov')
    assert.match(await declarant.page.textContent('#decision + p') ?? '', /Signature verified/)
    await declarant.shot('procedure-decided-trader')

    // Who received what: the SPS agency, each document, for the procedure.
    await declarant.page.goto(`${atTrader.url}/consignments/${consignment}`)
    const reuse = await declarant.page.textContent('#reuse-table') ?? ''
    for (const title of ['Commercial invoice', 'Packing list', 'Waybill']) assert.match(reuse, new RegExp(`${title}phytosanitary node`))
    assert.match(reuse, new RegExp(SPS.replaceAll('.', '\\.')))
    await declarant.shot('procedure-reuse')
    assert.deepEqual([...declarant.faults, ...officer.faults], [])
  })
})
