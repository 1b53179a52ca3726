/** Protocol messages: canonical CBOR maps that carry their version as `v: 1`. */
import { CanonicalError, decodeCanonical, type CborValue } from '../record/index.js'
import { FrameError } from './stream-io.js'

/** Decodes a message read whole from a stream; its byte strings are views of `bytes`, which the caller hands over. */
export function decodeMessage (bytes: Uint8Array, what: string): Record<string, CborValue> {
  let value: CborValue
  try {
    value = decodeCanonical(bytes, { adopt: true })
  } catch (err) {
    if (err instanceof CanonicalError) throw new FrameError(`${what} is not canonical CBOR: ${err.message}`, { cause: err })
    throw err
  }
  const map = value as Record<string, CborValue>
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || map.v !== 1) {
    throw new FrameError(`${what} must be a map with v: 1`)
  }
  return map
}
