/**
 * JSON text written as UTF-8 bytes into one growing buffer: what a node sends
 * when it lists records, written without building the objects
 * `JSON.stringify` would take, nor a string to encode afterwards. Each method
 * writes exactly what `JSON.stringify` writes for its value.
 */

const BASE64URL = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
const QUOTE = 0x22
const BACKSLASH = 0x5c

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
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
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
    const length = end - start
    this.#reserve(Math.ceil(length / 3) * 4 + 2)
    const out = this.#buffer
    let at = this.#at
    out[at++] = QUOTE
    const whole = start + length - length % 3
    let i = start
    for (; i < whole; i += 3) {
      const n = (bytes[i] as number) << 16 | (bytes[i + 1] as number) << 8 | (bytes[i + 2] as number)
      out[at++] = BASE64URL[n >> 18] as number
      out[at++] = BASE64URL[n >> 12 & 63] as number
      out[at++] = BASE64URL[n >> 6 & 63] as number
      out[at++] = BASE64URL[n & 63] as number
    }
    if (end - whole === 1) {
      const n = bytes[i] as number
      out[at++] = BASE64URL[n >> 2] as number
      out[at++] = BASE64URL[n << 4 & 63] as number
    } else if (end - whole === 2) {
      const n = (bytes[i] as number) << 8 | (bytes[i + 1] as number)
      out[at++] = BASE64URL[n >> 10] as number
      out[at++] = BASE64URL[n >> 4 & 63] as number
      out[at++] = BASE64URL[n << 2 & 63] as number
    }
    out[at++] = QUOTE
    this.#at = at
    return this
  }

  /**
   * `bytes[start, end)` as a JSON string, if they need no escape: printable
   * ASCII without quote or backslash. False, having written nothing, if not.
   */
  plainString (bytes: Uint8Array, start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
      const c = bytes[i] as number
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return false
    }
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
