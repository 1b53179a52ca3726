/**
 * Deterministic CBOR (RFC 8949 §4.2.1) for the record format.
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
export * from './cbor-model.js'
export * from './cbor-encode.js'
export * from './cbor-decode.js'
