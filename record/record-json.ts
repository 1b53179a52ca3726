/**
 * The JSON transport form of a record: the wire form with byte strings as
 * base64url text, read back into the exact same bytes.
 */
import { encodeCanonical, type CborValue } from './cbor.js'
import type { LeafPath } from './disclosure.js'
import { base64urlDecode, base64urlEncode } from './encoding.js'
import type { TranscribedDisclosures } from './disclosure-json.js'
import type { JsonWriter } from './json-writer.js'
import { asCanonicalError, malformed } from './errors.js'
import { parseRecord, type RecordHead, type SignedRecord } from './record.js'

export interface RecordJson {
  readonly envelope: string
  readonly signature: { readonly suite: string, readonly value: string }
  readonly disclosures: ReadonlyArray<readonly [string, LeafPath, CborValue]>
}

export function recordToJson (record: SignedRecord): RecordJson {
  return {
    envelope: base64urlEncode(record.envelopeBytes),
    signature: { suite: record.signature.suite, value: base64urlEncode(record.signature.value) },
    disclosures: record.disclosures.map(d => [base64urlEncode(d.salt), d.path, d.value] as const)
  }
}

/** Writes what `JSON.stringify(recordToJson(record))` gives, in UTF-8, from the record's head and its transcribed disclosures. */
export function writeRecordJson (out: JsonWriter, head: RecordHead, disclosures: TranscribedDisclosures): void {
  out.raw('{"envelope":').base64url(head.envelopeBytes)
    .raw(',"signature":{"suite":').string(head.signature.suite).raw(',"value":').base64url(head.signature.value)
    .raw('},"disclosures":')
  disclosures.writeTransport(out)
  out.raw('}')
}

/** Reads the JSON transport form back into the exact wire form; throws RecordError. */
export function recordFromJson (json: unknown): SignedRecord {
  const bytes = (text: unknown, what: string): Uint8Array => {
    if (typeof text !== 'string') throw malformed(`${what} is not base64url text`)
    try {
      return base64urlDecode(text)
    } catch {
      throw malformed(`${what} is not base64url text`)
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw malformed('record is not an object')
  const { envelope, signature, disclosures, ...rest } = json as Record<string, unknown>
  if (Object.keys(rest).length > 0) throw malformed(`unknown field ${JSON.stringify(Object.keys(rest)[0])}`)
  if (typeof signature !== 'object' || signature === null) throw malformed('signature is not an object')
  const sig = signature as Record<string, unknown>
  if (!Array.isArray(disclosures)) throw malformed('disclosures is not an array')
  let wire: Uint8Array
  try {
    wire = encodeCanonical({
      envelope: bytes(envelope, 'envelope'),
      signature: { ...sig, value: bytes(sig.value, 'signature value') },
      disclosures: disclosures.map((d: unknown, i) => {
        if (!Array.isArray(d) || d.length !== 3) throw malformed(`disclosure ${i} is not [salt, path, value]`)
        return [bytes(d[0], `disclosure ${i} salt`), d[1], d[2]]
      })
    })
  } catch (err) {
    asCanonicalError(err, 'record')
  }
  return parseRecord(wire)
}
