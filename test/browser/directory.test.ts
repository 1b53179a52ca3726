/**
 * A person in a real Chromium on an authority's node: opens the participant
 * directory from the header, searches it by role, opens a revoked bank's
 * profile and reads why its certificate was revoked. No console error, no
 * failed request.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { ed25519Signer } from '../../record/index.js'
import { cabinetRigOrSkip, signIn, watchedPage, type CabinetRig } from '../support/browser.js'
import { json } from '../support/network.js'

describe('the participant directory in a browser', function () {
  this.timeout(120_000)
  let rig: CabinetRig | undefined

  before(async function () {
    rig = await cabinetRigOrSkip(this, { id: 'aigerim', name: 'Aigerim Sadykova', role: 'viewer' }, { profile: { role: 'authority', name: 'KZ registration authority', country: 'KZ' } })
    const certified: Array<Record<string, string>> = [
      { role: 'trader', name: 'Almaty Dried Fruit LLP', country: 'KZ', legalId: '180540012345', aeo: '2' },
      { role: 'agency', name: 'State Revenue Committee', country: 'KZ', legalId: '990240008718', competence: 'customs' },
      { role: 'agency', name: 'Phytosanitary Control Committee', country: 'KZ', legalId: '990240001111', competence: 'phytosanitary' },
      { role: 'carrier', name: 'Silk Way Logistics', country: 'UZ', legalId: '305112233' },
      { role: 'bank', name: 'Halyk Bank JSC', country: 'KZ', legalId: '940140000385' }
    ]
    for (const body of certified) {
      const response = await rig.t.request('POST', '/v1/trust/certificates', { body: { participant: ed25519Signer(randomBytes(32)).participant, ...body } })
      const created = await json(response)
      assert.equal(response.status, 201, JSON.stringify(created))
      if (body.role === 'bank') {
        assert.equal((await rig.t.request('POST', '/v1/trust/revocations', { body: { certificate: created.id, reason: 'banking licence withdrawn' } })).status, 201)
      }
    }
  })
  after(async () => { await rig?.close() })

  it('searches the directory and opens a revoked participant\'s profile', async () => {
    const { browser, server, password } = rig as CabinetRig
    const { page, faults, shot } = await watchedPage(browser)
    await signIn(page, server.url, 'aigerim', password)
    await page.getByRole('link', { name: 'Directory' }).click()
    await page.waitForURL(`${server.url}/directory`)
    assert.match(await page.textContent('#directory-matched') ?? '', /Participants found: 6\./)
    await shot('directory')

    await page.getByLabel('Role').selectOption('agency')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/role=agency/)
    const rows = await page.locator('#directory-table tbody tr td:first-child a').allTextContents()
    assert.deepEqual(rows, ['Phytosanitary Control Committee', 'State Revenue Committee'])

    await page.getByLabel('Role').selectOption('')
    await page.getByLabel('Name or legal id').fill('halyk')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/q=halyk/)
    await page.getByRole('link', { name: 'Halyk Bank JSC' }).click()
    await page.waitForURL(/\/directory\/[^?]+$/)
    assert.equal(await page.getAttribute('h1 .badge', 'data-status'), 'revoked')
    assert.match(await page.textContent('#certificates-table') ?? '', /banking licence withdrawn/)
    await shot('directory-profile')
    assert.deepEqual(faults, [])
  })
})
