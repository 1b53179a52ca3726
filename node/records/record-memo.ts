/**
 * What this process has already made of a record's bytes: the parsed record
 * and whether it verifies. Both are functions of the bytes alone (no clock, no
 * trust list), so the answer can be kept: the cabinet's pages and the API's
 * lists show the same records request after request, and then pay for a
 * SHA-256 of the bytes instead of a signature check and a full decode.
 * Bounded by the bytes it holds; the least recently used are forgotten first.
 */
import { createHash } from 'node:crypto'
import { parseRecord, RecordError, verifyRecord, type SignedRecord } from '../../record/index.js'

/** Bytes parsed: the record, and why it does not verify (undefined: it does). */
export interface CheckedRecord {
  readonly record: SignedRecord
  readonly reason?: string
}

/** Bytes that do not even parse. */
export interface UnreadableRecord {
  readonly record?: undefined
  readonly reason: string
}

/** Record bytes kept at most, across every node of the process: some thousands of typical records. */
const BUDGET_BYTES = 24 * 1024 * 1024
/** Larger records are checked every time: keeping one would push out hundreds of others. */
const LARGEST_KEPT = 256 * 1024

const memo = new Map<string, CheckedRecord | UnreadableRecord>()
const sizes = new Map<string, number>()
let held = 0
/** Record objects this memo answered with, so that a caller holding one need not check it again. */
const answered = new WeakMap<SignedRecord, CheckedRecord>()

function check (bytes: Uint8Array): CheckedRecord | UnreadableRecord {
  let record: SignedRecord
  try {
    record = parseRecord(bytes)
  } catch (err) {
    if (!(err instanceof RecordError)) throw err
    return { reason: `${err.code}: ${err.message}` }
  }
  try {
    verifyRecord(record)
    return { record }
  } catch (err) {
    if (!(err instanceof RecordError)) throw err
    return { record, reason: `${err.code}: ${err.message}` }
  }
}

/** The record in `bytes`, parsed and verified once per process. */
export function checkedBytes (bytes: Uint8Array): CheckedRecord | UnreadableRecord {
  if (bytes.byteLength > LARGEST_KEPT) return check(bytes)
  const key = createHash('sha256').update(bytes).digest('base64')
  const known = memo.get(key)
  if (known !== undefined) {
    // Most recently used last: a Map iterates in insertion order.
    memo.delete(key)
    memo.set(key, known)
    return known
  }
  const checked = check(bytes)
  memo.set(key, checked)
  sizes.set(key, bytes.byteLength)
  held += bytes.byteLength
  if (checked.record !== undefined) answered.set(checked.record, checked)
  for (const [oldest] of memo) {
    if (held <= BUDGET_BYTES) break
    memo.delete(oldest)
    held -= sizes.get(oldest) ?? 0
    sizes.delete(oldest)
  }
  return checked
}

/** What the memo found of a record object it handed out; undefined for one it did not. */
export function checkedBefore (record: SignedRecord): CheckedRecord | undefined {
  return answered.get(record)
}
