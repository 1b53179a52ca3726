/**
 * A digest of a JSON request that ignores key order and white space, so that a
 * retried request is recognised however the client serialised it.
 */
import { base64urlEncode, sha256 } from '../../record/index.js'

/** JSON with object keys sorted and undefined members left out: equal values give equal text. */
export function stableJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export function fingerprintOf (request: unknown): string {
  return base64urlEncode(sha256(new TextEncoder().encode(stableJson(request))))
}
