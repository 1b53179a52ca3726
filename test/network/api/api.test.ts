/**
 * The local API end to end, in process: records created, read, listed,
 * superseded and imported, and every error path answered with problem+json
 * and no change to the store.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createRecord, ed25519Signer, recordToJson, timestamp, withDisclosures, type DataObject } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'
import { until } from '../../support/until.js'
import { nextMillisecond } from '../../support/clock.js'
import { MAX_EVENTS_BEHIND } from '../../../api/routes/stream.js'

const CONSIGNMENT = '6KZ123456789012-EXP0001'

async function json (response: Response): Promise<any> {
  return await response.json()
}

async function expectProblem (response: Response, status: number, slug: string): Promise<any> {
  assert.equal(response.status, status, `status (body: ${await response.clone().text()})`)
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  const body = await json(response)
  assert.equal(body.type, `urn:keruen:problem:${slug}`)
  assert.equal(body.status, status)
  assert.equal(typeof body.title, 'string')
  assert.ok(typeof body.detail === 'string' && body.detail.length > 0)
  return body
}

async function recordCount (t: TempNode): Promise<number> {
  let count = 0
  let cursor: string | undefined
  do {
    const page = await json(await t.request('GET', `/v1/records?limit=500${cursor !== undefined ? `&cursor=${cursor}` : ''}`))
    count += page.records.length
    cursor = page.next
  } while (cursor !== undefined)
  return count
}

describe('API', function () {
  let t: TempNode
  let invoice: DataObject

  beforeEach(async () => {
    t = await openTempNode({ profile: { country: 'KZ', legalId: '123456789012', name: 'Almaty Dried Fruit LLP' } })
    invoice = await fixture('trade.invoice')
  })
  afterEach(async () => { await t.close() })

  const create = async (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    await t.request('POST', '/v1/records', { body, headers })

  describe('event stream', () => {
    it('disconnects a client that stops reading once it falls too far behind, instead of piling events up', async () => {
      // The node's own components listen too (its log): the stream's listeners are those it adds.
      const own = t.node.events.listenerCount('peer:down')
      const response = await t.request('GET', '/v1/stream')
      assert.equal(response.status, 200)
      // The client reads nothing while the node has more to say than it may hold back.
      for (let i = 0; i <= MAX_EVENTS_BEHIND + 10; i++) t.node.events.emit('peer:down', `peer-${i}`)
      await until(() => t.node.events.listenerCount('peer:down') === own, 'the stalled client to be disconnected')
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      let text = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done === true) break
        text += new TextDecoder().decode(value)
      }
      assert.ok((text.match(/^event: peer\.down$/gm) ?? []).length <= MAX_EVENTS_BEHIND, 'no more than it may fall behind by')
      // A client that reads keeps its stream.
      const reading = await t.request('GET', '/v1/stream')
      const live = (reading.body as ReadableStream<Uint8Array>).getReader()
      let received = 0
      const counting = (async () => {
        let rest = ''
        while (received < MAX_EVENTS_BEHIND + 10) {
          const { value, done } = await live.read()
          if (done === true) throw new Error(`stream ended after ${received} events`)
          rest += new TextDecoder().decode(value)
          const parts = rest.split('\n\n')
          rest = parts.pop() as string
          received += parts.filter(p => p.startsWith('event: peer.down')).length
        }
      })()
      for (let i = 0; i < MAX_EVENTS_BEHIND + 10; i++) {
        t.node.events.emit('peer:down', `peer-${i}`)
        if (i % 1000 === 0) await new Promise(resolve => setImmediate(resolve))
      }
      await counting
      assert.equal(received, MAX_EVENTS_BEHIND + 10)
      await live.cancel()
    })
  })

  describe('health and node', () => {
    it('GET /healthz needs no token', async () => {
      const response = await t.request('GET', '/healthz', { auth: null })
      assert.equal(response.status, 200)
      assert.deepEqual(await json(response), { status: 'ok' })
    })

    it('GET /v1/node names the participant, key, profile and version', async () => {
      const body = await json(await t.request('GET', '/v1/node'))
      assert.equal(body.participant, t.node.participant)
      assert.equal(body.publicKey.suite, 'ed25519')
      assert.equal(Buffer.from(body.publicKey.value, 'base64url').length, 32)
      assert.equal(body.profile.country, 'KZ')
      assert.equal(body.software.name, 'keruen')
    })

    it('refuses a missing or wrong token with 401 and WWW-Authenticate', async () => {
      const missing = await t.request('GET', '/v1/node', { auth: null })
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="keruen"')
      await expectProblem(missing, 401, 'unauthorized')
      await expectProblem(await t.request('GET', '/v1/node', { auth: 'wrong-token-of-some-length' }), 401, 'unauthorized')
      await expectProblem(await create({ type: 'trade.invoice', data: invoice }, { authorization: 'Basic abc' }), 401, 'unauthorized')
      assert.equal(await recordCount(t), 0)
    })

    it('answers an unknown route with a problem', async () => {
      await expectProblem(await t.request('GET', '/v1/nothing'), 404, 'route-not-found')
    })
  })

  describe('POST /v1/records', () => {
    it('validates, signs and stores; 201 with Location and the verified record', async () => {
      const response = await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice })
      assert.equal(response.status, 201)
      const body = await json(response)
      assert.equal(response.headers.get('location'), `/v1/records/${body.id}`)
      assert.equal(body.type, 'trade.invoice')
      assert.equal(body.issuer, t.node.participant)
      assert.equal(body.consignment, CONSIGNMENT)
      assert.equal(body.verified, true)
      assert.equal(body.complete, true)
      assert.equal(body.expired, false)
      assert.deepEqual(body.data, invoice)
      const read = await json(await t.request('GET', `/v1/records/${body.id}`))
      assert.deepEqual(read, body)
    })

    it('assigns a consignment reference when none is given', async () => {
      const body = await json(await create({ type: 'trade.invoice', data: invoice }))
      assert.match(body.consignment, /^[0-9]KZ123456789012-[0-9A-F]{10}$/)
    })

    it('is idempotent: same key and body → same record; same key, other body → 422', async () => {
      const key = 'erp-invoice-0001'
      const first = await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }, { 'idempotency-key': key })
      const firstBody = await json(first)
      // The same request serialised differently (key order) is the same request.
      const reordered = JSON.stringify({ data: invoice, consignment: CONSIGNMENT, type: 'trade.invoice' })
      const again = await t.request('POST', '/v1/records', { body: reordered, headers: { 'idempotency-key': key, 'content-type': 'application/json' } })
      assert.equal(again.status, 201)
      assert.equal(again.headers.get('idempotent-replayed'), 'true')
      assert.equal((await json(again)).id, firstBody.id)
      const other = await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: { ...invoice, number: 'OTHER-1' } }, { 'idempotency-key': key })
      await expectProblem(other, 422, 'idempotency-conflict')
      assert.equal(await recordCount(t), 1)
    })

    it('creates one record for concurrent requests with one idempotency key', async () => {
      const responses = await Promise.all(Array.from({ length: 8 }, async () =>
        await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }, { 'idempotency-key': 'concurrent-1' })))
      const ids = new Set(await Promise.all(responses.map(async r => (await json(r)).id)))
      assert.equal(ids.size, 1)
      assert.equal(await recordCount(t), 1)
    })

    it('answers with the id alone to Prefer: return=minimal, and the whole record otherwise', async () => {
      const minimal = await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }, { prefer: 'respond-async, return=minimal' })
      assert.equal(minimal.status, 201)
      assert.equal(minimal.headers.get('preference-applied'), 'return=minimal')
      const body = await json(minimal)
      assert.deepEqual(Object.keys(body).sort(), ['consignment', 'id', 'issuedAt', 'type'])
      assert.equal(minimal.headers.get('location'), `/v1/records/${String(body.id)}`)
      assert.equal((await json(await t.request('GET', `/v1/records/${String(body.id)}`))).data.number, invoice.number)
      const full = await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: { ...invoice, number: 'FULL-1' } }, { prefer: 'return=representation' })
      assert.equal(full.headers.get('preference-applied'), null)
      assert.equal((await json(full)).data.number, 'FULL-1')
    })

    it('refuses a bad Idempotency-Key', async () => {
      await expectProblem(await create({ type: 'trade.invoice', data: invoice }, { 'idempotency-key': 'x'.repeat(256) }), 400, 'invalid-request')
      assert.equal(await recordCount(t), 0)
    })

    it('refuses malformed JSON', async () => {
      const response = await t.request('POST', '/v1/records', { body: '{"type": "trade.invoice", ', headers: { 'content-type': 'application/json' } })
      await expectProblem(response, 400, 'malformed-json')
      assert.equal(await recordCount(t), 0)
    })

    it('refuses a body that is not UTF-8 rather than read it with characters replaced, request after request', async () => {
      const bytes = new TextEncoder().encode(JSON.stringify({ type: 'trade.invoice', data: { ...invoice, number: 'INV-~' } }))
      // 0xff begins no UTF-8 sequence.
      bytes[bytes.indexOf(0x7e)] = 0xff
      for (let i = 0; i < 2; i++) {
        const response = await t.request('POST', '/v1/records', { body: bytes, headers: { 'content-type': 'application/json' } })
        await expectProblem(response, 400, 'malformed-json')
      }
      assert.equal(await recordCount(t), 0)
    })

    it('refuses a body that is not JSON', async () => {
      const response = await t.request('POST', '/v1/records', { body: 'type=trade.invoice', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      await expectProblem(response, 415, 'unsupported-media-type')
    })

    it('refuses a request missing type or data, or with unknown fields, naming them', async () => {
      const problem = await expectProblem(await create({ data: invoice, colour: 'red' }), 400, 'invalid-request')
      const paths = problem.errors.map((e: { path: string }) => e.path)
      assert.ok(paths.includes('/type'), JSON.stringify(paths))
      assert.ok(paths.includes('/colour'), JSON.stringify(paths))
      assert.equal(await recordCount(t), 0)
    })

    it('refuses an unregistered type with 422', async () => {
      const problem = await expectProblem(await create({ type: 'trade.unicorn', data: {} }), 422, 'unregistered-type')
      assert.equal(problem.errors[0].path, '/type')
      assert.equal(await recordCount(t), 0)
    })

    it('refuses data that breaks the schema, with every failing path', async () => {
      const { currency: _, ...noCurrency } = invoice as Record<string, unknown>
      const bad = { ...noCurrency, surprise: 1 }
      const problem = await expectProblem(await create({ type: 'trade.invoice', data: bad }), 422, 'schema-violation')
      const paths = problem.errors.map((e: { path: string }) => e.path)
      assert.ok(paths.includes('/data/currency'), JSON.stringify(paths))
      assert.ok(paths.includes('/data/surprise'), JSON.stringify(paths))
      assert.equal(await recordCount(t), 0)
    })

    it('answers a large body full of faults with the first 100 and a count of the rest, not one entry per fault', async () => {
      const lines = Array.from({ length: 5000 }, (_, i) => ({ lineNumber: 0, description: '', quantity: 'x', unit: '?', unitPrice: 'y', amount: 'z', note: i }))
      const response = await create({ type: 'trade.invoice', data: { ...invoice, lines } })
      const text = await response.clone().text()
      const problem = await expectProblem(response, 422, 'schema-violation')
      assert.equal(problem.errors.length, 101)
      assert.match(problem.errors[100].message, /^and \d+ more$/)
      assert.ok(text.length < 64 * 1024, `the answer is ${text.length} bytes`)
      assert.equal(await recordCount(t), 0)
    })

    it('refuses a float where the schema allows any value, naming its path', async () => {
      // Schemas ask for decimal strings; a float that gets past a schema is still refused by the format.
      const problem = await expectProblem(await create({ type: 'trade.invoice', data: { ...invoice, lines: 'x' } }), 422, 'schema-violation')
      assert.ok(problem.errors.length > 0)
    })

    it('refuses a bad consignment reference and a validUntil in the past', async () => {
      await expectProblem(await create({ type: 'trade.invoice', consignment: 'not a ucr', data: invoice }), 400, 'invalid-request')
      await expectProblem(await create({ type: 'trade.invoice', validUntil: '2001-01-01', data: invoice }), 400, 'invalid-request')
      await expectProblem(await create({ type: 'trade.invoice', validUntil: '2027-02-30', data: invoice }), 400, 'invalid-request')
      assert.equal(await recordCount(t), 0)
    })

    it('refuses a body over the size limit with 413', async () => {
      const huge = { type: 'trade.invoice', data: { ...invoice, filler: 'x'.repeat(t.node.config.maxBodyBytes) } }
      await expectProblem(await create(huge), 413, 'payload-too-large')
      assert.equal(await recordCount(t), 0)
    })

    it('flags a record whose validUntil has passed as expired', async () => {
      let now = Date.now()
      const clocked = await openTempNode({ clock: () => now })
      try {
        const body = await json(await clocked.request('POST', '/v1/records', {
          body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice, validUntil: new Date(now + 60_000).toISOString() }
        }))
        assert.equal(body.expired, false)
        now += 120_000
        assert.equal((await json(await clocked.request('GET', `/v1/records/${body.id}`))).expired, true)
      } finally {
        await clocked.close()
      }
    })
  })

  describe('supersede chains', () => {
    it('links versions and resolves the consignment to the current one with history', async () => {
      const v1 = await json(await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }))
      const v2 = await json(await create({ type: 'trade.invoice', supersedes: v1.id, data: { ...invoice, number: 'INV-2' } }))
      assert.equal(v2.consignment, CONSIGNMENT, 'inherits the consignment')
      assert.equal(v2.supersedes, v1.id)
      const v3 = await json(await create({ type: 'trade.invoice', consignment: CONSIGNMENT, supersedes: v2.id, data: { ...invoice, number: 'INV-3' } }))
      await nextMillisecond()
      const packing = await json(await create({ type: 'trade.packing-list', consignment: CONSIGNMENT, data: await fixture('trade.packing-list') }))
      const view = await json(await t.request('GET', `/v1/consignments/${CONSIGNMENT}`))
      assert.equal(view.consignment, CONSIGNMENT)
      assert.deepEqual(view.records.map((r: { id: string }) => r.id), [v3.id, packing.id])
      assert.deepEqual(view.records[0].history.map((r: { id: string }) => r.id), [v2.id, v1.id])
      assert.deepEqual(view.records[1].history, [])
    })

    it('refuses to supersede twice, across types or consignments, or an unknown record', async () => {
      const v1 = await json(await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }))
      await create({ type: 'trade.invoice', supersedes: v1.id, data: invoice })
      await expectProblem(await create({ type: 'trade.invoice', supersedes: v1.id, data: invoice }), 409, 'already-superseded')
      const other = await json(await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }))
      await expectProblem(await create({ type: 'trade.packing-list', supersedes: other.id, data: await fixture('trade.packing-list') }), 422, 'supersedes-mismatch')
      await expectProblem(await create({ type: 'trade.invoice', consignment: '6KZ123456789012-OTHER', supersedes: other.id, data: invoice }), 422, 'supersedes-mismatch')
      await expectProblem(await create({ type: 'trade.invoice', supersedes: 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia', data: invoice }), 422, 'supersedes-unknown')
      await expectProblem(await create({ type: 'trade.invoice', supersedes: 'nope', data: invoice }), 400, 'invalid-request')
      assert.equal(await recordCount(t), 3)
    })

    it('lets only one of two concurrent supersedes win', async () => {
      const v1 = await json(await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }))
      const responses = await Promise.all([1, 2, 3].map(async i => await create({ type: 'trade.invoice', supersedes: v1.id, data: { ...invoice, number: `R${i}` } })))
      assert.deepEqual(responses.map(r => r.status).sort(), [201, 409, 409])
    })

    it('refuses to supersede a record of another issuer', async () => {
      const foreign = createRecord(ed25519Signer(randomBytes(32)), { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: timestamp(), data: invoice })
      assert.equal((await t.request('POST', '/v1/records/import', { body: recordToJson(foreign) })).status, 201)
      await expectProblem(await create({ type: 'trade.invoice', supersedes: foreign.id, data: invoice }), 422, 'supersedes-mismatch')
    })

    it('answers 404 for a consignment without records', async () => {
      await expectProblem(await t.request('GET', '/v1/consignments/6KZ000-NONE'), 404, 'not-found')
      await expectProblem(await t.request('GET', '/v1/consignments/lowercase'), 400, 'invalid-request')
    })
  })

  describe('GET /v1/records/{id}', () => {
    it('returns the exact signed bytes with Accept: application/cbor', async () => {
      const created = await json(await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }))
      const response = await t.request('GET', `/v1/records/${created.id}`, { headers: { accept: 'application/cbor' } })
      assert.equal(response.headers.get('content-type'), 'application/cbor')
      const bytes = new Uint8Array(await response.arrayBuffer())
      assert.deepEqual(bytes, new Uint8Array(await t.node.records.getBytes(created.id) as Uint8Array))
      // The bytes import anywhere as the same record.
      const elsewhere = await openTempNode()
      try {
        const imported = await elsewhere.request('POST', '/v1/records/import', { body: bytes, headers: { 'content-type': 'application/cbor' } })
        assert.equal(imported.status, 201)
        assert.equal((await json(imported)).id, created.id)
      } finally {
        await elsewhere.close()
      }
    })

    it('answers 404 for unknown and malformed ids', async () => {
      await expectProblem(await t.request('GET', '/v1/records/bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia'), 404, 'not-found')
      await expectProblem(await t.request('GET', '/v1/records/nonsense'), 404, 'not-found')
      await expectProblem(await t.request('GET', '/v1/records/nonsense', { headers: { accept: 'application/cbor' } }), 404, 'not-found')
    })
  })

  describe('GET /v1/records (pagination)', () => {
    it('walks every record exactly once with the cursor, filters combined', async () => {
      const packing = await fixture('trade.packing-list')
      const created: string[] = []
      for (let i = 0; i < 23; i++) {
        const body = i % 3 === 0
          ? { type: 'trade.packing-list', consignment: CONSIGNMENT, data: packing }
          : { type: 'trade.invoice', consignment: i % 2 === 0 ? CONSIGNMENT : '6KZ123456789012-EXP0002', data: invoice }
        created.push((await json(await create(body))).id)
      }
      const walk = async (query: string): Promise<string[]> => {
        const ids: string[] = []
        let cursor: string | undefined
        do {
          const response = await t.request('GET', `/v1/records?${query}&limit=4${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          assert.equal(response.status, 200)
          const page = await json(response)
          assert.ok(page.records.length <= 4)
          ids.push(...page.records.map((r: { id: string }) => r.id))
          cursor = page.next
        } while (cursor !== undefined)
        return ids
      }
      const all = await walk('')
      assert.deepEqual(new Set(all), new Set(created))
      assert.equal(all.length, 23)
      const invoicesOfOne = await walk(`type=trade.invoice&consignment=${CONSIGNMENT}`)
      const expected = created.filter((_, i) => i % 3 !== 0 && i % 2 === 0)
      assert.deepEqual(new Set(invoicesOfOne), new Set(expected))
      assert.equal(invoicesOfOne.length, expected.length)
      const byIssuer = await walk(`issuer=${t.node.participant}&type=trade.packing-list`)
      assert.equal(byIssuer.length, created.filter((_, i) => i % 3 === 0).length)
      assert.deepEqual(await walk('since=2999-01-01'), [])
    })

    it('refuses bad parameters and foreign cursors', async () => {
      await expectProblem(await t.request('GET', '/v1/records?limit=0'), 400, 'invalid-request')
      await expectProblem(await t.request('GET', '/v1/records?limit=501'), 400, 'invalid-request')
      await expectProblem(await t.request('GET', '/v1/records?limit=ten'), 400, 'invalid-request')
      await expectProblem(await t.request('GET', '/v1/records?colour=red'), 400, 'invalid-request')
      await expectProblem(await t.request('GET', '/v1/records?since=yesterday'), 400, 'invalid-request')
      await expectProblem(await t.request('GET', '/v1/records?cursor=!!!'), 400, 'invalid-cursor')
      for (let i = 0; i < 3; i++) await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice })
      const page = await json(await t.request('GET', '/v1/records?limit=1'))
      assert.ok(page.next !== undefined)
      await expectProblem(await t.request('GET', `/v1/records?type=trade.invoice&limit=1&cursor=${page.next}`), 400, 'invalid-cursor')
    })
  })

  describe('POST /v1/records/import', () => {
    const foreignSigner = ed25519Signer(randomBytes(32))
    const foreign = (data: DataObject) => createRecord(foreignSigner, { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: timestamp(), data })

    it('verifies and stores a record of another issuer; 201, then 200', async () => {
      const record = foreign(invoice)
      const first = await t.request('POST', '/v1/records/import', { body: recordToJson(record) })
      assert.equal(first.status, 201)
      const body = await json(first)
      assert.equal(body.id, record.id)
      assert.equal(body.issuer, foreignSigner.participant)
      assert.equal(body.verified, true)
      assert.deepEqual(body.data, invoice)
      assert.equal((await t.request('POST', '/v1/records/import', { body: recordToJson(record) })).status, 200)
      assert.equal(await recordCount(t), 1)
    })

    it('keeps the fuller copy when a partial copy arrives first', async () => {
      const record = foreign(invoice)
      const partial = withDisclosures(record, path => path[0] === 'number')
      const first = await json(await t.request('POST', '/v1/records/import', { body: recordToJson(partial) }))
      assert.equal(first.complete, false)
      assert.deepEqual(first.data, { number: invoice.number })
      await t.request('POST', '/v1/records/import', { body: recordToJson(record) })
      const now = await json(await t.request('GET', `/v1/records/${record.id}`))
      assert.equal(now.complete, true)
      assert.deepEqual(now.data, invoice)
    })

    it('refuses forged and tampered records with the reason, storing nothing', async () => {
      const record = foreign(invoice)
      const json0 = recordToJson(record)
      // A signature by another key under the claimed issuer.
      const forger = createRecord(ed25519Signer(randomBytes(32)), { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: timestamp(), data: invoice })
      const forged = { ...json0, signature: recordToJson(forger).signature }
      let problem = await expectProblem(await t.request('POST', '/v1/records/import', { body: forged }), 400, 'verification-failed')
      assert.match(problem.detail, /bad-signature/)
      // A disclosed value changed after signing.
      const tampered = { ...json0, disclosures: json0.disclosures.map(([salt, path, value]) => [salt, path, path[0] === 'number' ? 'INV-FAKE' : value]) }
      problem = await expectProblem(await t.request('POST', '/v1/records/import', { body: tampered }), 400, 'verification-failed')
      assert.match(problem.detail, /digest-mismatch/)
      // Two salts swapped.
      const d = json0.disclosures
      const swapped = { ...json0, disclosures: [[d[1]?.[0], d[0]?.[1], d[0]?.[2]], [d[0]?.[0], d[1]?.[1], d[1]?.[2]], ...d.slice(2)] }
      await expectProblem(await t.request('POST', '/v1/records/import', { body: swapped }), 400, 'verification-failed')
      // Bytes that are not a record at all.
      problem = await expectProblem(await t.request('POST', '/v1/records/import', { body: new Uint8Array([0xa1, 0x61, 0x61, 0xfb, 0, 0, 0, 0, 0, 0, 0, 0]), headers: { 'content-type': 'application/cbor' } }), 400, 'verification-failed')
      assert.match(problem.detail, /non-canonical/)
      await expectProblem(await t.request('POST', '/v1/records/import', { body: { ...json0, extra: 1 } }), 400, 'invalid-request')
      assert.equal(await recordCount(t), 0)
    })

    it('refuses an unregistered type and data that breaks its schema', async () => {
      const unknown = createRecord(foreignSigner, { type: 'trade.unicorn', issuedAt: timestamp(), data: { horn: 1 } })
      await expectProblem(await t.request('POST', '/v1/records/import', { body: recordToJson(unknown) }), 422, 'unregistered-type')
      const invalid = createRecord(foreignSigner, { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: timestamp(), data: { number: 1 } })
      await expectProblem(await t.request('POST', '/v1/records/import', { body: recordToJson(invalid) }), 422, 'schema-violation')
      assert.equal(await recordCount(t), 0)
    })
  })

  describe('restart', () => {
    it('keeps identity, token, records, idempotency keys and chains', async () => {
      const participant = t.node.participant
      const token = t.node.identity.apiToken
      const v1 = await json(await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }, { 'idempotency-key': 'restart-1' }))
      const v2 = await json(await create({ type: 'trade.invoice', supersedes: v1.id, data: invoice }))
      t = await t.reopen()
      assert.equal(t.node.participant, participant)
      assert.equal(t.node.identity.apiToken, token)
      assert.equal((await json(await t.request('GET', `/v1/records/${v1.id}`))).verified, true)
      const replay = await create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice }, { 'idempotency-key': 'restart-1' })
      assert.equal((await json(replay)).id, v1.id)
      await expectProblem(await create({ type: 'trade.invoice', supersedes: v1.id, data: invoice }), 409, 'already-superseded')
      const view = await json(await t.request('GET', `/v1/consignments/${CONSIGNMENT}`))
      assert.deepEqual(view.records.map((r: { id: string }) => r.id), [v2.id])
    })
  })

  describe('OpenAPI', () => {
    it('documents every route with its parameters, body and responses', async () => {
      const response = await t.request('GET', '/v1/openapi.json', { auth: null })
      assert.equal(response.status, 200)
      const doc = await json(response)
      assert.equal(doc.openapi, '3.1.0')
      const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
        .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
      const names = operations.map(o => `${o.method.toUpperCase()} ${o.path}`)
      for (const expected of ['GET /healthz', 'GET /v1/node', 'POST /v1/records', 'POST /v1/records/import', 'GET /v1/records/{id}',
        'GET /v1/records', 'GET /v1/consignments/{ref}', 'GET /v1/openapi.json', 'GET /v1/types']) {
        assert.ok(names.includes(expected), `${expected} documented`)
      }
      for (const { op } of operations) {
        assert.ok(Object.keys(op.responses).length > 0)
        for (const ref of JSON.stringify(op).matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
          assert.ok(doc.components.schemas[ref[1] as string] !== undefined, `component ${ref[1]} exists`)
        }
      }
      const create = operations.find(o => o.op.operationId === 'createRecord')?.op
      assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['type', 'data'])
      const list = operations.find(o => o.op.operationId === 'listRecords')?.op
      assert.deepEqual(list.parameters.map((p: { name: string }) => p.name).sort(), ['consignment', 'cursor', 'hsCode', 'issuer', 'limit', 'since', 'type', 'verify'])
    })
  })
})
