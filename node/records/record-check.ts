/**
 * The checks a record of another node passes before it is stored: its
 * signature and digests verify, its type is registered, and its data, when
 * complete, fits the type's schema. One module for the verification workers
 * and the node's own thread, so both refuse exactly the same records.
 */
import { dataOf, isComplete, parseRecord, RecordError, verifyRecord, type DataObject, type SignedRecord } from '../../record/index.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import { ServiceError } from '../errors.js'

/** Why a verified record cannot be stored here, if it cannot. `data`: its data, if the caller has rebuilt it already. */
export function schemaRefusal (types: TypeRegistry, record: SignedRecord, data?: DataObject): ServiceError | undefined {
  const type = record.envelope.type
  if (types.get(type) === undefined) return new ServiceError('unregistered-type', `record type ${JSON.stringify(type)} is not registered`)
  if (!isComplete(record)) return undefined
  const violations = types.validate(type, data ?? dataOf(record))
  if (violations.length === 0) return undefined
  return new ServiceError('schema-violation', `data does not match the ${type} schema`, violations.map(v => ({ ...v, path: `/data${v.path}` })))
}

/**
 * Why a received record's wire form is refused — parse, signature, digests,
 * type and schema — as one line for the sender, or null if it may be stored.
 */
export function receivedRefusal (types: TypeRegistry, bytes: Uint8Array): string | null {
  let record: SignedRecord
  let data: DataObject
  try {
    // Adopted: the parsed record lives only for this check.
    record = parseRecord(bytes, { adopt: true })
    data = verifyRecord(record)
  } catch (err) {
    if (err instanceof RecordError) return `${err.code}: ${err.message}`
    throw err
  }
  const refusal = schemaRefusal(types, record, data)
  return refusal === undefined ? null : `${refusal.code}: ${refusal.message}${violationsText(refusal)}`
}

function violationsText (refusal: ServiceError): string {
  const first = refusal.violations[0]
  if (first === undefined) return ''
  const more = refusal.violations.length - 1
  return ` (${first.path} ${first.message}${more > 0 ? `, and ${more} more` : ''})`
}
