/**
 * Deterministic CBOR (RFC 8949 §4.2.1) for the record format.
 *
 * The data model is deliberately JSON-shaped so that every record has exactly
 * one encoding and survives a JSON round trip:
 * - integers: safe integers only (|n| ≤ 2^53 − 1), always in the shortest head;
 * - no floating-point values: amounts and measures travel as decimal strings;
 * - text: well-formed Unicode, UTF-8, not normalised;
 * - byte strings (salts, digests, signatures);
 * - arrays; maps whose keys are text, sorted by their encoded bytes, no duplicates;
 * - true, false, null. No undefined, no tags, no indefinite lengths.
 *
 * `decodeCanonical` refuses anything `encodeCanonical` would not have written, so
 * decoding and re-encoding always yields the same bytes.
 */

export type CborValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly CborValue[]
  | { readonly [key: string]: CborValue }

export const MAX_DEPTH = 64

/**
 * Bytes that are already one canonical CBOR item, spliced in verbatim by the
 * encoder: lets a record reuse the encodings it hashed instead of encoding twice.
 * Only the record layer builds these; decoders never return them.
 */
export class EncodedItem {
  constructor (readonly bytes: Uint8Array) {}
}

export class CanonicalError extends Error {
  readonly reason: string
  /** Where the offending value sits, outermost first. */
  readonly segments: Array<string | number>

  constructor (reason: string, segments: Array<string | number> = []) {
    super(reason)
    this.name = 'CanonicalError'
    this.reason = reason
    this.segments = segments
    if (segments.length > 0) this.message = `${this.path}: ${reason}`
  }

  /** JSON Pointer to the offending value ('' for the whole input). */
  get path (): string {
    return this.segments.map(s => `/${typeof s === 'number' ? s : s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
  }
}

/**
 * Adds the segment of the container an error passed through. Paths are built
 * only while an error unwinds: tracking them for every value would cost more
 * than the encoding itself.
 */
export function within (err: unknown, segment: string | number): unknown {
  if (err instanceof CanonicalError) {
    err.segments.unshift(segment)
    err.message = `${err.path}: ${err.reason}`
  }
  return err
}

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

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
  const x = a.encoded
  const y = b.encoded
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - (y[i] as number)
    if (d !== 0) return d
  }
  return x.length - y.length
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

/** The value of major type 7: false, true or null; floats and other simple values are refused. */
function simpleValue (info: number): boolean | null {
  switch (info) {
    case 20: return false
    case 21: return true
    case 22: return null
    case 25: case 26: case 27:
      throw new CanonicalError('floating-point values are not allowed')
    default:
      throw new CanonicalError(`simple value ${info} is not allowed`)
  }
}

class Reader {
  offset = 0
  readonly view: DataView

  constructor (readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  need (n: number): void {
    if (this.offset + n > this.bytes.length) throw new CanonicalError('truncated input')
  }

  /** Reads an argument, refusing any head that is longer than it has to be. */
  argument (info: number): number {
    if (info < 24) return info
    let value: number
    let min: number
    switch (info) {
      case 24:
        this.need(1)
        value = this.bytes[this.offset] as number
        this.offset += 1
        min = 24
        break
      case 25:
        this.need(2)
        value = this.view.getUint16(this.offset)
        this.offset += 2
        min = 0x100
        break
      case 26:
        this.need(4)
        value = this.view.getUint32(this.offset)
        this.offset += 4
        min = 0x10000
        break
      case 27: {
        this.need(8)
        const high = this.view.getUint32(this.offset)
        const low = this.view.getUint32(this.offset + 4)
        this.offset += 8
        if (high > 0x1fffff) throw new CanonicalError('integer outside ±(2^53 − 1)')
        value = high * 0x100000000 + low
        min = 0x100000000
        break
      }
      case 31:
        throw new CanonicalError('indefinite-length items are not allowed')
      default:
        throw new CanonicalError(`reserved additional information ${info}`)
    }
    if (value < min) throw new CanonicalError('integer not in its shortest form')
    return value
  }

  value (depth: number): CborValue {
    this.need(1)
    const initial = this.bytes[this.offset++] as number
    const major = initial >> 5
    const info = initial & 31
    if (major === 7) return simpleValue(info)
    const arg = this.argument(info)
    switch (major) {
      case 0:
        return arg
      case 1:
        if (arg > Number.MAX_SAFE_INTEGER - 1) throw new CanonicalError('integer outside ±(2^53 − 1)')
        return -1 - arg
      case 2:
        this.need(arg)
        this.offset += arg
        // A view into the decoder's own copy of the input (see decodeCanonical).
        return this.bytes.subarray(this.offset - arg, this.offset)
      case 3: {
        this.need(arg)
        this.offset += arg
        if (arg <= 32) {
          // Short ASCII text, the common case, without the decoder's call overhead.
          let text = ''
          let i = this.offset - arg
          for (; i < this.offset; i++) {
            const c = this.bytes[i] as number
            if (c >= 0x80) break
            text += String.fromCharCode(c)
          }
          if (i === this.offset) return text
        }
        try {
          return utf8Decoder.decode(this.bytes.subarray(this.offset - arg, this.offset))
        } catch {
          throw new CanonicalError('text is not valid UTF-8')
        }
      }
      case 4: {
        if (depth >= MAX_DEPTH) throw new CanonicalError(`nesting deeper than ${MAX_DEPTH} levels`)
        // Every item takes at least one byte: refuse lengths the input cannot hold before allocating.
        this.need(arg)
        const out: CborValue[] = new Array(arg)
        for (let i = 0; i < arg; i++) {
          try {
            out[i] = this.value(depth + 1)
          } catch (err) {
            throw within(err, i)
          }
        }
        return out
      }
      case 5: {
        if (depth >= MAX_DEPTH) throw new CanonicalError(`nesting deeper than ${MAX_DEPTH} levels`)
        this.need(arg * 2)
        const out: Record<string, CborValue> = {}
        let previous: Uint8Array | undefined
        for (let i = 0; i < arg; i++) {
          let key: string
          [key, previous] = this.mapKey(depth + 1, previous)
          let item: CborValue
          try {
            item = this.value(depth + 1)
          } catch (err) {
            throw within(err, key)
          }
          // A plain assignment to "__proto__" would replace the prototype instead of adding a key.
          if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
          else out[key] = item
        }
        return out
      }
      default:
        throw new CanonicalError('tags are not allowed')
    }
  }

  /** Reads a map key, which must be text and come after `previous` (the key before it, encoded) in canonical order; returns it and its encoding. */
  mapKey (depth: number, previous: Uint8Array | undefined): [string, Uint8Array] {
    const start = this.offset
    if (((this.bytes[start] ?? 0) >> 5) !== 3) throw new CanonicalError('map keys must be text')
    const key = this.value(depth) as string
    const encoded = this.bytes.subarray(start, this.offset)
    if (previous !== undefined) {
      const order = compareEncoded({ key: '', encoded: previous }, { key: '', encoded })
      if (order === 0) throw new CanonicalError(`duplicate map key ${JSON.stringify(key)}`)
      if (order > 0) throw new CanonicalError(`map key ${JSON.stringify(key)} out of canonical order`)
    }
    return [key, encoded]
  }

  /** Steps over one item, checking its heads only: no value is built, text is not checked. */
  skip (depth: number): void {
    this.need(1)
    const initial = this.bytes[this.offset++] as number
    const major = initial >> 5
    const info = initial & 31
    if (major === 7) {
      simpleValue(info)
      return
    }
    const arg = this.argument(info)
    switch (major) {
      case 0: case 1:
        return
      case 2: case 3:
        this.need(arg)
        this.offset += arg
        return
      case 4: case 5: {
        if (depth >= MAX_DEPTH) throw new CanonicalError(`nesting deeper than ${MAX_DEPTH} levels`)
        const items = major === 4 ? arg : 2 * arg
        this.need(items)
        for (let i = 0; i < items; i++) this.skip(depth + 1)
        return
      }
      default:
        throw new CanonicalError('tags are not allowed')
    }
  }
}

export interface DecodeOptions {
  /**
   * The caller hands the bytes over and will not change them (a message just
   * read from the network): byte strings may be views of them, with no copy.
   */
  readonly adopt?: boolean
}

/**
 * Decodes deterministic CBOR, refusing every input that is not exactly what
 * encodeCanonical writes. Byte strings come back as views of one private copy
 * of the input (or of the input itself, adopted): they share no memory with
 * bytes the caller keeps using, and a record's hundred salts and digests cost
 * one allocation instead of a hundred.
 */
export function decodeCanonical (bytes: Uint8Array, options: DecodeOptions = {}): CborValue {
  // new Uint8Array copies even a Buffer, whose slice() would share its memory.
  const reader = new Reader(options.adopt === true ? bytes : new Uint8Array(bytes))
  const value = reader.value(0)
  if (reader.offset !== bytes.length) throw new CanonicalError(`${bytes.length - reader.offset} trailing bytes`)
  return value
}

/**
 * The entries of an encoded map, each value still encoded: a view of `bytes`.
 * The map's head and keys are checked as decodeCanonical checks them; the
 * values are only stepped over (decode each to check it).
 */
export function encodedEntries (bytes: Uint8Array): Map<string, Uint8Array> {
  const reader = new Reader(bytes)
  const count = containerHead(reader, 5)
  reader.need(count * 2)
  const entries = new Map<string, Uint8Array>()
  let previous: Uint8Array | undefined
  for (let i = 0; i < count; i++) {
    let key: string
    [key, previous] = reader.mapKey(1, previous)
    const start = reader.offset
    try {
      reader.skip(1)
    } catch (err) {
      throw within(err, key)
    }
    entries.set(key, bytes.subarray(start, reader.offset))
  }
  if (reader.offset !== bytes.length) throw new CanonicalError(`${bytes.length - reader.offset} trailing bytes`)
  return entries
}

/** Reads the head of an array (major type 4) or a map (5): its number of items or entries. */
function containerHead (reader: Reader, major: 4 | 5): number {
  reader.need(1)
  const initial = reader.bytes[reader.offset++] as number
  if (initial >> 5 !== major) throw new CanonicalError(major === 4 ? 'not an array' : 'not a map')
  return reader.argument(initial & 31)
}

/** The number of items of an encoded array, read from its head. */
export function arrayLength (bytes: Uint8Array): number {
  return containerHead(new Reader(bytes), 4)
}

/**
 * Decodes an encoded array item by item, as decodeCanonical would, and hands
 * `each` every item with its own encoding: a view of `bytes`, which must not
 * change (they are adopted, see DecodeOptions). Returns the number of items.
 */
export function decodeEach (bytes: Uint8Array, each: (value: CborValue, encoded: Uint8Array, index: number) => void): number {
  const reader = new Reader(bytes)
  const count = containerHead(reader, 4)
  // Every item takes at least one byte: refuse lengths the input cannot hold.
  reader.need(count)
  for (let i = 0; i < count; i++) {
    const start = reader.offset
    let value: CborValue
    try {
      value = reader.value(1)
    } catch (err) {
      throw within(err, i)
    }
    each(value, bytes.subarray(start, reader.offset), i)
  }
  if (reader.offset !== bytes.length) throw new CanonicalError(`${bytes.length - reader.offset} trailing bytes`)
  return count
}
