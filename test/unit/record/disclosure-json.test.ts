/**
 * JSON written straight from a record's bytes (json-writer.ts, path-order.ts,
 * disclosure-json.ts, writeRecordJson): byte for byte what JSON.stringify
 * writes for the decoded record's data and transport form, for every record
 * type, any data and any subset of disclosed leaves; and records whose paths
 * contradict each other, or whose bytes are not what parseRecord accepts, are
 * left to the decoded way.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import {
  comparePaths, compareBytes, createRecord, dataOf, digestOf, ed25519Signer, encodeCanonical, JsonWriter, leavesOf, orderKey,
  disclosedLeavesWhere, layoutOf, leavesAt, parseHead, parseRecord, parseVerified, recordToJson, SALT_BYTES, signingInput, transcribeDisclosures, withDisclosures, writeRecordJson,
  type CborValue, type DataObject, type Disclosure, type Leaf, type LeafPath, type SignedRecord
} from '../../../record/index.js'
import { repoFile } from '../../support/repo.js'

const issuer = ed25519Signer(randomBytes(32))

/** The leaves `wanted` accepts, read as a received record reads them: its layout, then the leaves from it. */
function leavesWhere (encoded: Uint8Array, leafCount: number, wanted: (path: LeafPath) => boolean): Leaf[] | undefined {
  const layout = layoutOf(encoded, leafCount)
  return layout === undefined ? undefined : leavesAt(encoded, layout, wanted)
}
const issuedAt = '2026-11-02T08:15:30.250Z'
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8')

/** The record's data and transport form as the transcriber writes them; undefined data if it declines. */
function written (record: SignedRecord): { data?: string, transport?: string } {
  const head = parseHead(record.bytes)
  const disclosures = transcribeDisclosures(head.disclosures, head.envelope.digests.length)
  if (disclosures === undefined) return {}
  const data = new JsonWriter(16)
  const transport = new JsonWriter(16)
  writeRecordJson(transport, head, disclosures)
  return { ...(disclosures.writeData(data) && { data: text(data.written()) }), transport: text(transport.written()) }
}

function assertSameAsDecoded (record: SignedRecord): void {
  const parsed = parseRecord(record.bytes)
  const { data, transport } = written(parsed)
  assert.equal(data, JSON.stringify(dataOf(parsed)))
  assert.equal(transport, JSON.stringify(recordToJson(parsed)))
}

/** What a malicious issuer can sign: any disclosures, each with its digest in the envelope. */
function forged (leaves: readonly Leaf[]): SignedRecord {
  const disclosures: Disclosure[] = leaves
    .map(leaf => ({ ...leaf, salt: new Uint8Array(randomBytes(SALT_BYTES)) }))
    .sort((a, b) => compareBytes(digestOf(a), digestOf(b)))
  const envelopeBytes = encodeCanonical({ v: 1, type: 'trade.invoice', issuer: issuer.participant, issuedAt, digests: disclosures.map(digestOf) })
  return parseRecord(encodeCanonical({
    envelope: envelopeBytes,
    signature: { suite: issuer.suite, value: issuer.sign(signingInput(envelopeBytes)) },
    disclosures: disclosures.map(d => [d.salt, d.path, d.value])
  }))
}

const key = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', '__proto__', '0', '1', '2', '10', '01', '-1', '1.5', '4294967294', '4294967295', 'a', 'ab', 'a\u0000', 'a\u0000b',
      'Комитет', '水', '😀', 'quote"d', 'back\\slash', 'tab\t', '\u007f', '\u2028')
  }
)
const scalar = fc.oneof(
  fc.constant(null), fc.boolean(), fc.maxSafeInteger(), fc.constantFrom(0, -1, 23, 24, 255, 256, 65535, 65536, 2 ** 32, 2 ** 53 - 1, -(2 ** 53) + 1),
  fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('', 'Абрикосы', '"', '\\', '\u0000\u001f', '</script>')
)
const data: fc.Arbitrary<DataObject> = fc.letrec<{ value: CborValue, array: CborValue[], object: Record<string, CborValue> }>(tie => ({
  value: fc.oneof({ maxDepth: 4, depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 })
})).object as fc.Arbitrary<DataObject>

describe('unit: JSON written from record bytes', () => {
  it('writes every fixture record as JSON.stringify writes the decoded one', () => {
    const dir = repoFile('test/fixtures/records/')
    const files = readdirSync(dir).filter(f => f.endsWith('.json'))
    assert.ok(files.length > 30)
    for (const file of files) {
      const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as DataObject
      assertSameAsDecoded(createRecord(issuer, { type: file.slice(0, -5), consignment: '6KZ123456789012-JSON0001', issuedAt, data: fixture }))
    }
  })

  it('writes any data, with any subset of its leaves disclosed, as JSON.stringify does (property-based)', () => {
    const withSubset = data.chain(d => fc.array(fc.boolean(), { minLength: leavesOf(d).length, maxLength: leavesOf(d).length }).map(keep => [d, keep] as const))
    fc.assert(fc.property(withSubset, ([d, keep]) => {
      const record = createRecord(issuer, { type: 'trade.invoice', issuedAt, data: d })
      const paths = leavesOf(d).map(l => JSON.stringify(l.path))
      const kept = new Set(paths.filter((_, i) => keep[i] === true))
      assertSameAsDecoded(record)
      assertSameAsDecoded(withDisclosures(record, path => kept.has(JSON.stringify(path))))
    }), { numRuns: 400 })
  })

  it('writes arrays with undisclosed slots as null, as dataOf does', () => {
    const record = createRecord(issuer, { type: 'trade.invoice', issuedAt, data: { lines: ['a', 'b', 'c', 'd', 'e'], x: [[1, 2], [3]] } })
    const partial = withDisclosures(record, path => path[0] === 'x' ? path[1] === 1 : path[1] === 1 || path[1] === 3)
    assert.equal(written(partial).data, '{"lines":[null,"b",null,"d"],"x":[null,[3]]}')
    assertSameAsDecoded(partial)
  })

  it('orders index-like keys first, by number, as a JavaScript object does', () => {
    const record = createRecord(issuer, { type: 'trade.invoice', issuedAt, data: { b: 1, 10: 2, 2: 3, '01': 4, a: 5, 4294967295: 6, 4294967294: 7 } })
    assert.equal(written(record).data, '{"2":3,"10":2,"4294967294":7,"01":4,"4294967295":6,"a":5,"b":1}')
    assertSameAsDecoded(record)
  })

  it('declines paths that contradict each other, as dataOf refuses them', () => {
    const contradictions: Leaf[][] = [
      [{ path: ['a'], value: 1 }, { path: ['a'], value: 2 }],
      [{ path: ['a'], value: {} }, { path: ['a', 'b'], value: 1 }],
      [{ path: ['a'], value: 'x' }, { path: ['a', 0], value: 1 }],
      [{ path: ['a', 0], value: 1 }, { path: ['a', 'b'], value: 2 }],
      [{ path: [0], value: 1 }]
    ]
    for (const leaves of contradictions) {
      const record = forged(leaves)
      assert.throws(() => dataOf(record), /contradict/)
      assert.equal(written(record).data, undefined, JSON.stringify(leaves))
    }
  })

  it('reads the head of a record as parseRecord does, and refuses a map laid out otherwise as parseRecord does', () => {
    const record = createRecord(issuer, { type: 'trade.invoice', issuedAt, consignment: '6KZ123456789012-HEAD0001', data: { a: 'x', n: 7 } })
    const head = parseHead(record.bytes)
    const parsed = parseRecord(record.bytes)
    assert.equal(head.id, parsed.id)
    assert.deepEqual(head.envelope, parsed.envelope)
    assert.deepEqual(head.signature, parsed.signature)
    assert.deepEqual(head.disclosures, encodeCanonical(parsed.disclosures.map(d => [d.salt, d.path, d.value])))
    const { envelope, signature } = parsed
    const signatureMap = { suite: signature.suite, value: signature.value }
    const disclosures = parsed.disclosures.map(d => [d.salt, d.path, d.value])
    const otherwise = [
      // Keys out of canonical order, an extra key, a key missing, a longer map head.
      Uint8Array.of(0xa3, ...encodeCanonical('signature'), ...encodeCanonical(signatureMap), ...encodeCanonical('envelope'), ...encodeCanonical(parsed.envelopeBytes),
        ...encodeCanonical('disclosures'), ...encodeCanonical(disclosures)),
      encodeCanonical({ envelope: parsed.envelopeBytes, signature: signatureMap, disclosures, extra: 1 }),
      encodeCanonical({ envelope: parsed.envelopeBytes, signature: signatureMap }),
      Uint8Array.of(0xb8, 0x03, ...record.bytes.subarray(1)),
      // The envelope's byte string cut short, and nothing after the last key.
      record.bytes.subarray(0, 12),
      record.bytes.subarray(0, record.bytes.length - head.disclosures.length)
    ]
    for (const bytes of otherwise) {
      let expected: unknown
      try {
        parseRecord(bytes)
      } catch (err) {
        expected = err
      }
      assert.ok(expected instanceof Error, Buffer.from(bytes).toString('hex'))
      assert.throws(() => parseHead(bytes), (err: unknown) => err instanceof Error && err.message === expected.message, Buffer.from(bytes).toString('hex'))
    }
    assert.equal(envelope.consignment, head.envelope.consignment)
  })

  it('declines bytes that are not the disclosures parseRecord accepts', () => {
    const record = createRecord(issuer, { type: 'trade.invoice', issuedAt, data: { a: 'x', n: 7 } })
    const head = parseHead(record.bytes)
    const leafCount = head.envelope.digests.length
    const broken = [
      Uint8Array.of(0xa0),
      Uint8Array.of(0x81, 0x83),
      encodeCanonical([[new Uint8Array(15), ['a'], 'x']]),
      encodeCanonical([[new Uint8Array(16), [], 'x']]),
      encodeCanonical([[new Uint8Array(16), [-1], 'x']]),
      // An index beyond the record's leaves.
      encodeCanonical([[new Uint8Array(16), ['a', 5], 'x']]),
      encodeCanonical([[new Uint8Array(16), ['a'], new Uint8Array(2)]]),
      encodeCanonical([[new Uint8Array(16), ['a'], [1]]]),
      encodeCanonical([[new Uint8Array(16), ['a'], 'x'], [new Uint8Array(16), ['b'], 'y'], [new Uint8Array(16), ['c'], 'z']]),
      // Text that is not UTF-8, and a head longer than it has to be.
      Uint8Array.of(0x81, 0x83, 0x50, ...new Uint8Array(16), 0x81, 0x61, 0x61, 0x61, 0xff),
      Uint8Array.of(0x81, 0x83, 0x50, ...new Uint8Array(16), 0x81, 0x61, 0x61, 0x18, 0x01),
      Uint8Array.of(...head.disclosures, 0x00)
    ]
    for (const bytes of broken) assert.equal(transcribeDisclosures(bytes, leafCount), undefined, Buffer.from(bytes).toString('hex'))
    assert.notEqual(transcribeDisclosures(head.disclosures, leafCount), undefined)
    for (const bytes of broken) assert.equal(leavesWhere(bytes, leafCount, () => true), undefined, Buffer.from(bytes).toString('hex'))
    // A layout gives the same leaves, asked of it any number of times.
    const layout = layoutOf(head.disclosures, leafCount)
    assert.ok(layout !== undefined)
    assert.equal(layout.paths.length, leafCount)
    for (let round = 0; round < 2; round++) assert.deepEqual(leavesAt(head.disclosures, layout, path => path[0] === 'n'), [{ path: ['n'], value: 7 }])
    assert.deepEqual(leavesWhere(head.disclosures, leafCount, () => true), parseRecord(record.bytes).disclosures.map(d => ({ path: d.path, value: d.value })))
  })

  it('reads paths whose heads take more than a byte (long keys, indexes from 24, 24 segments and more) as it reads short ones', () => {
    const deep: DataObject = {}
    let node: Record<string, CborValue> = deep
    for (let depth = 0; depth < 25; depth++) node = (node[`k${depth}`] = {}) as Record<string, CborValue>
    node.leaf = 'at depth 26'
    const data: DataObject = {
      'a key of more than twenty-four bytes': 'long key',
      'Таможенная стоимость товаров': 12500,
      lines: Array.from({ length: 30 }, (_, i) => ({ hsCode: `0805${String(i).padStart(6, '0')}` })),
      deep
    }
    const record = createRecord(issuer, { type: 'trade.invoice', issuedAt, data })
    assertSameAsDecoded(record)
    const decoded = parseRecord(record.bytes).disclosures
    for (const wanted of [(path: LeafPath) => path.includes('hsCode'), (path: LeafPath) => path.length > 20, () => true]) {
      assert.deepEqual(disclosedLeavesWhere(parseVerified(record.bytes), wanted), decoded.filter(d => wanted(d.path)).map(d => ({ path: d.path, value: d.value })))
    }
  })

  it('reads the leaves asked for as the decoded record has them, from every record type, complete or partial', () => {
    const dir = repoFile('test/fixtures/records/')
    const asked: Array<(path: LeafPath) => boolean> = [
      () => true,
      () => false,
      path => path.includes('hsCode'),
      path => typeof path[1] === 'number',
      path => path.length === 1
    ]
    for (const file of readdirSync(dir).filter(f => f.endsWith('.json'))) {
      const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as DataObject
      const record = createRecord(issuer, { type: file.slice(0, -5), issuedAt, data })
      for (const bytes of [record.bytes, withDisclosures(record, path => path.length > 1).bytes]) {
        const decoded = parseRecord(bytes).disclosures
        // One record asked by every reader in turn, as the indexes and listeners of a node ask a received record.
        const askedByAll = parseVerified(bytes)
        for (const wanted of asked) {
          const expected = decoded.filter(d => wanted(d.path)).map(d => ({ path: d.path, value: d.value }))
          assert.deepEqual(disclosedLeavesWhere(parseVerified(bytes), wanted), expected, file)
          assert.deepEqual(disclosedLeavesWhere(askedByAll, wanted), expected, file)
          assert.deepEqual(disclosedLeavesWhere(parseRecord(bytes), wanted).map(d => ({ path: d.path, value: d.value })), expected, file)
        }
        // Once its disclosures are decoded, the same record answers from them.
        assert.equal(askedByAll.disclosures.length, decoded.length)
        for (const wanted of asked) {
          assert.deepEqual(disclosedLeavesWhere(askedByAll, wanted).map(d => ({ path: d.path, value: d.value })), decoded.filter(d => wanted(d.path)).map(d => ({ path: d.path, value: d.value })), file)
        }
      }
    }
  })

  describe('JsonWriter', () => {
    it('writes strings and numbers as JSON.stringify does (property-based)', () => {
      const strings = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }), fc.constantFrom('\ud800', 'a\udc00b', '\u2028', '\u007f'))
      fc.assert(fc.property(strings, fc.maxSafeInteger(), (s, n) => {
        const out = new JsonWriter(1).string(s).raw(',').number(n).value(s).value(null).value(true).value([]).value({})
        assert.equal(text(out.written()), `${JSON.stringify(s)},${n}${JSON.stringify(s)}nulltrue[]{}`)
      }), { numRuns: 500 })
    })

    it('writes base64url as Node does, for every length and offset', () => {
      const bytes = new Uint8Array(randomBytes(120))
      for (let start = 0; start < 4; start++) {
        for (let end = start; end <= 110; end++) {
          assert.equal(text(new JsonWriter(1).base64url(bytes, start, end).written()), `"${Buffer.from(bytes.subarray(start, end)).toString('base64url')}"`)
        }
      }
      // Long spans (an envelope's) take another way, from a view of a larger buffer.
      const large = new Uint8Array(randomBytes(3000)).subarray(7)
      for (const start of [0, 1, 2, 3]) {
        for (const length of [254, 255, 256, 257, 258, 2003, 2990]) {
          const out = new JsonWriter(1).raw('[').base64url(large, start, start + length).raw(']')
          assert.equal(text(out.written()), `["${Buffer.from(large.subarray(start, start + length)).toString('base64url')}"]`)
        }
      }
    })

    it('writes plain ASCII bytes as a string and declines anything to escape', () => {
      const out = new JsonWriter(1)
      assert.equal(out.plainString(Buffer.from('abc 123'), 0, 7), true)
      for (const s of ['a"b', 'a\\b', 'a\nb', 'é']) assert.equal(out.plainString(Buffer.from(s), 0, Buffer.byteLength(s)), false)
      assert.equal(text(out.written()), '"abc 123"')
      out.truncate(3)
      assert.equal(text(out.written()), '"ab')
    })
  })

  it('orderKey sorts paths as comparePaths does (property-based)', () => {
    const segment = fc.oneof(key, fc.nat(70000), fc.constantFrom(0, 1, 2 ** 32 - 1))
    const path = fc.array(segment, { minLength: 1, maxLength: 4 })
    fc.assert(fc.property(path, path, (a: LeafPath, b: LeafPath) => {
      const x = orderKey(a)
      const y = orderKey(b)
      fc.pre(x !== undefined && y !== undefined)
      assert.equal(Math.sign(x < y ? -1 : x > y ? 1 : 0), Math.sign(comparePaths(a, b)), `${JSON.stringify(a)} ${JSON.stringify(b)}`)
    }), { numRuns: 2000 })
    assert.equal(orderKey(['a\u0000']), undefined)
  })
})
