/**
 * The record store checked against itself, for `keruen doctor`: every record
 * readable, passing the caller's check (its signature, for one) and stored
 * under its own id; every index entry a record needs present with the value
 * it needs; every index entry needed by the record it names.
 */
import type { SignedRecord } from '../record/index.js'
import type { Bytes, Sublevel } from './database.js'

/** Why a record's bytes are unsound, or null if they are sound. */
export type RecordCheck = (bytes: Bytes) => string | null

export interface AuditFinding {
  /** The record or index entry at fault. */
  readonly where: string
  readonly problem: string
}

export interface AuditReport {
  readonly records: number
  readonly indexEntries: number
  /** The first MAX_FINDINGS problems found. */
  readonly findings: readonly AuditFinding[]
  /** Problems found beyond those listed. */
  readonly unlisted: number
}

export const MAX_FINDINGS = 1000
/** Records or entries read and checked at a time. */
const BATCH = 256

interface IndexEntry {
  readonly index: Sublevel<string>
  readonly key: string
  readonly value: string
}

/** What the audit reads of a record store. */
export interface AuditedStore {
  readonly records: Sublevel<Bytes>
  /** Each index by the name a finding gives it. */
  readonly indexes: Readonly<Record<string, Sublevel<string>>>
  readonly resolveMany: (stored: ReadonlyArray<Bytes | undefined>) => Promise<Array<Bytes | undefined>>
  /** The index entries a record needs. */
  readonly entriesOf: (record: SignedRecord) => IndexEntry[]
  /** The id of the record an index entry names. */
  readonly idOf: (index: Sublevel<string>, key: string, value: string) => string
  readonly parse: (bytes: Bytes) => SignedRecord
}

export async function auditRecords (store: AuditedStore, check: RecordCheck): Promise<AuditReport> {
  const findings: AuditFinding[] = []
  let unlisted = 0
  let records = 0
  let indexEntries = 0
  const find = (where: string, problem: string): void => {
    if (findings.length < MAX_FINDINGS) findings.push({ where, problem }); else unlisted++
  }
  const nameOf = new Map(Object.entries(store.indexes).map(([name, index]) => [index, name]))
  const parsed = (bytes: Bytes | string | undefined): SignedRecord | undefined => {
    if (bytes === undefined || typeof bytes === 'string') return undefined
    try {
      return store.parse(bytes)
    } catch {
      return undefined
    }
  }

  // Each record, and the index entries it needs.
  for await (const batch of batches(store.records.iterator())) {
    records += batch.length
    const values = await resolveEach(store, batch.map(([, stored]) => stored))
    const needed = new Map<Sublevel<string>, Array<IndexEntry & { id: string }>>()
    batch.forEach(([id], i) => {
      const bytes = values[i]
      if (typeof bytes === 'string' || bytes === undefined) {
        find(`record ${id}`, bytes ?? 'has no value')
        return
      }
      const problem = check(bytes)
      if (problem !== null) find(`record ${id}`, problem)
      const record = parsed(bytes)
      if (record === undefined) return
      if (record.id !== id) find(`record ${id}`, `is stored under another id: its bytes are record ${record.id}`)
      for (const entry of store.entriesOf(record)) {
        const list = needed.get(entry.index) ?? []
        list.push({ ...entry, id })
        needed.set(entry.index, list)
      }
    })
    for (const [index, wanted] of needed) {
      const got = await index.getMany(wanted.map(w => w.key))
      wanted.forEach((w, i) => {
        const value = got[i]
        if (value === undefined) find(`record ${w.id}`, `has no ${nameOf.get(index) ?? 'index'} entry ${printable(w.key)}`)
        else if (value !== w.value) find(`record ${w.id}`, `its ${nameOf.get(index) ?? 'index'} entry ${printable(w.key)} holds ${printable(value)}, not ${printable(w.value)}`)
      })
    }
  }

  // Each index entry, against the record it names.
  for (const [name, index] of Object.entries(store.indexes)) {
    for await (const batch of batches(index.iterator())) {
      indexEntries += batch.length
      const ids = batch.map(([key, value]) => store.idOf(index, key, value))
      const values = await resolveEach(store, await store.records.getMany(ids))
      batch.forEach(([key], i) => {
        const bytes = values[i]
        if (bytes === undefined) {
          find(`${name} entry ${printable(key)}`, `names record ${ids[i] ?? ''}, which is not stored`)
          return
        }
        const record = parsed(bytes)
        // An unreadable record is reported once, above.
        if (record === undefined) return
        if (!store.entriesOf(record).some(e => e.index === index && e.key === key)) {
          find(`${name} entry ${printable(key)}`, `names record ${record.id}, which does not need it`)
        }
      })
    }
  }
  return { records, indexEntries, findings, unlisted }
}

/** The values read back; where one cannot be, why (as a string). */
async function resolveEach (store: AuditedStore, stored: ReadonlyArray<Bytes | undefined>): Promise<Array<Bytes | string | undefined>> {
  try {
    return await store.resolveMany(stored)
  } catch {
    // One bad pointer fails the whole read: find which.
    return await Promise.all(stored.map(async s => {
      try {
        return (await store.resolveMany([s]))[0]
      } catch (err) {
        return `cannot be read: ${(err as Error).message}`
      }
    }))
  }
}

async function * batches<K, V> (entries: AsyncIterable<[K, V]>): AsyncGenerator<Array<[K, V]>> {
  let batch: Array<[K, V]> = []
  for await (const entry of entries) {
    batch.push(entry)
    if (batch.length >= BATCH) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

/** An index key as a person can read it: the separator shown as ␀. */
function printable (key: string): string {
  return JSON.stringify(key.replaceAll('\u0000', '␀'))
}
