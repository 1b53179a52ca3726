/**
 * Signature suites. Every signature names its suite so that nationally
 * certified schemes can be added beside Ed25519 without a format change.
 *
 * `ed25519` signs with node:crypto (native, the hot path); keys are 32-byte
 * seeds and public keys as in RFC 8032.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { participantIdOf } from './ids.js'

export const ED25519 = 'ed25519'

/** Signs for one participant; the private key never leaves it. */
export interface Signer {
  readonly suite: string
  readonly participant: string
  readonly publicKey: Uint8Array
  sign (message: Uint8Array): Uint8Array
}

export interface SignatureSuite {
  readonly name: string
  verify (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean
}

// DER prefixes that wrap a raw Ed25519 key as PKCS#8 and SPKI (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

// Parsing a public key costs more than a verification's hashing: keep the recent ones.
const publicKeys = new Map<string, KeyObject>()

function publicKeyObject (publicKey: Uint8Array): KeyObject {
  const cacheKey = Buffer.from(publicKey).toString('base64')
  let key = publicKeys.get(cacheKey)
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
    if (publicKeys.size >= 1024) publicKeys.delete(publicKeys.keys().next().value as string)
    publicKeys.set(cacheKey, key)
  }
  return key
}

export const ed25519: SignatureSuite = {
  name: ED25519,
  verify (publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false
    try {
      return verify(null, message, publicKeyObject(publicKey), signature)
    } catch {
      return false
    }
  }
}

const suites = new Map<string, SignatureSuite>([[ED25519, ed25519]])

export function suiteNamed (name: string): SignatureSuite | undefined {
  return suites.get(name)
}

export function ed25519Signer (seed: Uint8Array): Signer {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed has 32 bytes')
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length))
  return {
    suite: ED25519,
    participant: participantIdOf(publicKey),
    publicKey,
    sign: (message) => new Uint8Array(sign(null, message, privateKey))
  }
}
