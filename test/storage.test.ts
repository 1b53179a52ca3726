/**
 * The storage layer: group commit keeps each write atomic and independent, the
 * database belongs to one participant, and only one process holds it.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Database, DatabaseLockedError, MetaStore, type WriteOp } from '../storage/index.js'
import { tempDir } from './support/temp-node.js'

describe('storage', () => {
  let dir: string
  let db: Database

  beforeEach(async () => {
    dir = await tempDir()
    db = await Database.open(join(dir, 'db'), { durable: false })
  })
  afterEach(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('commits concurrent writes, each whole', async () => {
    const items = db.sublevel<string>('items', 'utf8')
    await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      await db.commit([
        { type: 'put', sublevel: items, key: `a${i}`, value: String(i) },
        { type: 'put', sublevel: items, key: `b${i}`, value: String(i) }
      ] as WriteOp[])
    }))
    const keys = await items.keys().all()
    assert.equal(keys.length, 400)
  })

  it('fails only the bad write of a group, and applies none of its operations', async () => {
    const items = db.sublevel<string>('items', 'utf8')
    const good = Array.from({ length: 5 }, async (_, i) => {
      await db.commit([{ type: 'put', sublevel: items, key: `good${i}`, value: 'x' }] as WriteOp[])
    })
    // A write whose second operation is invalid: neither of its operations may land.
    const bad = db.commit([
      { type: 'put', sublevel: items, key: 'half', value: 'x' },
      { type: 'put', sublevel: items, key: null, value: 'x' }
    ] as unknown as WriteOp[])
    const results = await Promise.allSettled([...good, bad])
    assert.deepEqual(results.map(r => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'])
    assert.equal(await items.get('half'), undefined)
    assert.equal((await items.keys().all()).length, 5)
  })

  it('writes each kind of sublevel value so that the sublevel reads it back, and deletes', async () => {
    const bytes = db.sublevel<Uint8Array>('bytes', 'view')
    const text = db.sublevel<string>('text', 'utf8')
    const objects = db.sublevel<{ n: number, s: string }>('objects', 'json')
    // A view into a larger buffer: only its own bytes may be written.
    const view = new Uint8Array(new Uint8Array([9, 1, 2, 3, 9]).buffer, 1, 3)
    await db.commit([
      { type: 'put', sublevel: bytes, key: 'k', value: view },
      { type: 'put', sublevel: text, key: 'é\u0000k', value: 'grüße' },
      { type: 'put', sublevel: objects, key: 'k', value: { n: 1, s: 'x' } },
      { type: 'put', sublevel: text, key: 'gone', value: 'x' }
    ] as WriteOp[])
    await db.commit([{ type: 'del', sublevel: text, key: 'gone' }] as WriteOp[])
    assert.deepEqual([...(await bytes.get('k')) ?? []], [1, 2, 3])
    assert.equal(await text.get('é\u0000k'), 'grüße')
    assert.deepEqual(await objects.get('k'), { n: 1, s: 'x' })
    assert.equal(await text.get('gone'), undefined)
    assert.deepEqual(await text.keys().all(), ['é\u0000k'])
    // Each sublevel sees only its own keys.
    assert.deepEqual(await bytes.keys().all(), ['k'])
  })

  it('refuses a value its sublevel cannot hold, applying nothing of that write', async () => {
    const text = db.sublevel<string>('text', 'utf8')
    const objects = db.sublevel<unknown>('objects', 'json')
    const bytes = db.sublevel<Uint8Array>('bytes', 'view')
    for (const bad of [
      { type: 'put', sublevel: text, key: 'n', value: 42 },
      { type: 'put', sublevel: objects, key: 'u', value: undefined },
      { type: 'put', sublevel: bytes, key: 's', value: 'not bytes' }
    ]) {
      await assert.rejects(db.commit([{ type: 'put', sublevel: text, key: 'first', value: 'x' }, bad] as WriteOp[]), TypeError)
    }
    // An operation that is neither a put nor a delete is refused too, not taken for a delete.
    await text.put('kept', 'x')
    await assert.rejects(db.commit([{ type: 'merge', sublevel: text, key: 'kept' }] as unknown as WriteOp[]))
    assert.equal(await text.get('kept'), 'x')
    await text.del('kept')
    assert.deepEqual(await text.keys().all(), [])
    assert.deepEqual(await objects.keys().all(), [])
    assert.deepEqual(await bytes.keys().all(), [])
  })

  it('refuses a second process on the same database with a clear error', async () => {
    await assert.rejects(Database.open(join(dir, 'db')), DatabaseLockedError)
  })

  it('belongs to the participant that first claimed it', async () => {
    const meta = new MetaStore(db)
    const claimed = await meta.claim('12D3KooWA', '2026-11-22T10:00:00.000Z')
    assert.equal(claimed.participant, '12D3KooWA')
    assert.equal((await meta.claim('12D3KooWA', '2026-11-23T10:00:00.000Z')).createdAt, '2026-11-22T10:00:00.000Z')
    await assert.rejects(meta.claim('12D3KooWB', '2026-11-23T10:00:00.000Z'), /belongs to participant 12D3KooWA/)
  })
})
