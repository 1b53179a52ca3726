/** What a node and its API write to the operator's log. */
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { createApi } from '../../../api/app.js'
import type { NodeApi } from '../../../node/node-api.js'
import { createLogger } from '../../../node/runtime/log.js'
import { fixture, openTempNode } from '../../support/temp-node.js'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DB_DIR } from '../../../node/setup/data-dir.js'

function capture (): { output: Writable, entries: () => Array<Record<string, unknown>> } {
  const lines: string[] = []
  const output = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  return { output, entries: () => lines.join('').split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Record<string, unknown>) }
}

describe('logging', () => {
  it('logs the node\'s start and stop at info, as JSON lines off a terminal', async () => {
    const { output, entries } = capture()
    const t = await openTempNode({ logger: createLogger({ level: 'info', output }) })
    await t.close()
    const messages = entries().map(e => [e.level, e.msg])
    assert.deepEqual(messages, [[30, 'node started'], [30, 'node stopped']])
    assert.equal(entries()[0]?.participant, t.node.participant)
  })

  it('logs each API request at debug with its status, and an internal error at error', async () => {
    const t = await openTempNode()
    try {
      const { output, entries } = capture()
      const api = createApi(t.node, { logger: createLogger({ level: 'debug', output }) })
      await api.request('/healthz')
      await api.request('/v1/nothing-here', { headers: { authorization: `Bearer ${t.node.apiToken}` } })
      await api.request('/v1/records?secret=1', { headers: { authorization: `Bearer ${t.node.apiToken}` } })
      const requests = entries().filter(e => e.msg === 'request').map(e => [e.method, e.path, e.status])
      assert.deepEqual(requests, [['GET', '/healthz', 200], ['GET', '/v1/nothing-here', 404], ['GET', '/v1/records', 400]])
      assert.ok(entries().every(e => !JSON.stringify(e).includes('secret')), 'no query string is logged')
      // A request the node cannot complete: the log says what failed.
      const failing: NodeApi = Object.create(t.node, { peers: { value: async () => { throw new Error('the network broke') } } })
      const broken = createApi(failing, { logger: createLogger({ level: 'info', output }) })
      const response = await broken.request('/v1/peers', { headers: { authorization: `Bearer ${t.node.apiToken}` } })
      assert.equal(response.status, 500)
      const failed = entries().find(e => e.msg === 'request failed')
      assert.equal((failed?.err as { message?: string } | undefined)?.message, 'the network broke')
      assert.equal(failed?.level, 50)
    } finally {
      await t.close()
    }
  })
  it('warns at start, naming the folder, when LevelDB dropped part of its log on opening', async () => {
    const t = await openTempNode()
    const invoice = await fixture('trade.invoice')
    for (let i = 0; i < 20; i++) {
      assert.equal((await t.request('POST', '/v1/records', { body: { type: 'trade.invoice', data: { ...invoice, number: `LOG-${i}` } } })).status, 201)
    }
    await t.node.close()
    // A torn write in the middle of the log, as a full disk or a crash leaves it.
    const db = join(t.dir, DB_DIR)
    const log = (await readdir(db)).find(name => name.endsWith('.log')) as string
    const bytes = await readFile(join(db, log))
    assert.ok(bytes.length > 2000)
    const middle = Math.floor(bytes.length / 2)
    bytes[middle] = (bytes[middle] as number) ^ 0xff
    await writeFile(join(db, log), bytes)

    const { output, entries } = capture()
    const again = await openTempNode({ logger: createLogger({ level: 'info', output }) }, t.dir)
    try {
      const warning = entries().find(e => e.level === 40)
      assert.ok(warning !== undefined, JSON.stringify(entries()))
      assert.equal(warning.folder, db)
      assert.ok((warning.bytes as number) > 0)
      assert.match(warning.msg as string, new RegExp(`LevelDB dropped \\d+ bytes of its log when it opened ${db}.*keruen doctor`))
      assert.match(JSON.stringify(warning.reports), /checksum mismatch/)
    } finally {
      await again.close()
    }
  })
})
