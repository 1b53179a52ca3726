import type { RecordData, RecordTypeDefinition } from './definition.js'
import { arrayOf, boolean, currencyCode, date, decimal, describe, integer, object, oneOf, recordSchema, string, text, unitCode } from './common.js'
import { RecordTypes } from './names.js'

const hsPrefix = string({ description: 'HS code or its start', pattern: '^[0-9]{2,10}$' })
const countryOrGroup = string({ description: 'ISO 3166-1 alpha-2 country code, or a group: EAEU, EU', pattern: '^([A-Z]{2}|EAEU|EU)$' })
const names = object({ ru: text(512), kk: text(512), en: text(512) }, ['ru', 'kk', 'en'])
const legalBasis = object({ act: text(512), article: text(128), url: text(1024) }, ['act'])

export const TAXES = ['duty', 'excise', 'vat'] as const
export const RATE_KINDS = ['ad-valorem', 'specific', 'combined', 'higher-of'] as const

const rate = object({
  tax: oneOf(TAXES, 'customs duty, excise or value added tax'),
  direction: oneOf(['import', 'export'] as const),
  goods: describe(arrayOf(hsPrefix, 1000), 'the goods it applies to, by HS code or its start; absent: all goods'),
  exceptGoods: arrayOf(hsPrefix, 1000),
  origins: describe(arrayOf(countryOrGroup, 300), 'countries of origin it applies to; absent: any'),
  kind: oneOf(RATE_KINDS, 'ad valorem (percent of the base), specific (an amount per unit), combined (both added), higher-of (the larger of both)'),
  percent: describe(decimal, 'for ad valorem, combined and higher-of: percent of the customs value (for VAT: of the value with duty and excise)'),
  amount: describe(decimal, 'for specific, combined and higher-of: the amount per unit'),
  unit: describe(unitCode, 'the unit the amount is per (UN/ECE Rec. 20: KGM, TNE, LTR, H87…)'),
  amountCurrency: describe(currencyCode, 'the currency of the amount per unit (default: the schedule\'s)'),
  preferential: boolean('a tariff preference: applies only when a verified certificate of origin of the consignment names the goods\' origin'),
  legalBasis
}, ['tax', 'direction', 'kind', 'legalBasis'])

const fee = object({
  direction: oneOf(['import', 'export'] as const),
  title: names,
  amount: describe(decimal, 'in the schedule\'s currency, once per declaration'),
  legalBasis
}, ['direction', 'title', 'amount', 'legalBasis'])

export const referenceDutyRates = {
  type: RecordTypes.referenceDutyRates,
  title: 'Duty and tax rates',
  description: 'A customs authority\'s schedule of import and export duties, excise, VAT and fees, by HS code and origin, in force from its start date.',
  consignmentRequired: false,
  schema: recordSchema('Duty and tax rates', 'A schedule of rates by HS code and origin.', {
    schedule: string({ description: 'the schedule\'s id, e.g. KZ.customs.rates', pattern: '^[A-Z]{2}(\\.[A-Za-z0-9-]+)+$', maxLength: 128 }),
    version: string({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' }),
    validFrom: date,
    validUntil: date,
    currency: describe(currencyCode, 'the national currency payments are made in'),
    rates: arrayOf(rate, 5000, { minItems: 1 }),
    fees: arrayOf(fee, 100)
  }, ['schedule', 'version', 'validFrom', 'currency', 'rates'])
} satisfies RecordTypeDefinition

export const referenceExchangeRates = {
  type: RecordTypes.referenceExchangeRates,
  title: 'Exchange rates',
  description: 'The rates of foreign currencies to the national currency on a day, as customs applies them.',
  consignmentRequired: false,
  schema: recordSchema('Exchange rates', 'Rates of foreign currencies on a day.', {
    base: describe(currencyCode, 'the national currency'),
    date: describe(date, 'the day the rates apply to'),
    rates: arrayOf(object({
      currency: currencyCode,
      rate: describe(decimal, 'how many units of the base currency `units` of this currency buy'),
      units: integer({ minimum: 1, maximum: 1_000_000, description: 'the amount of the currency the rate is for (1, or 100 for yen…); 1 if absent' })
    }, ['currency', 'rate']), 300, { minItems: 1 }),
    source: text(512)
  }, ['base', 'date', 'rates'])
} satisfies RecordTypeDefinition

export type DutyRatesData = RecordData<typeof referenceDutyRates>
export type ExchangeRatesData = RecordData<typeof referenceExchangeRates>
