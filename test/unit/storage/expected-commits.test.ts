/**
 * The group commit waits for commits announced before they are made: records
 * built one per turn share a synced batch; nothing waits for a writer that did
 * not announce itself, and an announcement that ends without a commit, or a
 * database closing, leaves nothing waiting.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { Database, type Sublevel } from '../../../storage/index.js'
import { tempDir } from '../../support/temp-node.js'

describe('expected commits', () => {
  let dir: string
  let db: Database
  let items: Sublevel<string>
  let batches: number

  beforeEach(async () => {
    dir = await tempDir()
    db = await Database.open(join(dir, 'db'), { durable: false })
    items = db.sublevel<string>('items', 'utf8')
    // Counts the batches LevelDB is given: one per group written.
    const batch = db.level.batch.bind(db.level) as (...args: unknown[]) => unknown
    batches = 0
    ;(db.level as unknown as { batch: (...args: unknown[]) => unknown }).batch = (...args: unknown[]) => {
      batches++
      return batch(...args)
    }
  })
  afterEach(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  const put = async (key: string): Promise<void> => { await db.commit([{ type: 'put', sublevel: items, key, value: key }]) }

  it('writes commits made in separate turns as one group while more are announced', async () => {
    const announced = Array.from({ length: 5 }, () => db.expectCommit())
    const written: Array<Promise<void>> = []
    for (const [i, expected] of announced.entries()) {
      await nextTurn()
      written.push(put(`k${i}`))
      expected.end()
    }
    await Promise.all(written)
    assert.equal(batches, 1)
    assert.deepEqual(await items.keys().all(), ['k0', 'k1', 'k2', 'k3', 'k4'])
  })

  it('writes an unannounced commit at once, without waiting for another', async () => {
    for (let i = 0; i < 5; i++) {
      await nextTurn()
      await put(`k${i}`)
    }
    assert.equal(batches, 5)
  })

  it('holds a commit while another is announced, and writes it once that announcement ends without a commit', async () => {
    const expected = db.expectCommit()
    const first = put('a')
    let done = false
    void first.then(() => { done = true })
    await new Promise(resolve => setTimeout(resolve, 20))
    assert.equal(done, false, 'the group waits while a commit is announced')
    expected.end()
    expected.end()
    await first
    assert.equal(await items.get('a'), 'a')
  })

  it('writes what is queued when the database closes with an announcement open', async () => {
    db.expectCommit()
    const queued = put('a')
    await db.close()
    await queued
    db = await Database.open(join(dir, 'db'), { durable: false })
    assert.equal(await db.sublevel<string>('items', 'utf8').get('a'), 'a')
  })
})
