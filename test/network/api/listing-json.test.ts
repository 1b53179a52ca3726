/**
 * GET /v1/records and GET /v1/consignments/{ref} are written as JSON straight
 * from the stored bytes: the text is byte for byte what JSON.stringify gives
 * for the views the node builds of the same records, through a supersede
 * chain, a partial copy from another issuer, an expired record, pages with a
 * cursor, and with verify=true.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createRecord, ed25519Signer, recordToJson, withDisclosures } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-TXT0001'

describe('API: listings written from stored bytes', function () {
  this.timeout(30_000)
  let t: TempNode
  let now = Date.parse('2026-11-02T08:00:00.000Z')

  before(async () => {
    t = await openTempNode({ clock: () => now })
    const invoice = await fixture('trade.invoice')
    const create = async (body: unknown): Promise<{ id: string }> => {
      const res = await t.request('POST', '/v1/records', { body })
      assert.equal(res.status, 201)
      return await res.json() as { id: string }
    }
    const v1 = await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice })
    const v2 = await create({ type: 'trade.invoice', supersedes: v1.id, data: { ...invoice, number: 'INV-2' } })
    await create({ type: 'trade.invoice', supersedes: v2.id, data: { ...invoice, number: 'INV-3' } })
    await create({ type: 'trade.packing-list', consignment: CONSIGNMENT, data: await fixture('trade.packing-list'), validUntil: '2026-11-03' })
    await create({ type: 'transport.waybill', consignment: CONSIGNMENT, data: await fixture('transport.waybill') })
    // A copy of another issuer's record without its prices.
    const foreign = createRecord(ed25519Signer(randomBytes(32)), { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: '2026-11-02T08:00:00.000Z', data: invoice })
    const partial = withDisclosures(foreign, path => !path.includes('unitPrice') && !path.includes('amount'))
    assert.equal((await t.request('POST', '/v1/records/import', { body: recordToJson(partial) })).status, 201)
    // The packing list has expired since.
    now = Date.parse('2026-11-10T08:00:00.000Z')
  })

  after(async () => { await t.close() })

  for (const query of ['', '&verify=true']) {
    it(`lists a consignment page by page as the views${query === '' ? '' : ', verified again'}`, async () => {
      let cursor: string | undefined
      let listed = 0
      do {
        const path = `/v1/records?consignment=${CONSIGNMENT}&limit=2${query}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
        const res = await t.request('GET', path)
        assert.equal(res.status, 200)
        assert.equal(res.headers.get('content-type'), 'application/json')
        const text = await res.text()
        const views = await t.node.records.list({ consignment: CONSIGNMENT, limit: 2, ...(cursor !== undefined && { cursor }) }, { verify: query !== '' })
        assert.equal(text, JSON.stringify(views))
        cursor = views.next
        listed += views.records.length
      } while (cursor !== undefined)
      assert.equal(listed, 6)
    })

    it(`writes a consignment with its supersede chains as the views${query === '' ? '' : ', verified again'}`, async () => {
      const res = await t.request('GET', `/v1/consignments/${CONSIGNMENT}${query === '' ? '' : '?verify=true'}`)
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'application/json')
      const entries = await t.node.records.consignment(CONSIGNMENT, { verify: query !== '' })
      const text = await res.text()
      assert.equal(text, JSON.stringify({ consignment: CONSIGNMENT, records: entries.map(e => ({ ...e.current, history: e.history })) }))
      const body = JSON.parse(text) as { records: Array<{ history: unknown[], complete: boolean, expired: boolean }> }
      assert.deepEqual(body.records.map(r => r.history.length).sort(), [0, 0, 0, 2])
      assert.equal(body.records.filter(r => !r.complete).length, 1, 'the partial copy')
      assert.equal(body.records.filter(r => r.expired).length, 1, 'the packing list')
    })
  }

  it('answers an unknown consignment with a not-found problem', async () => {
    const res = await t.request('GET', '/v1/consignments/6KZ123456789012-NONE0001')
    assert.equal(res.status, 404)
    assert.equal(res.headers.get('content-type'), 'application/problem+json')
  })
})
