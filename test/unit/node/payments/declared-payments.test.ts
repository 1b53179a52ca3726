/**
 * A declaration's own statement of its payments, made from a calculation and
 * compared with one: equal lines pass, each line that differs is named with
 * both amounts and the calculated line's rate and legal basis.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { calculatePayments } from '../../../../node/payments/duty-calculation.js'
import { declaredPaymentsOf, mismatchText, paymentMismatches } from '../../../../node/payments/declared-payments.js'
import type { CustomsDeclarationData, DutyRatesData, ExchangeRatesData } from '../../../../record/types/index.js'
import { customsDeclaration } from '../../../../record/types/customs-declaration.js'
import { TypeRegistry } from '../../../../record/types/registry.js'
import { builtinTypes } from '../../../../record/types/index.js'
import { dec, sub, text } from '../../../../record/money/decimal.js'
import { lorryAndApricots } from '../../../support/reference-data.js'
import { repoFile } from '../../../support/repo.js'

const fixture = <T>(type: string): T => JSON.parse(readFileSync(repoFile(`test/fixtures/records/${type}.json`), 'utf8')) as T

// The lorry and the apricots, without freight and insurance to the border.
const { freight: _freight, insurance: _insurance, ...goods } = await lorryAndApricots()
const declaration = goods as unknown as CustomsDeclarationData
const calculation = calculatePayments({
  declaration,
  schedule: fixture<DutyRatesData>('reference.duty-rates'),
  exchange: fixture<ExchangeRatesData>('reference.exchange-rates'),
  certifiedOrigins: new Set()
})

describe('unit: declared payments', () => {
  const declared = declaredPaymentsOf(calculation)

  it('states the calculation by item and kind of payment, with the fees once, and its total', () => {
    assert.ok(declared !== undefined)
    assert.deepEqual(declared.lines.map(l => `${l.item ?? '-'} ${l.tax}`), ['1 duty', '1 vat', '2 duty', '2 vat', '- fee'])
    assert.equal(declared.total, calculation.totals.total)
    assert.equal(declared.currency, 'KZT')
    const item1 = calculation.items[0]
    assert.equal(declared.lines[0]?.amount, item1?.payments.find(p => p.tax === 'duty')?.amount)
  })

  it('fits the declaration\'s schema', () => {
    const registry = new TypeRegistry(builtinTypes)
    assert.deepEqual(registry.validate(customsDeclaration.type, { ...declaration, payments: declared }), [])
  })

  it('finds nothing to say when the declaration states the calculation', () => {
    assert.deepEqual(paymentMismatches(declared!, calculation), [])
  })

  it('names each line that differs, a line not declared, one not due, and the total', () => {
    const lines = declared!.lines.map(l => l.item === 1 && l.tax === 'duty' ? { ...l, amount: '1000.00' } : l)
      .filter(l => !(l.item === 2 && l.tax === 'vat'))
    const wrong = { ...declared!, total: '1.00', lines: [...lines, { item: 2, tax: 'excise' as const, amount: '50.00' }] }
    const found = paymentMismatches(wrong, calculation)
    const duty1 = calculation.items[0]!.payments.find(p => p.tax === 'duty')!
    const vat2 = calculation.items[1]!.payments.find(p => p.tax === 'vat')!
    assert.deepEqual(found.map(m => `${m.item ?? '-'} ${m.tax}`), ['1 duty', '2 vat', '2 excise', '- total'])
    assert.equal(found[0]?.declared, '1000.00')
    assert.equal(found[0]?.calculated, duty1.amount)
    const said = mismatchText(found[0]!, 'KZT')
    assert.match(said, new RegExp(`^item 1 duty: declared 1000\\.00 KZT, calculated ${duty1.amount.replace('.', '\\.')} KZT \\(`))
    assert.ok(said.includes(duty1.legalBasis.act), said)
    assert.equal(mismatchText(found[1]!, 'KZT').startsWith(`item 2 VAT: not declared, calculated ${vat2.amount} KZT`), true)
    assert.equal(mismatchText(found[2]!, 'KZT'), 'item 2 excise: declared 50.00 KZT, none is due')
  })

  it('adds up a kind of payment the declaration splits over two lines before comparing', () => {
    const duty1 = declared!.lines[0]!
    const halves = [{ ...duty1, amount: '0.01' }, { ...duty1, amount: text(sub(dec(duty1.amount), dec('0.01'))) }]
    assert.deepEqual(paymentMismatches({ ...declared!, lines: [...halves, ...declared!.lines.slice(1)] }, calculation), [])
  })
})
