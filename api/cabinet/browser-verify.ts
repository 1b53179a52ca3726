/**
 * The record verifier that runs in the person's browser: a document page
 * fetches the record's exact bytes and checks them there, with the browser's
 * own SHA-256 (WebCrypto), cbor-x and @noble/ed25519, following
 * docs/record-format.md: the id is the envelope's hash, the signature is the
 * issuer's (its key read out of its participant id), every disclosed field
 * is one the issuer signed. What the node says of the record is not taken
 * on trust. The libraries are served from the node's own node_modules.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** Files of packages the page imports, by the path they are served at under /assets/vendor/. */
const VENDOR: Record<string, () => string> = {
  'noble-ed25519.js': () => require.resolve('@noble/ed25519'),
  'cbor-x/decode.js': () => join(dirname(require.resolve('cbor-x/package.json')), 'decode.js'),
  'cbor-x/encode.js': () => join(dirname(require.resolve('cbor-x/package.json')), 'encode.js')
}

const cache = new Map<string, Promise<string>>()

/** The text of a vendored module, or undefined for a path that is not one. */
export async function vendorModule (path: string): Promise<string | undefined> {
  const locate = VENDOR[path]
  if (locate === undefined) return undefined
  let text = cache.get(path)
  if (text === undefined) {
    text = readFile(locate(), 'utf8')
    cache.set(path, text)
  }
  return await text
}

/**
 * The page's module: finds `#browser-check` and fills it with the outcome.
 * It is written out in full, base58 and base32 included, rather than built
 * from the node's record/ code: the point is a check that owes the node nothing.
 */
export const VERIFY_JS = `import { decode } from '/assets/vendor/cbor-x/decode.js'
import { Encoder } from '/assets/vendor/cbor-x/encode.js'
import { verifyAsync } from '/assets/vendor/noble-ed25519.js'

const box = document.getElementById('browser-check')
const encoder = new Encoder({ tagUint8Array: false, useRecords: false, mapsAsObjects: true, variableMapSize: true })
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

async function sha256 (bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}

function base58 (text) {
  let bytes = [0]
  for (const char of text) {
    let carry = ALPHABET.indexOf(char)
    if (carry < 0) throw new Error('the issuer id is not base58')
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i] * 58
      bytes[i] = carry & 0xff
      carry >>= 8
    }
    for (; carry > 0; carry >>= 8) bytes.push(carry & 0xff)
  }
  for (const char of text) { if (char === '1') bytes.push(0); else break }
  return Uint8Array.from(bytes.reverse())
}

function base32 (bytes) {
  const letters = 'abcdefghijklmnopqrstuvwxyz234567'
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) { out += letters[(buffer >> (bits - 5)) & 31]; bits -= 5 }
  }
  if (bits > 0) out += letters[(buffer << (5 - bits)) & 31]
  return out
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])
const hex = (bytes) => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')

async function check (bytes, id) {
  const wire = decode(bytes)
  const envelope = decode(wire.envelope)
  const idOf = 'b' + base32(Uint8Array.of(0x12, 0x20, ...await sha256(wire.envelope)))
  if (idOf !== id) throw new Error('the bytes are not those of record ' + id)
  if (wire.signature.suite !== 'ed25519') throw new Error('unknown signature suite ' + wire.signature.suite)
  const key = base58(envelope.issuer)
  if (key.length !== 38 || !same(key.subarray(0, 6), [0x00, 0x24, 0x08, 0x01, 0x12, 0x20])) throw new Error('the issuer id holds no Ed25519 key')
  const signed = Uint8Array.of(...new TextEncoder().encode('keruen/record/v1'), 0, ...wire.envelope)
  if (!await verifyAsync(wire.signature.value, signed, key.subarray(6))) throw new Error('the signature does not verify')
  const digests = new Set(envelope.digests.map(hex))
  for (const disclosure of wire.disclosures) {
    const [salt, path, value] = disclosure
    const digest = hex(await sha256(encoder.encode([salt, path, typeof value === 'bigint' ? Number(value) : value])))
    if (!digests.has(digest)) throw new Error('a field (' + path.join('/') + ') was not signed by the issuer')
  }
  return wire.disclosures.length
}

if (box !== null) {
  try {
    if (globalThis.crypto?.subtle === undefined) throw new Error(box.dataset.insecure)
    const response = await fetch(box.dataset.bytes)
    if (!response.ok) throw new Error(String(response.status))
    const fields = await check(new Uint8Array(await response.arrayBuffer()), box.dataset.id)
    box.textContent = box.dataset.ok.replace('{fields}', String(fields))
    box.className = 'badge ok'
  } catch (err) {
    box.textContent = box.dataset.bad.replace('{reason}', err.message)
    box.className = 'badge bad'
  }
}
`
