/**
 * GS1 EPCIS 2.0 in its JSON/JSON-LD binding: the five event types, an
 * EPCISDocument that carries them, and how a captured event becomes a record.
 *
 * EPCIS events hold JSON numbers with fractions (quantities, sensor values),
 * which the canonical record format does not. A captured event is therefore
 * kept whole as its JSON text in `data.event`, with the JSON-LD context it is
 * read in, beside the fields that queries and policies select on. Events are
 * checked against GS1's own JSON Schema (gs1/), not a schema of keruen's.
 */
import type { JsonSchema } from './types/definition.js'
import gs1Schema from './gs1/epcis-json-schema.json' with { type: 'json' }

export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const
export type EpcisEventType = typeof EPCIS_EVENT_TYPES[number]
export const MAX_EVENTS_PER_DOCUMENT = 1000
export const MAX_EVENT_JSON = 256 * 1024

/**
 * GS1's EPCIS 2.0 JSON Schema (draft-07), as GS1 publishes it (gs1/README.md):
 * an EPCISDocument, an EPCISQueryDocument, or one event with its `@context`.
 */
export const EPCIS_JSON_SCHEMA = gs1Schema as JsonSchema

/** The JSON-LD context of EPCIS 2.0, which every document names first. */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld'

export type JsonLdContext = Array<string | Record<string, unknown>>

/** Whether a context entry is GS1's EPCIS context, of any 2.0 release or the current one. */
export function isGs1Context (entry: unknown): boolean {
  return typeof entry === 'string' && /^https:\/\/ref\.gs1\.org\/standards\/epcis\/(2\.0\.\d+\/)?epcis-context\.jsonld$/.test(entry)
}

/**
 * The context an event is read in: its document's, then its own, as one list
 * without repeats; GS1's alone when neither names one. Extension fields
 * ("example:temperature") mean what their prefixes are bound to here.
 */
export function effectiveContext (documentContext: unknown, eventContext: unknown): JsonLdContext {
  const out: JsonLdContext = []
  const seen = new Set<string>()
  for (const entry of [...contextList(documentContext), ...contextList(eventContext)]) {
    const key = JSON.stringify(entry)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(entry)
  }
  return out.length === 0 ? [EPCIS_CONTEXT] : out
}

function contextList (context: unknown): JsonLdContext {
  const list = Array.isArray(context) ? context : context === undefined || context === null ? [] : [context]
  return list.filter((c): c is string | Record<string, unknown> => typeof c === 'string' || (typeof c === 'object' && c !== null && !Array.isArray(c)))
}

/** Every EPC an event names, in any role (MATCH_anyEPC); and those it is about (MATCH_epc). */
export function epcsOf (event: Record<string, unknown>): { about: string[], any: string[] } {
  const list = (key: string): string[] => Array.isArray(event[key]) ? (event[key] as unknown[]).filter((x): x is string => typeof x === 'string') : []
  const classes = (key: string): string[] => Array.isArray(event[key]) ? (event[key] as Array<{ epcClass?: unknown }>).flatMap(q => typeof q.epcClass === 'string' ? [q.epcClass] : []) : []
  const about = [...list('epcList'), ...list('childEPCs'), ...list('inputEPCList'), ...list('outputEPCList')]
  const any = [...about, ...(typeof event.parentID === 'string' ? [event.parentID] : []),
    ...classes('quantityList'), ...classes('childQuantityList'), ...classes('inputQuantityList'), ...classes('outputQuantityList')]
  return { about, any }
}
