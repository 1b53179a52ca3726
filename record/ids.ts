/**
 * Record ids and participant ids.
 *
 * A record id is the content address of the canonical envelope: the sha-256
 * multihash (0x12, 0x20, digest) in multibase base32 ("b" + RFC 4648 lowercase,
 * unpadded), e.g. `bciq…`, 56 characters.
 *
 * A participant id is the libp2p peer id of the participant's Ed25519 key: the
 * identity multihash (0x00, 0x24) of the protobuf-encoded public key (0x08 0x01
 * 0x12 0x20, key) in base58btc, e.g. `12D3KooW…`. The key is inside the id, so a
 * verifier needs nothing but the id to check an issuer's signature, and the
 * Noise handshake that authenticates a libp2p peer authenticates the participant.
 */
import { hash } from 'node:crypto'
import { base32Decode, base32Encode, base58Decode, base58Encode } from './encoding.js'

const SHA256_MULTIHASH = Uint8Array.of(0x12, 0x20)
const ED25519_IDENTITY_PREFIX = Uint8Array.of(0x00, 0x24, 0x08, 0x01, 0x12, 0x20)

export const RECORD_ID_PATTERN = /^bciq[a-z2-7]{52}$/
export const PARTICIPANT_ID_PATTERN = /^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/

export function sha256 (bytes: Uint8Array): Uint8Array {
  // A view of the digest, not a copy: records hash every field, so copies add up.
  const digest = hash('sha256', bytes, 'buffer')
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

/**
 * The digest as a latin1 string, one character per byte. node:crypto builds a
 * Buffer for a binary digest, an allocation outside the JS heap that costs
 * three times the hash of a field; a short string costs nothing of the kind,
 * and compares in byte order.
 */
export function sha256Text (bytes: Uint8Array): string {
  // 'binary' is Node's name for latin1.
  return hash('sha256', bytes, 'binary')
}

/** Writes a sha256Text digest into `target` at `offset`. */
export function putDigestText (digest: string, target: Uint8Array, offset: number): void {
  for (let i = 0; i < digest.length; i++) target[offset + i] = digest.charCodeAt(i)
}

/** Byte order of a sha256Text digest against digest bytes. */
export function compareDigestText (digest: string, bytes: Uint8Array): number {
  const n = Math.min(digest.length, bytes.length)
  for (let i = 0; i < n; i++) {
    const d = digest.charCodeAt(i) - (bytes[i] as number)
    if (d !== 0) return d
  }
  return digest.length - bytes.length
}

export function recordIdOf (envelopeBytes: Uint8Array): string {
  const multihash = new Uint8Array(34)
  multihash.set(SHA256_MULTIHASH)
  multihash.set(sha256(envelopeBytes), 2)
  return `b${base32Encode(multihash)}`
}

export function isRecordId (text: unknown): text is string {
  if (typeof text !== 'string' || !RECORD_ID_PATTERN.test(text)) return false
  try {
    base32Decode(text.slice(1))
    return true
  } catch {
    return false
  }
}

export function participantIdOf (ed25519PublicKey: Uint8Array): string {
  if (ed25519PublicKey.length !== 32) throw new RangeError('an Ed25519 public key has 32 bytes')
  const bytes = new Uint8Array(38)
  bytes.set(ED25519_IDENTITY_PREFIX)
  bytes.set(ed25519PublicKey, 6)
  return base58Encode(bytes)
}

// Ids recur on every record of a participant; decoding base58 each time is wasted work.
const knownKeys = new Map<string, Uint8Array>()

/** The Ed25519 public key inside a participant id, or undefined if the text is not one. */
export function publicKeyOfParticipant (id: string): Uint8Array | undefined {
  const known = knownKeys.get(id)
  if (known !== undefined) return known.slice()
  const key = decodeParticipantId(id)
  if (key !== undefined) {
    if (knownKeys.size >= 4096) knownKeys.delete(knownKeys.keys().next().value as string)
    knownKeys.set(id, key.slice())
  }
  return key
}

function decodeParticipantId (id: string): Uint8Array | undefined {
  if (!PARTICIPANT_ID_PATTERN.test(id)) return undefined
  let bytes: Uint8Array
  try {
    bytes = base58Decode(id)
  } catch {
    return undefined
  }
  if (bytes.length !== 38) return undefined
  for (let i = 0; i < ED25519_IDENTITY_PREFIX.length; i++) if (bytes[i] !== ED25519_IDENTITY_PREFIX[i]) return undefined
  return bytes.slice(6)
}

export function isParticipantId (text: unknown): text is string {
  return typeof text === 'string' && publicKeyOfParticipant(text) !== undefined
}
