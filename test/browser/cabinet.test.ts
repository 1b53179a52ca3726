/**
 * The cabinet as a person uses it, in a real Chromium: sign in, find the
 * consignment, read a document with its verification, switch language,
 * sign out; with no console error, no failed request, and a field holding
 * markup shown as text. Screenshots of each page go to dist/screenshots.
 */
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { startApiServer, type ApiServer } from '../../api/server.js'
import { launch, watchedPage } from '../support/browser.js'
import { fixture, openTempNode, type TempNode } from '../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-WEB0001'

describe('cabinet in a browser', function () {
  this.timeout(120_000)
  let browser: Browser | undefined
  let t: TempNode
  let server: ApiServer
  let password: string

  before(async function () {
    const launched = await launch()
    if (typeof launched === 'string') {
      console.log(`      skipped: ${launched}`)
      this.skip()
    }
    browser = launched
    t = await openTempNode()
    server = await startApiServer(t.node)
    password = (await t.node.accounts.add({ id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant' })).password
    const invoice = { ...await fixture('trade.invoice'), remarks: '<img src=x onerror="alert(1)"><script>alert(2)</script>' }
    await t.node.records.create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice })
    await t.node.records.create({ type: 'trade.packing-list', consignment: CONSIGNMENT, data: await fixture('trade.packing-list') })
  })
  after(async () => {
    await browser?.close()
    if (browser !== undefined) {
      await server.close()
      await t.close()
    }
  })

  it('signs a declarant in, shows the consignment and a verified document, switches language, signs out: no faults', async () => {
    const { page, faults, shot } = await watchedPage(browser as Browser)
    await page.goto(`${server.url}/`)
    assert.equal(new URL(page.url()).pathname, '/login')
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    await shot('login')
    await page.getByLabel('Login').fill('aigerim')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    assert.equal(await page.getByRole('alert').textContent(), 'The login or password is wrong.')
    // The refused login answered 401, as it should: not a fault.
    faults.splice(0, faults.length, ...faults.filter(f => !/\b401\b/.test(f)))
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/`)
    assert.match(await page.textContent('header') ?? '', /Signed in as Aigerim Seitkali \(declarant\)/)
    await shot('home')

    await page.getByRole('link', { name: CONSIGNMENT }).click()
    await page.waitForURL(/\/consignments\//)
    assert.equal(await page.getByRole('row').count(), 3, 'a header row and two documents')
    await shot('consignment')

    await page.getByRole('link', { name: 'Commercial invoice' }).click()
    await page.waitForURL(/\/documents\//)
    assert.match(await page.textContent('main') ?? '', /Signature verified/)
    // The remarks field holds markup: it is shown as text and runs nothing.
    assert.match(await page.textContent('main') ?? '', /<script>alert\(2\)<\/script>/)
    assert.equal(await page.locator('main img').count(), 0)
    await shot('document')

    await page.getByRole('link', { name: 'Қазақша' }).click()
    assert.equal(await page.getAttribute('html', 'lang'), 'kk')
    assert.match(await page.textContent('main') ?? '', /Қолтаңба тексерілді/)
    await shot('document-kk')
    await page.getByRole('link', { name: 'Русский' }).click()
    await page.getByRole('button', { name: 'Выйти' }).click()
    await page.waitForURL(/\/login$/)
    assert.match(await page.textContent('h1') ?? '', /Вход в личный кабинет/)
    assert.deepEqual(faults, [])
  })
})
