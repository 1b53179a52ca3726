/**
 * The payments a consignment's declaration owes, worked out on this node
 * from what it holds: the consignment's current goods declaration, the
 * customs schedule of rates in force on the declaration's date, the exchange
 * rates of that day, and the verified certificates of origin that make a
 * preference apply. See duty-calculation.ts for the arithmetic.
 */
import { dataOf, type SignedRecord } from '../../record/index.js'
import { RecordTypes, type CustomsDeclarationData, type DutyRatesData, type ExchangeRatesData } from '../../record/types/index.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import type { RecordCompletions } from '../records/record-completions.js'
import type { RecordView } from '../records/record-view.js'
import { heldRecords } from '../records/held-records.js'
import type { TrustService } from '../trust/trust-service.js'
import { calculatePayments, CalculationError, type PaymentCalculation } from './duty-calculation.js'
import { declaredPaymentsOf, paymentMismatches, type DeclaredPayments, type PaymentMismatch } from './declared-payments.js'

export interface PaymentServiceComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'consignment' | 'now'>
  readonly trust: Pick<TrustService, 'status'>
  readonly completions: RecordCompletions
}

export function paymentService () {
  return (components: PaymentServiceComponents): PaymentService => new PaymentService(components)
}

export interface ConsignmentPayments extends PaymentCalculation {
  readonly consignment: string
  readonly declaration: string
  /** The payments the declaration itself states, when it does. */
  readonly declared?: DeclaredPayments
  /** Where the declared payments differ from this calculation: each line; empty when they match. */
  readonly mismatches?: readonly PaymentMismatch[]
  readonly schedule: { readonly record: string, readonly schedule: string, readonly version: string, readonly issuer: string }
}

export class PaymentService {
  constructor (private readonly components: PaymentServiceComponents) {}

  /** Every current version of a type held here, with its data. */
  private async published<T> (type: string): Promise<Array<{ record: SignedRecord, data: T }>> {
    return (await heldRecords(this.components.recordStore, type, { current: true })).map(record => ({ record, data: dataOf(record) as unknown as T }))
  }

  /** What the consignment's current, verified goods declaration owes. */
  async payments (ref: string): Promise<ConsignmentPayments> {
    const entries = await this.components.records.consignment(ref)
    const declarations = entries.map(e => e.current).filter(v => v.type === RecordTypes.customsDeclaration && v.verified)
    const declarationView = declarations.at(-1)
    if (declarationView === undefined) throw new ServiceError('not-found', `consignment ${ref} holds no verified goods declaration to calculate payments of`)
    const declaration = declarationView.data as unknown as CustomsDeclarationData
    const assessed = await this.assess(declaration, declarationView.issuedAt.slice(0, 10), entries.map(e => e.current), ref)
    const declared = declaration.payments
    return {
      consignment: ref,
      declaration: declarationView.id,
      ...(declared !== undefined && { declared, mismatches: paymentMismatches(declared, assessed) }),
      ...assessed
    }
  }

  /**
   * What `declaration` owes on its date (or `issuedOn`): the schedule in force
   * then, the exchange rates of the day, the preferences the verified
   * certificates of origin among `documents` prove.
   */
  async assess (declaration: CustomsDeclarationData, issuedOn: string, documents: readonly RecordView[], ref = 'the consignment'): Promise<Omit<ConsignmentPayments, 'consignment' | 'declaration' | 'declared' | 'mismatches'>> {
    const day = declaration.date ?? issuedOn
    const schedules = (await this.published<DutyRatesData>(RecordTypes.referenceDutyRates))
      .filter(s => s.data.validFrom <= day && (s.data.validUntil === undefined || s.data.validUntil >= day))
      .sort((a, b) => a.data.validFrom < b.data.validFrom ? 1 : a.data.validFrom > b.data.validFrom ? -1 : a.record.envelope.issuedAt < b.record.envelope.issuedAt ? 1 : -1)
    const schedule = schedules[0]
    if (schedule === undefined) throw new ServiceError('not-found', `no schedule of duty rates in force on ${day} is held here`)
    const exchange = (await this.published<ExchangeRatesData>(RecordTypes.referenceExchangeRates))
      .filter(e => e.data.base === schedule.data.currency && e.data.date <= day)
      .sort((a, b) => a.data.date < b.data.date ? 1 : -1)[0]

    // A preference needs the origin proven: a verified certificate of origin of the consignment.
    const certifiedOrigins = new Set(documents
      .filter(v => v.type === RecordTypes.certOrigin && v.verified && !v.expired)
      .flatMap(v => typeof v.data.originCountry === 'string' ? [v.data.originCountry] : []))
    let calculation: PaymentCalculation
    try {
      calculation = calculatePayments({ declaration, schedule: schedule.data, exchange: exchange?.data, certifiedOrigins })
    } catch (err) {
      if (err instanceof CalculationError) throw new ServiceError('invalid-request', `the payments of ${ref} cannot be worked out: ${err.message}`, [{ path: `/declaration${err.path}`, message: err.message }])
      throw err
    }
    return {
      schedule: { record: schedule.record.id, schedule: schedule.data.schedule, version: schedule.data.version, issuer: schedule.record.envelope.issuer },
      ...calculation
    }
  }

  /**
   * A declaration this node signs carries the payments it owes: worked out
   * here when the declarant left them out, from the rates this node holds.
   * Without rates (or with data they cannot be applied to) it is signed
   * without them, and customs works them out alone.
   */
  private async completeDeclaration (input: CreateRecordInput): Promise<CreateRecordInput> {
    if (input.type !== RecordTypes.customsDeclaration || input.data.payments !== undefined) return input
    const documents = input.consignment === undefined ? [] : (await this.components.records.consignment(input.consignment)).map(e => e.current)
    try {
      const assessed = await this.assess(input.data as unknown as CustomsDeclarationData, this.components.records.now().slice(0, 10), documents)
      const payments = declaredPaymentsOf(assessed)
      return payments === undefined ? input : { ...input, data: { ...input.data, payments } }
    } catch (err) {
      if (err instanceof ServiceError) return input
      throw err
    }
  }

  start (): void {
    this.components.completions.add('declaration-payments', async input => await this.completeDeclaration(input))
  }

  stop (): void {
    this.components.completions.remove('declaration-payments')
  }
}
