/**
 * A record's disclosure as an SD-JWT (RFC 9901, "Selective Disclosure for
 * JWTs"), so that a party without keruen can check it with any SD-JWT library.
 *
 * The issuer signs a fresh JWT (EdDSA, Ed25519, the key inside its participant
 * id) over what the record discloses:
 *
 *   header  { alg: "EdDSA", typ: "dc+sd-jwt", kid: <issuer participant id> }
 *   payload { iss, iat, vct, _sd_alg: "sha-256",
 *             keruen: { record, type, consignment?, issuedAt, validUntil?, supersedes? },
 *             _sd: [ …digests of the data's top-level fields ] }
 *
 * Every object property of the data is a disclosable claim, nested objects
 * carrying their own `_sd`, and every array element a disclosable element
 * (`{ "...": digest }`). Fields that are not disclosed, or that `keep` rejects,
 * leave no trace: no disclosure and no digest (and no decoy digests), so not
 * even their number shows; hidden array elements are dropped, as a verifier
 * drops any array element it has no disclosure for. Salts are fresh, not the
 * record's, so the SD-JWT cannot be matched against the record's digests.
 */
import { hash, randomBytes } from 'node:crypto'
import type { CborValue } from './cbor.js'
import { rebuild, SALT_BYTES, type LeafPath, type RandomSource } from './disclosure.js'
import { base64urlEncode } from './encoding.js'
import { RecordError } from './errors.js'
import { publicKeyOfParticipant } from './ids.js'
import { verifyRecord, type SignedRecord } from './record.js'
import { ED25519, type Signer } from './suites.js'

export const SD_JWT_TYPE = 'dc+sd-jwt'

/** An Ed25519 public key as a JSON Web Key (RFC 8037). */
export interface Ed25519Jwk {
  readonly kty: 'OKP'
  readonly crv: 'Ed25519'
  readonly x: string
  readonly kid: string
}

export interface SdJwtOptions {
  /** Source of salts; cryptographic randomness unless a test needs fixed output. */
  readonly random?: RandomSource
  /** The JWT's `iat`, in seconds since the epoch; now by default. */
  readonly issuedAt?: number
}

/**
 * Top-level names the payload sets itself, or that SD-JWT VC forbids to be
 * selectively disclosed: a data field of that name would clash with them.
 */
const RESERVED_CLAIMS = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status', '_sd_alg', 'keruen'])

/** The public key inside a participant id, for verifiers of the issuer's SD-JWTs (`kid` is the id). */
export function participantJwk (participant: string): Ed25519Jwk {
  const key = publicKeyOfParticipant(participant)
  if (key === undefined) throw new RecordError('malformed', `${JSON.stringify(participant)} is not a participant id`)
  return { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(key), kid: participant }
}

const SALT_POOL = 32

const json = (value: unknown): string => base64urlEncode(Buffer.from(JSON.stringify(value), 'utf8'))

/**
 * The record's disclosed leaves that `keep` accepts, as an SD-JWT
 * `<jwt>~<disclosure>~…~` without key binding, signed by `signer`, who must be
 * the record's issuer: the JWT repeats the issuer's claims under a new
 * signature. Throws RecordError if the record does not verify, the signer is
 * not its issuer, or a kept field name cannot stand in an SD-JWT.
 */
export function toSdJwt (record: SignedRecord, signer: Signer, keep: (path: LeafPath) => boolean, options: SdJwtOptions = {}): string {
  const { envelope } = record
  // 'bad-signature': the JWT would not verify under the key its `iss` and `kid` name.
  if (signer.participant !== envelope.issuer) {
    throw new RecordError('bad-signature', `only the issuer ${envelope.issuer} can sign this record's SD-JWT, not ${signer.participant}`)
  }
  if (signer.suite !== ED25519) throw new RecordError('unknown-suite', `SD-JWT export needs an ${ED25519} signer, not ${signer.suite}`)
  // Never sign, under the issuer's name, data the record does not say.
  verifyRecord(record)

  const kept = record.disclosures.filter(d => keep(d.path))
  const data = rebuild(kept, envelope.digests.length)
  if (data === undefined) throw new RecordError('malformed', 'disclosure paths contradict each other')
  // rebuild fills undisclosed array slots with null; a kept null leaf is told apart by its path.
  const keptNulls = new Set(kept.filter(d => d.value === null).map(d => JSON.stringify(d.path)))

  const random = options.random ?? randomBytes
  // Salts are drawn SALT_POOL at a time: one call for randomness costs more than the rest of a disclosure.
  let salts: Uint8Array = new Uint8Array(0)
  let used = 0
  const salt = (): string => {
    if (used === salts.length) {
      salts = random(SALT_BYTES * SALT_POOL)
      used = 0
      if (salts.length !== SALT_BYTES * SALT_POOL) throw new RangeError('random source returned the wrong number of bytes')
    }
    used += SALT_BYTES
    return base64urlEncode(salts.subarray(used - SALT_BYTES, used))
  }
  const disclosures: string[] = []
  /** Emits one disclosure and returns its digest: sha-256 over the (ASCII) base64url text. */
  const disclose = (...parts: unknown[]): string => {
    const encoded = json([salt(), ...parts])
    disclosures.push(encoded)
    return hash('sha256', encoded, 'base64url')
  }
  const conceal = (value: CborValue, path: LeafPath): unknown => {
    if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value
    if (Array.isArray(value)) {
      const out: unknown[] = []
      value.forEach((item: CborValue, i) => {
        if (item === null && !keptNulls.has(JSON.stringify([...path, i]))) return
        out.push({ '...': disclose(conceal(item, [...path, i])) })
      })
      return out
    }
    const digests: string[] = []
    for (const [name, item] of Object.entries(value)) {
      if (name === '_sd' || name === '...') throw new RecordError('malformed', `field ${JSON.stringify(name)} cannot be a claim of an SD-JWT`)
      if (path.length === 0 && RESERVED_CLAIMS.has(name)) {
        throw new RecordError('malformed', `top-level field ${JSON.stringify(name)} clashes with a JWT claim; leave it out with keep`)
      }
      digests.push(disclose(name, conceal(item, [...path, name])))
    }
    // Sorted, so that the order of the digests tells nothing of the order of the fields.
    return digests.length === 0 ? {} : { _sd: digests.sort() }
  }
  const claims = conceal(data, []) as { _sd?: string[] }

  const header = { alg: 'EdDSA', typ: SD_JWT_TYPE, kid: envelope.issuer }
  const payload = {
    iss: envelope.issuer,
    iat: options.issuedAt ?? Math.floor(Date.now() / 1000),
    vct: `urn:keruen:${envelope.type}`,
    keruen: {
      record: record.id,
      type: envelope.type,
      ...(envelope.consignment !== undefined && { consignment: envelope.consignment }),
      issuedAt: envelope.issuedAt,
      ...(envelope.validUntil !== undefined && { validUntil: envelope.validUntil }),
      ...(envelope.supersedes !== undefined && { supersedes: envelope.supersedes })
    },
    _sd_alg: 'sha-256',
    ...claims
  }
  const signingInput = `${json(header)}.${json(payload)}`
  const signature = base64urlEncode(signer.sign(Buffer.from(signingInput, 'ascii')))
  return `${signingInput}.${signature}~${disclosures.map(d => `${d}~`).join('')}`
}
