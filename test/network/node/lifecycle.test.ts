/**
 * A node undoes at close everything it did at open: after many opens and
 * closes in one process, no protocol handler, event listener, timer, socket,
 * worker or stream is left behind.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { KeruenNode } from '../../../node/node.js'
import { BLOB_DIR, DB_DIR } from '../../../node/setup/data-dir.js'
import { Database, RecordStore } from '../../../storage/index.js'
import { tempDir } from '../../support/temp-node.js'

/** Handles the process holds, by kind (timers, sockets, message ports of workers…). */
function resources (): Map<string, number> {
  const counts = new Map<string, number>()
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1)
  return counts
}

/** Kinds whose count grew from `before` to `after`, with both counts. */
function grown (before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind}: ${before.get(kind) ?? 0} → ${n}`)
}

const HOST_EVENTS = ['connection:open', 'connection:close', 'peer:connect', 'peer:disconnect', 'peer:identify', 'peer:discovery', 'peer:update']

async function settle (): Promise<void> {
  // Closed sockets and ended workers leave the handle list on a later turn of
  // the loop; libp2p's address manager announces a change after a 1 s
  // debounce that its stop leaves to run out.
  for (let i = 0; i < 15; i++) await new Promise(resolve => setTimeout(resolve, 100))
}

describe('node lifecycle', function () {
  this.timeout(600_000)

  it('leaves no handler, listener, timer, socket, worker or stream after 50 opens and closes', async () => {
    const dir = await tempDir()
    try {
      // One cycle first: what a process loads once (libp2p's own timers, say) is not a leak.
      await (await KeruenNode.open({ dataDir: dir, config: { durable: false, apiPort: 0, p2pPort: 0 } })).close()
      await settle()
      const before = resources()
      for (let i = 0; i < 50; i++) {
        // Workers on for a few rounds (they take time to load), off for the rest.
        const workers = i < 3 ? {} : { signingWorkers: 0, verifyWorkers: 0 }
        const node = await KeruenNode.open({ dataDir: dir, config: { durable: false, apiPort: 0, p2pPort: 0, ...workers } })
        const host = node.p2p
        assert.ok(host !== undefined)
        assert.ok(host.getProtocols().some(p => p.startsWith('/keruen/')), 'the node serves its protocols while open')
        await node.records.create({ type: 'delivery.receipt', data: { sender: node.participant, receivedAt: '2026-01-01T00:00:00Z', records: [] } }).catch(() => undefined)
        await node.close()
        assert.deepEqual(host.getProtocols().filter(p => p.startsWith('/keruen/')), [], 'every keruen protocol handler is removed')
        for (const event of HOST_EVENTS) assert.equal(host.listenerCount(event), 0, `no listener left on the host's ${event}`)
        assert.deepEqual(node.events.eventNames(), [], 'no listener left on the node\'s events')
        assert.equal(host.getConnections().length, 0, 'no connection or stream left open')
      }
      await settle()
      assert.deepEqual(grown(before, resources()), [], 'the process holds no more handles than after the first close')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('stops what it started when opening fails halfway, writing nothing', async () => {
    const dir = await tempDir()
    const first = await KeruenNode.open({ dataDir: dir, config: { durable: false, apiPort: 0, p2pPort: 0, signingWorkers: 0 } })
    const port = Number(first.addresses()[0]?.split('/')[4])
    const other = await tempDir()
    try {
      await settle()
      const before = resources()
      await assert.rejects(KeruenNode.open({ dataDir: other, defaultPolicies: true, config: { durable: false, apiPort: 0, p2pHost: '127.0.0.1', p2pPort: port, signingWorkers: 0 } }), /EADDRINUSE|in use/)
      await settle()
      assert.deepEqual(grown(before, resources()), [], 'nothing is left running by the failed start')
      // Nothing was signed: the folder's database holds no record (its policies.json would have made grants).
      const db = await Database.open(join(other, DB_DIR), { durable: false, blobs: join(other, BLOB_DIR) })
      try {
        assert.deepEqual((await new RecordStore(db).list({ limit: 10 })).records, [], 'the failed start signed nothing')
      } finally {
        await db.close()
      }
    } finally {
      await first.close()
      await rm(dir, { recursive: true, force: true })
      await rm(other, { recursive: true, force: true })
    }
  })
})
