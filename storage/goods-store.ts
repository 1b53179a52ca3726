/**
 * Goods by HS code: which records of which consignments carry which codes,
 * so that records and consignments are found by goods, and a regulatory
 * change finds the consignments it concerns, without reading every record;
 * and the changes whose notices are still to be sent.
 *
 *   by-hs-code          hsCode␀consignment␀recordId → issuedAt
 *   regulation-notices  recordId → '' (a measure or code list whose notice is not yet queued)
 *   goods-meta          'indexed' → '1' once the records held before the index existed are in it
 */
import type { Database, Sublevel, WriteOp } from './database.js'

const SEP = '\u0000'

export interface GoodsEntry {
  readonly hsCode: string
  readonly consignment: string
  readonly record: string
  readonly issuedAt: string
}

export class GoodsStore {
  private readonly byCode: Sublevel<string>
  private readonly notices: Sublevel<string>
  private readonly meta: Sublevel<string>

  constructor (db: Database) {
    this.byCode = db.sublevel<string>('by-hs-code', 'utf8')
    this.notices = db.sublevel<string>('regulation-notices', 'utf8')
    this.meta = db.sublevel<string>('goods-meta', 'utf8')
  }

  /** Whether every record held is in the index (a folder made before it was, until its first start since). */
  async complete (): Promise<boolean> {
    return (await this.meta.get('indexed')) === '1'
  }

  completeOps (): WriteOp[] {
    return [{ type: 'put', sublevel: this.meta, key: 'indexed', value: '1' } as WriteOp]
  }

  /** Index entries for a record's goods, in the record's own batch. */
  goodsOps (record: string, consignment: string, issuedAt: string, hsCodes: Iterable<string>): WriteOp[] {
    return [...new Set(hsCodes)].map(code => ({ type: 'put', sublevel: this.byCode, key: `${code}${SEP}${consignment}${SEP}${record}`, value: issuedAt } as WriteOp))
  }

  /** Records whose goods start with `prefix` (every code when it is empty), at most `max`. */
  async withGoods (prefix: string, max: number): Promise<GoodsEntry[]> {
    const rows = await this.byCode.iterator({ gte: prefix, lt: `${prefix}\uffff`, limit: max }).all()
    return rows.map(([key, issuedAt]) => {
      const [hsCode = '', consignment = '', record = ''] = key.split(SEP)
      return { hsCode, consignment, record, issuedAt }
    })
  }

  /** Marks a change whose notice is to be sent, in the change's own batch: a crash before it is sent loses nothing. */
  noticeOps (record: string): WriteOp[] {
    return [{ type: 'put', sublevel: this.notices, key: record, value: '' } as WriteOp]
  }

  noticeDoneOps (record: string): WriteOp[] {
    return [{ type: 'del', sublevel: this.notices, key: record } as WriteOp]
  }

  async pendingNotices (): Promise<string[]> {
    return await this.notices.keys().all()
  }
}
