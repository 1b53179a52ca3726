/**
 * The cabinet as a person uses it, in a real Chromium: sign in, find the
 * consignment, read a document with its verification, switch language,
 * sign out; with no console error, no failed request, and a field holding
 * markup shown as text. Screenshots of each page go to dist/screenshots.
 */
import assert from 'node:assert/strict'
import type { ApiServer } from '../../api/server.js'
import { cabinetRigOrSkip, signIn, watchedPage, type CabinetRig } from '../support/browser.js'
import { fixture, type TempNode } from '../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-WEB0001'

describe('cabinet in a browser', function () {
  this.timeout(120_000)
  let rig: CabinetRig | undefined
  let t: TempNode
  let server: ApiServer
  let password: string

  before(async function () {
    rig = await cabinetRigOrSkip(this, { id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant' })
    ;({ t, server, password } = rig)
    const invoice = { ...await fixture('trade.invoice'), remarks: '<img src=x onerror="alert(1)"><script>alert(2)</script>' }
    await t.node.records.create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice })
    await t.node.records.create({ type: 'trade.packing-list', consignment: CONSIGNMENT, data: await fixture('trade.packing-list') })
  })
  after(async () => { await rig?.close() })

  it('signs a declarant in, shows the consignment and a verified document, switches language, signs out: no faults', async () => {
    const { page, faults, shot } = await watchedPage((rig as CabinetRig).browser)
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
    // The browser checks the record's bytes itself: id, issuer's signature, every field.
    await page.waitForFunction(() => !/Checking/.test((globalThis as unknown as { document: { getElementById: (id: string) => { textContent: string } } }).document.getElementById('browser-check').textContent))
    assert.match(await page.textContent('#browser-check') ?? '', /^Signature checked by this browser \(\d+ fields\)$/)
    await shot('document')
    // Bytes changed on the way (a field's value): the browser says so, whatever the node claims.
    const url = page.url()
    await page.route('**/record.cbor', async route => {
      const body = Buffer.from(await (await route.fetch()).body())
      const at = body.indexOf('Apricots')
      body[at] = 'B'.charCodeAt(0)
      await route.fulfill({ body, contentType: 'application/cbor' })
    })
    await page.goto(url)
    await page.waitForFunction(() => !/Checking/.test((globalThis as unknown as { document: { getElementById: (id: string) => { textContent: string } } }).document.getElementById('browser-check').textContent))
    assert.match(await page.textContent('#browser-check') ?? '', /^This browser could not confirm the signature: a field \(lines\/0\/description\) was not signed by the issuer$/)
    await page.unroute('**/record.cbor')

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
  it('enters an invoice through its form: a mistake shown beside its field and fixed, a line added, then a corrected version', async () => {
    const { page, faults, shot } = await watchedPage((rig as CabinetRig).browser)
    await signIn(page, server.url, 'aigerim', password)
    await page.goto(`${server.url}/consignments/${CONSIGNMENT}`)
    await page.getByRole('link', { name: 'Enter a document' }).click()
    await page.getByRole('link', { name: 'Commercial invoice' }).click()
    const fill = async (fields: Record<string, string>): Promise<void> => {
      for (const [id, value] of Object.entries(fields)) await page.fill(`#f-${id}`, value)
    }
    await fill({
      number: 'INV-WEB-7',
      date: '2026-12-01',
      'seller-name': 'Almaty Dried Fruit LLP',
      'seller-country': 'KZ',
      'buyer-name': 'Rheinfrucht GmbH',
      'buyer-country': 'DE',
      currency: 'euro',
      totalAmount: '390.00',
      'lines-0-lineNumber': '1',
      'lines-0-description': 'Apricots, dried',
      'lines-0-quantity': '100',
      'lines-0-unit': 'KGM',
      'lines-0-unitPrice': '2.50',
      'lines-0-amount': '250.00'
    })
    await page.getByRole('button', { name: 'Sign and save' }).click()
    // Refused, with the reason beside the field, every value kept.
    assert.match(await page.textContent('#form-errors') ?? '', /correct the fields marked below/)
    assert.equal(await page.getAttribute('#f-currency', 'aria-invalid'), 'true')
    assert.equal(await page.textContent('#f-currency-error'), 'Not in the expected form.')
    assert.equal(await page.inputValue('#f-seller-name'), 'Almaty Dried Fruit LLP')
    await shot('enter-invoice-error')
    faults.splice(0, faults.length, ...faults.filter(f => !/\b422\b/.test(f)))
    await fill({ currency: 'EUR' })
    await page.getByRole('button', { name: 'Lines: Add a line' }).click()
    await fill({ 'lines-1-lineNumber': '2', 'lines-1-description': 'Apples, dried', 'lines-1-quantity': '50', 'lines-1-unit': 'KGM', 'lines-1-unitPrice': '2.80', 'lines-1-amount': '140.00' })
    assert.equal(await page.inputValue('#f-currency'), 'EUR')
    await page.getByRole('button', { name: 'Sign and save' }).click()
    await page.waitForURL(/\/documents\/bciq/)
    const main = await page.textContent('main') ?? ''
    assert.match(main, /Signature verified/)
    assert.match(main, /lines › 2 › descriptionApples, dried/)
    await shot('enter-invoice-saved')

    await page.getByRole('link', { name: 'Enter a corrected version' }).click()
    assert.equal(await page.inputValue('#f-number'), 'INV-WEB-7')
    assert.equal(await page.inputValue('#f-lines-1-description'), 'Apples, dried')
    await page.getByRole('button', { name: 'Lines: Remove line 1' }).click()
    assert.equal(await page.inputValue('#f-lines-0-description'), 'Apples, dried')
    await fill({ number: 'INV-WEB-7A', totalAmount: '140.00', 'lines-0-lineNumber': '1' })
    await page.getByRole('button', { name: 'Sign and save' }).click()
    await page.waitForURL(/\/documents\/bciq/)
    await page.getByRole('link', { name: /Consignment/ }).click()
    assert.match(await page.textContent('main') ?? '', /Earlier versions/)
    assert.deepEqual(faults, [])
  })
})
