/**
 * An authority's administrator in a real Chromium: certifies a new
 * participant from the trust page, finds it in the directory, and revokes
 * it; with no console error, no failed request and no serious accessibility finding.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { ApiServer } from '../../api/server.js'
import { ed25519Signer } from '../../record/index.js'
import { cabinetRigOrSkip, signIn, watchedPage, type CabinetRig } from '../support/browser.js'
import type { TempNode } from '../support/temp-node.js'

describe('an authority in its cabinet', function () {
  this.timeout(120_000)
  let rig: CabinetRig | undefined
  let t: TempNode
  let server: ApiServer
  let password: string

  before(async function () {
    rig = await cabinetRigOrSkip(this, { id: 'admin', name: 'Dana Omarova', role: 'admin' }, { profile: { role: 'authority', name: 'KZ registration authority', country: 'KZ' } })
    ;({ t, server, password } = rig)
  })
  after(async () => { await rig?.close() })

  it('certifies a participant from its page, lists it, and revokes it', async () => {
    const { page, faults, shot } = await watchedPage((rig as CabinetRig).browser)
    await signIn(page, server.url, 'admin', password)
    await page.getByRole('link', { name: 'Trust space' }).click()
    const participant = ed25519Signer(randomBytes(32)).participant
    await page.getByLabel('Participant id').fill(participant)
    await page.getByLabel('Name', { exact: true }).fill('Shymkent Cotton LLP')
    await page.getByLabel('Role').selectOption('trader')
    await page.getByLabel('Country').fill('KZ')
    await page.getByLabel('Legal id').fill('180540012399')
    await page.getByLabel('Valid until').fill('2027-12-31')
    await page.getByRole('button', { name: 'Certify a participant' }).click()
    await page.waitForURL(`${server.url}/trust`)
    const row = page.getByRole('row', { name: /Shymkent Cotton LLP/ })
    assert.match(await row.textContent() ?? '', /trader.*KZ/)
    assert.equal((await t.node.trust.status(participant)).status, 'valid')
    await shot('trust')
    await row.getByLabel('Reason').fill('Registration withdrawn.')
    await row.getByRole('button', { name: 'Revoke: Shymkent Cotton LLP' }).click()
    await page.waitForURL(`${server.url}/trust`)
    assert.equal(await page.getByRole('row', { name: /Shymkent Cotton LLP/ }).count(), 0)
    assert.equal((await t.node.trust.status(participant)).status, 'revoked')
    assert.deepEqual(faults, [])
  })
})
