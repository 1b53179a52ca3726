/**
 * An administrator in a real Chromium: adds a person and a read-only token
 * for a system, each secret shown once; the person signs in with it, and the
 * token reads but cannot change; the audit log says who did what.
 */
import assert from 'node:assert/strict'
import type { ApiServer } from '../../api/server.js'
import { cabinetRigOrSkip, signIn, watchedPage, type CabinetRig } from '../support/browser.js'
import { fixture } from '../support/temp-node.js'

describe('an administrator in the cabinet', function () {
  this.timeout(120_000)
  let rig: CabinetRig | undefined
  let server: ApiServer
  let password: string

  before(async function () {
    rig = await cabinetRigOrSkip(this, { id: 'admin', name: 'Dana Omarova', role: 'admin' })
    ;({ server, password } = rig)
  })
  after(async () => { await rig?.close() })

  it('adds a person and a read-only token, each shown once, and the token cannot write', async () => {
    const { page, faults, shot } = await watchedPage((rig as CabinetRig).browser)
    await signIn(page, server.url, 'admin', password)
    await page.getByRole('link', { name: 'Administration' }).click()
    await page.getByLabel('Login').fill('nurlan')
    await page.getByLabel('Name').first().fill('Nurlan Abenov')
    await page.getByLabel('Role').selectOption('viewer')
    await page.getByRole('button', { name: 'Add a person' }).click()
    const personal = /shown this once: (\S+)$/.exec(await page.textContent('#secret') ?? '')?.[1] as string
    assert.ok(personal.length > 20)

    await page.getByLabel('Name', { exact: true }).last().fill('erp')
    await page.getByRole('button', { name: 'Make a token' }).click()
    const secret = /shown this once: (kt_\S+)$/.exec(await page.textContent('#secret') ?? '')?.[1] as string
    assert.ok(secret !== undefined, await page.textContent('#secret') ?? '')
    await shot('admin')
    const call = async (method: string, body?: unknown): Promise<number> => (await fetch(`${server.url}/v1/records`, {
      method, headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) })
    })).status
    assert.equal(await call('GET'), 200)
    assert.equal(await call('POST', { type: 'trade.invoice', consignment: '6KZ123456789012-ADM0001', data: await fixture('trade.invoice') }), 403)

    await page.reload()
    const log = await page.textContent('#audit-table') ?? ''
    assert.match(log, /user:adminaccount addednurlan/)
    assert.match(log, /user:admintoken madeerp \(read\)/)

    const viewer = await watchedPage((rig as CabinetRig).browser)
    await signIn(viewer.page, server.url, 'nurlan', personal)
    assert.match(await viewer.page.textContent('header') ?? '', /Nurlan Abenov \(viewer\)/)
    assert.equal(await viewer.page.getByRole('link', { name: 'Administration' }).count(), 0)
    assert.deepEqual([...faults, ...viewer.faults], [])
  })
})
