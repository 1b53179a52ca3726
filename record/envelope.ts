/**
 * The envelope: what an issuer signs. Its canonical CBOR bytes are hashed into
 * the record id and signed; the data itself is committed to by `digests`.
 */
import type { CborValue } from './cbor.js'
import { compareBytes } from './encoding.js'
import { DIGEST_BYTES } from './disclosure.js'
import { RecordError } from './errors.js'
import { isParticipantId, isRecordId } from './ids.js'
import { isTimestamp } from './time.js'

export const FORMAT_VERSION = 1
export const MAX_LEAVES = 100_000

/** Registered type names: dotted lowercase words, e.g. `trade.packing-list`. */
export const TYPE_PATTERN = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+$/
/**
 * Consignment references in the style of the WCO Unique Consignment Reference:
 * a year digit, the ISO 3166 country of the exporter, then the exporter's
 * identifier and reference in upper-case letters, digits and `-./`; 35 at most.
 */
export const CONSIGNMENT_PATTERN = /^[0-9][A-Z]{2}[0-9A-Z][0-9A-Z./-]{0,31}$/

export interface Envelope {
  readonly v: typeof FORMAT_VERSION
  readonly type: string
  readonly issuer: string
  readonly consignment?: string
  readonly issuedAt: string
  readonly validUntil?: string
  readonly supersedes?: string
  readonly digests: readonly Uint8Array[]
}

const FIELDS = new Set(['v', 'type', 'issuer', 'consignment', 'issuedAt', 'validUntil', 'supersedes', 'digests'])

function malformed (message: string): RecordError {
  return new RecordError('malformed', `envelope: ${message}`)
}

/** Checks a decoded envelope field by field; throws RecordError('malformed') naming the first fault. */
export function parseEnvelope (value: CborValue): Envelope {
  assertEnvelope(value)
  return value
}

function assertEnvelope (value: unknown): asserts value is Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw malformed('not a map')
  }
  const map = value as Record<string, CborValue>
  for (const key of Object.keys(map)) if (!FIELDS.has(key)) throw malformed(`unknown field ${JSON.stringify(key)}`)
  if (map.v !== FORMAT_VERSION) throw malformed(`unsupported format version ${JSON.stringify(map.v)}`)
  if (typeof map.type !== 'string' || map.type.length > 64 || !TYPE_PATTERN.test(map.type)) throw malformed('type is not a type name')
  if (!isParticipantId(map.issuer)) throw malformed('issuer is not a participant id')
  if (map.consignment !== undefined && (typeof map.consignment !== 'string' || !CONSIGNMENT_PATTERN.test(map.consignment))) {
    throw malformed('consignment is not a consignment reference')
  }
  if (!isTimestamp(map.issuedAt)) throw malformed('issuedAt is not an RFC 3339 UTC timestamp with milliseconds')
  if (map.validUntil !== undefined) {
    if (!isTimestamp(map.validUntil)) throw malformed('validUntil is not an RFC 3339 UTC timestamp with milliseconds')
    if (map.validUntil <= map.issuedAt) throw malformed('validUntil is not after issuedAt')
  }
  if (map.supersedes !== undefined && !isRecordId(map.supersedes)) throw malformed('supersedes is not a record id')
  const digests = map.digests
  if (!Array.isArray(digests)) throw malformed('digests is not an array')
  if (digests.length > MAX_LEAVES) throw malformed(`more than ${MAX_LEAVES} digests`)
  for (let i = 0; i < digests.length; i++) {
    const digest = digests[i]
    if (!(digest instanceof Uint8Array) || digest.length !== DIGEST_BYTES) throw malformed(`digest ${i} is not ${DIGEST_BYTES} bytes`)
    // Sorted and unique: one data set, one envelope.
    if (i > 0 && compareBytes(digests[i - 1] as Uint8Array, digest) >= 0) throw malformed('digests are not sorted and unique')
  }
}

/** The envelope as a CBOR map, leaving out absent optional fields. */
export function envelopeValue (envelope: Envelope): CborValue {
  const out: Record<string, CborValue> = {
    v: envelope.v,
    type: envelope.type,
    issuer: envelope.issuer,
    issuedAt: envelope.issuedAt,
    digests: envelope.digests
  }
  if (envelope.consignment !== undefined) out.consignment = envelope.consignment
  if (envelope.validUntil !== undefined) out.validUntil = envelope.validUntil
  if (envelope.supersedes !== undefined) out.supersedes = envelope.supersedes
  return out
}
