/**
 * What a declaration owes: customs duty, excise and VAT item by item, and the
 * fees once, from a schedule of rates and a list of exchange rates, in exact
 * decimals. Each line says its base, its rate, its legal basis and why that
 * rate (the most specific for the goods; a preference only when a verified
 * certificate of origin states the goods' origin). Pure: the service gathers
 * the records, this computes.
 */
import { add, compare, dec, divide, max, mul, round, shift, sub, sum, text, ZERO, type Decimal } from '../../record/money/decimal.js'
import { inCountries } from '../../record/reference/country-groups.js'
import type { CustomsDeclarationData, DutyRatesData, ExchangeRatesData } from '../../record/types/index.js'

type Rate = DutyRatesData['rates'][number]
type Item = CustomsDeclarationData['items'][number]

export interface PaymentLine {
  readonly tax: 'duty' | 'excise' | 'vat' | 'fee'
  readonly kind?: Rate['kind']
  /** What the rate is applied to, in the national currency (for a specific rate: the quantity and its unit). */
  readonly base: string
  readonly rate: string
  readonly amount: string
  readonly preferential?: true
  readonly legalBasis: Rate['legalBasis']
  readonly title?: Readonly<Record<string, string>>
}

export interface ItemPayments {
  readonly lineNumber: number
  readonly hsCode: string
  readonly origin: string
  /** In the declaration's currency, and in the national currency at the rate of the day. */
  readonly customsValue: { readonly declared: string, readonly currency: string, readonly national: string }
  readonly payments: readonly PaymentLine[]
}

export interface PaymentCalculation {
  readonly currency: string
  readonly direction: 'import' | 'export'
  readonly exchangeRate?: { readonly currency: string, readonly rate: string, readonly units: number, readonly date: string }
  readonly items: readonly ItemPayments[]
  readonly fees: readonly PaymentLine[]
  readonly totals: { readonly duty: string, readonly excise: string, readonly vat: string, readonly fees: string, readonly total: string }
}

export class CalculationError extends Error {
  constructor (readonly path: string, message: string) {
    super(message)
    this.name = 'CalculationError'
  }
}

export interface CalculationInput {
  readonly declaration: CustomsDeclarationData
  readonly schedule: DutyRatesData
  readonly exchange?: ExchangeRatesData | undefined
  /** Origins that verified certificates of origin of the consignment state. */
  readonly certifiedOrigins: ReadonlySet<string>
}

const percentText = (p: string): string => `${p} %`
const money = (d: Decimal): string => text(round(d, 2))

/** Splits `total` over `weights` in cents, the last taking what rounding left, so the parts add up exactly. */
function allocate (total: Decimal, weights: readonly Decimal[]): Decimal[] {
  const whole = sum(weights)
  if (compare(whole, ZERO) === 0) return weights.map(() => ZERO)
  const parts = weights.map(w => divide(mul(total, w), whole, 2))
  const last = sub(round(total, 2), sum(parts.slice(0, -1)))
  return [...parts.slice(0, -1), last]
}

function prefixOf (rate: Rate, hsCode: string): number | undefined {
  if (rate.exceptGoods?.some(p => hsCode.startsWith(p)) === true) return undefined
  if (rate.goods === undefined) return 0
  const lengths = rate.goods.filter(p => hsCode.startsWith(p)).map(p => p.length)
  return lengths.length === 0 ? undefined : Math.max(...lengths)
}

/** The rate of `tax` for an item: eligible ones, a preference before the general rate, then the most specific goods. */
function rateFor (rates: readonly Rate[], tax: Rate['tax'], direction: string, item: Item, certifiedOrigins: ReadonlySet<string>): Rate | undefined {
  const eligible = rates.flatMap(rate => {
    if (rate.tax !== tax || rate.direction !== direction) return []
    const length = prefixOf(rate, item.hsCode)
    if (length === undefined) return []
    if (rate.origins !== undefined && !inCountries(item.originCountry, rate.origins)) return []
    if (rate.preferential === true && !certifiedOrigins.has(item.originCountry)) return []
    return [{ rate, length }]
  })
  eligible.sort((a, b) => Number(b.rate.preferential === true) - Number(a.rate.preferential === true) || b.length - a.length)
  return eligible[0]?.rate
}

export function calculatePayments (input: CalculationInput): PaymentCalculation {
  const { declaration, schedule, exchange, certifiedOrigins } = input
  // Items of the same goods and origin take the same rates: found once.
  const chosen = new Map<string, Rate | null>()
  const rateOf = (tax: Rate['tax'], item: Item): Rate | undefined => {
    const key = `${tax}|${item.hsCode}|${item.originCountry}`
    let rate = chosen.get(key)
    if (rate === undefined) {
      rate = rateFor(schedule.rates, tax, direction, item, certifiedOrigins) ?? null
      chosen.set(key, rate)
    }
    return rate ?? undefined
  }
  const direction = declaration.procedure === 'export' ? 'export' : 'import'
  const national = schedule.currency
  // Foreign amounts in the national currency, at the rate of the day.
  const fx = (currency: string): { factor: Decimal, rate?: { currency: string, rate: string, units: number } } => {
    if (currency === national) return { factor: dec('1') }
    const found = exchange?.base === national ? exchange.rates.find(r => r.currency === currency) : undefined
    if (found === undefined) throw new CalculationError('/currency', `no exchange rate of ${currency} to ${national} is held for ${declaration.date ?? 'the declaration\'s date'}`)
    const units = found.units ?? 1
    return { factor: divide(dec(found.rate), dec(units), 10), rate: { currency, rate: found.rate, units } }
  }
  const factors = new Map<string, ReturnType<typeof fx>>()
  const fxOnce = (currency: string): ReturnType<typeof fx> => {
    let found = factors.get(currency)
    if (found === undefined) {
      found = fx(currency)
      factors.set(currency, found)
    }
    return found
  }
  const declared = fxOnce(declaration.currency)

  // Each item's customs value in the declaration currency: as declared, else its price plus its share of freight and insurance.
  const prices = declaration.items.map(item => dec(item.itemAmount ?? '0'))
  const carriage = add(dec(declaration.freight ?? '0'), dec(declaration.insurance ?? '0'))
  const shares = allocate(carriage, prices)
  const items: ItemPayments[] = declaration.items.map((item, i) => {
    const path = `/items/${i}`
    const value = item.customsValue !== undefined ? dec(item.customsValue) : add(prices[i] as Decimal, shares[i] as Decimal)
    if (item.customsValue === undefined && item.itemAmount === undefined) throw new CalculationError(`${path}/itemAmount`, `item ${item.lineNumber} states neither its customs value nor its price`)
    const base = round(mul(value, declared.factor), 2)
    const payments: PaymentLine[] = []
    const quantityIn = (unit: string): Decimal => {
      if (unit === 'KGM') return dec(item.netMass)
      if (unit === 'TNE') return shift(dec(item.netMass), 3)
      if (item.unit === unit && item.quantity !== undefined) return dec(item.quantity)
      throw new CalculationError(`${path}/quantity`, `item ${item.lineNumber} states no quantity in ${unit}, which its rate is per`)
    }
    const assess = (rate: Rate, taxBase: Decimal): PaymentLine => {
      const adValorem = rate.percent !== undefined ? shift(mul(taxBase, dec(rate.percent)), 2) : undefined
      let specific: Decimal | undefined
      let perUnit = ''
      if (rate.amount !== undefined && rate.unit !== undefined) {
        const currency = rate.amountCurrency ?? national
        const quantity = quantityIn(rate.unit)
        specific = mul(mul(quantity, dec(rate.amount)), fxOnce(currency).factor)
        perUnit = `${rate.amount} ${currency}/${rate.unit} × ${text(quantity)} ${rate.unit}`
      }
      const need = (d: Decimal | undefined, what: string): Decimal => {
        if (d === undefined) throw new CalculationError(path, `the ${rate.kind} rate for ${item.hsCode} lacks its ${what}`)
        return d
      }
      const amount = rate.kind === 'ad-valorem'
        ? need(adValorem, 'percent')
        : rate.kind === 'specific'
          ? need(specific, 'amount and unit')
          : rate.kind === 'combined' ? add(need(adValorem, 'percent'), need(specific, 'amount and unit')) : max(need(adValorem, 'percent'), need(specific, 'amount and unit'))
      const rateText = rate.kind === 'ad-valorem'
        ? percentText(rate.percent ?? '')
        : rate.kind === 'specific' ? perUnit : `${percentText(rate.percent ?? '')} ${rate.kind === 'combined' ? '+' : 'or, if higher,'} ${perUnit}`
      return {
        tax: rate.tax,
        kind: rate.kind,
        base: money(taxBase),
        rate: rateText,
        amount: money(amount),
        ...(rate.preferential === true && { preferential: true as const }),
        legalBasis: rate.legalBasis
      }
    }
    for (const tax of ['duty', 'excise'] as const) {
      const rate = rateOf(tax, item)
      if (rate !== undefined) payments.push(assess(rate, base))
    }
    const vat = rateOf('vat', item)
    if (vat !== undefined) payments.push(assess(vat, add(base, sum(payments.map(p => dec(p.amount))))))
    return {
      lineNumber: item.lineNumber,
      hsCode: item.hsCode,
      origin: item.originCountry,
      customsValue: { declared: money(value), currency: declaration.currency, national: money(base) },
      payments
    }
  })
  const fees: PaymentLine[] = (schedule.fees ?? []).filter(f => f.direction === direction).map(f => ({ tax: 'fee', base: '', rate: '', amount: money(dec(f.amount)), legalBasis: f.legalBasis, title: f.title }))
  const total = (tax: PaymentLine['tax']): Decimal => sum(items.flatMap(i => i.payments).filter(p => p.tax === tax).map(p => dec(p.amount)))
  const totals = { duty: total('duty'), excise: total('excise'), vat: total('vat'), fees: sum(fees.map(f => dec(f.amount))) }
  return {
    currency: national,
    direction,
    ...(declared.rate !== undefined && exchange !== undefined && { exchangeRate: { ...declared.rate, date: exchange.date } }),
    items,
    fees,
    totals: { duty: money(totals.duty), excise: money(totals.excise), vat: money(totals.vat), fees: money(totals.fees), total: money(sum(Object.values(totals))) }
  }
}
