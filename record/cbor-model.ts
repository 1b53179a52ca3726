/**
 * Deterministic CBOR (RFC 8949 §4.2.1) for the record format: the data model
 * and its errors; the encoder and decoder are beside it.
 *
 * The data model is deliberately JSON-shaped so that every record has exactly
 * one encoding and survives a JSON round trip:
 * - integers: safe integers only (|n| ≤ 2^53 − 1), always in the shortest head;
 * - no floating-point values: amounts and measures travel as decimal strings;
 * - text: well-formed Unicode, UTF-8, not normalised;
 * - byte strings (salts, digests, signatures);
 * - arrays; maps whose keys are text, sorted by their encoded bytes, no duplicates;
 * - true, false, null. No undefined, no tags, no indefinite lengths.
 *
 * `decodeCanonical` refuses anything `encodeCanonical` would not have written, so
 * decoding and re-encoding always yields the same bytes.
 */

export type CborValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly CborValue[]
  | { readonly [key: string]: CborValue }

export const MAX_DEPTH = 64

/**
 * Bytes that are already one canonical CBOR item, spliced in verbatim by the
 * encoder: lets a record reuse the encodings it hashed instead of encoding twice.
 * Only the record layer builds these; decoders never return them.
 */
export class EncodedItem {
  constructor (readonly bytes: Uint8Array) {}
}

export class CanonicalError extends Error {
  readonly reason: string
  /** Where the offending value sits, outermost first. */
  readonly segments: Array<string | number>

  constructor (reason: string, segments: Array<string | number> = []) {
    super(reason)
    this.name = 'CanonicalError'
    this.reason = reason
    this.segments = segments
    if (segments.length > 0) this.message = `${this.path}: ${reason}`
  }

  /** JSON Pointer to the offending value ('' for the whole input). */
  get path (): string {
    return this.segments.map(s => `/${typeof s === 'number' ? s : s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
  }
}

/**
 * Adds the segment of the container an error passed through. Paths are built
 * only while an error unwinds: tracking them for every value would cost more
 * than the encoding itself.
 */
export function within (err: unknown, segment: string | number): unknown {
  if (err instanceof CanonicalError) {
    err.segments.unshift(segment)
    err.message = `${err.path}: ${err.reason}`
  }
  return err
}
