/**
 * The eventID keruen gives an EPCIS event captured without one. EPCIS 2.0
 * asks for a globally unique URI; GS1 names two kinds, a UUID URN (RFC 9562)
 * and the CBV event hash ID. keruen assigns a name-based UUID (version 5): the
 * SHA-1 of this namespace and the event's canonical JSON, in the context it is
 * read in. The same event captured twice, by whoever, gets the same id.
 */
import { createHash } from 'node:crypto'
import { stableJson } from '../records/fingerprint.js'
import type { JsonLdContext } from '../../record/index.js'

/** The namespace of keruen's event ids (a random UUID, fixed for good). */
const NAMESPACE = '0b6f3d3e-5c1a-4f7e-9d2b-8a41c6e2f957'

export function assignedEventId (event: Record<string, unknown>, context: JsonLdContext): string {
  const { eventID: _ignored, '@context': _own, ...rest } = event
  const hash = createHash('sha1')
    .update(Buffer.from(NAMESPACE.replaceAll('-', ''), 'hex'))
    .update(stableJson({ '@context': context, ...rest }))
    .digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50 // version 5
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80 // RFC 9562 variant
  const hex = bytes.toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
