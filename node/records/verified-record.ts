import type { SignedRecord } from '../../record/index.js'
import { checkedBytes } from './record-memo.js'

/** A stored record that still verifies, or undefined: a damaged record counts for nothing. */
export function verifiedRecord (bytes: Uint8Array | undefined): SignedRecord | undefined {
  if (bytes === undefined) return undefined
  const checked = checkedBytes(bytes)
  return checked.reason === undefined ? checked.record : undefined
}
