/**
 * Text encodings of binary values used by the record format: base32 (RFC 4648,
 * lowercase, unpadded) for record ids, base58btc for participant ids and
 * base64url (RFC 4648 §5, unpadded) for bytes inside JSON.
 */

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

const BASE32_CODES = Array.from(BASE32, c => c.charCodeAt(0))
/** Character codes passed to one String.fromCharCode call, at most: a call takes only so many arguments. */
const MOST_ARGUMENTS = 8192

export function base32Encode (bytes: Uint8Array): string {
  // Character codes first, then one string: appending a character at a time
  // leaves a string behind for each one (every record id is written this way).
  const codes = new Array<number>(Math.ceil(bytes.length * 8 / 5))
  let n = 0
  let bits = 0
  let acc = 0
  for (let i = 0; i < bytes.length; i++) {
    // At most 12 bits are ever pending: 4 left over and the 8 just read.
    acc = ((acc << 8) | (bytes[i] as number)) & 0xfff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      codes[n++] = BASE32_CODES[(acc >>> bits) & 31] as number
    }
  }
  if (bits > 0) codes[n++] = BASE32_CODES[(acc << (5 - bits)) & 31] as number
  if (n <= MOST_ARGUMENTS) return String.fromCharCode.apply(null, codes)
  let out = ''
  for (let at = 0; at < n; at += MOST_ARGUMENTS) out += String.fromCharCode.apply(null, codes.slice(at, at + MOST_ARGUMENTS))
  return out
}

export function base32Decode (text: string): Uint8Array {
  const out = new Uint8Array(Math.floor(text.length * 5 / 8))
  let bits = 0
  let acc = 0
  let i = 0
  for (const char of text) {
    const value = BASE32.indexOf(char)
    if (value < 0) throw new SyntaxError(`invalid base32 character ${JSON.stringify(char)}`)
    acc = ((acc << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[i++] = (acc >>> bits) & 0xff
    }
  }
  // Leftover bits must be zero padding, otherwise two texts would name one value.
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) throw new SyntaxError('non-canonical base32 padding')
  return out
}

export function base58Encode (bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  const digits: number[] = []
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i] as number
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] as number) << 8
      digits[j] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = (carry / 58) | 0
    }
  }
  let out = '1'.repeat(zeros)
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58[digits[i] as number]
  return out
}

export function base58Decode (text: string): Uint8Array {
  let zeros = 0
  while (zeros < text.length && text[zeros] === '1') zeros++
  const bytes: number[] = []
  for (let i = zeros; i < text.length; i++) {
    let carry = BASE58.indexOf(text[i] as string)
    if (carry < 0) throw new SyntaxError(`invalid base58 character ${JSON.stringify(text[i])}`)
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] as number) * 58
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  const out = new Uint8Array(zeros + bytes.length)
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i] as number
  return out
}

const BASE64URL_DIGITS = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
/** Below this many bytes a loop beats wrapping the bytes in a Buffer: a record's 16-byte salts, encoded by the dozen. */
const SHORT_BASE64URL = 48
/** Where short encodings are written before they become text: 48 bytes make 64 digits. */
const shortDigits = Buffer.allocUnsafe(64)

/**
 * Writes the base64url digits of `bytes[start, end)`, without padding, as
 * ASCII into `out` from `at`; returns where they end. `out` must have room.
 */
export function putBase64url (bytes: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  const length = end - start
  const whole = start + length - length % 3
  let i = start
  for (; i < whole; i += 3) {
    const n = (bytes[i] as number) << 16 | (bytes[i + 1] as number) << 8 | (bytes[i + 2] as number)
    out[at++] = BASE64URL_DIGITS[n >> 18] as number
    out[at++] = BASE64URL_DIGITS[n >> 12 & 63] as number
    out[at++] = BASE64URL_DIGITS[n >> 6 & 63] as number
    out[at++] = BASE64URL_DIGITS[n & 63] as number
  }
  if (end - whole === 1) {
    const n = bytes[i] as number
    out[at++] = BASE64URL_DIGITS[n >> 2] as number
    out[at++] = BASE64URL_DIGITS[n << 4 & 63] as number
  } else if (end - whole === 2) {
    const n = (bytes[i] as number) << 8 | (bytes[i + 1] as number)
    out[at++] = BASE64URL_DIGITS[n >> 10] as number
    out[at++] = BASE64URL_DIGITS[n >> 4 & 63] as number
    out[at++] = BASE64URL_DIGITS[n << 2 & 63] as number
  }
  return at
}

export function base64urlEncode (bytes: Uint8Array): string {
  if (bytes.byteLength >= SHORT_BASE64URL) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
  return shortDigits.toString('latin1', 0, putBase64url(bytes, 0, bytes.length, shortDigits, 0))
}

const BASE64URL = /^[A-Za-z0-9_-]*$/

export function base64urlDecode (text: string): Uint8Array {
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new SyntaxError('invalid base64url text')
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'))
  // Reject texts with non-zero padding bits: one value, one text.
  if (base64urlEncode(bytes) !== text) throw new SyntaxError('non-canonical base64url text')
  return bytes
}

export function hexEncode (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Bytewise lexicographic order, the order RFC 8949 §4.2.1 sorts map keys by. */
export function compareBytes (a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}
