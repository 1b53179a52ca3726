/**
 * What refers to an application: status changes, missing-data requests and
 * decisions, found without scanning every record.
 *
 *   by-application   applicationId␀issuedAt␀recordId → record type
 */
import type { Database, Sublevel, WriteOp } from './database.js'

const SEP = '\u0000'

export class ApplicationStore {
  private readonly refs: Sublevel<string>

  constructor (db: Database) {
    this.refs = db.sublevel<string>('by-application', 'utf8')
  }

  /** Index entry for a record about an application, in the record's own batch. */
  refOps (applicationId: string, issuedAt: string, recordId: string, type: string): WriteOp[] {
    return [{ type: 'put', sublevel: this.refs, key: `${applicationId}${SEP}${issuedAt}${SEP}${recordId}`, value: type } as WriteOp]
  }

  /** Records about an application, oldest first. */
  async refsOf (applicationId: string): Promise<Array<{ recordId: string, type: string }>> {
    const rows = await this.refs.iterator({ gt: `${applicationId}${SEP}`, lt: `${applicationId}\u0001` }).all()
    return rows.map(([key, type]) => ({ recordId: key.slice(key.lastIndexOf(SEP) + 1), type }))
  }
}
