/**
 * The conditions of a risk rule, one by one, against an application's facts:
 * goods by HS prefix and exceptions, origin by country or group, value per kg
 * against thresholds in a currency, documents present and missing, payment,
 * an open missing-data request, and the applicant's authorised economic
 * operator status and type. A rule matches only when every condition holds.
 */
import assert from 'node:assert/strict'
import { RiskService, type Facts } from '../../../../node/workflow/risk-service.js'
import type { ApplicationView } from '../../../../node/workflow/application-service.js'
import type { RiskRuleData } from '../../../../record/types/index.js'

const application = { id: 'a', consignment: 'c', procedure: 'KZ.customs.import-declaration', applicant: 'p', agency: 'q', status: 'received' } as unknown as ApplicationView
const facts: Facts = {
  hsCodes: ['0813100000', '8704219000'],
  origins: ['DE', 'UZ'],
  valuePerKg: '1.80',
  valueCurrency: 'EUR',
  documents: ['cert.origin', 'customs.declaration'],
  paymentConfirmed: true,
  openMissingData: false,
  aeo: '2'
}
const matches = (when: RiskRuleData['when'], f: Facts = facts): boolean =>
  RiskService.matches({ rule: 'r', title: 'r', priority: 1, when, outcome: 'green', validFrom: '2026-01-01', record: 'x' }, application, f)

describe('unit: risk rule conditions', () => {
  it('matches a rule without conditions, and one whose every condition holds', () => {
    assert.equal(matches({}), true)
    assert.equal(matches({ goods: ['0813'], origins: ['EAEU', 'UZ'], documentsPresent: ['cert.origin'], paymentConfirmed: true, openMissingData: false, aeo: true }), true)
  })

  it('takes goods by prefix, less the exceptions, and origins by country or group', () => {
    assert.equal(matches({ goods: ['0813'], exceptGoods: ['081310'] }), false)
    assert.equal(matches({ goods: ['87'] }), true)
    assert.equal(matches({ goods: ['0814'] }), false)
    assert.equal(matches({ origins: ['EU'] }), true, 'Germany is in the EU')
    assert.equal(matches({ origins: ['EAEU'] }), false)
  })

  it('compares value per kg only in the threshold\'s currency', () => {
    assert.equal(matches({ valuePerKgBelow: '2.00', valueCurrency: 'EUR' }), true)
    assert.equal(matches({ valuePerKgBelow: '1.80', valueCurrency: 'EUR' }), false, 'below, not at')
    assert.equal(matches({ valuePerKgAbove: '1.00' }), true)
    assert.equal(matches({ valuePerKgBelow: '2.00', valueCurrency: 'USD' }), false)
  })

  it('asks for documents present and missing, payment and an open request', () => {
    assert.equal(matches({ documentsMissing: ['cert.phytosanitary'] }), true)
    assert.equal(matches({ documentsMissing: ['cert.origin'] }), false)
    assert.equal(matches({ documentsPresent: ['cert.phytosanitary'] }), false)
    assert.equal(matches({ paymentConfirmed: false }), false)
    assert.equal(matches({ openMissingData: true }), false)
  })

  it('tells an authorised economic operator, and its type, from another trader', () => {
    assert.equal(matches({ aeo: true }), true)
    assert.equal(matches({ aeo: false }), false)
    assert.equal(matches({ aeoTypes: ['2', '3'] }), true)
    assert.equal(matches({ aeoTypes: ['3'] }), false)
    const { aeo: _, ...plain } = facts
    assert.equal(matches({ aeo: false }, plain), true)
    assert.equal(matches({ aeo: true }, plain), false)
    assert.equal(matches({ aeoTypes: ['1', '2', '3'] }, plain), false)
  })
})
