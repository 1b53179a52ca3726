/**
 * The pieces that let a delivery request travel as one unit: the response
 * frame that shares one receipt among its records, the batch import that stores
 * a request's records in one write, and the worker threads that verify them.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { deliveryBytes, encodeResponse, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, parseResponse, REQUEST_FRAME_BYTES, type Delivery, type DeliveryResult } from '../../../../protocols/deliver.js'
import { FrameError } from '../../../../protocols/stream-io.js'
import { receivedRefusal } from '../../../../node/records/record-check.js'
import { VerifyPool } from '../../../../node/runtime/verify-pool.js'
import { WorkerPool } from '../../../../node/runtime/worker-pool.js'
import { fieldsOf, receiptData } from '../../../../node/delivery/receipts.js'
import { acknowledgementBytes, readWithin, RESPONSE_FRAME_BYTES, splitRequests } from '../../../../node/delivery/delivery-requests.js'
import { RefusedEntries } from '../../../../node/delivery/refused-entries.js'
import { builtinTypes } from '../../../../record/types/index.js'
import { TypeRegistry } from '../../../../record/types/registry.js'
import { createRecord, decodeCanonical, ed25519Signer, encodeCanonical, parseRecord, timestamp, withDisclosures, type DataObject, type SignedRecord } from '../../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'

const CONSIGNMENT = '6KZ123456789012-BATCH01'

describe('delivery in batches', function () {
  this.timeout(60_000)
  const issuer = ed25519Signer(randomBytes(32))
  let invoice: DataObject
  const signed = (number: string): SignedRecord =>
    createRecord(issuer, { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: timestamp(), data: { ...invoice, number } })

  before(async () => { invoice = await fixture('trade.invoice') })

  describe('response frame', () => {
    it('carries each receipt once and points every result at its receipt', () => {
      const a = new Uint8Array([1, 2, 3])
      const b = new Uint8Array([4, 5])
      const frame = encodeResponse([{ receipt: a }, { refused: 'malformed: no' }, { receipt: a }, { receipt: b }])
      const results = parseResponse(frame, 4)
      assert.deepEqual(results, [{ receipt: a }, { refused: 'malformed: no' }, { receipt: a }, { receipt: b }])
      assert.equal(results[0] && 'receipt' in results[0] && results[2] && 'receipt' in results[2] && results[0].receipt === results[2].receipt, true, 'one array for one receipt')
      // Three receipted results, two receipts on the wire.
      const wire = decodeCanonical(frame) as { receipts: Uint8Array[] }
      assert.deepEqual(wire.receipts, [a, b])
    })

    it('refuses a response whose results point past its receipts, or that carries more receipts than records', () => {
      const bad = [
        { v: 1, receipts: [new Uint8Array([1])], results: [{ receipt: 1 }] },
        { v: 1, receipts: [new Uint8Array([1])], results: [{ receipt: -1 }] },
        { v: 1, receipts: [new Uint8Array([1]), new Uint8Array([2])], results: [{ receipt: 0 }] },
        { v: 1, receipts: ['text'], results: [{ receipt: 0 }] },
        { v: 1, results: [{ receipt: 0 }] },
        { v: 1, receipts: [], results: [{ receipt: new Uint8Array([1]) }] }
      ]
      for (const frame of bad) {
        assert.throws(() => parseResponse(encodeCanonical(frame), 1), FrameError, JSON.stringify(frame, (_k, v) => v instanceof Uint8Array ? [...v] : v))
      }
    })
  })

  describe('batch import', () => {
    let t: TempNode
    beforeEach(async () => { t = await openTempNode() })
    afterEach(async () => { await t.close() })

    it('stores a request\'s records in one go, merges copies of one record in order, and refuses each bad one alone', async () => {
      const whole = signed('INV-B1')
      const other = signed('INV-B2')
      const noPrices = withDisclosures(whole, path => !path.includes('unitPrice') && !path.includes('amount'))
      const onlyPrices = withDisclosures(whole, path => path.includes('unitPrice'))
      const unregistered = createRecord(issuer, { type: 'trade.unheard-of', issuedAt: timestamp(), data: { x: 'y' } })
      const outcomes = await t.node.records.importVerifiedMany([noPrices, other, unregistered, onlyPrices, other])
      assert.deepEqual(outcomes.map(o => 'refused' in o ? o.refused.code : o.created), [true, true, 'unregistered-type', false, false])
      // The two partial copies merged into what either disclosed.
      const held = await t.node.records.get(whole.id)
      assert.equal(held?.fields.disclosed, noPrices.disclosures.length + onlyPrices.disclosures.length)
      assert.equal((await t.node.records.get(other.id))?.complete, true)
      assert.equal(await t.node.records.get(unregistered.id), undefined)
      assert.equal((await t.node.records.list({ limit: 10 })).records.length, 2)
    })
  })

  describe('request sizes', () => {
    let t: TempNode
    before(async () => { t = await openTempNode() })
    after(async () => { await t.close() })

    it('bounds from above what each copy adds to a request and to the response it brings', async () => {
      const copies = Array.from({ length: 40 }, (_, i) => {
        const whole = signed(`INV-S${i}`)
        // Whole copies, copies without prices, and copies of the goods only; some with a purpose.
        const copy = i % 3 === 0 ? whole : withDisclosures(whole, path => i % 3 === 1 ? !path.includes('unitPrice') : path[0] === 'lines')
        return { record: copy, delivery: { record: copy.bytes, ...(i % 2 === 0 && { purpose: 'KZ.sps.phytosanitary-certificate' }) } as Delivery }
      })
      const deliveries = copies.map(c => c.delivery)
      const request = encodeCanonical({ v: 1, records: deliveries.map(d => d.record), purposes: deliveries.map(d => d.purpose ?? null) })
      assert.ok(request.length <= REQUEST_FRAME_BYTES + deliveries.reduce((n, d) => n + deliveryBytes(d), 0))
      const results = await t.node.delivery.accept(issuer.participant, deliveries)
      assert.ok(results.every(r => 'receipt' in r), JSON.stringify(results.filter(r => 'refused' in r)))
      const response = encodeResponse(results)
      const bound = copies.reduce((n, c) => n + acknowledgementBytes(fieldsOf(c.record), c.delivery.purpose), RESPONSE_FRAME_BYTES)
      assert.ok(response.length <= bound, `${response.length} bytes, bound ${bound}`)
      // The bound is not loose to the point of splitting requests for nothing.
      assert.ok(bound - RESPONSE_FRAME_BYTES < 4 * response.length, `${response.length} bytes, bound ${bound}`)
    })

    it('spreads long field lists over several receipts, and refuses a copy whose list alone no receipt could hold', async () => {
      const line = (invoice.lines as DataObject[])[0] as DataObject
      const large = createRecord(issuer, {
        type: 'trade.invoice',
        consignment: CONSIGNMENT,
        issuedAt: timestamp(),
        data: { ...invoice, number: 'INV-HUGE', lines: Array.from({ length: 9000 }, (_, i) => ({ ...line, lineNumber: i + 1 })) }
      })
      const allButOne = withDisclosures(large, path => path[0] !== 'number')
      assert.ok(allButOne.disclosures.length > 90_000)
      const small = signed('INV-SMALL')
      const results = await t.node.delivery.accept(issuer.participant, [{ record: allButOne.bytes }, { record: small.bytes }])
      assert.match((results[0] as { refused: string }).refused, /^too-large: no receipt can list so many fields/)
      assert.ok('receipt' in (results[1] as DeliveryResult))

      // Copies with long field lists share out over several receipts, each within bounds.
      const medium = createRecord(issuer, {
        type: 'trade.invoice',
        consignment: CONSIGNMENT,
        issuedAt: timestamp(),
        data: { ...invoice, number: 'INV-LONG', lines: Array.from({ length: 3000 }, (_, i) => ({ ...line, lineNumber: i + 1 })) }
      })
      const copies = ['number', 'date', 'currency'].map(key => withDisclosures(medium, path => path[0] !== key))
      const answers = await t.node.delivery.accept(issuer.participant, copies.map(c => ({ record: c.bytes })))
      const receipts = answers.map(a => (a as { receipt: Uint8Array }).receipt)
      assert.equal(new Set(receipts).size, 3, 'one receipt each')
      receipts.forEach((bytes, i) => {
        const listed = receiptData(parseRecord(bytes))?.records
        assert.deepEqual(listed?.map(e => [e.record, e.fields.length]), [[medium.id, copies[i]?.disclosures.length]])
      })
    })

    it('splits a batch into requests within both limits, in order, a copy too large for one going alone', () => {
      const item = (bytes: number, fields: string[] = ['']): { delivery: Delivery, fields: string[], n: number } =>
        ({ delivery: { record: new Uint8Array(bytes) }, fields, n: 0 })
      const manyFields = Array.from({ length: 100_000 }, (_, i) => `/lines/${i}/description`)
      const items = [item(6 << 20), item(6 << 20), item(6 << 20), item(1000), item(1000, manyFields), item(1000, manyFields), item(1000)]
      items.forEach((it, i) => { it.n = i })
      const requests = splitRequests(items)
      assert.deepEqual(requests.map(r => r.map(it => it.n)), [[0, 1], [2, 3, 4], [5, 6]])
      for (const r of requests) {
        assert.ok(r.reduce((n, it) => n + deliveryBytes(it.delivery), REQUEST_FRAME_BYTES) <= MAX_REQUEST_BYTES)
        assert.ok(r.reduce((n, it) => n + acknowledgementBytes(it.fields), RESPONSE_FRAME_BYTES) <= MAX_RESPONSE_BYTES)
      }
      const huge = item(1000, Array.from({ length: 200_000 }, (_, i) => `/lines/${i}/description`))
      assert.deepEqual(splitRequests([item(10), huge, item(10)]).map(r => r.length), [1, 1, 1])
      assert.deepEqual(splitRequests([]), [])
    })

    it('reads a batch of large records only as far as its byte budget, and a batch of small ones in two reads', async () => {
      const sizes = new Map<string, number>()
      const reads: number[] = []
      const read = async (ids: string[]): Promise<Array<Uint8Array | undefined>> => {
        reads.push(ids.length)
        return ids.map(id => sizes.has(id) ? new Uint8Array(sizes.get(id) as number) : undefined)
      }
      const ids = Array.from({ length: 256 }, (_, i) => `r${i}`)
      for (const id of ids) sizes.set(id, 3 << 20)
      const large = await readWithin(ids, read, 16 << 20)
      assert.equal(large.length, 5, 'five of 3 MiB within 16 MiB')
      assert.ok(reads.reduce((a, b) => a + b) <= 4 + 5, `read ${reads.join(', ')}`)

      reads.length = 0
      for (const id of ids) sizes.set(id, 5000)
      const small = await readWithin(ids, read, 16 << 20)
      assert.equal(small.length, 256)
      assert.deepEqual(reads, [4, 252])

      // Always one, however large; a record that is gone costs nothing.
      sizes.set('huge', 40 << 20)
      sizes.delete('r1')
      assert.equal((await readWithin(['huge', 'r0'], read, 16 << 20)).length, 1)
      assert.deepEqual((await readWithin(['r1', 'r2'], read, 16 << 20)).map(r => r?.length), [undefined, 5000])
    })
  })

  it('backs off each refused entry on its own, doubling up to the cap, until it leaves the outbox or its recipient returns', () => {
    const now = 1_000_000
    const refused = new RefusedEntries(500, 4_000, () => now)
    refused.refused('customs', 'k1', 'refused r1: schema-violation')
    assert.equal(refused.waiting('customs', 'k1', now), true)
    assert.equal(refused.waiting('customs', 'k2', now), false, 'another entry is not held back')
    assert.equal(refused.waiting('customs', 'k1', now + 500), false)
    for (let i = 0; i < 5; i++) refused.refused('customs', 'k1', 'refused r1: schema-violation')
    assert.equal(refused.get('customs', 'k1')?.attempts, 6)
    assert.equal(refused.nextDue('customs'), now + 4_000, 'capped')
    refused.refused('customs', 'k2', 'refused r2: unregistered-type')
    assert.equal(refused.nextDue('customs'), now + 500, 'the first due')
    assert.equal(refused.nextDue('sps'), undefined)
    refused.settled('customs', 'k2')
    assert.equal(refused.get('customs', 'k2'), undefined)
    refused.forget('customs')
    assert.equal(refused.nextDue('customs'), undefined)
    assert.equal(refused.waiting('customs', 'k1', now), false)
  })

  it('reads a whole copy in a receipt as every field, listed or not', () => {
    const receiptOf = (entry: DataObject): SignedRecord => createRecord(issuer, {
      type: 'delivery.receipt', issuedAt: timestamp(), data: { sender: issuer.participant, receivedAt: new Date().toISOString(), records: [entry] }
    })
    const id = signed('INV-R1').id
    assert.deepEqual(receiptData(receiptOf({ record: id }))?.records, [{ record: id, fields: [''] }])
    assert.deepEqual(receiptData(receiptOf({ record: id, fields: [''] }))?.records, [{ record: id, fields: [''] }])
    assert.deepEqual(receiptData(receiptOf({ record: id, fields: ['/number'], purpose: 'KZ.customs.export-declaration' }))?.records,
      [{ record: id, fields: ['/number'], purpose: 'KZ.customs.export-declaration' }])
    assert.equal(receiptData(receiptOf({ record: id, fields: '/number' })), undefined)
  })

  describe('verification pool', () => {
    it('finds on a worker exactly what verification in place finds', async () => {
      const types = new TypeRegistry(builtinTypes)
      const pool = new VerifyPool(1, types)
      try {
        const good = Array.from({ length: 12 }, (_, i) => signed(`INV-V${i}`).bytes)
        // A different last byte of the last disclosure's value: its digest no longer matches.
        const tampered = (good[3] as Uint8Array).slice()
        tampered.set([(tampered.at(-1) as number) ^ 0x01], tampered.length - 1)
        // Signed and whole, but not an invoice the schema accepts.
        const { number: _, ...unnumbered } = invoice
        const offSchema = createRecord(issuer, { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: timestamp(), data: unnumbered }).bytes
        const records = [...good.slice(0, 3), tampered, ...good.slice(4), new Uint8Array([0xa0]), offSchema]
        const inPlace = records.map(bytes => receivedRefusal(types, bytes))
        assert.deepEqual(inPlace.map(r => r?.split(':')[0] ?? null), [null, null, null, 'digest-mismatch', ...good.slice(4).map(() => null), 'malformed', 'schema-violation'])
        assert.match(inPlace.at(-1) as string, /\/data\/number is required/)
        // The worker takes over once it has loaded; until then the pool verifies in place.
        await until(async () => {
          const refusals = await pool.refusals(records)
          assert.deepEqual(refusals, inPlace)
          return pool.ready
        }, 'the worker to load', 20_000)
        assert.deepEqual(await pool.refusals(records), inPlace)
      } finally {
        await pool.close()
      }
    })

    it('says when a worker has loaded, and stops waiting at the deadline or when the pool closes', async () => {
      const pool = new VerifyPool(1, new TypeRegistry(builtinTypes))
      try {
        assert.equal(pool.ready, false)
        assert.equal(await pool.loaded(20_000), true)
        assert.equal(pool.ready, true)
      } finally {
        await pool.close()
      }
      assert.equal(await new VerifyPool(0, new TypeRegistry(builtinTypes)).loaded(20_000), false)
      // A worker that never says it is ready.
      const stuck = new WorkerPool(new URL('data:text/javascript,setInterval(() => {}, 1000)'), 1, 'stuck')
      try {
        let started = Date.now()
        assert.equal(await stuck.loaded(200), false)
        assert.ok(Date.now() - started >= 190, 'waited until the deadline')
        started = Date.now()
        const waiting = stuck.loaded(20_000)
        await stuck.close()
        assert.equal(await waiting, false)
        assert.ok(Date.now() - started < 5_000, 'closing the pool ends the wait')
      } finally {
        await stuck.close()
      }
    })

    it('lets peers in only once its verification worker has loaded', async () => {
      const node = await openTempNode({ p2p: true, config: { verifyWorkers: 1 } })
      try {
        assert.equal((node.node as unknown as { components: { verifying: VerifyPool } }).components.verifying.ready, true)
      } finally {
        await node.close()
      }
    })
  })
})
