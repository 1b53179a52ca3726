/**
 * The reuse ledger: every time a participant received fields of this node's
 * records, its signed receipt says who, which record, which fields, for what
 * purpose and when. Per record and per consignment, with the reuse ratio:
 * how many times state bodies used the elements the owner entered once.
 */
import { parseRecord, type SignedRecord } from '../../record/index.js'
import type { RecordStore } from '../../storage/index.js'
import type { DeliveryService } from '../delivery/delivery-service.js'
import { MAX_CONSIGNMENT_RECORDS, type RecordService } from '../records/record-service.js'
import type { TrustService } from '../trust/trust-service.js'

/** Roles whose receipts count as uses by authorities: the state bodies. */
const STATE_ROLES: ReadonlySet<string> = new Set(['agency'])

export interface ReuseEntry {
  readonly record: string
  readonly type: string
  readonly receiver: string
  readonly name?: string
  readonly role?: string
  readonly competence?: string
  readonly country?: string
  /** Fields received, as the receipt lists them ([""]: all). */
  readonly fields: readonly string[]
  /** How many of the record's fields that is. */
  readonly leaves: number
  readonly purpose?: string
  readonly receivedAt: string
  readonly receipt: string
}

export interface ConsignmentReuse {
  readonly consignment: string
  /** Data elements this node entered: the fields of its current records of the consignment. */
  readonly entered: number
  /** Elements received by state bodies, counted once per receipt. */
  readonly usesByAuthorities: number
  /** usesByAuthorities / entered. */
  readonly reuseRatio: number
  readonly byParticipant: ReadonlyArray<{ readonly participant: string, readonly name?: string, readonly leaves: number, readonly receipts: number }>
  readonly entries: readonly ReuseEntry[]
}

export interface ReuseLedgerComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'participant' | 'now' | 'consignment'>
  readonly delivery: Pick<DeliveryService, 'receipts'>
  readonly trust: Pick<TrustService, 'status'>
}

export function reuseLedger () {
  return (components: ReuseLedgerComponents): ReuseLedger => new ReuseLedger(components)
}

export class ReuseLedger {
  private readonly store: RecordStore
  private readonly records: ReuseLedgerComponents['records']
  private readonly delivery: ReuseLedgerComponents['delivery']
  private readonly trust: ReuseLedgerComponents['trust']

  constructor (components: ReuseLedgerComponents) {
    this.store = components.recordStore
    this.records = components.records
    this.delivery = components.delivery
    this.trust = components.trust
  }

  /** Every receipt of one record, newest last. */
  async ofRecord (record: SignedRecord): Promise<ReuseEntry[]> {
    const out: ReuseEntry[] = []
    for (const { receiver, receipt, fields, purpose, receivedAt } of await this.delivery.receipts(record.id)) {
      const status = await this.trust.status(receiver)
      const c = status.certificate
      out.push({
        record: record.id,
        type: record.envelope.type,
        receiver,
        ...(c !== undefined && { name: c.name, role: c.role, country: c.country, ...(c.competence !== undefined && { competence: c.competence }) }),
        fields: [...fields],
        leaves: fields.length === 1 && fields[0] === '' ? record.envelope.digests.length : fields.length,
        ...(purpose !== undefined && { purpose }),
        receivedAt,
        receipt: receipt.id
      })
    }
    return out.sort((a, b) => a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0)
  }

  async ofConsignment (consignment: string): Promise<ConsignmentReuse> {
    const self = this.records.participant
    const mine = (await this.store.consignment(consignment, MAX_CONSIGNMENT_RECORDS)).map(b => parseRecord(b)).filter(r => r.envelope.issuer === self)
    const replaced = new Set(mine.flatMap(r => r.envelope.supersedes ?? []))
    // Documents only: applications are about the data, not more of it.
    const documents = mine.filter(r => !r.envelope.type.startsWith('application.'))
    const entered = documents.filter(r => !replaced.has(r.id)).reduce((n, r) => n + r.envelope.digests.length, 0)
    const entries = (await Promise.all(documents.map(async r => await this.ofRecord(r)))).flat()
      .sort((a, b) => a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0)
    const byParticipant = new Map<string, { participant: string, name?: string, leaves: number, receipts: number }>()
    let uses = 0
    for (const entry of entries) {
      if (entry.role !== undefined && STATE_ROLES.has(entry.role)) uses += entry.leaves
      const row = byParticipant.get(entry.receiver) ?? { participant: entry.receiver, ...(entry.name !== undefined && { name: entry.name }), leaves: 0, receipts: 0 }
      row.leaves += entry.leaves
      row.receipts++
      byParticipant.set(entry.receiver, row)
    }
    return {
      consignment,
      entered,
      usesByAuthorities: uses,
      reuseRatio: entered === 0 ? 0 : Math.round(uses / entered * 1000) / 1000,
      byParticipant: [...byParticipant.values()],
      entries
    }
  }
}
