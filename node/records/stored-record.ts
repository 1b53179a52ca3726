import type { SignedRecord } from '../../record/index.js'
import { storedBytes } from './record-memo.js'

/**
 * A record read from this node's store, parsed; undefined for bytes that no
 * longer parse or are known not to verify (a damaged record counts for nothing). Not verified again: the
 * store keeps only records that verified when they were stored.
 */
export function storedRecord (bytes: Uint8Array | undefined): SignedRecord | undefined {
  if (bytes === undefined) return undefined
  const read = storedBytes(bytes)
  // A record this process has seen fail verification stays refused.
  return read.reason === undefined ? read.record : undefined
}
