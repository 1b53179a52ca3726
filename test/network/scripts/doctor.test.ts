/**
 * keruen doctor: checks a stopped node's records and indexes, says what it
 * found, exits 1 on any problem, and refuses to run beside the node. The
 * node itself reads stored records without verifying them again, unless asked.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { BLOB_DIR, DB_DIR } from '../../../node/setup/data-dir.js'
import { Database, type Bytes, type WriteOp } from '../../../storage/index.js'
import { keruen } from '../../support/cli.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

const CONSIGNMENT = '6KZ123456789012-DOC0001'

describe('keruen doctor', function () {
  this.timeout(60_000)
  let t: TempNode
  let ids: string[]

  beforeEach(async () => {
    t = await openTempNode()
    const invoice = await fixture('trade.invoice')
    ids = []
    for (let i = 0; i < 4; i++) {
      const res = await t.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: { ...invoice, number: `DOC-${i}` } } })
      assert.equal(res.status, 201)
      ids.push(((await res.json()) as { id: string }).id)
    }
  })
  afterEach(async () => { await t.close() })

  it('finds a sound folder sound, and refuses to run while the node holds it', async () => {
    const busy = await keruen(['doctor', '--data', t.dir])
    assert.equal(busy.code, 1)
    assert.match(busy.stderr, /^keruen: the database at \S+ is in use by another process; stop the keruen node/)
    await t.node.close()
    const run = await keruen(['doctor', '--data', t.dir])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /: 4 records, 16 index entries\n/)
    assert.match(run.stdout, /sound: every record verifies/)
  })

  it('reports a record that does not verify, one stored under another id, and index entries missing or left over', async () => {
    await t.node.close()
    const [bad, moved, unindexed] = ids as [string, string, string]
    const db = await Database.open(join(t.dir, DB_DIR), { durable: false, blobs: join(t.dir, BLOB_DIR) })
    try {
      const records = db.sublevel<Bytes>('records', 'blob')
      const byType = db.sublevel<string>('by-type', 'utf8')
      // The invoice number changed in place: the record still parses, and no longer verifies.
      const tampered = Buffer.from(await db.resolve(await records.get(bad)) as Bytes)
      const at = tampered.indexOf('DOC-0')
      assert.ok(at > 0)
      tampered[at + 4] = 'X'.charCodeAt(0)
      const typeKey = (await byType.keys().all()).find(k => k.endsWith(unindexed)) as string
      await db.commit([
        { type: 'put', sublevel: records, key: bad, value: tampered },
        { type: 'put', sublevel: records, key: 'r1-not-its-id', value: await db.resolve(await records.get(moved)) },
        { type: 'del', sublevel: byType, key: typeKey },
        { type: 'put', sublevel: byType, key: 'trade.invoice\u00002026-01-01T00:00:00.000Z\u0000r1-gone', value: 'x' }
      ] as WriteOp[])
    } finally {
      await db.close()
    }
    const run = await keruen(['doctor', '--data', t.dir])
    assert.equal(run.code, 1, run.stderr)
    assert.match(run.stdout, new RegExp(`record ${bad}: digest-mismatch: disclosure \\d+ \\(/number\\) matches no signed digest`))
    assert.match(run.stdout, new RegExp(`record r1-not-its-id: is stored under another id: its bytes are record ${moved}`))
    assert.match(run.stdout, new RegExp(`record ${unindexed}: has no by-type entry "trade\\.invoice␀`))
    assert.match(run.stdout, /by-type entry "trade\.invoice␀2026-01-01T00:00:00\.000Z␀r1-gone": names record r1-gone, which is not stored/)

    // The node reads what it stored without verifying it again; asked to, it finds the damage too.
    const reopened = await openTempNode({}, t.dir)
    try {
      const plain = await (await reopened.request('GET', `/v1/records/${bad}`)).json() as { verified: boolean }
      assert.equal(plain.verified, true, 'verified when it was stored')
      const checked = await (await reopened.request('GET', `/v1/records/${bad}?verify=true`)).json() as { verified: boolean, reason?: string }
      assert.equal(checked.verified, false)
      assert.match(checked.reason ?? '', /^digest-mismatch: disclosure \d+ \(\/number\)/)
      const page = await (await reopened.request('GET', `/v1/records?consignment=${CONSIGNMENT}&verify=true`)).json() as { records: Array<{ id: string, verified: boolean }> }
      assert.equal(page.records.length, 4)
      assert.deepEqual(page.records.filter(r => !r.verified).map(r => r.id), [bad])
      const consignment = await (await reopened.request('GET', `/v1/consignments/${CONSIGNMENT}?verify=true`)).json() as { records: Array<{ id: string, verified: boolean }> }
      assert.deepEqual(consignment.records.filter(r => !r.verified).map(r => r.id), [bad])
      const wrong = await reopened.request('GET', `/v1/records/${bad}?verify=yes`)
      assert.equal(wrong.status, 400)
      assert.equal(wrong.headers.get('content-type'), 'application/problem+json')
    } finally {
      await reopened.close()
    }
  })
})
