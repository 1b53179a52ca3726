import type { RecordData, RecordTypeDefinition } from './definition.js'
import { arrayOf, boolean, currencyCode, date, decimal, describe, integer, object, oneOf, recordId, recordSchema, string, text } from './common.js'
import { RecordTypes } from './names.js'
import { procedureId, recordTypeName } from './policy.js'
import { AEO_TYPES } from './trust-certificate.js'

export const RISK_OUTCOMES = ['green', 'yellow', 'red'] as const

const hsPrefix = string({ description: 'HS code or its start', pattern: '^[0-9]{2,10}$' })
const countryOrGroup = string({ description: 'ISO 3166-1 alpha-2 country code, or a group: EAEU, EU', pattern: '^([A-Z]{2}|EAEU|EU)$' })

const conditions = object({
  procedures: describe(arrayOf(procedureId, 50), 'the procedures it applies to; absent: any of this agency\'s'),
  goods: describe(arrayOf(hsPrefix, 1000), 'any of the goods starts with one of these'),
  exceptGoods: arrayOf(hsPrefix, 1000),
  origins: describe(arrayOf(countryOrGroup, 300), 'any of the goods comes from one of these'),
  valuePerKgBelow: describe(decimal, 'the invoice\'s value per kilogram of net weight is below this (in valueCurrency): undervaluation'),
  valuePerKgAbove: describe(decimal, 'the invoice\'s value per kilogram is above this'),
  valueCurrency: currencyCode,
  documentsPresent: describe(arrayOf(recordTypeName, 20), 'the consignment holds a verified, unexpired record of each of these types here (a certificate, a permit…)'),
  documentsMissing: describe(arrayOf(recordTypeName, 20), 'the consignment lacks a verified, unexpired record of one of these types'),
  paymentConfirmed: boolean('the declaration\'s payments are confirmed by a bank in full (true), or not (false)'),
  openMissingData: boolean('a missing-data request of the application is open (true) or none is (false)'),
  aeo: boolean('the applicant\'s certificate names it an authorised economic operator (true) or not (false)'),
  aeoTypes: describe(arrayOf(oneOf(AEO_TYPES), 3, { minItems: 1 }), 'the applicant is an authorised economic operator of one of these types')
}, [])

export const riskRule = {
  type: RecordTypes.riskRule,
  title: 'Risk rule',
  description: 'A rule of an agency\'s risk management: conditions over an application\'s goods, documents and payments, and the outcome — green (release automatically), yellow (document check) or red (inspection). Kept by the agency: its content is for its officers.',
  consignmentRequired: false,
  schema: recordSchema('Risk rule', 'A condition and the outcome it leads to.', {
    rule: string({ description: 'the rule\'s id', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }),
    title: text(512),
    priority: describe(integer({ minimum: 0, maximum: 10_000 }), 'lower first; of the rules that match, the most severe outcome decides, then the lowest priority names it'),
    when: conditions,
    outcome: oneOf(RISK_OUTCOMES),
    reason: text(1000, 'what the officer reads when the rule decides'),
    validFrom: date,
    validUntil: date
  }, ['rule', 'title', 'priority', 'when', 'outcome', 'validFrom'])
} satisfies RecordTypeDefinition

export const riskEvaluation = {
  type: RecordTypes.riskEvaluation,
  title: 'Risk evaluation',
  description: 'What an agency\'s rules made of an application at a moment: the outcome, the rules that matched and the facts they were judged on.',
  consignmentRequired: true,
  schema: recordSchema('Risk evaluation', 'An evaluation of an application by the risk rules.', {
    application: recordId,
    outcome: oneOf(RISK_OUTCOMES),
    rules: describe(arrayOf(object({ rule: text(64), record: recordId, outcome: oneOf(RISK_OUTCOMES), reason: text(1000) }, ['rule', 'record', 'outcome']), 500), 'the rules that matched'),
    trigger: text(256, 'what led to the evaluation: the application, a payment confirmed, a certificate received…'),
    facts: object({
      hsCodes: arrayOf(hsPrefix, 500),
      origins: arrayOf(countryOrGroup, 100),
      valuePerKg: decimal,
      valueCurrency: currencyCode,
      documents: arrayOf(recordTypeName, 50),
      paymentConfirmed: boolean(),
      openMissingData: boolean(),
      aeo: describe(oneOf(AEO_TYPES), 'the type of the applicant\'s authorised economic operator certificate, when it holds one')
    }, []),
    release: describe(recordId, 'the release this evaluation issued, when it was green')
  }, ['application', 'outcome', 'rules', 'trigger', 'facts'])
} satisfies RecordTypeDefinition

export type RiskRuleData = RecordData<typeof riskRule>
export type RiskEvaluationData = RecordData<typeof riskEvaluation>
