/**
 * The canonical CBOR encoder (see cbor-model.ts for the data model): shortest heads,
 * map keys sorted by their encoded bytes, already-encoded items spliced in.
 */
import { CanonicalError, EncodedItem, MAX_DEPTH, within } from './cbor-model.js'
import { compareBytes } from './encoding.js'

const utf8Encoder = new TextEncoder()

class Writer {
  bytes: Uint8Array
  view: DataView
  length = 0

  constructor (size = 256) {
    this.bytes = new Uint8Array(size)
    this.view = new DataView(this.bytes.buffer)
  }

  reserve (n: number): void {
    if (this.length + n <= this.bytes.length) return
    let size = this.bytes.length * 2
    while (size < this.length + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.bytes.subarray(0, this.length))
    this.bytes = next
    this.view = new DataView(next.buffer)
  }

  head (major: number, value: number): void {
    this.reserve(9)
    const m = major << 5
    if (value < 24) {
      this.bytes[this.length++] = m | value
    } else if (value < 0x100) {
      this.bytes[this.length++] = m | 24
      this.bytes[this.length++] = value
    } else if (value < 0x10000) {
      this.bytes[this.length++] = m | 25
      this.view.setUint16(this.length, value)
      this.length += 2
    } else if (value < 0x100000000) {
      this.bytes[this.length++] = m | 26
      this.view.setUint32(this.length, value)
      this.length += 4
    } else {
      this.bytes[this.length++] = m | 27
      this.view.setUint32(this.length, Math.floor(value / 0x100000000))
      this.view.setUint32(this.length + 4, value >>> 0)
      this.length += 8
    }
  }

  /** Short ASCII text, the common case, written without the encoder's overhead. */
  ascii (value: string): boolean {
    this.reserve(value.length + 1)
    const start = this.length
    this.bytes[start] = 0x60 | value.length
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i)
      if (c >= 0x80) return false
      this.bytes[start + 1 + i] = c
    }
    this.length = start + 1 + value.length
    return true
  }

  raw (bytes: Uint8Array): void {
    this.reserve(bytes.length)
    this.bytes.set(bytes, this.length)
    this.length += bytes.length
  }

  text (value: string): void {
    if (value.length < 24 && this.ascii(value)) return
    this.reserve(value.length * 3 + 9)
    const start = this.length
    const headSize = value.length * 3 < 24 ? 1 : value.length * 3 < 0x100 ? 2 : value.length * 3 < 0x10000 ? 3 : 5
    const { written } = utf8Encoder.encodeInto(value, this.bytes.subarray(start + headSize))
    const wantHead = written < 24 ? 1 : written < 0x100 ? 2 : written < 0x10000 ? 3 : 5
    if (wantHead !== headSize) this.bytes.copyWithin(start + wantHead, start + headSize, start + headSize + written)
    this.length = start
    this.head(3, written)
    this.length = start + wantHead + written
  }
}

interface SortedKey { readonly key: string, readonly encoded: Uint8Array }

const keyCache = new Map<string, Uint8Array>()

function encodedKey (key: string): Uint8Array {
  let encoded = keyCache.get(key)
  if (encoded === undefined) {
    const w = new Writer()
    w.text(key)
    encoded = w.bytes.slice(0, w.length)
    // Keys repeat across records (field names); bound the cache all the same.
    if (keyCache.size < 4096) keyCache.set(key, encoded)
  }
  return encoded
}

function compareEncoded (a: SortedKey, b: SortedKey): number {
  return compareBytes(a.encoded, b.encoded)
}

function write (w: Writer, value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalError('text with an unpaired surrogate')
      w.text(value)
      return
    case 'number':
      if (!Number.isInteger(value)) {
        throw new CanonicalError(`non-integer number ${value} is not allowed; write it as a decimal string`)
      }
      if (!Number.isSafeInteger(value)) {
        throw new CanonicalError(`integer ${value} is outside ±(2^53 − 1); write it as a decimal string`)
      }
      if (value >= 0) w.head(0, value)
      else w.head(1, -1 - value)
      return
    case 'boolean':
      w.reserve(1)
      w.bytes[w.length++] = value ? 0xf5 : 0xf4
      return
    case 'object':
      break
    default:
      throw new CanonicalError(`${typeof value} values are not allowed`)
  }
  if (value === null) {
    w.reserve(1)
    w.bytes[w.length++] = 0xf6
    return
  }
  if (value instanceof Uint8Array) {
    w.head(2, value.length)
    w.raw(value)
    return
  }
  if (value instanceof EncodedItem) {
    w.raw(value.bytes)
    return
  }
  // Only containers nest, as in the decoder: a byte string is a leaf at any depth.
  if (depth >= MAX_DEPTH) throw new CanonicalError(`nesting deeper than ${MAX_DEPTH} levels`)
  if (Array.isArray(value)) {
    w.head(4, value.length)
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new CanonicalError('sparse arrays are not allowed', [i])
      try {
        write(w, value[i], depth + 1)
      } catch (err) {
        throw within(err, i)
      }
    }
    return
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalError(`${proto?.constructor?.name ?? 'exotic'} objects are not allowed`)
  }
  const keys = Object.keys(value)
  const entries: SortedKey[] = new Array(keys.length)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    if (!key.isWellFormed()) throw new CanonicalError('key with an unpaired surrogate')
    entries[i] = { key, encoded: encodedKey(key) }
  }
  entries.sort(compareEncoded)
  w.head(5, entries.length)
  const record = value as Record<string, unknown>
  for (const { key, encoded } of entries) {
    w.raw(encoded)
    try {
      write(w, record[key], depth + 1)
    } catch (err) {
      throw within(err, key)
    }
  }
}

/**
 * Encodes a value of the record data model; throws CanonicalError naming the
 * offending path. `sizeHint`: the expected length, to spare regrowing the buffer.
 */
export function encodeCanonical (value: unknown, sizeHint = 256): Uint8Array {
  const w = new Writer(Math.max(16, sizeHint))
  write(w, value, 0)
  return w.bytes.slice(0, w.length)
}

// Encoding is synchronous, so one scratch buffer serves every transient encoding.
const scratch = new Writer()

/**
 * Encodes `value` and hands the bytes to `use` without copying them; the view is
 * only valid during the call. For hashing many small values.
 */
export function withCanonical<T> (value: unknown, use: (bytes: Uint8Array) => T): T {
  scratch.length = 0
  write(scratch, value, 0)
  return use(scratch.bytes.subarray(0, scratch.length))
}
