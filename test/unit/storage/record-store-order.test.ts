/**
 * The record store lists a query's ids oldest first or newest first, a page
 * at a time, each order with cursors of its own, without reading the records.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CursorError, Database, RecordStore } from '../../../storage/index.js'
import { signed, signer } from '../support/fakes.js'
import { tempDir } from '../../support/temp-node.js'

describe('record store: ids in either order', () => {
  let dir: string
  let db: Database
  let store: RecordStore
  const by = signer()
  const at = (i: number): string => new Date(Date.parse('2026-11-02T08:00:00.000Z') + i * 1000).toISOString()
  const records = Array.from({ length: 7 }, (_, i) => signed(by, { type: i % 2 === 0 ? 'application.submission' : 'trade.invoice', issuedAt: at(i), data: { n: i } }))

  before(async () => {
    dir = await tempDir()
    db = await Database.open(join(dir, 'db'), { durable: false })
    store = new RecordStore(db)
    for (const record of records) await store.put(record)
  })
  after(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function all (query: { type?: string, newestFirst?: boolean }): Promise<string[]> {
    const ids: string[] = []
    let cursor: string | undefined
    do {
      const page = await store.listIds({ ...query, limit: 2, ...(cursor !== undefined && { cursor }) })
      assert.ok(page.ids.length <= 2)
      ids.push(...page.ids)
      cursor = page.next
    } while (cursor !== undefined)
    return ids
  }

  it('pages through one type oldest first and newest first', async () => {
    const applications = records.filter(r => r.envelope.type === 'application.submission').map(r => r.id)
    assert.deepEqual(await all({ type: 'application.submission' }), applications)
    assert.deepEqual(await all({ type: 'application.submission', newestFirst: true }), [...applications].reverse())
  })

  it('pages through every record newest first', async () => {
    assert.deepEqual(await all({ newestFirst: true }), records.map(r => r.id).reverse())
  })

  it('refuses a cursor of one order for the other', async () => {
    const page = await store.listIds({ type: 'application.submission', limit: 1 })
    assert.ok(page.next !== undefined)
    await assert.rejects(store.listIds({ type: 'application.submission', limit: 1, newestFirst: true, cursor: page.next }), CursorError)
  })
})
