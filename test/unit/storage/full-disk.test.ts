/**
 * A disk that fills while records are written: no write is acknowledged
 * after the first that fails until the database has been reopened and found
 * sound, and a restart then loses none that were.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { Database, StorageUnavailableError, type StorageHealth, type Sublevel, type WriteOp } from '../../../storage/index.js'
import { tmpfsOrSkip, type Tmpfs } from '../../support/tmpfs.js'
import { until } from '../../support/until.js'

const VALUE_BYTES = 2000

function put (sublevel: Sublevel<Uint8Array>, i: number): WriteOp[] {
  return [{ type: 'put', sublevel, key: String(i).padStart(6, '0'), value: new Uint8Array(VALUE_BYTES).fill(i % 251) }] as WriteOp[]
}

describe('storage on a disk that fills up', function () {
  this.timeout(60_000)
  let disk: Tmpfs | undefined

  before(async function () {
    disk = await tmpfsOrSkip(this, 8 * 1024 * 1024)
  })
  after(async () => { await disk?.unmount() })

  it('refuses every write after a failed one until it has reopened, then loses none it acknowledged', async () => {
    const tmpfs = disk as Tmpfs
    const location = join(tmpfs.dir, 'db')
    let db = await Database.open(location, { recoveryDelayMs: 50 })
    let values = db.sublevel<Uint8Array>('values', 'view')
    const changes: Array<StorageHealth & { at: number }> = []
    db.watch(health => changes.push({ ...health, at: performance.now() }))
    await tmpfs.fill(400 * 1024)

    const acknowledged: number[] = []
    let refused = 0
    let firstFailure: number | undefined
    let next = 0
    // Four writers at once, as an API under load has them, until writes fail for a while.
    const writer = async (): Promise<void> => {
      while (refused < 200) {
        const i = next++
        try {
          await db.commit(put(values, i))
          acknowledged.push(i)
          if (firstFailure !== undefined) assert.ok(changes.some(c => c.writable), `write ${i} was acknowledged after the failure and before the database recovered`)
        } catch (err) {
          assert.ok(err instanceof StorageUnavailableError, `a failed write is reported as storage unavailable, got ${String(err)}`)
          assert.match(err.message, /disk holding .* is full/)
          firstFailure ??= i
          refused++
        }
      }
    }
    await Promise.all([writer(), writer(), writer(), writer()])
    assert.ok(firstFailure !== undefined && acknowledged.length > 0)
    assert.deepEqual(db.health().writable, false)
    assert.deepEqual(changes.map(c => c.writable), [false])

    // Room again: the database reopens, checks a write, and takes writes again.
    await tmpfs.free()
    await until(() => db.health().writable, 'the database to take writes again', 20_000)
    assert.deepEqual(changes.map(c => c.writable), [false, true])
    for (let k = 0; k < 40; k++) {
      const i = next++
      await db.commit(put(values, i))
      acknowledged.push(i)
    }

    await db.close()
    db = await Database.open(location)
    values = db.sublevel<Uint8Array>('values', 'view')
    const missing: number[] = []
    for (const i of acknowledged) {
      const stored = await values.get(String(i).padStart(6, '0'))
      if (stored === undefined || stored.length !== VALUE_BYTES || stored[0] !== i % 251) missing.push(i)
    }
    await db.close()
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes lost`)
  })
})
