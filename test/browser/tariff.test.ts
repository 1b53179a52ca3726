/**
 * The tariff in a trader's cabinet, in a real Chromium: a declarant looks
 * goods up by words, picks the HS code, reads the measures in force with their
 * legal basis; on the consignment's page sees what its goods need and applies
 * for everything at once. No console error, no failed request.
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
import { HS_EXTRACT, names } from '../support/reference-data.js'

const SPS = 'KZ.sps.phytosanitary-certificate'

async function load (name: string): Promise<any> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/consignment/${name}.json`), 'utf8'))
}

describe('the tariff in a trader\'s cabinet', function () {
  this.timeout(180_000)
  let browser: Browser | undefined
  let authority: TempNode
  let trader: TempNode
  let sps: TempNode
  let server: ApiServer
  let password: string
  let ref: string

  before(async function () {
    browser = await browserOrSkip(this)
    authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ defaultPolicies: true, profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    sps = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'Plant quarantine inspectorate' } })
    await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit' })
    await certify(authority, sps, 'agency', { competence: 'phytosanitary', name: 'Plant quarantine inspectorate' })
    for (const t of [trader, sps]) await connect(authority, t)
    await connect(trader, sps)
    for (const t of [authority, trader, sps]) await t.node.policy.refreshDirectory()
    assert.equal((await authority.request('POST', '/v1/codelists', { body: HS_EXTRACT })).status, 201)
    assert.equal((await sps.request('POST', '/v1/profiles', { body: await load('profile.phytosanitary') })).status, 201)
    assert.equal((await sps.request('POST', '/v1/measures', {
      body: {
        measure: 'KZ.sps.dried-fruit-export',
        kind: 'certificate',
        title: names('Phytosanitary certificate for dried fruit', 'Фитосанитарный сертификат на сушёные фрукты', 'Кептірілген жемістерге фитосанитариялық сертификат'),
        goods: ['0813'],
        directions: ['export'],
        procedure: SPS,
        legalBasis: { act: 'Law of the Republic of Kazakhstan on plant quarantine', article: '14' },
        validFrom: '2026-01-01'
      }
    })).status, 201)
    await until(async () => (await json(await trader.request('GET', '/v1/measures'))).measures.length === 1 &&
      (await json(await trader.request('GET', '/v1/codelists'))).codelists.length === 1, 'the measure and the HS list to reach the trader')
    const invoice = (await load('trade.invoice')).data
    const record = await json(await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', data: { ...invoice, lines: [{ ...invoice.lines[0], hsCode: '0813100000', description: 'Apricots, dried' }] } } }))
    ref = record.consignment
    password = (await trader.node.accounts.add({ id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant' })).password
    server = await startApiServer(trader.node)
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    for (const t of [trader, sps, authority]) await t?.close()
  })

  it('finds goods by words, shows the measures in force for them, and applies for what a consignment needs', async () => {
    const { page, faults, shot } = await watchedPage(browser as Browser)
    await signIn(page, server.url, 'aigerim', password)
    await page.getByRole('link', { name: 'Tariff' }).click()
    await page.getByLabel('HS code (2 to 10 digits), or words to look for').fill('apricot')
    await page.getByRole('button', { name: 'Find' }).click()
    assert.match(await page.textContent('main') ?? '', /Goods matching «apricot»/)
    await shot('tariff-search')
    await page.getByRole('link', { name: '0813 10' }).click()
    const measures = page.locator('#measures')
    assert.match(await measures.textContent() ?? '', /Phytosanitary certificate for dried fruit.*Plant quarantine inspectorate.*0813 10 is in 0813; export.*Law of the Republic of Kazakhstan on plant quarantine, art\. 14/s)
    await shot('tariff-measures')
    await page.getByRole('link', { name: 'Русский' }).click()
    assert.match(await measures.textContent() ?? '', /Фитосанитарный сертификат на сушёные фрукты/)
    assert.match(await page.textContent('main') ?? '', /0813 10 — Абрикосы/)
    await page.getByRole('link', { name: 'English' }).click()

    await page.goto(`${server.url}/consignments/${ref}`)
    const needs = page.locator('#needs-table')
    assert.match(await needs.textContent() ?? '', /Phytosanitary certificate for dried fruit.*KZ\.sps\.phytosanitary-certificate.*Not applied for/s)
    await shot('consignment-needs')
    await page.getByRole('button', { name: 'Apply for everything the goods need' }).click()
    await page.waitForURL(/#needs$/)
    assert.match(await needs.textContent() ?? '', /(submitted|received)/)
    assert.equal(await page.getByRole('button', { name: 'Apply for everything the goods need' }).count(), 0, 'nothing left to apply for')
    assert.deepEqual(faults, [])
  })
})
