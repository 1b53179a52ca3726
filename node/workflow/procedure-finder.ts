/**
 * The trader's single view of "what do I still need to do": from a
 * consignment's own documents (each line's HS code, the countries, the
 * direction of trade), the measures in force that apply, the procedures they
 * name with what each still needs, and whether each was applied for and
 * decided. A prohibition stops the list, with its legal basis.
 */
import type { Actor } from '../accounts/account-service.js'
import { goodsOf } from '../../record/reference/coded-fields.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import { ServiceError } from '../errors.js'
import type { RecordService } from '../records/record-service.js'
import type { RecordView } from '../records/record-view.js'
import type { MeasureService, Direction, ApplicableMeasure } from '../reference/measure-service.js'
import type { TrustService } from '../trust/trust-service.js'
import type { ApplicationService } from './application-service.js'
import type { ApplicationResult, RequirementService } from './requirement-service.js'

/** One HS code of the consignment, where it is written, and the origin of those goods. */
export interface GoodsItem {
  readonly hsCode: string
  readonly origin?: string
  readonly name?: Readonly<Record<string, string>>
  readonly where: ReadonlyArray<{ readonly record: string, readonly type: string, readonly pointer: string }>
}

export interface MeasureReason {
  readonly record: string
  readonly measure: string
  readonly kind: string
  readonly title: Readonly<Record<string, string>>
  readonly legalBasis: { readonly act: string, readonly article?: string, readonly url?: string }
  readonly hsCodes: readonly string[]
  readonly because: readonly string[]
  readonly issuedAt: string
  readonly note?: string
}

export interface ProcedureNeed {
  readonly procedure: string
  readonly agency: string
  readonly agencyName?: string
  readonly measures: readonly MeasureReason[]
  /** What the agency's requirement profile still needs of the consignment. */
  readonly requirement:
  | { readonly status: 'no-profile', readonly note: string }
  | { readonly status: 'complete' | 'incomplete', readonly profile: string, readonly required: number, readonly present: number, readonly missing: readonly string[], readonly expired: readonly string[], readonly notPermitted: readonly string[] }
  readonly application?: { readonly id: string, readonly status: string, readonly submittedAt: string, readonly decision?: string }
  /** The measure or the profile changed after the application was filed: apply again. */
  readonly changedSinceApplication?: boolean
}

export interface ConsignmentProcedures {
  readonly consignment: string
  readonly direction: Direction
  readonly exporter?: string
  readonly importer?: string
  readonly day: string
  readonly goods: readonly GoodsItem[]
  /** Prohibitions that apply: nothing else can be done. */
  readonly prohibited: readonly MeasureReason[]
  readonly procedures: readonly ProcedureNeed[]
}

export interface ProcedureFinderComponents {
  readonly records: Pick<RecordService, 'consignment' | 'now'>
  readonly types: TypeRegistry
  readonly measures: Pick<MeasureService, 'lookup' | 'goodsName'>
  readonly requirements: Pick<RequirementService, 'profile' | 'resolve' | 'applications' | 'apply'>
  readonly applications: Pick<ApplicationService, 'view'>
  readonly trust: Pick<TrustService, 'status'>
  readonly profile: { readonly country?: string | undefined }
}

export function procedureFinder () {
  return (components: ProcedureFinderComponents): ProcedureFinder => new ProcedureFinder(components)
}

const at = (data: unknown, pointer: string): unknown =>
  pointer.split('/').slice(1).reduce<unknown>((v, step) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[step] : undefined), data)
const text = (v: unknown): string | undefined => typeof v === 'string' && v !== '' ? v : undefined

/** Where the exporting and the importing party's countries are written, type by type. */
const EXPORTER: readonly string[] = ['/seller/country', '/exporter/country', '/consignor/country', '/countryOfDispatch']
const IMPORTER: readonly string[] = ['/buyer/country', '/importer/country', '/consignee/country', '/countryOfDestination', '/destinationCountry']

export class ProcedureFinder {
  constructor (private readonly components: ProcedureFinderComponents) {}

  private goodsOf (type: string, data: unknown): ReturnType<typeof goodsOf> {
    const schema = this.components.types.get(type)?.schema
    return schema === undefined ? [] : goodsOf(schema as Record<string, unknown>, data)
  }

  /** The consignment's goods and parties, read from its current documents. */
  private read (docs: readonly RecordView[]): { goods: GoodsItem[], exporter?: string, importer?: string } {
    const goods = new Map<string, { origin?: string, where: Array<{ record: string, type: string, pointer: string }> }>()
    let exporter: string | undefined
    let importer: string | undefined
    for (const doc of docs) {
      exporter ??= EXPORTER.map(p => text(at(doc.data, p))).find(c => c !== undefined)
      importer ??= IMPORTER.map(p => text(at(doc.data, p))).find(c => c !== undefined)
      for (const { pointer, hsCode, origin } of this.goodsOf(doc.type, doc.data)) {
        const item = goods.get(hsCode) ?? { where: [] }
        item.where.push({ record: doc.id, type: doc.type, pointer })
        if (item.origin === undefined && origin !== undefined) item.origin = origin
        goods.set(hsCode, item)
      }
    }
    return {
      goods: [...goods].map(([hsCode, item]) => ({ hsCode, ...(item.origin !== undefined && { origin: item.origin }), where: item.where })),
      ...(exporter !== undefined && { exporter }),
      ...(importer !== undefined && { importer })
    }
  }

  async procedures (ref: string, options: { direction?: Direction, day?: string } = {}): Promise<ConsignmentProcedures> {
    const entries = await this.components.records.consignment(ref)
    if (entries.length === 0) throw new ServiceError('not-found', `this node holds nothing of consignment ${ref}`)
    const { goods, exporter, importer } = this.read(entries.map(e => e.current).filter(v => v.verified))
    const home = this.components.profile.country
    const direction: Direction = options.direction ?? (exporter === home ? 'export' : importer === home ? 'import' : 'transit')
    const day = options.day ?? this.components.records.now().slice(0, 10)

    // Every applicable measure, once, with the goods that bring it in.
    const reasons = new Map<string, { applicable: ApplicableMeasure, hsCodes: string[], because: string[] }>()
    for (const item of goods) {
      for (const applicable of this.components.measures.lookup({ hsCode: item.hsCode, direction, origin: item.origin ?? exporter, destination: importer, day })) {
        const entry = reasons.get(applicable.measure.record) ?? { applicable, hsCodes: [], because: [] }
        entry.hsCodes.push(item.hsCode)
        entry.because.push(applicable.because)
        reasons.set(applicable.measure.record, entry)
      }
    }
    const reasonOf = ({ applicable: { measure: m }, hsCodes, because }: { applicable: ApplicableMeasure, hsCodes: string[], because: string[] }): MeasureReason => ({
      record: m.record, measure: m.measure, kind: m.kind, title: m.title, legalBasis: m.legalBasis, hsCodes, because, issuedAt: m.issuedAt, ...(m.note !== undefined && { note: m.note })
    })
    const named = goods.map(item => {
      const name = this.components.measures.goodsName(item.hsCode, day)?.names
      return name === undefined ? item : { ...item, name }
    })
    const all = [...reasons.values()]
    const prohibited = all.filter(r => r.applicable.measure.kind === 'prohibition').map(reasonOf)
    const base = { consignment: ref, direction, ...(exporter !== undefined && { exporter }), ...(importer !== undefined && { importer }), day, goods: named }
    if (prohibited.length > 0) return { ...base, prohibited, procedures: [] }

    // By procedure and agency: several measures may send the goods through one procedure.
    const byProcedure = new Map<string, typeof all>()
    for (const r of all) {
      const key = `${r.applicable.measure.procedure ?? ''}\u0000${r.applicable.measure.agency}`
      byProcedure.set(key, [...(byProcedure.get(key) ?? []), r])
    }
    const filed = await this.components.requirements.applications(ref)
    const procedures: ProcedureNeed[] = []
    for (const [key, group] of byProcedure) {
      const [procedure = '', agency = ''] = key.split('\u0000')
      procedures.push(await this.need(ref, procedure, agency, group.map(reasonOf), filed))
    }
    procedures.sort((a, b) => a.procedure < b.procedure ? -1 : 1)
    return { ...base, prohibited: [], procedures }
  }

  private async need (ref: string, procedure: string, agency: string, measures: MeasureReason[], filed: readonly RecordView[]): Promise<ProcedureNeed> {
    const status = await this.components.trust.status(agency)
    const agencyName = status.certificate?.name
    let requirement: ProcedureNeed['requirement']
    let profileIssuedAt: string | undefined
    try {
      const profile = await this.components.requirements.profile(procedure, agency)
      profileIssuedAt = profile.issuedAt
      const resolution = await this.components.requirements.resolve(ref, profile, agency)
      const ids = (s: string): string[] => resolution.elements.filter(e => e.status === s).map(e => e.id)
      requirement = {
        status: resolution.summary.present === resolution.summary.required ? 'complete' : 'incomplete',
        profile: profile.id,
        required: resolution.summary.required,
        present: resolution.summary.present,
        missing: ids('missing'),
        expired: ids('expired'),
        notPermitted: ids('not-permitted')
      }
    } catch (err) {
      if (!(err instanceof ServiceError) || err.code !== 'not-found') throw err
      requirement = { status: 'no-profile', note: `the agency has published no requirement profile for ${procedure} that this node holds` }
    }
    // The newest application for this procedure and agency.
    const latest = filed.filter(a => a.data.procedure === procedure && a.data.agency === agency).sort((a, b) => a.issuedAt < b.issuedAt ? 1 : -1)[0]
    let application: ProcedureNeed['application']
    let changed = false
    if (latest !== undefined) {
      const view = await this.components.applications.view(latest.id)
      application = { id: view.id, status: view.status, submittedAt: view.submittedAt, ...(view.decision !== undefined && { decision: view.decision.type }) }
      changed = view.status !== 'decided' && (measures.some(m => m.issuedAt > view.submittedAt) || (profileIssuedAt !== undefined && profileIssuedAt > view.submittedAt))
    }
    return {
      procedure,
      agency,
      ...(agencyName !== undefined && { agencyName }),
      measures,
      requirement,
      ...(application !== undefined && { application }),
      ...(changed && { changedSinceApplication: true })
    }
  }

  /**
   * Applies to every procedure the consignment needs that has a profile and
   * no application yet (or one filed before its measure or profile changed).
   */
  async applyAll (ref: string, actor?: Actor): Promise<{ applied: ApplicationResult[], skipped: Array<{ procedure: string, agency: string, reason: string }> }> {
    const view = await this.procedures(ref)
    if (view.prohibited.length > 0) {
      const [first] = view.prohibited as [MeasureReason]
      throw new ServiceError('prohibited', `the goods of ${ref} are prohibited: ${first.title.en} (${first.legalBasis.act}${first.legalBasis.article !== undefined ? `, art. ${first.legalBasis.article}` : ''})`)
    }
    const applied: ApplicationResult[] = []
    const skipped: Array<{ procedure: string, agency: string, reason: string }> = []
    for (const need of view.procedures) {
      if (need.requirement.status === 'no-profile') {
        skipped.push({ procedure: need.procedure, agency: need.agency, reason: need.requirement.note })
        continue
      }
      if (need.application !== undefined && need.changedSinceApplication !== true) {
        skipped.push({ procedure: need.procedure, agency: need.agency, reason: `applied already (${need.application.status})` })
        continue
      }
      applied.push(await this.components.requirements.apply(ref, need.procedure, need.agency, actor))
    }
    return { applied, skipped }
  }
}
