/**
 * Customs' officer asks the carrier from the cabinet, in a real Chromium:
 * chooses the carrier, the consignment and the purpose, ticks "keep", and
 * reads the verified events with only the fields the carrier's grant allows,
 * each a document here now. No console error, no failed request.
 */
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { startApiServer, type ApiServer } from '../../api/server.js'
import { browserOrSkip, signIn, watchedPage } from '../support/browser.js'
import { ARRIVAL, openQueryNodes, QUERY_REF, type QueryNodes } from '../support/query-nodes.js'

describe('asking a participant in the cabinet, in a browser', function () {
  this.timeout(180_000)
  let browser: Browser | undefined
  let nodes: QueryNodes | undefined
  let server: ApiServer | undefined
  let password: string

  before(async function () {
    browser = await browserOrSkip(this)
    nodes = await openQueryNodes()
    password = (await nodes.customs.node.accounts.add({ id: 'bolat', name: 'Bolat Nurlanov', role: 'officer' })).password
    server = await startApiServer(nodes.customs.node)
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    await nodes?.close()
  })

  it('fills the form, reads the carrier\'s events and opens one kept here', async () => {
    const { page, faults, shot } = await watchedPage(browser as Browser)
    const url = (server as ApiServer).url
    await signIn(page, url, 'bolat', password)
    await page.getByRole('link', { name: 'Ask a participant' }).click()
    await page.waitForURL(/\/ask$/)
    await page.getByLabel('Participant to ask').selectOption({ label: 'Silk Road Logistics, carrier' })
    await page.getByLabel('A consignment', { exact: true }).check()
    await page.getByLabel('Consignment reference').fill(QUERY_REF)
    await page.getByLabel('Purpose (procedure)').fill(ARRIVAL)
    await page.getByLabel('Keep what comes here').check()
    await page.getByRole('button', { name: 'Ask', exact: true }).click()
    await page.waitForSelector('#ask-result')
    assert.equal(await page.textContent('#ask-outcome'), 'records: 2')
    const result = await page.textContent('#ask-result') ?? ''
    assert.match(result, /Answer of Silk Road Logistics/)
    assert.match(result, /departing/)
    assert.match(result, /KZKOR/)
    assert.ok(!result.includes('loading dock'))
    assert.equal(await page.locator('#ask-result .badge.ok', { hasText: 'Signature verified' }).count(), 2)
    await shot('ask')

    await page.locator('#ask-result article h3 a').first().click()
    await page.waitForURL(/\/documents\/bciq/)
    assert.match(await page.textContent('main') ?? '', /Signature verified/)
    assert.deepEqual(faults, [])
  })
})
