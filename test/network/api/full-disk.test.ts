/**
 * A node whose disk fills while a client posts records with Idempotency-Keys:
 * it answers 503 storage-unavailable (and /healthz says so) from the first
 * failed write until its database is sound again, and after a restart every
 * record it answered 201 for is there and verifies.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { DataObject } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'
import { tmpfsOrSkip, type Tmpfs } from '../../support/tmpfs.js'
import { until } from '../../support/until.js'

describe('API on a disk that fills up', function () {
  this.timeout(120_000)
  let disk: Tmpfs | undefined
  let t: TempNode | undefined

  before(async function () {
    disk = await tmpfsOrSkip(this, 8 * 1024 * 1024)
  })
  after(async () => {
    await t?.node.close()
    await disk?.unmount()
  })

  it('answers 503 from the first failed write until the database recovered, and keeps every record it answered 201 for', async () => {
    const tmpfs = disk as Tmpfs
    t = await openTempNode({}, join(tmpfs.dir, 'node'))
    const invoice = await fixture('trade.invoice')
    const post = async (n: number): Promise<Response> => await (t as TempNode).request('POST', '/v1/records', {
      body: { type: 'trade.invoice', consignment: '6KZ123456789012-FULL0001', data: { ...invoice, number: `FD-${n}` } as DataObject },
      headers: { 'idempotency-key': `full-disk-${n}` }
    })
    const changes: boolean[] = []
    t.node.events.on('storage:changed', health => { changes.push(health.writable) })
    const recovered = (): boolean => changes.includes(true)
    await tmpfs.fill(300 * 1024)

    const created = new Map<number, string>()
    let refused = 0
    let failedAt: number | undefined
    let next = 0
    const client = async (): Promise<void> => {
      while (refused < 50) {
        const n = next++
        const res = await post(n)
        if (res.status === 201) {
          assert.ok(failedAt === undefined || recovered(), `record ${n} got 201 after the first failure and before the database recovered`)
          created.set(n, ((await res.json()) as { id: string }).id)
          continue
        }
        const text = await res.text()
        assert.equal(res.status, 503, text)
        assert.equal(res.headers.get('content-type'), 'application/problem+json')
        assert.ok(Number(res.headers.get('retry-after')) > 0)
        const body = JSON.parse(text) as { type: string, detail: string }
        assert.equal(body.type, 'urn:keruen:problem:storage-unavailable')
        assert.match(body.detail, /disk holding .* is full/)
        failedAt ??= n
        refused++
      }
    }
    await Promise.all([client(), client(), client()])
    assert.ok(created.size > 0 && failedAt !== undefined)
    const health = await t.request('GET', '/healthz', { auth: null })
    assert.equal(health.status, 503)
    assert.match(((await health.json()) as { detail: string }).detail, /is full \(since /)

    // The disk has room again: the node takes writes once it has reopened its database.
    await tmpfs.free()
    await until(async () => (await (t as TempNode).request('GET', '/healthz', { auth: null })).status === 200, 'the node to take writes again', 60_000)
    assert.deepEqual(changes, [false, true])
    // A client retrying a refused request with its key gets its record now.
    for (const n of [failedAt, ...Array.from({ length: 20 }, () => next++)]) {
      const res = await post(n)
      const text = await res.text()
      // The refused write may have reached the disk after all: then the key finds it (200).
      assert.ok(res.status === 201 || (n === failedAt && res.status === 200), `${res.status} ${text}`)
      created.set(n, (JSON.parse(text) as { id: string }).id)
    }

    t = await t.reopen()
    const lost: number[] = []
    for (const [n, id] of created) {
      const res = await t.request('GET', `/v1/records/${id}`)
      if (res.status !== 200 || ((await res.json()) as { verified: boolean }).verified !== true) lost.push(n)
    }
    assert.deepEqual(lost, [], `${lost.length} of ${created.size} records answered 201 are missing or do not verify after a restart`)
  })
})
