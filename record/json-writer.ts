/**
 * JSON text written as UTF-8 bytes into one growing buffer: what a node sends
 * when it lists records, written without building the objects
 * `JSON.stringify` would take, nor a string to encode afterwards. Each method
 * writes exactly what `JSON.stringify` writes for its value.
 */
import { putBase64url } from './encoding.js'

const QUOTE = 0x22
const BACKSLASH = 0x5c
/** Spans from this length on are encoded by Node.js: below it, the call and the string cost more than the loop. */
const NATIVE_BASE64URL = 256

/** Whether JSON.stringify writes the code unit other than as itself (or, above ASCII, other than as one byte). */
const needsEscape = (c: number): boolean => c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH

export class JsonWriter {
  #buffer: Buffer
  #at = 0

  constructor (expectedBytes = 4096) {
    this.#buffer = Buffer.allocUnsafe(Math.max(64, expectedBytes))
  }

  /** Room for `bytes` more. */
  #reserve (bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return
    const larger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes))
    this.#buffer.copy(larger, 0, 0, this.#at)
    this.#buffer = larger
  }

  /** How many bytes are written: a mark for `truncate`. */
  get length (): number {
    return this.#at
  }

  /** JSON punctuation and names written in the code: ASCII the caller vouches for. */
  raw (ascii: string): this {
    this.#reserve(ascii.length)
    for (let i = 0; i < ascii.length; i++) this.#buffer[this.#at++] = ascii.charCodeAt(i)
    return this
  }

  /** A string as JSON: printable ASCII byte by byte, anything else as JSON.stringify escapes and encodes it. */
  string (text: string): this {
    this.#reserve(text.length + 2)
    const start = this.#at
    const buffer = this.#buffer
    buffer[this.#at++] = QUOTE
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (needsEscape(c)) {
        this.#at = start
        return this.#encoded(JSON.stringify(text))
      }
      buffer[this.#at++] = c
    }
    buffer[this.#at++] = QUOTE
    return this
  }

  #encoded (text: string): this {
    this.#reserve(Buffer.byteLength(text))
    this.#at += this.#buffer.write(text, this.#at, 'utf8')
    return this
  }

  number (value: number): this {
    return this.raw(JSON.stringify(value))
  }

  /** Any value JSON can hold, as JSON.stringify writes it: scalars here, the rest through JSON.stringify. */
  value (value: unknown): this {
    switch (typeof value) {
      case 'string': return this.string(value)
      case 'number': return this.number(value)
      case 'boolean': return this.raw(value ? 'true' : 'false')
      default:
        if (value === null) return this.raw('null')
        return this.#encoded(JSON.stringify(value) ?? 'null')
    }
  }

  /** `bytes[start, end)` as a JSON string of their base64url form, without padding. */
  base64url (bytes: Uint8Array, start = 0, end = bytes.length): this {
    this.#reserve(Math.ceil((end - start) / 3) * 4 + 2)
    const out = this.#buffer
    out[this.#at++] = QUOTE
    if (end - start < NATIVE_BASE64URL) {
      this.#at = putBase64url(bytes, start, end, out, this.#at)
    } else {
      // An envelope's two kilobytes: Node's encoder is five times the loop's speed, even through a string.
      const digits = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('base64url')
      this.#at += out.write(digits, this.#at, 'latin1')
    }
    out[this.#at++] = QUOTE
    return this
  }

  /**
   * `bytes[start, end)` as a JSON string, if they need no escape: printable
   * ASCII without quote or backslash. False, having written nothing, if not.
   */
  plainString (bytes: Uint8Array, start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (needsEscape(bytes[i] as number)) return false
    this.#reserve(end - start + 2)
    const out = this.#buffer
    out[this.#at++] = QUOTE
    this.#copy(bytes, start, end)
    out[this.#at++] = QUOTE
    return true
  }

  /** Bytes that are JSON already, written as they are (what an earlier writer wrote). */
  json (bytes: Uint8Array, start = 0, end = bytes.length): this {
    this.#reserve(end - start)
    this.#copy(bytes, start, end)
    return this
  }

  #copy (bytes: Uint8Array, start: number, end: number): void {
    const out = this.#buffer
    // A short run costs less copied in a loop than through a native call.
    if (end - start <= 32) {
      let at = this.#at
      for (let i = start; i < end; i++) out[at++] = bytes[i] as number
      this.#at = at
    } else {
      out.set(bytes.subarray(start, end), this.#at)
      this.#at += end - start
    }
  }

  /** Forgets what was written after the mark: a part that turned out not to be writable this way. */
  truncate (mark: number): this {
    this.#at = Math.min(this.#at, mark)
    return this
  }

  /** The bytes written so far, a view of the writer's buffer. */
  written (): Uint8Array {
    return this.#buffer.subarray(0, this.#at)
  }
}
