/**
 * Every record of a type this node holds, read a page at
 * a time from the type's index (or the consignment's): what a service reads
 * when it needs all of a kind — a consignment's payment orders, an agency's
 * rules, the rate schedules. With `current`, only versions nothing supersedes.
 */
import type { SignedRecord } from '../../record/index.js'
import type { RecordStore } from '../../storage/index.js'
import { storedRecord } from './stored-record.js'

export async function heldRecords (store: RecordStore, type: string, options: { consignment?: string | undefined, current?: boolean } = {}): Promise<SignedRecord[]> {
  const out: SignedRecord[] = []
  let cursor: string | undefined
  do {
    const page = await store.list({ type, limit: 500, ...(options.consignment !== undefined && { consignment: options.consignment }), ...(cursor !== undefined && { cursor }) })
    for (const bytes of page.records) {
      const record = storedRecord(bytes)
      if (record === undefined || (options.current === true && (await store.supersessorOf(record.id)) !== undefined)) continue
      out.push(record)
    }
    cursor = page.next
  } while (cursor !== undefined)
  return out
}
