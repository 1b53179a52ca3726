/**
 * Licences with quantities (quotas). A permit or certificate may state how
 * much of which goods it allows over all releases against it; a release this
 * node signs that relies on such a licence writes off the quantity of those
 * goods its declaration states, and says in its signed data what it took and
 * what is left. A release that would take more than is left, or relies on a
 * licence not in force (suspended, withdrawn, expired), is refused.
 *
 * What was taken before is read from the releases this node holds: customs
 * writes off the licences presented to it. Releases are signed one at a time
 * on this node (a lock around each, to its storing), so two releases at once
 * cannot both take the last of a licence.
 */
import { dataOf } from '../../record/index.js'
import { add, compare, dec, normalise, shift, sub, sum, text as exact, type Decimal } from '../../record/money/decimal.js'

/** Quantities have no fixed places: 60 t, not 60.000000. */
const text = (d: Decimal): string => exact(normalise(d))
import { RecordTypes, type CustomsDeclarationData } from '../../record/types/index.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import type { RecordCompletions } from '../records/record-completions.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import { heldRecords } from '../records/held-records.js'
import type { ApplicationService } from './application-service.js'

interface Allowance { readonly goods: string[], readonly quantity: string, readonly unit: string }
interface WriteOff { readonly licence: string, readonly goods: string[], readonly quantity: string, readonly unit: string, readonly left: string }

export interface LicenceQuotasComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'consignment'>
  readonly applications: Pick<ApplicationService, 'decision'>
  readonly completions: RecordCompletions
}

export function licenceQuotas () {
  return (components: LicenceQuotasComponents): LicenceQuotas => new LicenceQuotas(components)
}

const sameGoods = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every(g => b.includes(g))

/** What the write-offs took of one allowance of a licence. */
const takenOf = (taken: readonly WriteOff[], allowance: Allowance): Decimal =>
  sum(taken.filter(w => w.unit === allowance.unit && sameGoods(w.goods, allowance.goods)).map(w => dec(w.quantity)))

export class LicenceQuotas {
  constructor (private readonly components: LicenceQuotasComponents) {}

  start (): void {
    this.components.completions.add('licence-write-off', async input => await this.writeOff(input), {
      lock: input => input.type === RecordTypes.decisionRelease ? 'licence-write-off' : undefined
    })
  }

  stop (): void {
    this.components.completions.remove('licence-write-off')
  }

  /** What a licence allows, what releases held here took of it, and what is left, by allowance. */
  async standing (licence: string): Promise<Array<Allowance & { readonly taken: string, readonly left: string }>> {
    const found = await this.licence(licence)
    if (found === undefined) throw new ServiceError('not-found', `no licence with quantities ${licence} here`)
    const taken = await this.taken(found.versions)
    return found.allowances.map(a => {
      const total = takenOf(taken, a)
      return { ...a, taken: text(total), left: text(sub(dec(a.quantity), total)) }
    })
  }

  /** The licence's version in force and its allowances, when it is a held decision that states quantities. */
  private async licence (id: string): Promise<{ current: string, versions: readonly string[], status: string, reason?: string, allowances: Allowance[] } | undefined> {
    let standing
    try {
      standing = await this.components.applications.decision(id)
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'not-found') return undefined
      throw err
    }
    const quantities = standing.inForce.data.quantities
    if (!Array.isArray(quantities) || standing.type === RecordTypes.decisionRelease) return undefined
    return { current: standing.current, versions: standing.versions, status: standing.status, ...(standing.reason !== undefined && { reason: standing.reason }), allowances: quantities as Allowance[] }
  }

  /** Every write-off of any version of a licence by the releases held here. */
  private async taken (versions: readonly string[]): Promise<WriteOff[]> {
    const releases = await heldRecords(this.components.recordStore, RecordTypes.decisionRelease, { current: true })
    return releases.flatMap(r => {
      const w = dataOf(r).writtenOff
      return Array.isArray(w) ? (w as WriteOff[]).filter(x => versions.includes(x.licence)) : []
    })
  }

  private async writeOff (input: CreateRecordInput): Promise<CreateRecordInput> {
    if (input.type !== RecordTypes.decisionRelease || input.consignment === undefined || input.data.writtenOff !== undefined) return input
    const reliesOn = Array.isArray(input.data.reliesOn) ? input.data.reliesOn.filter((r): r is string => typeof r === 'string') : []
    const writtenOff: WriteOff[] = []
    let items: CustomsDeclarationData['items'] | undefined
    for (const id of reliesOn) {
      const licence = await this.licence(id)
      if (licence === undefined) continue
      if (licence.status !== 'valid' && licence.status !== 'amended') {
        throw new ServiceError('not-in-force', `licence ${id} is ${licence.status}${licence.reason !== undefined ? ` (${licence.reason})` : ''}: nothing is released against it`, [{ path: '/reliesOn', message: `licence ${id} is ${licence.status}` }])
      }
      items ??= await this.declaredItems(input.consignment as string)
      const taken = await this.taken(licence.versions)
      for (const allowance of licence.allowances) {
        const matching = items.filter(item => allowance.goods.some(g => item.hsCode.startsWith(g)))
        if (matching.length === 0) continue
        const now = sum(matching.map(item => quantityIn(item, allowance.unit)))
        const before = takenOf(taken, allowance)
        const left = sub(dec(allowance.quantity), add(before, now))
        if (compare(left, dec('0')) < 0) {
          const had = text(sub(dec(allowance.quantity), before))
          throw new ServiceError('quota-exceeded',
            `licence ${licence.current} allows ${allowance.quantity} ${allowance.unit} of ${allowance.goods.join(', ')}; ${text(before)} ${allowance.unit} are written off, ${had} left, and this release needs ${text(now)}`,
            [{ path: '/reliesOn', message: `licence ${licence.current}: ${had} ${allowance.unit} left, ${text(now)} needed` }])
        }
        writtenOff.push({ licence: licence.current, goods: [...allowance.goods], quantity: text(now), unit: allowance.unit, left: text(left) })
      }
    }
    // Plain data for the record (the interface type is not CBOR as far as the compiler knows).
    const data = writtenOff.map(w => ({ licence: w.licence, goods: [...w.goods], quantity: w.quantity, unit: w.unit, left: w.left }))
    return data.length === 0 ? input : { ...input, data: { ...input.data, writtenOff: data } }
  }

  /** The goods items of the consignment's current, verified declaration. */
  private async declaredItems (ref: string): Promise<CustomsDeclarationData['items']> {
    const declaration = (await this.components.records.consignment(ref)).map(e => e.current).filter(v => v.type === RecordTypes.customsDeclaration && v.verified).at(-1)
    if (declaration === undefined) throw new ServiceError('invalid-request', `${ref} holds no verified goods declaration: a release against a licence with quantities writes off what the declaration states`)
    return (declaration.data as unknown as CustomsDeclarationData).items
  }
}

/** An item's quantity in `unit`: its net mass for KGM and TNE, else its supplementary quantity when stated in that unit. */
function quantityIn (item: CustomsDeclarationData['items'][number], unit: string): Decimal {
  if (unit === 'KGM') return dec(item.netMass)
  if (unit === 'TNE') return shift(dec(item.netMass), 3)
  if (item.unit === unit && item.quantity !== undefined) return dec(item.quantity)
  throw new ServiceError('invalid-request', `item ${item.lineNumber} states no quantity in ${unit}, which the licence counts in`, [{ path: '/reliesOn', message: `item ${item.lineNumber}: no quantity in ${unit}` }])
}
