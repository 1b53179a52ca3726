/**
 * What this process has already made of a record's bytes: the parsed record
 * and, once someone asked, whether it verifies. Both are functions of the
 * bytes alone (no clock, no trust list), so the answer can be kept: the
 * cabinet's pages and the API's lists show the same records request after
 * request, and then pay for a SHA-256 of the bytes instead of a decode.
 *
 * Bytes read from this node's store were verified when they were stored
 * (`keruen doctor` checks them again), so reading them only parses them; bytes
 * from anywhere else are verified before anyone relies on them.
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

/** What the memo knows of a record object it handed out. */
export type Verdict =
  /** Read from this node's store, which keeps only records that verified when stored. */
  | { readonly verified: true, readonly when: 'stored' }
  /** Verified in this process: `reason` says why it failed, if it did. */
  | { readonly verified: boolean, readonly when: 'checked', readonly reason?: string }

interface Entry {
  readonly record?: SignedRecord
  /** Why the bytes do not parse or do not verify. */
  reason?: string
  /** Whether verification has run on these bytes. */
  checked: boolean
  /** Whether the memo holds this entry (and counts it among the refused, once it has a reason). */
  kept?: boolean
}

/**
 * Record bytes kept at most, across every node of the process: some thousand
 * typical records. Parsed, with the view built of it, a record takes some
 * eight times its size on the heap (a typed array per salt, digest and
 * encoding), so this is about 50 MB: more would keep the garbage collector
 * busy moving what a node reading at random hardly ever reads again.
 */
const BUDGET_BYTES = 6 * 1024 * 1024
/** Larger records are parsed every time: keeping one would push out hundreds of others. */
const LARGEST_KEPT = 256 * 1024

const memo = new Map<string, Entry>()
const sizes = new Map<string, number>()
let held = 0
/** How many entries of the memo have a reason: while none has, no bytes need looking up to be known good. */
let refused = 0
/** Record objects this memo answered with, and what it knows of each. */
const verdicts = new WeakMap<SignedRecord, Verdict>()

function parsed (bytes: Uint8Array): Entry {
  try {
    return { record: parseRecord(bytes), checked: false }
  } catch (err) {
    if (!(err instanceof RecordError)) throw err
    return { reason: `${err.code}: ${err.message}`, checked: true }
  }
}

/** Verifies the entry's record once; its verdict then holds for every later caller. */
function verified (entry: Entry): Entry {
  if (entry.checked || entry.record === undefined) return entry
  try {
    verifyRecord(entry.record)
  } catch (err) {
    if (!(err instanceof RecordError)) throw err
    entry.reason = `${err.code}: ${err.message}`
    if (entry.kept === true) refused++
  }
  entry.checked = true
  verdicts.set(entry.record, entry.reason === undefined ? { verified: true, when: 'checked' } : { verified: false, when: 'checked', reason: entry.reason })
  return entry
}

/** The entry for `bytes`, parsed once per process while it stays in the memo. */
function entryOf (bytes: Uint8Array, fromStore: boolean): Entry {
  const remember = (entry: Entry): Entry => {
    if (fromStore && entry.record !== undefined && !verdicts.has(entry.record)) verdicts.set(entry.record, { verified: true, when: 'stored' })
    return entry
  }
  if (bytes.byteLength > LARGEST_KEPT) return remember(parsed(bytes))
  const key = createHash('sha256').update(bytes).digest('base64')
  const known = memo.get(key)
  if (known !== undefined) {
    // Most recently used last: a Map iterates in insertion order.
    memo.delete(key)
    memo.set(key, known)
    return remember(known)
  }
  const entry = remember(parsed(bytes))
  memo.set(key, entry)
  entry.kept = true
  if (entry.reason !== undefined) refused++
  sizes.set(key, bytes.byteLength)
  held += bytes.byteLength
  for (const [oldest, forgotten] of memo) {
    if (held <= BUDGET_BYTES) break
    memo.delete(oldest)
    forgotten.kept = false
    if (forgotten.reason !== undefined) refused--
    held -= sizes.get(oldest) ?? 0
    sizes.delete(oldest)
  }
  return entry
}

function answer (entry: Entry): CheckedRecord | UnreadableRecord {
  if (entry.record === undefined) return { reason: entry.reason as string }
  return entry.reason === undefined ? { record: entry.record } : { record: entry.record, reason: entry.reason }
}

/** The record in `bytes` from anywhere, parsed and verified once per process. */
export function checkedBytes (bytes: Uint8Array): CheckedRecord | UnreadableRecord {
  return answer(verified(entryOf(bytes, false)))
}

/**
 * The record in bytes this node's store returned, parsed once per process and
 * not verified again: it was verified when it was stored. Bytes that no longer
 * parse (a damaged store) are reported with the reason.
 */
export function storedBytes (bytes: Uint8Array): CheckedRecord | UnreadableRecord {
  return answer(entryOf(bytes, true))
}

/**
 * Whether this process found `bytes` not to parse or not to verify, and
 * remembers it. Costs nothing while it remembers no such bytes, the usual
 * case; asking keeps nothing.
 */
export function refuses (bytes: Uint8Array): boolean {
  if (refused === 0 || bytes.byteLength > LARGEST_KEPT) return false
  return memo.get(createHash('sha256').update(bytes).digest('base64'))?.reason !== undefined
}

/** What the memo knows of a record object it handed out; undefined for one it did not. */
export function verdictOf (record: SignedRecord): Verdict | undefined {
  return verdicts.get(record)
}
