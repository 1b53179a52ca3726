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
import type { RecordService } from '../records/record-service.js'
import { heldRecords } from '../records/held-records.js'
import type { TrustService } from '../trust/trust-service.js'
import { calculatePayments, CalculationError, type PaymentCalculation } from './duty-calculation.js'

export interface PaymentServiceComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'consignment' | 'now'>
  readonly trust: Pick<TrustService, 'status'>
}

export function paymentService () {
  return (components: PaymentServiceComponents): PaymentService => new PaymentService(components)
}

export interface ConsignmentPayments extends PaymentCalculation {
  readonly consignment: string
  readonly declaration: string
  readonly schedule: { readonly record: string, readonly schedule: string, readonly version: string, readonly issuer: string }
}

export class PaymentService {
  constructor (private readonly components: PaymentServiceComponents) {}

  /** Every current version of a type held here, with its data. */
  private async published<T> (type: string): Promise<Array<{ record: SignedRecord, data: T }>> {
    return (await heldRecords(this.components.recordStore, type, { current: true })).map(record => ({ record, data: dataOf(record) as unknown as T }))
  }

  async payments (ref: string): Promise<ConsignmentPayments> {
    const entries = await this.components.records.consignment(ref)
    const declarations = entries.map(e => e.current).filter(v => v.type === RecordTypes.customsDeclaration && v.verified)
    const declarationView = declarations.at(-1)
    if (declarationView === undefined) throw new ServiceError('not-found', `consignment ${ref} holds no verified goods declaration to calculate payments of`)
    const declaration = declarationView.data as unknown as CustomsDeclarationData
    const day = declaration.date ?? declarationView.issuedAt.slice(0, 10)

    const schedules = (await this.published<DutyRatesData>(RecordTypes.referenceDutyRates))
      .filter(s => s.data.validFrom <= day && (s.data.validUntil === undefined || s.data.validUntil >= day))
      .sort((a, b) => a.data.validFrom < b.data.validFrom ? 1 : a.data.validFrom > b.data.validFrom ? -1 : a.record.envelope.issuedAt < b.record.envelope.issuedAt ? 1 : -1)
    const schedule = schedules[0]
    if (schedule === undefined) throw new ServiceError('not-found', `no schedule of duty rates in force on ${day} is held here`)
    const exchange = (await this.published<ExchangeRatesData>(RecordTypes.referenceExchangeRates))
      .filter(e => e.data.base === schedule.data.currency && e.data.date <= day)
      .sort((a, b) => a.data.date < b.data.date ? 1 : -1)[0]

    // A preference needs the origin proven: a verified certificate of origin of the consignment.
    const certifiedOrigins = new Set(entries.map(e => e.current)
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
      consignment: ref,
      declaration: declarationView.id,
      schedule: { record: schedule.record.id, schedule: schedule.data.schedule, version: schedule.data.version, issuer: schedule.record.envelope.issuer },
      ...calculation
    }
  }
}
