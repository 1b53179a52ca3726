/**
 * The canonical CBOR decoder (see cbor-model.ts for the data model): refuses every
 * input the encoder would not have written, and reads parts of an encoded
 * value (a map's entries, an array's items) beside their encodings.
 */
import { CanonicalError, MAX_DEPTH, within, type CborValue } from './cbor-model.js'
import { compareBytes } from './encoding.js'

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

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

/**
 * Reads canonical CBOR from `offset` on, checking every head it reads. Also
 * for readers of one known shape that copy what they read instead of
 * building values (disclosure-json.ts).
 */
export class CborReader {
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
      const order = compareBytes(previous, encoded)
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
  const reader = new CborReader(options.adopt === true ? bytes : new Uint8Array(bytes))
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
  const reader = new CborReader(bytes)
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
function containerHead (reader: CborReader, major: 4 | 5): number {
  reader.need(1)
  const initial = reader.bytes[reader.offset++] as number
  if (initial >> 5 !== major) throw new CanonicalError(major === 4 ? 'not an array' : 'not a map')
  return reader.argument(initial & 31)
}

/** The number of items of an encoded array, read from its head. */
export function arrayLength (bytes: Uint8Array): number {
  return containerHead(new CborReader(bytes), 4)
}

/**
 * Decodes an encoded array item by item, as decodeCanonical would, and hands
 * `each` every item with its own encoding: a view of `bytes`, which must not
 * change (they are adopted, see DecodeOptions). Returns the number of items.
 */
export function decodeEach (bytes: Uint8Array, each: (value: CborValue, encoded: Uint8Array, index: number) => void): number {
  const reader = new CborReader(bytes)
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
