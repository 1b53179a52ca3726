/**
 * Signed records: create, parse, verify (the JSON transport form: record-json.ts).
 *
 * Wire form (canonical CBOR map):
 *   { envelope: bstr (canonical envelope), signature: { suite, value: bstr },
 *     disclosures: [ [salt, path, value], … ] sorted by digest }
 * The signature is over "keruen/record/v1" ‖ 0x00 ‖ envelope bytes.
 */
import { arrayLength, CanonicalError, CborReader, decodeCanonical, decodeEach, EncodedItem, encodedEntries, encodeCanonical, within, type CborValue, type DecodeOptions } from './cbor.js'
import { base64urlEncode, bytesEqual, compareBytes } from './encoding.js'
import {
  DecodedDisclosure, digestOf, digestTextOf, discloseAll, encodeDisclosure, isLeafValue, leavesOf, pathText, rebuild, SALT_BYTES,
  type DataObject, type Disclosure, type Leaf, type LeafPath, type RandomSource
} from './disclosure.js'
import { layoutOf, leavesAt, type DisclosureLayout } from './disclosure-json.js'
import { envelopeValue, FORMAT_VERSION, MAX_LEAVES, parseEnvelope, type Envelope } from './envelope.js'
import { asCanonicalError, malformed, RecordError } from './errors.js'
import { compareDigestText, publicKeyOfParticipant, putDigestText, recordIdOf, sha256Text } from './ids.js'
import { ED25519, suiteNamed, type Signer } from './suites.js'

export const SIGNING_CONTEXT = 'keruen/record/v1'
export const MAX_RECORD_BYTES = 8 * 1024 * 1024

const CONTEXT_PREFIX = new TextEncoder().encode(`${SIGNING_CONTEXT}\0`)

export interface Signature {
  readonly suite: string
  readonly value: Uint8Array
}

export interface SignedRecord {
  readonly id: string
  readonly envelope: Envelope
  readonly envelopeBytes: Uint8Array
  readonly signature: Signature
  /** Disclosed leaves, sorted by digest: all of them, or the subset a holder was given. */
  readonly disclosures: readonly Disclosure[]
  /** The canonical wire form, exactly as signed and stored. */
  readonly bytes: Uint8Array
}

export interface RecordDraft {
  readonly type: string
  readonly consignment?: string
  readonly issuedAt: string
  readonly validUntil?: string
  readonly supersedes?: string
  readonly data: DataObject
}

/** The bytes a signature covers: a fixed context string, a zero byte, the envelope. */
export function signingInput (envelopeBytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(CONTEXT_PREFIX.length + envelopeBytes.length)
  out.set(CONTEXT_PREFIX)
  out.set(envelopeBytes, CONTEXT_PREFIX.length)
  return out
}

function containerBytes (envelopeBytes: Uint8Array, signature: Signature, disclosures: ReadonlyArray<Disclosure | EncodedItem>): Uint8Array {
  let size = envelopeBytes.length + signature.value.length + 64
  for (const d of disclosures) size += d instanceof EncodedItem ? d.bytes.length : 64
  return encodeCanonical({
    envelope: envelopeBytes,
    signature: { suite: signature.suite, value: signature.value },
    disclosures: disclosures.map(d => d instanceof EncodedItem ? d : [d.salt, d.path, d.value])
  }, size)
}

export interface CreateOptions {
  /** Source of salts; cryptographic randomness unless a test needs fixed output. */
  readonly random?: RandomSource
}

/** Builds and signs a complete record. Throws RecordError if the draft cannot be encoded. */
export function createRecord (signer: Signer, draft: RecordDraft, options: CreateOptions = {}): SignedRecord {
  let leaves: Leaf[]
  try {
    leaves = leavesOf(draft.data)
  } catch (err) {
    asCanonicalError(err, 'data')
  }
  if (leaves.length > MAX_LEAVES) throw new RecordError('too-large', `data has ${leaves.length} fields, more than ${MAX_LEAVES}`)
  // Every digest in one buffer: one allocation for the record, not one per field.
  const digestBytes = new Uint8Array(32 * leaves.length)
  const salted = discloseAll(leaves, options.random).map((d, i) => {
    const encoded = encodeDisclosure(d)
    const digest = digestBytes.subarray(32 * i, 32 * i + 32)
    putDigestText(sha256Text(encoded), digest, 0)
    return { d, encoded, digest }
  })
  salted.sort((a, b) => compareBytes(a.digest, b.digest))
  const envelope: Envelope = {
    v: FORMAT_VERSION,
    type: draft.type,
    issuer: signer.participant,
    issuedAt: draft.issuedAt,
    digests: salted.map(s => s.digest),
    ...(draft.consignment !== undefined && { consignment: draft.consignment }),
    ...(draft.validUntil !== undefined && { validUntil: draft.validUntil }),
    ...(draft.supersedes !== undefined && { supersedes: draft.supersedes })
  }
  const value = envelopeValue(envelope)
  const envelopeBytes = encodeCanonical(value, 128 + 34 * salted.length)
  // Refuse to sign what a verifier would refuse to accept. Decoding the bytes
  // would give back `value` itself: the encoding round-trips by construction.
  parseEnvelope(value)
  const signature = { suite: signer.suite, value: signer.sign(signingInput(envelopeBytes)) }
  const disclosures = salted.map(s => s.d)
  const bytes = containerBytes(envelopeBytes, signature, salted.map(s => new EncodedItem(s.encoded)))
  if (bytes.length > MAX_RECORD_BYTES) throw new RecordError('too-large', `record is ${bytes.length} bytes, more than ${MAX_RECORD_BYTES}`)
  return { id: recordIdOf(envelopeBytes), envelope, envelopeBytes, signature, disclosures, bytes }
}

function isMap (value: CborValue | undefined): value is Record<string, CborValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

/**
 * `leafCount` bounds array indexes: an honest record cannot have an array longer
 * than its number of fields, and a huge index would make rebuilding the data
 * allocate without limit.
 */
function parseDisclosure (value: CborValue, encoding: Uint8Array, i: number, leafCount: number): Disclosure {
  if (!Array.isArray(value) || value.length !== 3) throw malformed(`disclosure ${i} is not [salt, path, value]`)
  const [salt, path, leaf] = value as [CborValue, CborValue, CborValue]
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) throw malformed(`disclosure ${i}: salt is not ${SALT_BYTES} bytes`)
  if (!Array.isArray(path) || path.length === 0) throw malformed(`disclosure ${i}: path is not a non-empty array`)
  for (const segment of path as CborValue[]) {
    if (typeof segment !== 'string' && !(typeof segment === 'number' && segment >= 0)) {
      throw malformed(`disclosure ${i}: path segments must be keys or array indexes`)
    }
    if (typeof segment === 'number' && segment >= leafCount) {
      throw malformed(`disclosure ${i}: array index ${segment} is beyond the record's ${leafCount} fields`)
    }
  }
  if (!isLeafValue(leaf)) throw malformed(`disclosure ${i}: value is not a scalar or an empty container`)
  return new DecodedDisclosure(salt, path as LeafPath, leaf, encoding)
}

/**
 * Reads a record's wire form, checking that it is canonical and well formed.
 * Does not check signatures or digests: see verifyRecord.
 */
export function parseRecord (bytes: Uint8Array, options: DecodeOptions = {}): SignedRecord {
  if (bytes.length > MAX_RECORD_BYTES) throw new RecordError('too-large', `record is ${bytes.length} bytes, more than ${MAX_RECORD_BYTES}`)
  // The parts are read from one private copy, so that the record shares no
  // memory with bytes the caller keeps using, unless the caller hands them over.
  const { envelopeBytes, envelope, signature, items } = recordParts(options.adopt === true ? bytes : new Uint8Array(bytes), true)
  return { id: recordIdOf(envelopeBytes), envelope, envelopeBytes, signature, disclosures: parseDisclosures(items as EncodedItems, envelope.digests.length), bytes }
}

/** Decoded items of an array, each beside its own encoding. */
interface EncodedItems { readonly values: CborValue[], readonly encodings: Uint8Array[] }

interface RecordParts {
  readonly envelopeBytes: Uint8Array
  readonly envelope: Envelope
  readonly signature: Signature
  /** The disclosures array as it is encoded. */
  readonly disclosures: Uint8Array
  /** Its items, decoded, when asked for. */
  readonly items?: EncodedItems
}

/**
 * A record's envelope and signature, decoded and checked, and its disclosures
 * encoded, or decoded too (`decode`): a wire form that is not canonical
 * anywhere is then refused as such before any other check.
 */
function recordParts (bytes: Uint8Array, decode: boolean): RecordParts {
  let parts: Map<string, Uint8Array>
  let envelopeBytes: CborValue | undefined
  let signature: CborValue | undefined
  let items: EncodedItems | undefined
  try {
    parts = (decode ? undefined : laidOut(bytes)) ?? encodedEntries(bytes)
    const envelope = parts.get('envelope')
    const sig = parts.get('signature')
    envelopeBytes = envelope === undefined ? undefined : decodeCanonical(envelope, { adopt: true })
    signature = sig === undefined ? undefined : decodeCanonical(sig, { adopt: true })
  } catch (err) {
    if (err instanceof CanonicalError && err.reason === 'not a map' && err.segments.length === 0) notAMap(bytes)
    asCanonicalError(err, 'record')
  }
  const disclosures = parts.get('disclosures')
  if (parts.size !== 3 || envelopeBytes === undefined || signature === undefined || disclosures === undefined) {
    throw malformed('record must have exactly envelope, signature and disclosures')
  }
  if (decode) items = decodeItems(disclosures)
  if (!(envelopeBytes instanceof Uint8Array)) throw malformed('envelope is not a byte string')
  let envelopeMap: CborValue
  try {
    // The envelope bytes are a view of the record's bytes: nothing else holds them.
    envelopeMap = decodeCanonical(envelopeBytes, { adopt: true })
  } catch (err) {
    asCanonicalError(err, 'envelope')
  }
  const envelope = parseEnvelope(envelopeMap)
  if (!isMap(signature) || Object.keys(signature).length !== 2 || typeof signature.suite !== 'string' || !(signature.value instanceof Uint8Array)) {
    throw malformed('signature must be { suite: text, value: bytes }')
  }
  return { envelopeBytes, envelope, signature: { suite: signature.suite, value: signature.value }, disclosures, ...(items !== undefined && { items }) }
}

/** Each key of a record's map as encodeCanonical writes it, in the order it writes them. */
const RECORD_KEYS = ['envelope', 'signature', 'disclosures'].map(key => ({ key, encoded: encodeCanonical(key) }))
const MAP_OF_THREE = 0xa3

/**
 * The record map's entries, each still encoded, where the wire form is laid
 * out as encodeCanonical writes every record; undefined where it is not, and
 * encodedEntries then says what is wrong. Unlike encodedEntries, it does not
 * step through the disclosures, the last entry and most of the bytes: they
 * are left for whoever reads them, who checks them then (see parseHead).
 */
function laidOut (bytes: Uint8Array): Map<string, Uint8Array> | undefined {
  if (bytes[0] !== MAP_OF_THREE) return undefined
  const reader = new CborReader(bytes)
  reader.offset = 1
  const parts = new Map<string, Uint8Array>()
  for (const { key, encoded } of RECORD_KEYS) {
    if (!bytesEqual(bytes.subarray(reader.offset, reader.offset + encoded.length), encoded)) return undefined
    reader.offset += encoded.length
    const start = reader.offset
    if (key === 'disclosures') {
      if (start >= bytes.length) return undefined
      reader.offset = bytes.length
    } else {
      try {
        reader.skip(1)
      } catch (err) {
        if (err instanceof CanonicalError) return undefined
        throw err
      }
    }
    parts.set(key, bytes.subarray(start, reader.offset))
  }
  return parts
}

/** Refuses a wire form that is no map: as not canonical if it is not, else as malformed. */
function notAMap (bytes: Uint8Array): never {
  try {
    decodeCanonical(bytes, { adopt: true })
  } catch (err) {
    asCanonicalError(err, 'record')
  }
  throw malformed('record is not a map')
}

/** The items of a record's disclosures array, decoded, each with its encoding. */
function decodeItems (disclosures: Uint8Array): EncodedItems {
  const values: CborValue[] = []
  const encodings: Uint8Array[] = []
  try {
    decodeEach(disclosures, (value, encoding) => {
      values.push(value)
      encodings.push(encoding)
    })
  } catch (err) {
    if (err instanceof CanonicalError && err.reason === 'not an array' && err.segments.length === 0) throw malformed('disclosures is not an array')
    asCanonicalError(within(err, 'disclosures'), 'record')
  }
  return { values, encodings }
}

/** Checks the decoded disclosures of a record whose envelope signs `leafCount` digests. */
function parseDisclosures ({ values, encodings }: EncodedItems, leafCount: number): Disclosure[] {
  if (values.length > leafCount) throw malformed('more disclosures than digests')
  return values.map((value, i) => parseDisclosure(value, encodings[i] as Uint8Array, i, leafCount))
}

/**
 * A record read again from bytes this process has parsed and verified before
 * (on a verification worker): the envelope is decoded now, the disclosures
 * only when first asked for, so that storing and indexing a received record
 * does not decode every field a second time. Byte strings are views of
 * `bytes`, which must not change. Never for bytes of unknown origin: they go
 * through parseRecord and verifyRecord.
 */
export function parseVerified (bytes: Uint8Array): SignedRecord {
  const { id, envelope, envelopeBytes, signature, disclosures } = parseHead(bytes)
  return new LazilyDisclosed(id, envelope, envelopeBytes, signature, disclosures, bytes)
}

/**
 * The record's disclosed leaves whose paths `wanted` accepts. A record
 * parseVerified read has its disclosures decoded only if something asked for
 * them all: the rest are stepped over, once for all who ask (layoutOf).
 */
export function disclosedLeavesWhere (record: SignedRecord, wanted: (path: LeafPath) => boolean): Leaf[] {
  const read = record instanceof LazilyDisclosed ? record.leavesWhere(wanted) : undefined
  return read ?? record.disclosures.filter(d => wanted(d.path))
}

/** A record's envelope and signature, decoded and checked, and its disclosures as they are encoded. */
export interface RecordHead {
  readonly id: string
  readonly envelope: Envelope
  readonly envelopeBytes: Uint8Array
  readonly signature: Signature
  readonly disclosures: Uint8Array
}

/**
 * The head of a record read again from bytes this process knows (as for
 * parseVerified), its disclosures left encoded, and unchecked, for whoever
 * reads them another way (transcribeDisclosures), who checks them then. Byte
 * strings are views of `bytes`.
 */
export function parseHead (bytes: Uint8Array): RecordHead {
  const { envelopeBytes, envelope, signature, disclosures } = recordParts(bytes, false)
  return { id: recordIdOf(envelopeBytes), envelope, envelopeBytes, signature, disclosures }
}

class LazilyDisclosed implements SignedRecord {
  readonly #encoded: Uint8Array
  #disclosures: readonly Disclosure[] | undefined
  /** Where its disclosures' paths and values are, once a leaf was asked for; null where they cannot be read so. */
  #layout: DisclosureLayout | null | undefined

  constructor (
    readonly id: string,
    readonly envelope: Envelope,
    readonly envelopeBytes: Uint8Array,
    readonly signature: Signature,
    encodedDisclosures: Uint8Array,
    readonly bytes: Uint8Array
  ) {
    this.#encoded = encodedDisclosures
  }

  get disclosures (): readonly Disclosure[] {
    this.#disclosures ??= parseDisclosures(decodeItems(this.#encoded), this.envelope.digests.length)
    return this.#disclosures
  }

  /** The leaves `wanted` accepts, read without decoding the others; undefined once they are decoded, or where they cannot be read so (see layoutOf). */
  leavesWhere (wanted: (path: LeafPath) => boolean): Leaf[] | undefined {
    if (this.#disclosures !== undefined) return undefined
    // Stepped over once, for every reader that asks.
    this.#layout ??= layoutOf(this.#encoded, this.envelope.digests.length) ?? null
    return this.#layout === null ? undefined : leavesAt(this.#encoded, this.#layout, wanted)
  }

  /** How many leaves are disclosed, without decoding them. */
  get disclosed (): number {
    return this.#disclosures?.length ?? arrayLength(this.#encoded)
  }
}

/**
 * Checks the issuer's signature over the envelope and every disclosed leaf
 * against the signed digests. Throws RecordError naming the first failure;
 * returns the data as far as disclosed (see dataOf), which checking built.
 */
export function verifyRecord (record: SignedRecord): DataObject {
  const suite = suiteNamed(record.signature.suite)
  if (suite === undefined) throw new RecordError('unknown-suite', `signature suite ${JSON.stringify(record.signature.suite)} is not supported`)
  const publicKey = suite.name === ED25519 ? publicKeyOfParticipant(record.envelope.issuer) : undefined
  if (publicKey === undefined) throw new RecordError('bad-signature', `issuer ${record.envelope.issuer} has no ${suite.name} key`)
  if (!suite.verify(publicKey, signingInput(record.envelopeBytes), record.signature.value)) {
    throw new RecordError('bad-signature', `signature does not verify under the key of issuer ${record.envelope.issuer}`)
  }
  const digests = record.envelope.digests
  let previous: string | undefined
  record.disclosures.forEach((disclosure, i) => {
    const digest = digestTextOf(disclosure)
    if (!hasDigest(digests, digest)) {
      throw new RecordError('digest-mismatch', `disclosure ${i} (${pathText(disclosure.path)}) matches no signed digest`)
    }
    // Latin1 strings compare in byte order.
    if (previous !== undefined && previous >= digest) throw malformed('disclosures are not sorted by digest and unique')
    previous = digest
  })
  const data = rebuild(record.disclosures, record.envelope.digests.length)
  if (data === undefined) throw malformed('disclosure paths contradict each other')
  return data
}

/** Binary search: the envelope's digests are sorted (parseEnvelope checks it). */
function hasDigest (sorted: readonly Uint8Array[], digest: string): boolean {
  let low = 0
  let high = sorted.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const order = -compareDigestText(digest, sorted[mid] as Uint8Array)
    if (order === 0) return true
    if (order < 0) low = mid + 1
    else high = mid - 1
  }
  return false
}

/** The record's data as far as it is disclosed (undisclosed array slots are null). */
export function dataOf (record: SignedRecord): DataObject {
  const data = rebuild(record.disclosures, record.envelope.digests.length)
  if (data === undefined) throw malformed('disclosure paths contradict each other')
  return data
}

export function isComplete (record: SignedRecord): boolean {
  const disclosed = record instanceof LazilyDisclosed ? record.disclosed : record.disclosures.length
  return disclosed === record.envelope.digests.length
}

/** The same record with only the leaves `keep` accepts disclosed; the signature still verifies. */
export function withDisclosures (record: SignedRecord, keep: (path: LeafPath) => boolean): SignedRecord {
  const disclosures = record.disclosures.filter(d => keep(d.path))
  return { ...record, disclosures, bytes: containerBytes(record.envelopeBytes, record.signature, disclosures) }
}

/**
 * Two copies of one record joined: every leaf disclosed in either. Both must
 * have verified; the result verifies too, since its leaves are theirs.
 */
export function mergeDisclosures (a: SignedRecord, b: SignedRecord): SignedRecord {
  if (a.id !== b.id) throw new RangeError(`cannot merge copies of different records (${a.id}, ${b.id})`)
  const byDigest = new Map<string, { digest: Uint8Array, disclosure: Disclosure }>()
  for (const disclosure of [...a.disclosures, ...b.disclosures]) {
    const digest = digestOf(disclosure)
    byDigest.set(base64urlEncode(digest), { digest, disclosure })
  }
  if (byDigest.size === a.disclosures.length) return a
  const disclosures = [...byDigest.values()].sort((x, y) => compareBytes(x.digest, y.digest)).map(x => x.disclosure)
  return { ...a, disclosures, bytes: containerBytes(a.envelopeBytes, a.signature, disclosures) }
}
