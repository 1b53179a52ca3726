import { parseRecord, RecordError, verifyRecord, type SignedRecord } from '../../record/index.js'

/** A stored record that still verifies, or undefined: a damaged record counts for nothing. */
export function verifiedRecord (bytes: Uint8Array | undefined): SignedRecord | undefined {
  if (bytes === undefined) return undefined
  try {
    const record = parseRecord(bytes)
    verifyRecord(record)
    return record
  } catch (err) {
    if (err instanceof RecordError) return undefined
    throw err
  }
}
