/**
 * A registered record type: its name, a human description and the JSON Schema
 * (draft 2020-12) its `data` must satisfy.
 *
 * Schemas only describe values the canonical CBOR model can carry: text,
 * safe integers, booleans, null, arrays and objects with text keys. Amounts,
 * quantities and weights are decimal strings so no precision is ever lost.
 */
export interface RecordTypeDefinition {
  /** Registered name, e.g. `trade.invoice`. */
  readonly type: string
  readonly title: string
  readonly description: string
  /** Whether records of this type must name a consignment. */
  readonly consignmentRequired: boolean
  readonly schema: JsonSchema
}

export type JsonSchema = { readonly [key: string]: unknown }
