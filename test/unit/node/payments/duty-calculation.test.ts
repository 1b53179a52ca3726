/**
 * Payments of a declaration against a hand calculation: an import from
 * Germany of a lorry (8704 21, the higher of 15 % or EUR 0.20 per kg) and of
 * dried apricots of Uzbek origin (0813 10, 5 %, or 0 % under the CIS
 * free-trade preference when a certificate of origin proves the origin),
 * freight and insurance shared by price, VAT 12 % on value plus duty, the
 * customs fee once; every amount exact to the tiyn.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { calculatePayments, CalculationError } from '../../../../node/payments/duty-calculation.js'
import { add, dec, divide, mul, round, shift, sub, text } from '../../../../record/money/decimal.js'
import type { CustomsDeclarationData, DutyRatesData, ExchangeRatesData } from '../../../../record/types/index.js'
import { repoFile } from '../../../support/repo.js'

const fixture = <T>(type: string): T => JSON.parse(readFileSync(repoFile(`test/fixtures/records/${type}.json`), 'utf8')) as T
const schedule = fixture<DutyRatesData>('reference.duty-rates')
const exchange = fixture<ExchangeRatesData>('reference.exchange-rates')
const base = fixture<CustomsDeclarationData>('customs.declaration')

const declaration: CustomsDeclarationData = {
  ...base,
  procedure: 'import',
  date: '2026-11-03',
  countryOfDispatch: 'DE',
  countryOfDestination: 'KZ',
  currency: 'EUR',
  freight: '1800.00',
  insurance: '200.00',
  items: [
    { lineNumber: 1, hsCode: '8704219000', description: 'Refrigerated lorry, diesel, 3.2 t', originCountry: 'DE', netMass: '3200.000', itemAmount: '42000.00' },
    { lineNumber: 2, hsCode: '0813100000', description: 'Apricots, dried', originCountry: 'UZ', netMass: '5000.000', itemAmount: '9000.00' }
  ]
}

describe('unit: exact decimals', () => {
  it('adds, multiplies, divides and rounds halves away from zero, exactly', () => {
    assert.equal(text(add(dec('0.1'), dec('0.2'))), '0.3')
    assert.equal(text(mul(dec('43647.06'), dec('612.35'))), '26727277.1910')
    assert.equal(text(round(dec('2.345'), 2)), '2.35')
    assert.equal(text(round(dec('-2.345'), 2)), '-2.35')
    assert.equal(text(round(dec('2.344999'), 2)), '2.34')
    assert.equal(text(divide(dec('2000'), dec('3'), 2)), '666.67')
    assert.equal(text(shift(dec('15'), 2)), '0.15')
    assert.equal(text(sub(dec('1'), dec('1.005'))), '-0.005')
    assert.throws(() => dec('1e3'), /not a decimal number/)
    assert.throws(() => dec(0.1), /not a decimal number/)
  })
})

describe('unit: payments of a declaration', () => {
  it('matches the hand calculation without a certificate of origin: the general rate for the apricots', () => {
    // Freight and insurance, EUR 2 000.00, shared by price: 2000 × 42000 / 51000 = 1647.06; the rest, 352.94.
    // Lorry: (42000 + 1647.06) × 612.35 = 26 727 277.19 KZT; duty the higher of 15 % = 4 009 091.58 and
    // 3200 kg × 0.20 EUR × 612.35 = 391 904.00: 4 009 091.58; VAT 12 % of 30 736 368.77 = 3 688 364.25.
    // Apricots: (9000 + 352.94) × 612.35 = 5 727 272.81; duty 5 % = 286 363.64; VAT 12 % of 6 013 636.45 = 721 636.37.
    const result = calculatePayments({ declaration, schedule, exchange, certifiedOrigins: new Set() })
    assert.equal(result.currency, 'KZT')
    assert.deepEqual(result.exchangeRate, { currency: 'EUR', rate: '612.35', units: 1, date: '2026-11-02' })
    const [lorry, apricots] = result.items
    assert.deepEqual(lorry?.customsValue, { declared: '43647.06', currency: 'EUR', national: '26727277.19' })
    assert.deepEqual(lorry?.payments.map(p => [p.tax, p.base, p.amount]), [['duty', '26727277.19', '4009091.58'], ['vat', '30736368.77', '3688364.25']])
    assert.equal(lorry?.payments[0]?.rate, '15 % or, if higher, 0.20 EUR/KGM × 3200.000 KGM')
    assert.deepEqual(apricots?.customsValue, { declared: '9352.94', currency: 'EUR', national: '5727272.81' })
    assert.deepEqual(apricots?.payments.map(p => [p.tax, p.amount, p.preferential]), [['duty', '286363.64', undefined], ['vat', '721636.37', undefined]])
    assert.deepEqual(result.fees.map(f => f.amount), ['20000.00'])
    assert.deepEqual(result.totals, { duty: '4295455.22', excise: '0.00', vat: '4410000.62', fees: '20000.00', total: '8725455.84' })
  })

  it('applies the preference only when a certificate of origin proves the goods\' origin', () => {
    const result = calculatePayments({ declaration, schedule, exchange, certifiedOrigins: new Set(['UZ']) })
    const apricots = result.items[1]
    assert.deepEqual(apricots?.payments.map(p => [p.tax, p.rate, p.amount, p.preferential]), [['duty', '0 %', '0.00', true], ['vat', '12 %', '687272.74', undefined]])
    assert.equal(apricots?.payments[0]?.legalBasis.act, 'CIS Free Trade Area Treaty of 18 October 2011')
    assert.deepEqual(result.totals, { duty: '4009091.58', excise: '0.00', vat: '4375636.99', fees: '20000.00', total: '8404728.57' })
    // A certificate for another origin changes nothing.
    assert.equal(calculatePayments({ declaration, schedule, exchange, certifiedOrigins: new Set(['KG']) }).totals.total, '8725455.84')
  })

  it('owes nothing on an export the schedule sets no export duty for, and names what a rate lacks', () => {
    const exported = calculatePayments({ declaration: { ...declaration, procedure: 'export' }, schedule, exchange, certifiedOrigins: new Set() })
    assert.equal(exported.totals.total, '0.00')
    assert.throws(() => calculatePayments({ declaration, schedule, exchange: undefined, certifiedOrigins: new Set() }),
      (err: unknown) => err instanceof CalculationError && /no exchange rate of EUR to KZT/.test(err.message))
    const perPiece: DutyRatesData = { ...schedule, rates: [{ tax: 'duty', direction: 'import', kind: 'specific', amount: '100', unit: 'H87', legalBasis: { act: 'x' } }] }
    assert.throws(() => calculatePayments({ declaration, schedule: perPiece, exchange, certifiedOrigins: new Set() }),
      (err: unknown) => err instanceof CalculationError && err.path === '/items/0/quantity' && /states no quantity in H87/.test(err.message))
  })
})
