/**
 * A registered record type: its name, a human description and the JSON Schema
 * (draft 2020-12) its `data` must satisfy.
 *
 * Schemas only describe values the canonical CBOR model can carry: text,
 * safe integers, booleans, null, arrays and objects with text keys. Amounts,
 * quantities and weights are decimal strings so no precision is ever lost.
 *
 * A built-in type's schema is a TypeBox type: the same declaration is the JSON
 * Schema a node validates with and serves, and the TypeScript type of the data
 * (`RecordData<typeof definition>`).
 */
import type { Static, TSchema } from '@sinclair/typebox'

export interface RecordTypeDefinition<N extends string = string, S extends TSchema = TSchema> {
  /** Registered name, e.g. `trade.invoice`. */
  readonly type: N
  readonly title: string
  readonly description: string
  /** Whether records of this type must name a consignment. */
  readonly consignmentRequired: boolean
  readonly schema: S
}

/** The data of a record of the type `D` defines. */
export type RecordData<D extends RecordTypeDefinition> = Static<D['schema']>

export type JsonSchema = { readonly [key: string]: unknown }
