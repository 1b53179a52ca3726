/**
 * Deterministic CBOR (record/cbor.ts): random values round-trip and re-encode to
 * the same bytes, an independent decoder (cbor-x) reads them alike, map keys are
 * in RFC 8949 §4.2.1 order, the RFC 8949 Appendix A examples are reproduced,
 * and everything outside the data model is refused with a CanonicalError naming
 * where it sits.
 */
import assert from 'node:assert/strict'
import { Decoder } from 'cbor-x'
import fc from 'fast-check'
import { arrayLength, CanonicalError, decodeCanonical, decodeEach, encodedEntries, encodeCanonical, MAX_DEPTH, type CborValue } from '../../../record/index.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replaceAll(' ', ''), 'hex'))
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

// ---------------------------------------------------------------------------
// Generators

const EDGE_INTEGERS = [
  0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1,
  -1, -24, -25, -256, -257, -65536, -65537, -(2 ** 32), -(2 ** 32) - 1, -(2 ** 53) + 1
]

const integer = fc.oneof(fc.constantFrom(...EDGE_INTEGERS), fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger())

/** Full Unicode (astral characters included, no lone surrogates), short and long enough for 1- and 2-byte length heads. */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 20, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a', 'ü', '水', '😀', 'x'.repeat(23), 'x'.repeat(24), 'é'.repeat(12)) }
)

const key = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'a', 'aa', 'b', '0', '9', '10') }
)

const scalar = (withBytes: boolean): fc.Arbitrary<CborValue> => fc.oneof(
  fc.constant(null),
  fc.boolean(),
  integer,
  text,
  ...(withBytes ? [fc.uint8Array({ maxLength: 300 })] : [])
)

/** JSON-like values nested a few levels deep; objects have Object.prototype, as decoded ones do. */
function values (withBytes: boolean): fc.Arbitrary<CborValue> {
  return fc.letrec<{ value: CborValue, array: CborValue[], object: Record<string, CborValue> }>(tie => ({
    value: fc.oneof({ maxDepth: 4, depthSize: 'small' }, scalar(withBytes), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: true })
  })).value
}

const anyValue = values(true)
const jsonValue = values(false)

// ---------------------------------------------------------------------------
// An independent reference: keys sorted by UTF-8 length, then bytewise
// (equivalent to RFC 8949 §4.2.1 bytewise order of the encoded keys).

function compareKeys (a: string, b: string): number {
  const x = utf8(a)
  const y = utf8(b)
  if (x.length !== y.length) return x.length - y.length
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number)
  return 0
}

function referenceEncode (value: CborValue): Uint8Array {
  const out: number[] = []
  const head = (major: number, n: number): void => {
    const size = n < 24 ? 0 : n < 2 ** 8 ? 1 : n < 2 ** 16 ? 2 : n < 2 ** 32 ? 4 : 8
    out.push((major << 5) | (size === 0 ? n : size === 1 ? 24 : size === 2 ? 25 : size === 4 ? 26 : 27))
    for (let i = size - 1; i >= 0; i--) out.push(Number((BigInt(n) >> BigInt(8 * i)) & 0xffn))
  }
  const write = (v: CborValue): void => {
    if (v === null) out.push(0xf6)
    else if (v === false) out.push(0xf4)
    else if (v === true) out.push(0xf5)
    else if (typeof v === 'number') v >= 0 ? head(0, v) : head(1, -1 - v)
    else if (typeof v === 'string') { const b = utf8(v); head(3, b.length); out.push(...b) } else if (v instanceof Uint8Array) { head(2, v.length); out.push(...v) } else if (Array.isArray(v)) { head(4, v.length); v.forEach(write) } else {
      const map = v as Record<string, CborValue>
      const keys = Object.keys(map).sort(compareKeys)
      head(5, keys.length)
      for (const k of keys) { write(k); write(map[k] as CborValue) }
    }
  }
  write(value)
  return Uint8Array.from(out)
}

// cbor-x's default decode renames a "__proto__" key; decoding maps as Maps keeps keys as written.
const cborX = new Decoder({ mapsAsObjects: false, useRecords: false })

/** cbor-x's output in our model: BigInt → number, Buffer → Uint8Array, Map → object; checks key order on the way. */
function fromCborX (value: unknown): unknown {
  if (typeof value === 'bigint') {
    assert.ok(value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
    return Number(value)
  }
  if (value instanceof Uint8Array) return new Uint8Array(value)
  if (Array.isArray(value)) return value.map(fromCborX)
  if (value instanceof Map) {
    const out: Record<string, unknown> = {}
    let previous: string | undefined
    for (const [k, item] of value) {
      assert.equal(typeof k, 'string', 'map keys are text')
      if (previous !== undefined) assert.ok(compareKeys(previous, k as string) < 0, `key ${JSON.stringify(k)} after ${JSON.stringify(previous)}`)
      previous = k as string
      Object.defineProperty(out, k as string, { value: fromCborX(item), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return value
}

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys (value: CborValue): CborValue {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value
  const out: Record<string, CborValue> = {}
  for (const k of Object.keys(value).reverse()) {
    Object.defineProperty(out, k, { value: reverseKeys((value as Record<string, CborValue>)[k] as CborValue), enumerable: true, writable: true, configurable: true })
  }
  return out
}

const nestedArrays = (levels: number, inner: unknown = null): unknown => {
  let value = inner
  for (let i = 0; i < levels; i++) value = [value]
  return value
}

// ---------------------------------------------------------------------------
// Refusal helpers

function assertCanonicalError (err: unknown, reason: RegExp, path: string): true {
  assert.ok(err instanceof CanonicalError, `expected a CanonicalError, got ${String(err)}`)
  assert.match(err.reason, reason)
  assert.equal(err.path, path)
  return true
}

function refusesToEncode (value: unknown, reason: RegExp, path = ''): void {
  assert.throws(() => encodeCanonical(value), err => assertCanonicalError(err, reason, path))
}

function refusesToDecode (bytes: string | Uint8Array, reason: RegExp, path = ''): void {
  const input = typeof bytes === 'string' ? unhex(bytes) : bytes
  assert.throws(() => decodeCanonical(input), err => assertCanonicalError(err, reason, path))
}

// ---------------------------------------------------------------------------

describe('deterministic CBOR', () => {
  describe('random values (property-based)', () => {
    it('decode(encode(v)) deep-equals v', () => {
      fc.assert(fc.property(anyValue, v => {
        assert.deepStrictEqual(decodeCanonical(encodeCanonical(v)), v)
      }), { numRuns: 500 })
    })

    it('re-encoding the decoded value gives identical bytes', () => {
      fc.assert(fc.property(anyValue, v => {
        const bytes = encodeCanonical(v)
        assert.equal(hex(encodeCanonical(decodeCanonical(bytes))), hex(bytes))
      }), { numRuns: 500 })
    })

    it('cbor-x decodes our bytes to an equal value, with map keys in canonical order', () => {
      fc.assert(fc.property(anyValue, v => {
        assert.deepStrictEqual(fromCborX(cborX.decode(encodeCanonical(v))), v)
      }), { numRuns: 500 })
    })

    it('bytes equal an independent reference encoder (keys by UTF-8 length, then bytewise)', () => {
      fc.assert(fc.property(anyValue, v => {
        assert.equal(hex(encodeCanonical(v)), hex(referenceEncode(v)))
      }), { numRuns: 500 })
    })

    it('key insertion order does not change the bytes', () => {
      fc.assert(fc.property(anyValue, v => {
        assert.equal(hex(encodeCanonical(reverseKeys(v))), hex(encodeCanonical(v)))
      }), { numRuns: 300 })
    })

    it('JSON-compatible values encode identically after a JSON round trip', () => {
      fc.assert(fc.property(jsonValue, v => {
        assert.equal(hex(encodeCanonical(JSON.parse(JSON.stringify(v)))), hex(encodeCanonical(v)))
      }), { numRuns: 500 })
    })
  })

  describe('fixed encodings', () => {
    // RFC 8949 Appendix A, the entries inside this data model.
    const rfc8949: Array<[CborValue, string]> = [
      [0, '00'], [1, '01'], [10, '0a'], [23, '17'], [24, '1818'], [25, '1819'], [100, '1864'],
      [1000, '1903e8'], [1000000, '1a000f4240'], [1000000000000, '1b000000e8d4a51000'],
      [-1, '20'], [-10, '29'], [-100, '3863'], [-1000, '3903e7'],
      [false, 'f4'], [true, 'f5'], [null, 'f6'],
      [new Uint8Array(0), '40'], [Uint8Array.of(1, 2, 3, 4), '4401020304'],
      ['', '60'], ['a', '6161'], ['IETF', '6449455446'], ['"\\', '62225c'],
      ['\u00fc', '62c3bc'], ['\u6c34', '63e6b0b4'], ['\ud800\udd51', '64f0908591'],
      [[], '80'], [[1, 2, 3], '83010203'], [[1, [2, 3], [4, 5]], '8301820203820405'],
      [Array.from({ length: 25 }, (_, i) => i + 1), '98190102030405060708090a0b0c0d0e0f101112131415161718181819'],
      [{}, 'a0'], [{ a: 1, b: [2, 3] }, 'a26161016162820203'], [['a', { b: 'c' }], '826161a161626163'],
      [{ a: 'A', b: 'B', c: 'C', d: 'D', e: 'E' }, 'a56161614161626142616361436164614461656145']
    ]
    // Not in Appendix A: the limits of this model and the length-first key order.
    const model: Array<[CborValue, string]> = [
      [2 ** 53 - 1, '1b001fffffffffffff'], [-(2 ** 53) + 1, '3b001ffffffffffffe'],
      [2 ** 32 - 1, '1affffffff'], [2 ** 32, '1b0000000100000000'], [-(2 ** 32), '3affffffff'],
      [{ aa: 1, b: 2 }, 'a261620262616101'], ['x'.repeat(24), `7818${'78'.repeat(24)}`]
    ]

    for (const [value, expected] of [...rfc8949, ...model]) {
      it(`${JSON.stringify(value, (_, v: unknown) => v instanceof Uint8Array ? `h'${hex(v)}'` : v)} ⇄ ${expected}`, () => {
        assert.equal(hex(encodeCanonical(value)), expected)
        assert.deepStrictEqual(decodeCanonical(unhex(expected)), value)
      })
    }

    it('-0 is written as the integer 0', () => {
      assert.equal(hex(encodeCanonical(-0)), '00')
    })

    it('an object without a prototype encodes like a plain one', () => {
      const bare = Object.assign(Object.create(null) as Record<string, CborValue>, { b: 1, a: [] })
      assert.equal(hex(encodeCanonical(bare)), hex(encodeCanonical({ a: [], b: 1 })))
    })

    it('a "__proto__" key is data, not a prototype, both ways', () => {
      const value = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, CborValue>
      const bytes = encodeCanonical(value)
      assert.equal(hex(bytes), `a169${hex(utf8('__proto__'))}a168${hex(utf8('polluted'))}f5`)
      const decoded = decodeCanonical(bytes) as Record<string, unknown>
      assert.equal(Object.getPrototypeOf(decoded), Object.prototype)
      assert.deepEqual(Object.keys(decoded), ['__proto__'])
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
    })

    it('nesting of exactly 64 levels is accepted both ways', () => {
      const value = nestedArrays(MAX_DEPTH)
      const bytes = encodeCanonical(value)
      assert.equal(bytes.length, MAX_DEPTH + 1)
      assert.deepStrictEqual(decodeCanonical(bytes), value)
    })
  })

  describe('encoding refuses values outside the model', () => {
    it('a non-integer number, naming its path', () => refusesToEncode({ a: [1.5] }, /non-integer number 1\.5/, '/a/0'))
    it('NaN', () => refusesToEncode(NaN, /non-integer number NaN/))
    it('Infinity and -Infinity', () => {
      refusesToEncode(Infinity, /non-integer/)
      refusesToEncode([0, -Infinity], /non-integer/, '/1')
    })
    it('integers beyond ±(2^53 − 1)', () => {
      refusesToEncode({ n: 2 ** 53 }, /outside/, '/n')
      refusesToEncode(-(2 ** 53), /outside/)
    })
    it('a BigInt', () => refusesToEncode({ big: 1n }, /bigint values are not allowed/, '/big'))
    it('undefined', () => refusesToEncode({ a: { b: undefined } }, /undefined values are not allowed/, '/a/b'))
    it('a function', () => refusesToEncode([() => 1], /function values are not allowed/, '/0'))
    it('a symbol', () => refusesToEncode(Symbol('s'), /symbol values are not allowed/))
    it('a Date', () => refusesToEncode({ when: new Date(0) }, /Date objects are not allowed/, '/when'))
    it('a Map and a Set', () => {
      refusesToEncode(new Map([['a', 1]]), /Map objects are not allowed/)
      refusesToEncode({ s: new Set() }, /Set objects are not allowed/, '/s')
    })
    it('a class instance', () => {
      class Point { x = 1 }
      refusesToEncode({ p: new Point() }, /Point objects are not allowed/, '/p')
    })
    it('typed arrays other than Uint8Array', () => refusesToEncode(new Uint16Array(2), /Uint16Array objects are not allowed/))
    it('a string with a lone surrogate', () => {
      refusesToEncode({ a: ['ok', '\ud800'] }, /unpaired surrogate/, '/a/1')
      refusesToEncode('x\udc00y', /unpaired surrogate/)
    })
    it('a key with a lone surrogate', () => refusesToEncode({ x: { '\udbff': 1 } }, /key with an unpaired surrogate/, '/x'))
    it('a sparse array', () => {
      // eslint-disable-next-line no-sparse-arrays
      refusesToEncode({ list: [1, , 3] }, /sparse arrays/, '/list/1')
      refusesToEncode(new Array(2), /sparse arrays/, '/0')
    })
    it('nesting deeper than 64 levels', () => {
      refusesToEncode(nestedArrays(MAX_DEPTH + 1), /nesting deeper than 64/, '/0'.repeat(MAX_DEPTH))
      let deep: Record<string, unknown> = {}
      for (let i = 0; i < MAX_DEPTH; i++) deep = { k: deep }
      refusesToEncode(deep, /nesting deeper than 64/, '/k'.repeat(MAX_DEPTH))
    })
    it('paths escape "~" and "/" as in JSON Pointer', () => refusesToEncode({ 'a/b': { '~c': 0.5 } }, /non-integer/, '/a~1b/~0c'))
  })

  describe('decoding refuses anything the encoder would not write', () => {
    it('floats of every width', () => {
      refusesToDecode('f93c00', /floating-point/)
      refusesToDecode('fa3f800000', /floating-point/)
      refusesToDecode('fb3ff0000000000000', /floating-point/)
      refusesToDecode('a16161f90000', /floating-point/, '/a')
    })
    it('integers not in their shortest head', () => {
      refusesToDecode('1805', /shortest/)
      refusesToDecode('190017', /shortest/)
      refusesToDecode('1a0000ffff', /shortest/)
      refusesToDecode('1b00000000ffffffff', /shortest/)
      refusesToDecode('3817', /shortest/)
      refusesToDecode('82011805', /shortest/, '/1')
    })
    it('lengths not in their shortest head', () => {
      refusesToDecode('780161', /shortest/)
      refusesToDecode('580101', /shortest/)
      refusesToDecode('980101', /shortest/)
      refusesToDecode('b8016161 01', /shortest/)
    })
    it('unsorted map keys, bytewise and length-first', () => {
      refusesToDecode('a2616202616101', /out of canonical order/)
      refusesToDecode('a2626161016162 02', /out of canonical order/) // "aa" before "b"
    })
    it('duplicate map keys', () => refusesToDecode('a2616101616102', /duplicate map key "a"/))
    it('non-text map keys', () => {
      refusesToDecode('a10102', /map keys must be text/)
      refusesToDecode('a1410102', /map keys must be text/)
    })
    it('indefinite-length arrays, maps and strings', () => {
      refusesToDecode('9f01ff', /indefinite/)
      refusesToDecode('bf616101ff', /indefinite/)
      refusesToDecode('7f6161ff', /indefinite/)
      refusesToDecode('5f4101ff', /indefinite/)
    })
    it('tags', () => {
      refusesToDecode('c11a514b67b0', /tags/)
      refusesToDecode('d82076687474703a2f2f7777772e6578616d706c652e636f6d', /tags/)
    })
    it('undefined and other simple values', () => {
      refusesToDecode('f7', /simple value 23/)
      refusesToDecode('f0', /simple value 16/)
      refusesToDecode('f8ff', /simple value 24/)
      refusesToDecode('ff', /simple value 31/)
    })
    it('reserved additional information', () => refusesToDecode('1c', /reserved/))
    it('truncated input', () => {
      for (const input of ['', '18', '1901', '1b00000000', '6261', '4201', '8201', 'a1']) refusesToDecode(input, /truncated/)
      refusesToDecode('82 01 8201', /truncated/, '/1')
      refusesToDecode('a16161', /truncated/, '/a')
    })
    it('trailing bytes', () => {
      refusesToDecode('0102', /1 trailing bytes/)
      refusesToDecode('80f6f6', /2 trailing bytes/)
    })
    it('invalid UTF-8', () => {
      refusesToDecode('61ff', /UTF-8/)
      refusesToDecode('62c328', /UTF-8/) // broken continuation
      refusesToDecode('62c0af', /UTF-8/) // overlong "/"
      refusesToDecode('63eda080', /UTF-8/) // an encoded surrogate
      refusesToDecode('64f4908080', /UTF-8/) // beyond U+10FFFF
      refusesToDecode(Uint8Array.from([0x78, 40, ...utf8('x'.repeat(39)), 0x80]), /UTF-8/) // past the ASCII fast path
      refusesToDecode('a16161 61ff', /UTF-8/, '/a')
    })
    it('integers outside ±(2^53 − 1)', () => {
      refusesToDecode('1b0020000000000000', /outside/)
      refusesToDecode('1bffffffffffffffff', /outside/)
      refusesToDecode('3b001fffffffffffff', /outside/)
      refusesToDecode('3bffffffffffffffff', /outside/)
      assert.equal(decodeCanonical(unhex('1b001fffffffffffff')), 2 ** 53 - 1)
      assert.equal(decodeCanonical(unhex('3b001ffffffffffffe')), -(2 ** 53) + 1)
    })
    it('a length claiming more than the input holds fails at the head, before allocating', () => {
      // Failing at the head leaves the path empty; failing on item 0 would name '/0'.
      for (const input of ['9affffffff', '9b001fffffffffffff', 'baffffffff', '5affffffff 00', '7b001fffffffffffff', '8401 0203']) {
        const started = performance.now()
        refusesToDecode(input, /truncated/)
        assert.ok(performance.now() - started < 100, `${input} took too long`)
      }
      // A map needs two bytes an entry.
      refusesToDecode('a2616101', /truncated/)
    })
    it('lengths needing more than 32 bits', () => refusesToDecode('9b0000000100000000', /truncated/))
    it('nesting deeper than 64 levels', () => {
      refusesToDecode(Uint8Array.from([...new Array<number>(MAX_DEPTH + 1).fill(0x81), 0xf6]), /nesting deeper than 64/, '/0'.repeat(MAX_DEPTH))
      const maps = [...new Array<number[]>(MAX_DEPTH + 1).fill([0xa1, 0x61, 0x6b]).flat(), 0xf6]
      refusesToDecode(Uint8Array.from(maps), /nesting deeper than 64/, '/k'.repeat(MAX_DEPTH))
    })

    // Was a bug: byte strings are cut out with `this.bytes.slice(…)`, meant as a copy; but
    // Buffer#slice is a view, so decoding a Buffer (what fs, LevelDB and sockets hand
    // over) returns Buffers that share memory with the input: decodeCanonical(
    // Buffer.from('8143010203', 'hex')) gives [<Buffer 01 02 03>] on the input's
    // memory, and overwriting the input later changes the decoded (e.g. verified) bytes.
    it('decoded byte strings do not share memory with a Buffer input', () => {
      const input = Buffer.from('8143010203', 'hex')
      const [bytes] = decodeCanonical(input) as [Uint8Array]
      input[2] = 0xff
      assert.deepStrictEqual(bytes, Uint8Array.of(1, 2, 3))
    })

    // Only containers nest: a byte string at depth 64 is a leaf, as for the decoder.
    it('a byte string at depth 64 decodes and re-encodes to the same bytes', () => {
      const bytes = Uint8Array.from([...new Array<number>(MAX_DEPTH).fill(0x81), 0x41, 0x07])
      const decoded = decodeCanonical(bytes)
      assert.deepStrictEqual(decoded, nestedArrays(MAX_DEPTH, Uint8Array.of(7)))
      assert.equal(hex(encodeCanonical(decoded)), hex(bytes))
    })
  })

  describe('reading parts of an encoded value', () => {
    it('a map splits into its entries, each value exactly its encoding (property-based)', () => {
      fc.assert(fc.property(fc.dictionary(fc.string(), anyValue, { maxKeys: 6 }), map => {
        const entries = encodedEntries(encodeCanonical(map))
        assert.deepStrictEqual([...entries.keys()].sort(), Object.keys(map).sort())
        for (const [key, encoded] of entries) assert.equal(hex(encoded), hex(encodeCanonical(map[key])))
      }), { numRuns: 200 })
    })

    it('an array decodes item by item, each beside its encoding (property-based)', () => {
      fc.assert(fc.property(fc.array(anyValue, { maxLength: 8 }), items => {
        const bytes = encodeCanonical(items)
        const seen: CborValue[] = []
        const count = decodeEach(bytes, (value, encoded, i) => {
          assert.equal(hex(encoded), hex(encodeCanonical(items[i])))
          seen.push(value)
        })
        assert.equal(count, items.length)
        assert.equal(arrayLength(bytes), items.length)
        assert.deepStrictEqual(seen, items)
      }), { numRuns: 200 })
    })

    it('refuses what decodeCanonical refuses in a map\'s keys and heads, and in an array\'s items', () => {
      // Keys out of order, twice, not text; a truncated value; bytes after the map.
      assert.throws(() => encodedEntries(unhex('a2 6162 01 6161 02')), err => assertCanonicalError(err, /out of canonical order/, ''))
      assert.throws(() => encodedEntries(unhex('a2 6161 01 6161 02')), err => assertCanonicalError(err, /duplicate map key/, ''))
      assert.throws(() => encodedEntries(unhex('a1 01 02')), err => assertCanonicalError(err, /keys must be text/, ''))
      assert.throws(() => encodedEntries(unhex('a1 6161 43 0102')), err => assertCanonicalError(err, /truncated/, '/a'))
      assert.throws(() => encodedEntries(unhex('a1 6161 01 00')), err => assertCanonicalError(err, /1 trailing bytes/, ''))
      assert.throws(() => encodedEntries(unhex('80')), err => assertCanonicalError(err, /not a map/, ''))
      // A float and a non-shortest integer among the items, named by index.
      assert.throws(() => decodeEach(unhex('82 01 f93c00'), () => {}), err => assertCanonicalError(err, /floating-point/, '/1'))
      assert.throws(() => decodeEach(unhex('81 1801'), () => {}), err => assertCanonicalError(err, /shortest form/, '/0'))
      assert.throws(() => decodeEach(unhex('a0'), () => {}), err => assertCanonicalError(err, /not an array/, ''))
    })
  })
})
