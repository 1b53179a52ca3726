/**
 * A declaration's payments as the declarant states them (the declaration's
 * `payments`), made from a calculation, and compared with one: customs
 * recalculates what a declaration owes and names each line that differs.
 */
import { compare, dec, sum, text } from '../../record/money/decimal.js'
import type { CustomsDeclarationData } from '../../record/types/index.js'
import type { PaymentCalculation, PaymentLine } from './duty-calculation.js'

export type DeclaredPayments = NonNullable<CustomsDeclarationData['payments']>
type Line = DeclaredPayments['lines'][number]

/** The lines of a calculation as a declaration carries them: per item and kind of payment, then the fees. */
export function declaredPaymentsOf (calculation: PaymentCalculation): DeclaredPayments | undefined {
  const lines: Line[] = []
  for (const item of calculation.items) {
    for (const tax of ['duty', 'excise', 'vat'] as const) {
      const amounts = item.payments.filter(p => p.tax === tax).map(p => dec(p.amount))
      if (amounts.length > 0) lines.push({ item: item.lineNumber, tax, amount: text(sum(amounts)) })
    }
  }
  const fees = calculation.fees.map(f => dec(f.amount))
  if (fees.length > 0) lines.push({ tax: 'fee', amount: text(sum(fees)) })
  return lines.length === 0 ? undefined : { currency: calculation.currency, lines, total: calculation.totals.total }
}

export interface PaymentMismatch {
  /** The goods item; absent for the fees and the total. */
  readonly item?: number
  readonly tax: Line['tax'] | 'total'
  readonly declared?: string
  readonly calculated?: string
  /** The calculated line's rate and legal basis, for the reader of a refusal. */
  readonly basis?: string
}

const keyOf = (item: number | undefined, tax: string): string => `${item ?? '-'}|${tax}`

function basisOf (lines: readonly PaymentLine[]): string | undefined {
  const parts = lines.map(l => [l.rate, l.legalBasis?.act].filter(p => p !== undefined && p !== '').join(', ')).filter(p => p !== '')
  return parts.length === 0 ? undefined : parts.join('; ')
}

/** Where the declared payments differ from the calculation: each line, then the currency and the total. */
export function paymentMismatches (declared: DeclaredPayments, calculation: PaymentCalculation): PaymentMismatch[] {
  const expected = declaredPaymentsOf(calculation)
  const want = new Map((expected?.lines ?? []).map(l => [keyOf(l.item, l.tax), l.amount]))
  const got = new Map<string, string>()
  for (const line of declared.lines) {
    const key = keyOf(line.item, line.tax)
    got.set(key, text(sum([dec(got.get(key) ?? '0'), dec(line.amount)])))
  }
  const basisFor = (item: number | undefined, tax: string): string | undefined => basisOf(item === undefined
    ? calculation.fees
    : calculation.items.find(i => i.lineNumber === item)?.payments.filter(p => p.tax === tax) ?? [])
  const out: PaymentMismatch[] = []
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    const [itemText, tax] = key.split('|') as [string, Line['tax']]
    const item = itemText === '-' ? undefined : Number(itemText)
    const w = want.get(key)
    const g = got.get(key)
    if (w !== undefined && g !== undefined && compare(dec(w), dec(g)) === 0) continue
    const basis = basisFor(item, tax)
    out.push({ ...(item !== undefined && { item }), tax, ...(g !== undefined && { declared: g }), ...(w !== undefined && { calculated: w }), ...(basis !== undefined && { basis }) })
  }
  out.sort((a, b) => (a.item ?? Number.MAX_SAFE_INTEGER) - (b.item ?? Number.MAX_SAFE_INTEGER))
  if (declared.currency !== calculation.currency || compare(dec(declared.total), dec(calculation.totals.total)) !== 0) {
    out.push({ tax: 'total', declared: `${declared.total} ${declared.currency}`, calculated: `${calculation.totals.total} ${calculation.currency}` })
  }
  return out
}

/** One mismatch as a sentence: what customs reads, and the declarant in the refusal. */
export function mismatchText (m: PaymentMismatch, currency: string): string {
  if (m.tax === 'total') return `total: declared ${m.declared ?? '—'}, calculated ${m.calculated ?? '—'}`
  const what = `${m.item !== undefined ? `item ${m.item} ` : ''}${m.tax === 'vat' ? 'VAT' : m.tax}`
  const declared = m.declared !== undefined ? `declared ${m.declared} ${currency}` : 'not declared'
  const calculated = m.calculated !== undefined ? `calculated ${m.calculated} ${currency}${m.basis !== undefined ? ` (${m.basis})` : ''}` : 'none is due'
  return `${what}: ${declared}, ${calculated}`
}
