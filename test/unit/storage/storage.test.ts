/**
 * The storage layer: group commit keeps each write atomic and independent, the
 * database belongs to one participant, and only one process holds it.
 */
import assert from 'node:assert/strict'
import { appendFile, readdir, rm, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { POINTER_BYTES } from '../../../storage/blob-log.js'
import { Database, DatabaseLockedError, MetaStore, type Sublevel, type WriteOp } from '../../../storage/index.js'
import { tempDir } from '../../support/temp-node.js'

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

describe('blob log', () => {
  let dir: string
  let db: Database | undefined
  const value = (n: number, size = 1000): Uint8Array => new Uint8Array(size).fill(n % 251 + 1)

  beforeEach(async () => { dir = await tempDir() })
  afterEach(async () => {
    await db?.close()
    db = undefined
    await rm(dir, { recursive: true, force: true })
  })

  const reopen = async (segmentBytes?: number): Promise<{ store: Sublevel<Uint8Array>, database: Database }> => {
    await db?.close()
    db = await Database.open(join(dir, 'db'), { durable: true, blobs: join(dir, 'blobs'), blobMinBytes: 1, ...(segmentBytes !== undefined && { blobSegmentBytes: segmentBytes }) })
    return { store: db.sublevel<Uint8Array>('bodies', 'blob'), database: db }
  }

  it('keeps the bytes in the log and a pointer in LevelDB, and reads them back after a restart', async () => {
    let { store, database } = await reopen()
    await database.commit(Array.from({ length: 20 }, (_, i) => ({ type: 'put', sublevel: store, key: `k${i}`, value: value(i) })) as WriteOp[])
    const stored = await store.get('k3') as Uint8Array
    assert.equal(stored.length, POINTER_BYTES, 'LevelDB holds a pointer, not the value')
    assert.deepEqual(await database.resolve(stored), value(3))
    ;({ store, database } = await reopen())
    const all = await store.getMany(Array.from({ length: 20 }, (_, i) => `k${i}`))
    assert.deepEqual(await Promise.all(all.map(async s => await database.resolve(s))), Array.from({ length: 20 }, (_, i) => value(i)))
    assert.equal(await database.resolve(undefined), undefined)
  })

  it('keeps the values of a small batch in LevelDB, and takes a large one to the log', async () => {
    db = await Database.open(join(dir, 'db'), { durable: true, blobs: join(dir, 'blobs') })
    const store = db.sublevel<Uint8Array>('bodies', 'blob')
    await db.commit([{ type: 'put', sublevel: store, key: 'one', value: value(1, 5000) }] as WriteOp[])
    assert.equal((await store.get('one'))?.length, 5000, 'one record is not worth a second sync')
    await db.commit(Array.from({ length: 8 }, (_, i) => ({ type: 'put', sublevel: store, key: `many${i}`, value: value(i, 5000) })) as WriteOp[])
    assert.equal((await store.get('many0'))?.length, POINTER_BYTES)
    for (const key of ['one', 'many0', 'many7']) assert.equal((await db.resolve(await store.get(key)))?.length, 5000)
  })

  it('reads a value LevelDB holds itself as it is', async () => {
    const { store, database } = await reopen()
    // batch() bypasses the log, as a database written before it did.
    await database.level.batch([{ type: 'put', sublevel: store, key: 'old', value: value(9) }] as never)
    assert.deepEqual(new Uint8Array(await database.resolve(await store.get('old')) as Uint8Array), value(9))
  })

  it('starts a new file when one is full, and appends after a torn tail', async () => {
    let { store, database } = await reopen(2500)
    for (let i = 0; i < 5; i++) await database.commit([{ type: 'put', sublevel: store, key: `k${i}`, value: value(i) }] as WriteOp[])
    const files = (await readdir(join(dir, 'blobs'))).sort()
    assert.deepEqual(files, ['000001.blob', '000002.blob', '000003.blob'])
    // A crash in the middle of an append: bytes nothing points to at the end of the last file.
    await db?.close()
    db = undefined
    await appendFile(join(dir, 'blobs', '000003.blob'), new Uint8Array(123).fill(0xee))
    ;({ store, database } = await reopen(2500))
    await database.commit([{ type: 'put', sublevel: store, key: 'after', value: value(42, 300) }] as WriteOp[])
    for (let i = 0; i < 5; i++) assert.deepEqual(await database.resolve(await store.get(`k${i}`)), value(i))
    assert.deepEqual(await database.resolve(await store.get('after')), value(42, 300))
  })

  it('reads many values at once, neighbours together, each where it was asked for', async () => {
    const { store, database } = await reopen(2500)
    // Two files: k0 and k1 side by side in the first, k2 alone in the second.
    await database.commit([0, 1].map(i => ({ type: 'put', sublevel: store, key: `k${i}`, value: value(i) })) as WriteOp[])
    await database.commit([{ type: 'put', sublevel: store, key: 'k2', value: value(2) }] as WriteOp[])
    await database.level.batch([{ type: 'put', sublevel: store, key: 'inline', value: value(7, 10) }] as never)
    const keys = ['k2', 'k1', 'missing', 'inline', 'k0', 'k1']
    const values = await database.resolveMany(await store.getMany(keys))
    assert.deepEqual(values.map(v => v === undefined ? undefined : new Uint8Array(v)), [value(2), value(1), undefined, value(7, 10), value(0), value(1)])
  })

  it('a write the log refuses stores nothing in LevelDB', async () => {
    const { store, database } = await reopen(2500)
    await assert.rejects(database.commit([
      { type: 'put', sublevel: store, key: 'huge', value: value(1, 3000) },
      { type: 'put', sublevel: database.sublevel<string>('other', 'utf8'), key: 'with-it', value: 'x' }
    ] as WriteOp[]), /do not fit one blob file/)
    assert.equal(await store.get('huge'), undefined)
    assert.equal(await database.sublevel<string>('other', 'utf8').get('with-it'), undefined)
  })

  it('reports a pointer past the end of its file as damage', async () => {
    const { store, database } = await reopen()
    await database.commit([{ type: 'put', sublevel: store, key: 'k', value: value(1) }] as WriteOp[])
    await truncate(join(dir, 'blobs', '000001.blob'), 500)
    await assert.rejects(database.resolve(await store.get('k')), /ends before 1000: the data folder is damaged/)
    // The file is open now: the next read is done in place, and says the same.
    await assert.rejects(database.resolve(await store.get('k')), /ends before 1000: the data folder is damaged/)
  })

  it('reads the same in place as through the thread pool, once a file is open and for a budget of 0', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`)
    const expected = keys.map((_, i) => value(i, 100 + i))
    const readAll = async (database: Database, store: Sublevel<Uint8Array>): Promise<Uint8Array[]> =>
      (await database.resolveMany(await store.getMany(keys.slice().reverse()))).map(v => new Uint8Array(v as Uint8Array)).reverse()
    let { store, database } = await reopen(1500)
    // Written in three batches, read back in another order: runs of neighbours across files.
    for (let b = 0; b < 3; b++) {
      await database.commit(keys.slice(b * 10, b * 10 + 10).map((key, i) => ({ type: 'put', sublevel: store, key, value: expected[b * 10 + i] })) as WriteOp[])
    }
    for (let round = 0; round < 3; round++) assert.deepEqual(await readAll(database, store), expected)
    await db?.close()
    db = await Database.open(join(dir, 'db'), { durable: true, blobs: join(dir, 'blobs'), blobMinBytes: 1, blobSegmentBytes: 1500, blobDirectReadMs: 0 })
    ;({ store, database } = { store: db.sublevel<Uint8Array>('bodies', 'blob'), database: db })
    for (let round = 0; round < 2; round++) assert.deepEqual(await readAll(database, store), expected)
  })
})
