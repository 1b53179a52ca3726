/**
 * Typed access to a record's data. A node stores a record only when its data,
 * complete, matched its type's schema (its own records when it signed them,
 * others' when they were received), so the data of a complete record of a
 * type is that type's static data. Data disclosed in part was never checked
 * whole and is not typed.
 */
import type { DataObject } from '../disclosure.js'
import { RecordError } from '../errors.js'
import { dataOf, isComplete, type SignedRecord } from '../record.js'
import type { RecordData, RecordTypeDefinition } from './definition.js'

/** The data of `record` as `definition`'s type; throws RecordError if the record is of another type or not disclosed in full. */
export function dataAs<D extends RecordTypeDefinition> (record: SignedRecord, definition: D): RecordData<D> {
  if (record.envelope.type !== definition.type) {
    throw new RecordError('malformed', `record ${record.id} is a ${record.envelope.type}, not a ${definition.type}`)
  }
  if (!isComplete(record)) {
    throw new RecordError('malformed', `record ${record.id} is disclosed in part; its data was never checked against the ${definition.type} schema`)
  }
  const data: unknown = dataOf(record)
  return data as RecordData<D>
}

/**
 * The type and data of a new record of `definition`'s type, for signing.
 * Schemas only describe values the canonical model carries (see
 * definition.ts), and the record service checks the data against the type's
 * schema before it signs.
 */
export function recordInput<D extends RecordTypeDefinition> (definition: D, data: RecordData<D>): { readonly type: D['type'], readonly data: DataObject } {
  return { type: definition.type, data: data as DataObject }
}
