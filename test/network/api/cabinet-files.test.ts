/**
 * The cabinet beside the form: a document entered from a JSON file (the
 * API's request or the fields alone), its faults shown in the form filled
 * from the file; a record signed elsewhere imported from its CBOR, a forged
 * one refused; the home page's list of what needs attention; the share of
 * documents received electronically on the reports page.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createRecord, ed25519Signer, timestamp } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-FILE0001'

describe('cabinet: documents from files, attention, electronic share', function () {
  this.timeout(60_000)
  let t: TempNode
  let cookie: string
  let csrf: string

  const get = async (path: string): Promise<Response> => await t.api.request(path, { headers: { cookie, 'accept-language': 'en' } })
  const upload = async (file: Blob | undefined, fields: Record<string, string>): Promise<Response> => {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) form.set(name, value)
    if (file !== undefined) form.set('file', file, 'upload')
    return await t.api.request('/documents/upload', { method: 'POST', body: form, headers: { cookie, 'accept-language': 'en' } })
  }
  const count = async (): Promise<number> => (await t.node.records.list({ limit: 500 })).records.length

  before(async () => {
    t = await openTempNode()
    const { password } = await t.node.accounts.add({ id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant' })
    const login = await t.api.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login: 'aigerim', password }).toString() })
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get('/documents/new')).text())?.[1] ?? ''
    assert.notEqual(csrf, '')
  })
  after(async () => { await t.close() })

  it('enters a document from a JSON file, in the API\'s request form or as its fields alone', async () => {
    const invoice = await fixture('trade.invoice')
    const wrapped = await upload(new Blob([JSON.stringify({ type: 'trade.invoice', data: invoice })], { type: 'application/json' }), { _csrf: csrf, type: 'trade.invoice', consignment: CONSIGNMENT })
    assert.equal(wrapped.status, 303)
    const id = (wrapped.headers.get('location') ?? '').replace('/documents/', '')
    const held = await t.node.records.get(id)
    assert.equal(held?.consignment, CONSIGNMENT)
    assert.equal(held?.issuer, t.node.participant)
    assert.deepEqual(held?.data, invoice)
    const bare = await upload(new Blob([JSON.stringify({ ...invoice, number: 'INV-FILE-2' })]), { _csrf: csrf, type: 'trade.invoice', consignment: CONSIGNMENT })
    assert.equal(bare.status, 303)
  })

  it('shows a file\'s faults beside the fields of the form it fills, and keeps nothing', async () => {
    const before = await count()
    const invoice = { ...await fixture('trade.invoice'), currency: 'dollars' }
    const response = await upload(new Blob([JSON.stringify(invoice)]), { _csrf: csrf, type: 'trade.invoice', consignment: CONSIGNMENT })
    assert.equal(response.status, 422)
    const html = await response.text()
    assert.match(html, /id="f-currency-error"/)
    assert.match(html, /value="dollars"/, 'the file\'s values are in the form, to be fixed there')
    const wrongType = await upload(new Blob([JSON.stringify({ type: 'trade.packing-list', data: {} })]), { _csrf: csrf, type: 'trade.invoice' })
    assert.equal(wrongType.status, 422)
    assert.match(await wrongType.text(), /The file is a Packing list, not a Commercial invoice\./)
    const notJson = await upload(new Blob(['{ "number": ']), { _csrf: csrf, type: 'trade.invoice' })
    assert.equal(notJson.status, 422)
    assert.match(await notJson.text(), /The file is not JSON a document can be made of/)
    const empty = await upload(undefined, { _csrf: csrf, type: 'trade.invoice' })
    assert.equal(empty.status, 422)
    assert.match(await empty.text(), /Choose a file to upload\./)
    assert.equal(await count(), before)
  })

  it('imports a record signed elsewhere from its CBOR bytes, and refuses a forged one', async () => {
    const chamber = ed25519Signer(randomBytes(32))
    const certificate = createRecord(chamber, { type: 'cert.origin', consignment: CONSIGNMENT, issuedAt: timestamp(), data: (await fixture('cert.origin')) })
    const forged = Uint8Array.from(certificate.bytes)
    const at = Buffer.from(forged).indexOf(Buffer.from(certificate.signature.value))
    forged[at + 3] = (forged[at + 3] as number) ^ 1
    const before = await count()
    const refused = await upload(new Blob([forged], { type: 'application/cbor' }), { _csrf: csrf })
    assert.equal(refused.status, 422)
    assert.match(await refused.text(), /bad-signature/)
    assert.equal(await count(), before)
    const imported = await upload(new Blob([certificate.bytes], { type: 'application/cbor' }), { _csrf: csrf })
    assert.equal(imported.status, 303)
    assert.equal(imported.headers.get('location'), `/documents/${certificate.id}`)
    assert.equal((await t.node.records.get(certificate.id))?.verified, true)
  })

  it('refuses a file sent without the session\'s CSRF token, and keeps nothing', async () => {
    const before = await count()
    const response = await upload(new Blob([JSON.stringify(await fixture('trade.invoice'))]), { type: 'trade.invoice', consignment: CONSIGNMENT })
    assert.equal(response.status, 403)
    assert.equal(await count(), before)
  })

  it('lists a document whose validity ended under "Needs attention", and counts documents received electronically', async () => {
    const home = await (await get('/')).text()
    assert.doesNotMatch(home, /Validity ended/)
    const chamber = ed25519Signer(randomBytes(32))
    const lapsed = createRecord(chamber, { type: 'cert.origin', consignment: '6KZ123456789012-FILE0002', issuedAt: '2026-01-10T09:00:00.000Z', validUntil: '2026-01-31T00:00:00.000Z', data: await fixture('cert.origin') })
    await t.node.records.import(lapsed.bytes)
    const after = await (await get('/')).text()
    assert.match(after, new RegExp(`<a href="/documents/${lapsed.id}">Validity ended: Certificate of origin, consignment 6KZ123456789012-FILE0002\\.</a>`))
    // Two invoices entered here; two certificates received signed by their issuers.
    const reports = await (await get('/dashboard')).text()
    assert.match(reports, /2 of 4 documents of the newest consignments came signed from the participant that issued them/)
  })
})
