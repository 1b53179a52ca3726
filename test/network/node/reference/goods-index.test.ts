/**
 * The goods index of a data folder made before it existed: the records held
 * are put into it at the first start, once, and found by HS code after.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { BLOB_DIR, DB_DIR } from '../../../../node/setup/data-dir.js'
import { Database } from '../../../../storage/index.js'
import { fixture, openTempNode, type TempNode } from '../../../support/temp-node.js'

describe('goods index of an older data folder', function () {
  this.timeout(30_000)
  let t: TempNode | undefined
  after(async () => { await t?.close() })

  it('indexes the records held at the first start, and finds them by HS code', async () => {
    t = await openTempNode()
    const { record } = await t.node.records.create({ type: 'trade.invoice', consignment: '6KZ123456789012-OLD0001', data: await fixture('trade.invoice') })
    const dir = t.dir
    await t.node.close()
    // As a folder of an earlier version: no goods index, no mark that it is complete.
    const db = await Database.open(join(dir, DB_DIR), { durable: false, blobs: join(dir, BLOB_DIR) })
    for (const name of ['by-hs-code', 'goods-meta']) await db.sublevel<string>(name, 'utf8').clear()
    await db.close()
    t = await openTempNode({}, dir)
    assert.deepEqual(await t.node.measures.consignmentsWithGoods('0813'), ['6KZ123456789012-OLD0001'])
    assert.deepEqual(await t.node.measures.recordsWithGoods('081310', 10), [record.id])
  })
})
