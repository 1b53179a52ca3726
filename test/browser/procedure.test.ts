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
import type { Browser, Page } from 'playwright-core'
import { startApiServer, type ApiServer } from '../../api/server.js'
import { browserOrSkip, watchedPage } from '../support/browser.js'
import { certify, connect, json, networkedNode } from '../support/network.js'
import { repoFile } from '../support/repo.js'
import { openTempNode, type TempNode } from '../support/temp-node.js'
import { until } from '../support/until.js'

const SPS = 'KZ.sps.phytosanitary-certificate'
const DOCUMENTS = ['trade.contract', 'trade.invoice', 'trade.packing-list', 'cert.origin', 'transport.waybill']

async function load (name: string): Promise<any> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/consignment/${name}.json`), 'utf8'))
}

async function signIn (page: Page, url: string, login: string, password: string): Promise<void> {
  await page.goto(`${url}/login`)
  await page.getByLabel('Login').fill(login)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${url}/`)
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

  it('a declarant applies with what was entered once, an officer decides, and the declarant sees who decided', async () => {
    const [atTrader, atSps] = servers as [ApiServer, ApiServer]
    const declarant = await watchedPage(browser as Browser)
    await signIn(declarant.page, atTrader.url, 'aigerim', passwords.get('aigerim') as string)
    await declarant.page.getByRole('link', { name: consignment }).click()
    const procedure = declarant.page.getByRole('region', { name: new RegExp(SPS.replaceAll('.', '\\.')) })
    const required = (await load('profile.phytosanitary')).elements.length
    assert.match(await procedure.textContent() ?? '', new RegExp(`${required} of ${required} elements present`))
    await declarant.shot('procedure-consignment')
    await procedure.getByRole('button', { name: 'Apply' }).click()
    await declarant.page.waitForURL(/\/applications\//)
    const applicationUrl = declarant.page.url()
    assert.equal(await declarant.page.textContent('#status'), 'submitted')

    const officer = await watchedPage(browser as Browser)
    await signIn(officer.page, atSps.url, 'bolat', passwords.get('bolat') as string)
    await officer.page.getByRole('link', { name: 'Inbox' }).click()
    await until(async () => {
      await officer.page.reload()
      return await officer.page.getByRole('link', { name: SPS }).count() === 1
    }, 'the application to reach the SPS inbox')
    await officer.shot('procedure-inbox')
    await officer.page.getByRole('link', { name: SPS }).click()
    await officer.page.getByRole('button', { name: 'Take under review' }).click()
    assert.equal(await officer.page.textContent('#status'), 'under review')
    await officer.page.getByLabel('Decision', { exact: true }).selectOption('certificate')
    await officer.page.getByLabel('Number').fill('KZ-PC-2026-004512')
    await officer.page.getByLabel('Summary').fill('Free from quarantine pests.')
    await officer.page.getByRole('button', { name: 'Decide' }).click()
    assert.equal(await officer.page.textContent('#status'), 'decided')
    assert.equal(await officer.page.textContent('#decided-by'), 'Decided by Bolat Nurlanov')
    await officer.shot('procedure-decided-agency')

    await until(async () => {
      await declarant.page.goto(applicationUrl)
      return await declarant.page.textContent('#status') === 'decided'
    }, 'the decision to reach the trader')
    assert.equal(await declarant.page.textContent('#decided-by'), 'Decided by Bolat Nurlanov')
    assert.match(await declarant.page.textContent('#decision + p') ?? '', /Signature verified/)
    assert.match(await declarant.page.textContent('#timeline + table') ?? '', /Bolat Nurlanov/)
    await declarant.shot('procedure-decided-trader')
    assert.deepEqual([...declarant.faults, ...officer.faults], [])
  })
})
