/**
 * Regulatory measures and the tariff finder. Agencies publish the measures
 * they apply (`regulation.measure`); every certified node holds them. From
 * an HS code, a direction and the countries, this service answers every
 * measure in force and why it applies. It also keeps the goods index (which
 * records of which consignments carry which HS codes), and when a measure or
 * a code list changes it finds what that concerns here and says so: on the
 * event stream and to webhooks, the notice queued durably.
 */
import { dataOf, disclosedLeavesWhere, type SignedRecord } from '../../record/index.js'
import { codedFields, codedLeafValues, isCodedPath } from '../../record/reference/coded-fields.js'
import { COUNTRY_GROUPS, inCountries } from '../../record/reference/country-groups.js'
import { recordInput, RecordTypes, type RegulationMeasureData } from '../../record/types/index.js'
import { regulationMeasure, type TRADE_DIRECTIONS } from '../../record/types/regulation-measure.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import type { Database, GoodsStore, RecordStore } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordIndexes } from '../records/record-indexes.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import { heldRecords } from '../records/held-records.js'
import { storedRecord } from '../records/stored-record.js'
import type { BackgroundTasks } from '../runtime/background.js'
import type { Startable } from '../runtime/lifecycle.js'
import type { WebhookService } from '../workflow/webhook-service.js'
import type { CodeListService } from './codelist-service.js'

export const MEASURE = RecordTypes.regulationMeasure
const HS_LIST = 'hs-2022'

export type Direction = typeof TRADE_DIRECTIONS[number]

/** A measure in force, as held here. */
export type Measure = RegulationMeasureData & {
  readonly record: string
  readonly agency: string
  readonly issuedAt: string
  readonly supersedes?: string
}

/** A measure that applies to goods, with why. */
export interface ApplicableMeasure {
  readonly measure: Measure
  /** "0813 10 is in 0813; export; from KZ; to DE (EU)". */
  readonly because: string
}

export interface TariffQuery {
  readonly hsCode: string
  readonly direction: Direction
  readonly origin?: string | undefined
  readonly destination?: string | undefined
  /** The day the goods cross (YYYY-MM-DD); today if not given. */
  readonly day?: string | undefined
}

/** Consignments whose goods a change may concern: those with records of the last half year. */
const RECENT_DAYS = 183
/** At most this many consignments are named in one notice. */
const MAX_NAMED = 1000

export interface MeasureServiceComponents {
  readonly db: Database
  readonly recordStore: RecordStore
  readonly goodsStore: GoodsStore
  readonly records: Pick<RecordService, 'create' | 'now'>
  readonly types: TypeRegistry
  readonly indexes: RecordIndexes
  readonly events: NodeEvents
  readonly background: BackgroundTasks
  readonly webhooks: Pick<WebhookService, 'notificationOps' | 'sent'>
  readonly codelists: Pick<CodeListService, 'find' | 'entry'>
}

export function measureService () {
  return (components: MeasureServiceComponents): MeasureService => new MeasureService(components)
}

/** An HS code as people write it: `0813 10`. */
export const spaced = (code: string): string => code.length <= 4 ? code : `${code.slice(0, 4)} ${code.slice(4, 6)}${code.length > 6 ? ` ${code.slice(6)}` : ''}`

const dayOf = (instant: string): string => instant.slice(0, 10)

/** ` (EU)` when a measure names the country through a group, not by itself. */
const groupsOf = (country: string, list: readonly string[] | undefined): string => {
  if (list === undefined || list.includes(country)) return ''
  const groups = list.filter(g => COUNTRY_GROUPS[g]?.includes(country) === true)
  return groups.length > 0 ? ` (${groups.join(', ')})` : ''
}

export class MeasureService {
  /** Measures in force or to come, by record id; a superseded one is dropped. */
  private readonly measures = new Map<string, Measure>()
  private readonly superseded = new Set<string>()
  private unlisten: (() => void) | undefined

  constructor (private readonly components: MeasureServiceComponents) {}

  async start (): Promise<void> {
    for (const record of await heldRecords(this.components.recordStore, MEASURE)) this.hold(record)
    this.components.indexes.add('goods', (record, _input, replaced) => replaced ? [] : this.indexOps(record))
    if (!(await this.components.goodsStore.complete())) await this.indexHeld()
    this.unlisten = listen(this.components.events, {
      'record:stored': record => {
        if (record.envelope.type === MEASURE) this.hold(record)
        if (this.announcing && (record.envelope.type === MEASURE || record.envelope.type === RecordTypes.referenceCodelist)) this.components.background.run(async () => { await this.sendNotices() })
      }
    })
  }

  private announcing = false

  /** Puts the records held before the goods index existed into it, once. */
  private async indexHeld (): Promise<void> {
    let cursor: string | undefined
    do {
      const page = await this.components.recordStore.list({ limit: 500, ...(cursor !== undefined && { cursor }) })
      const ops = page.records.flatMap(bytes => {
        const record = storedRecord(bytes)
        // Only goods: changes held before are not announced again.
        return record === undefined || record.envelope.type === MEASURE || record.envelope.type === RecordTypes.referenceCodelist ? [] : this.indexOps(record)
      })
      if (ops.length > 0) await this.components.db.commit(ops)
      cursor = page.next
    } while (cursor !== undefined)
    await this.components.db.commit(this.components.goodsStore.completeOps())
  }

  /**
   * From now on, notices are sent: once the webhooks are started (they queue
   * them), beginning with those of changes stored and not yet announced.
   */
  announce (): Startable {
    return {
      start: () => {
        this.announcing = true
        this.components.background.run(async () => { await this.sendNotices() })
      },
      stop: () => { this.announcing = false }
    }
  }

  stop (): void {
    this.unlisten?.()
    this.unlisten = undefined
    this.components.indexes.remove('goods')
  }

  private hold (record: SignedRecord): void {
    let data: RegulationMeasureData
    try {
      data = dataOf(record) as unknown as RegulationMeasureData
    } catch {
      return
    }
    const supersedes = record.envelope.supersedes
    if (supersedes !== undefined) {
      this.superseded.add(supersedes)
      this.measures.delete(supersedes)
    }
    if (this.superseded.has(record.id)) return
    this.measures.set(record.id, { ...data, record: record.id, agency: record.envelope.issuer, issuedAt: record.envelope.issuedAt, ...(supersedes !== undefined && { supersedes }) })
  }

  /** The goods index entries of a record, and the notice marker of a change: both in the record's own batch. */
  private indexOps (record: SignedRecord): ReturnType<GoodsStore['goodsOps']> {
    const { type, consignment, issuedAt } = record.envelope
    if (type === MEASURE || type === RecordTypes.referenceCodelist) return this.components.goodsStore.noticeOps(record.id)
    const schema = this.components.types.get(type)?.schema as Record<string, unknown> | undefined
    if (consignment === undefined || schema === undefined || !codedFields(schema).some(f => f.list === HS_LIST)) return []
    // From the leaves as they are: rebuilding the data of every record stored
    // only to read its HS codes cost more than the rest of the index; and of a
    // record received, only the HS code leaves are decoded.
    const leaves = disclosedLeavesWhere(record, isCodedPath(schema, HS_LIST))
    return this.components.goodsStore.goodsOps(record.id, consignment, issuedAt, codedLeafValues(schema, HS_LIST, leaves))
  }

  /** Publishes a measure of this agency; `supersedes` names the one it replaces. */
  async publish (data: RegulationMeasureData, supersedes?: string): Promise<SignedRecord> {
    if (data.kind !== 'prohibition' && data.procedure === undefined) {
      throw new ServiceError('invalid-request', `a ${data.kind} names the procedure that handles it`, [{ path: '/procedure', message: 'is required for every kind but a prohibition' }])
    }
    if (data.validUntil !== undefined && data.validUntil < data.validFrom) {
      throw new ServiceError('invalid-request', 'validUntil is before validFrom', [{ path: '/validUntil', message: 'must not be before validFrom' }])
    }
    const input: CreateRecordInput = { ...recordInput(regulationMeasure, data), ...(supersedes !== undefined && { supersedes }) }
    const { record } = await this.components.records.create(input)
    return record
  }

  /** Every measure held, in force or to come, newest first. */
  list (): Measure[] {
    return [...this.measures.values()].sort((a, b) => a.issuedAt < b.issuedAt ? 1 : -1)
  }

  /** The measures in force on the day that apply to the goods, each with why. */
  lookup (q: TariffQuery): ApplicableMeasure[] {
    const day = q.day ?? dayOf(this.components.records.now())
    const out: ApplicableMeasure[] = []
    for (const m of this.measures.values()) {
      if (m.validFrom > day || (m.validUntil !== undefined && m.validUntil < day)) continue
      if (!m.directions.includes(q.direction)) continue
      const within = m.goods === undefined ? '' : m.goods.filter(p => q.hsCode.startsWith(p)).sort((a, b) => b.length - a.length)[0]
      if (within === undefined) continue
      if (m.exceptGoods?.some(p => q.hsCode.startsWith(p)) === true) continue
      if (m.origins !== undefined && (q.origin === undefined || !inCountries(q.origin, m.origins))) continue
      if (m.destinations !== undefined && (q.destination === undefined || !inCountries(q.destination, m.destinations))) continue
      const reasons = [within === '' ? 'all goods' : `${spaced(q.hsCode)} is in ${spaced(within)}`, q.direction]
      if (q.origin !== undefined) reasons.push(`from ${q.origin}${groupsOf(q.origin, m.origins)}`)
      if (q.destination !== undefined) reasons.push(`to ${q.destination}${groupsOf(q.destination, m.destinations)}`)
      out.push({ measure: m, because: reasons.join('; ') })
    }
    // Prohibitions first: they stop everything else.
    return out.sort((a, b) => Number(b.measure.kind === 'prohibition') - Number(a.measure.kind === 'prohibition') || (a.measure.measure < b.measure.measure ? -1 : 1))
  }

  /** The name of an HS code (its longest listed prefix) in the list in force, when this node holds it. */
  goodsName (hsCode: string, day?: string): { code: string, names: Readonly<Record<string, string>> } | undefined {
    for (let n = hsCode.length; n >= 2; n--) {
      const entry = this.components.codelists.entry(HS_LIST, hsCode.slice(0, n), day)
      if (entry !== undefined) return { code: entry.code, names: entry.names }
    }
    return undefined
  }

  /** Consignments with records of goods starting with `prefix`, newest records first (at most `max`). */
  async consignmentsWithGoods (prefix: string, max = MAX_NAMED): Promise<string[]> {
    const entries = await this.components.goodsStore.withGoods(prefix, 100_000)
    const latest = new Map<string, string>()
    for (const e of entries) if ((latest.get(e.consignment) ?? '') < e.issuedAt) latest.set(e.consignment, e.issuedAt)
    return [...latest].sort((a, b) => a[1] < b[1] ? 1 : -1).slice(0, max).map(([ref]) => ref)
  }

  /** Records whose goods start with `prefix` (at most `max`). */
  async recordsWithGoods (prefix: string, max: number): Promise<string[]> {
    return [...new Set((await this.components.goodsStore.withGoods(prefix, max * 4)).map(e => e.record))].slice(0, max)
  }

  /** Sends the notice of every change stored and not yet announced. */
  private async sendNotices (): Promise<void> {
    for (const id of await this.components.goodsStore.pendingNotices()) {
      const record = storedRecord(await this.components.recordStore.get(id))
      const notice = record === undefined ? undefined : await this.noticeOf(record)
      const ops = this.components.goodsStore.noticeDoneOps(id)
      if (notice !== undefined) {
        ops.push(...this.components.webhooks.notificationOps('regulation.changed', id, notice, { type: record?.envelope.type ?? '', consignments: notice.consignments as string[] }))
      }
      await this.components.db.commit(ops)
      if (notice !== undefined) {
        this.components.webhooks.sent()
        this.components.events.emit('regulation:changed', notice)
      }
    }
  }

  /** What a change concerns on this node: the consignments of the last half year whose goods it covers, and from when. */
  private async noticeOf (record: SignedRecord): Promise<Record<string, unknown>> {
    const data = dataOf(record) as Record<string, unknown>
    const since = new Date(Date.parse(this.components.records.now()) - RECENT_DAYS * 86_400_000).toISOString()
    const recent = async (prefixes: readonly string[]): Promise<string[]> => {
      const out = new Set<string>()
      for (const prefix of prefixes) {
        for (const e of await this.components.goodsStore.withGoods(prefix, 100_000)) if (e.issuedAt >= since && out.size < MAX_NAMED) out.add(e.consignment)
      }
      return [...out].sort()
    }
    const base = { record: record.id, type: record.envelope.type, issuer: record.envelope.issuer, ...(record.envelope.supersedes !== undefined && { supersedes: record.envelope.supersedes }) }
    if (record.envelope.type === MEASURE) {
      const m = data as unknown as RegulationMeasureData
      const consignments = await recent(m.goods ?? [''])
      return {
        ...base,
        change: record.envelope.supersedes !== undefined ? 'superseded' : 'new',
        measure: m.measure,
        kind: m.kind,
        ...(m.procedure !== undefined && { procedure: m.procedure }),
        goods: m.goods ?? [],
        directions: m.directions,
        from: m.validFrom,
        ...(m.validUntil !== undefined && { until: m.validUntil }),
        consignments
      }
    }
    // A code list: the types whose fields take it, and, for HS codes, the consignments with codes it no longer lists.
    const list = String(data.list)
    const types = this.components.types.list().filter(t => codedFields(t.schema as Record<string, unknown>).some(f => f.list === list)).map(t => t.type)
    const from = String(data.validFrom)
    const before = this.components.codelists.find(list, { day: new Date(Date.parse(from) - 86_400_000).toISOString().slice(0, 10) })
    const now = this.components.codelists.find(list, { version: String(data.version) })
    const kept = new Set(now?.entries.map(e => e.code))
    const withdrawn = before === undefined || before.record === record.id ? [] : before.entries.map(e => e.code).filter(c => !kept.has(c))
    const consignments = list === HS_LIST && withdrawn.length > 0 ? await recent(withdrawn) : []
    return { ...base, change: before === undefined ? 'new' : 'new-version', list, version: data.version, from, types, withdrawn, consignments }
  }
}
