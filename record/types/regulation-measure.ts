import type { RecordData, RecordTypeDefinition } from './definition.js'
import { arrayOf, date, describe, object, oneOf, recordSchema, string, text } from './common.js'
import { RecordTypes } from './names.js'
import { procedureId } from './policy.js'

export const MEASURE_KINDS = ['declaration', 'permit', 'certificate', 'licence', 'prohibition', 'quota', 'notification'] as const
export const TRADE_DIRECTIONS = ['export', 'import', 'transit'] as const

/** An HS code or the start of one: a chapter (2 digits), heading (4), subheading (6) or national subdivision (up to 10). */
const hsPrefix = string({ description: 'HS code or its start: chapter, heading, subheading…', pattern: '^[0-9]{2,10}$' })
/** A country (ISO 3166-1 alpha-2) or a group of them (EAEU, EU). */
const countryOrGroup = string({ description: 'ISO 3166-1 alpha-2 country code, or a group: EAEU, EU', pattern: '^([A-Z]{2}|EAEU|EU)$' })
const names = object({ ru: text(512), kk: text(512), en: text(512) }, ['ru', 'kk', 'en'])

export const regulationMeasure = {
  type: RecordTypes.regulationMeasure,
  title: 'Regulatory measure',
  description: 'A measure an agency applies to goods crossing the border: which goods (HS codes), which direction, which countries; ' +
    'what it asks (a declaration, permit, certificate, licence, quota, notification) or that it prohibits them; the procedure that handles it; its legal basis.',
  consignmentRequired: false,
  schema: recordSchema('Regulatory measure', 'A measure applying to goods by HS code, direction and countries.', {
    measure: string({ description: 'the measure\'s id, kept by the versions that supersede it', pattern: '^[A-Z]{2}(\\.[A-Za-z0-9-]+)+$', maxLength: 128 }),
    kind: oneOf(MEASURE_KINDS),
    title: describe(names, 'the measure in a few words, in Russian, Kazakh and English'),
    goods: describe(arrayOf(hsPrefix, 2000), 'the goods it applies to, by HS code or its start; absent: all goods'),
    exceptGoods: describe(arrayOf(hsPrefix, 2000), 'goods within those that it does not apply to'),
    directions: describe(arrayOf(oneOf(TRADE_DIRECTIONS), 3, { minItems: 1 }), 'export, import, transit'),
    origins: describe(arrayOf(countryOrGroup, 300), 'countries of origin it applies to; absent: any'),
    destinations: describe(arrayOf(countryOrGroup, 300), 'countries of destination it applies to; absent: any'),
    procedure: describe(procedureId, 'the procedure that handles it (its requirement profile), for every kind but a prohibition'),
    legalBasis: object({
      act: text(512, 'the act, e.g. a government decree or an EEC decision, with its number and date'),
      article: text(128),
      url: text(1024)
    }, ['act']),
    validFrom: date,
    validUntil: date,
    note: text(4000, 'what a trader should know')
  }, ['measure', 'kind', 'title', 'directions', 'legalBasis', 'validFrom'])
} satisfies RecordTypeDefinition

export type RegulationMeasureData = RecordData<typeof regulationMeasure>
