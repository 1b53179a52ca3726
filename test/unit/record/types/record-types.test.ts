/**
 * The built-in record types: every schema compiles under Ajv's strict mode, the
 * example consignment in test/fixtures/records validates, and broken copies of
 * it (a required field removed, an unknown field added, a number where a
 * decimal string belongs) are refused for the right reason.
 */
import { CODE_LIST, CODE_MATCH } from '../../../../record/reference/coded-fields.js'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import formatsModule from 'ajv-formats'
import { TYPE_PATTERN } from '../../../../record/envelope.js'
import { decimal, signedDecimal } from '../../../../record/types/common.js'
import type { JsonSchema, RecordTypeDefinition } from '../../../../record/types/definition.js'
import { builtinTypes } from '../../../../record/types/index.js'
import { repoFile } from '../../../support/repo.js'

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as
  (ajv: Ajv2020) => Ajv2020

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }
type Path = Array<string | number>

const EXPECTED_TYPES = [
  'trade.invoice', 'trade.packing-list', 'trade.contract', 'transport.waybill',
  'cert.origin', 'cert.phytosanitary', 'customs.declaration', 'event.shipment',
  'trust.certificate', 'trust.revocation', 'delivery.receipt',
  'policy.grant', 'policy.revoke', 'requirement.profile', 'application.submission', 'request.missing-data',
  'application.status', 'decision.release', 'decision.permit', 'decision.certificate', 'decision.refusal',
  'decision.suspension', 'decision.reinstatement', 'decision.withdrawal', 'epcis.event',
  'reference.codelist', 'regulation.measure', 'reference.duty-rates', 'reference.exchange-rates',
  'payment.order', 'payment.confirmation', 'payment.refusal', 'payment.refund', 'query.request', 'query.answer', 'risk.rule', 'risk.evaluation',
  'foreign.document', 'foreign.verification'
]
// Records about the network rather than the goods carry no amounts (rate schedules do); trust, delivery, policy, profile and reference records belong to no consignment.
const isTrust = (definition: RecordTypeDefinition): boolean => /^(trust|delivery|policy|requirement|application|request|decision|epcis|regulation|query)\./.test(definition.type) || definition.type === 'reference.codelist' || definition.type === 'payment.refusal' || definition.type === 'foreign.verification'
const needsConsignment = (definition: RecordTypeDefinition): boolean => !/^(trust|delivery|policy|requirement|reference|regulation|query)\./.test(definition.type) && definition.type !== 'risk.rule'
const DECIMAL_PATTERNS = new Set([decimal.pattern, signedDecimal.pattern])

const fixture = (type: string): JsonObject =>
  JSON.parse(readFileSync(repoFile(`test/fixtures/records/${type}.json`), 'utf8')) as JsonObject

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const pointer = (path: Path): string => path.map(p => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')

function at (root: Json, path: Path): Json {
  let node: Json = root
  for (const key of path) node = (node as Record<string | number, Json>)[key] as Json
  return node
}

/** Every object in `value` with the schema that describes it, walking properties and items. */
function * objectsIn (schema: JsonSchema, value: Json, path: Path = []): Generator<{ schema: JsonSchema, value: JsonObject, path: Path }> {
  if (Array.isArray(value)) {
    if (!isObject(schema.items)) return
    for (const [i, item] of value.entries()) yield * objectsIn(schema.items, item, [...path, i])
  } else if (isObject(value)) {
    yield { schema, value, path }
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
    for (const [key, child] of Object.entries(value)) {
      if (properties[key] !== undefined) yield * objectsIn(properties[key], child, [...path, key])
    }
  }
}

/** Paths of the values in `value` whose schema is a decimal string. */
function decimalPaths (schema: JsonSchema, value: Json, path: Path = []): Path[] {
  if (schema.type === 'string' && DECIMAL_PATTERNS.has(schema.pattern)) return [path]
  if (Array.isArray(value) && isObject(schema.items)) {
    const items = schema.items
    return value.flatMap((item, i) => decimalPaths(items, item, [...path, i]))
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
    return Object.entries(value).flatMap(([key, child]) => properties[key] === undefined ? [] : decimalPaths(properties[key], child, [...path, key]))
  }
  return []
}

/** Every sub-schema of `schema`, with its JSON Pointer. */
function * subschemas (schema: unknown, where = '#'): Generator<{ schema: Record<string, unknown>, where: string }> {
  if (!isObject(schema)) return
  yield { schema, where }
  for (const keyword of ['properties', '$defs']) {
    if (isObject(schema[keyword])) {
      for (const [key, child] of Object.entries(schema[keyword])) yield * subschemas(child, `${where}/${keyword}/${key}`)
    }
  }
  for (const keyword of ['items', 'if', 'then', 'else', 'not']) yield * subschemas(schema[keyword], `${where}/${keyword}`)
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(schema[keyword])) for (const [i, child] of schema[keyword].entries()) yield * subschemas(child, `${where}/${keyword}/${i}`)
  }
}

function describeErrors (errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map(e => `${e.instancePath || '/'} ${e.keyword}: ${e.message ?? ''}`).join('; ')
}

const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }))
// keruen's own annotations: which code list a field takes (record/reference/coded-fields.ts).
ajv.addKeyword({ keyword: CODE_LIST, schemaType: 'string' })
ajv.addKeyword({ keyword: CODE_MATCH, schemaType: 'string' })
// What the issuing node works out when it signs (a declaration's payments).
ajv.addKeyword({ keyword: 'x-derived', schemaType: 'boolean' })
const validators = new Map<string, ValidateFunction>()
function validatorOf (definition: RecordTypeDefinition): ValidateFunction {
  let validate = validators.get(definition.type)
  if (validate === undefined) {
    validate = ajv.compile(definition.schema)
    validators.set(definition.type, validate)
  }
  return validate
}

describe('built-in record types', () => {
  it('lists the built-in types in order; trade documents and applications require a consignment, trust, delivery, policy and profile records none', () => {
    assert.deepEqual(builtinTypes.map(t => t.type), EXPECTED_TYPES)
    for (const definition of builtinTypes) {
      assert.match(definition.type, TYPE_PATTERN)
      assert.equal(definition.consignmentRequired, needsConsignment(definition), definition.type)
      assert.ok(definition.title.length > 0 && definition.description.length > 0, definition.type)
      assert.equal(definition.schema.$schema, 'https://json-schema.org/draft/2020-12/schema', definition.type)
      assert.equal(definition.schema.type, 'object', definition.type)
    }
  })

  for (const definition of builtinTypes) {
    describe(definition.type, () => {
      it('compiles under strict mode', () => {
        assert.equal(typeof validatorOf(definition), 'function')
      })

      it('closes every object, bounds every string and array, and uses no floats', () => {
        const problems: string[] = []
        for (const { schema, where } of subschemas(definition.schema)) {
          if (schema.type === 'object') {
            if (schema.additionalProperties !== false) problems.push(`${where}: additionalProperties is not false`)
            if (!Array.isArray(schema.required)) problems.push(`${where}: no required list`)
          }
          if (schema.type === 'string' && schema.maxLength === undefined && schema.pattern === undefined &&
              schema.enum === undefined && schema.const === undefined && schema.format === undefined) {
            problems.push(`${where}: unbounded string`)
          }
          if (schema.type === 'array' && typeof schema.maxItems !== 'number') problems.push(`${where}: no maxItems`)
          if (schema.type === 'number') problems.push(`${where}: JSON number (use a decimal string)`)
        }
        assert.deepEqual(problems, [])
      })

      it('accepts the example consignment', () => {
        const validate = validatorOf(definition)
        const data = fixture(definition.type)
        assert.equal(validate(data), true, describeErrors(validate.errors))
      })

      it('refuses the example with any required field removed', () => {
        const validate = validatorOf(definition)
        const data = fixture(definition.type)
        let checked = 0
        const problems: string[] = []
        for (const { schema, path } of objectsIn(definition.schema, data)) {
          for (const key of (schema.required ?? []) as string[]) {
            const broken = structuredClone(data)
            delete (at(broken, path) as JsonObject)[key]
            checked++
            if (validate(broken)) {
              problems.push(`${pointer([...path, key])} removed: accepted`)
            } else if (!(validate.errors ?? []).some(e => e.keyword === 'required' && e.instancePath === pointer(path) && e.params.missingProperty === key)) {
              problems.push(`${pointer([...path, key])} removed: ${describeErrors(validate.errors)}`)
            }
          }
        }
        assert.ok(checked >= ((definition.schema.required ?? []) as string[]).length && checked > 0)
        assert.deepEqual(problems, [])
      })

      it('refuses the example with an unknown field in any object', () => {
        const validate = validatorOf(definition)
        const data = fixture(definition.type)
        let checked = 0
        const problems: string[] = []
        for (const { path } of objectsIn(definition.schema, data)) {
          const broken = structuredClone(data)
          ;(at(broken, path) as JsonObject).unknownField = 'x'
          checked++
          if (validate(broken)) {
            problems.push(`${pointer(path)}: accepted`)
          } else if (!(validate.errors ?? []).some(e => e.keyword === 'additionalProperties' && e.instancePath === pointer(path) && e.params.additionalProperty === 'unknownField')) {
            problems.push(`${pointer(path)}: ${describeErrors(validate.errors)}`)
          }
        }
        // Trade documents nest parties, addresses and lines.
        assert.ok(checked > (isTrust(definition) ? 0 : 1))
        assert.deepEqual(problems, [])
      })

      it('refuses a JSON number wherever a decimal string is expected', () => {
        const validate = validatorOf(definition)
        const data = fixture(definition.type)
        const paths = decimalPaths(definition.schema, data)
        if (isTrust(definition)) {
          assert.deepEqual(paths, [], 'trust records carry no amounts')
          return
        }
        assert.ok(paths.length > 0, 'the example has decimal fields')
        const problems: string[] = []
        for (const path of paths) {
          const broken = structuredClone(data)
          const parent = at(broken, path.slice(0, -1)) as Record<string | number, Json>
          const key = path[path.length - 1] as string | number
          parent[key] = Number(parent[key]) + 0.5
          if (validate(broken)) {
            problems.push(`${pointer(path)}: accepted`)
          } else if (!(validate.errors ?? []).some(e => e.keyword === 'type' && e.instancePath === pointer(path))) {
            problems.push(`${pointer(path)}: ${describeErrors(validate.errors)}`)
          }
        }
        assert.deepEqual(problems, [])
      })
    })
  }
})

describe('record type field formats', () => {
  const byType = new Map(builtinTypes.map(t => [t.type, t]))
  const check = (type: string, mutate: (data: JsonObject) => void): { valid: boolean, errors: string } => {
    const definition = byType.get(type)
    assert.ok(definition !== undefined, type)
    const validate = validatorOf(definition)
    const data = fixture(type)
    mutate(data)
    const valid = validate(data)
    return { valid, errors: describeErrors(validate.errors) }
  }
  const invoiceLine = (data: JsonObject): JsonObject => (data.lines as JsonObject[])[0] as JsonObject

  it('refuses malformed decimals, codes and dates', () => {
    const cases: Array<[string, string, (data: JsonObject) => void]> = [
      ['trade.invoice', 'decimal with a comma', d => { invoiceLine(d).unitPrice = '3,15' }],
      ['trade.invoice', 'decimal with a leading zero', d => { invoiceLine(d).unitPrice = '03.15' }],
      ['trade.invoice', 'decimal in exponent form', d => { d.totalAmount = '6.15e4' }],
      ['trade.invoice', 'negative unit price', d => { invoiceLine(d).unitPrice = '-3.15' }],
      ['trade.invoice', 'lower-case currency', d => { d.currency = 'eur' }],
      ['trade.invoice', 'three-letter country', d => { (d.seller as JsonObject).country = 'KAZ' }],
      ['trade.invoice', 'HS code with dots', d => { invoiceLine(d).hsCode = '0813.10' }],
      ['trade.invoice', 'HS code too short', d => { invoiceLine(d).hsCode = '0813' }],
      ['trade.invoice', 'unknown Incoterms rule', d => { (d.incoterms as JsonObject).code = 'FOT' }],
      ['trade.invoice', 'date in local format', d => { d.date = '02.11.2026' }],
      ['trade.invoice', 'impossible date', d => { d.date = '2026-02-30' }],
      ['trade.invoice', 'fractional line number', d => { invoiceLine(d).lineNumber = 1.5 }],
      ['trade.invoice', 'no lines', d => { d.lines = [] }],
      ['trade.invoice', 'empty invoice number', d => { d.number = '' }],
      ['trade.invoice', 'overlong description', d => { invoiceLine(d).description = 'x'.repeat(1025) }],
      ['trade.packing-list', 'zero packages', d => { ((d.packages as JsonObject[])[0] as JsonObject).count = 0 }],
      ['trade.packing-list', 'package count as text', d => { ((d.packages as JsonObject[])[0] as JsonObject).count = '1800' }],
      ['transport.waybill', 'unknown transport mode', d => { d.mode = 'truck' }],
      ['transport.waybill', 'time without offset', d => { d.takenOverAt = '2026-11-03T14:30:00' }],
      ['transport.waybill', 'bad UN/LOCODE', d => { ((d.route as JsonObject).placeOfLoading as JsonObject).unLocode = 'KZ-ALA' }],
      ['customs.declaration', 'unknown procedure', d => { d.procedure = 'reexport' }],
      ['customs.declaration', 'malformed record id', d => {
        (((d.items as JsonObject[])[0] as JsonObject).supportingDocuments as JsonObject[])[0]!.recordId = 'bciqNOTANID'
      }],
      ['event.shipment', 'unknown event type', d => { d.eventType = 'ShippingEvent' }],
      ['event.shipment', 'unknown action', d => { d.action = 'UPDATE' }],
      ['event.shipment', 'bad time zone offset', d => { d.eventTimeZoneOffset = '+5' }],
      ['event.shipment', 'ObjectEvent without action', d => { delete d.action }],
      ['event.shipment', 'TransformationEvent with action', d => { d.eventType = 'TransformationEvent' }]
    ]
    const accepted = cases.filter(([type, , mutate]) => check(type, mutate).valid).map(([type, what]) => `${type}: ${what}`)
    assert.deepEqual(accepted, [])
  })

  it('accepts the optional forms it allows', () => {
    const cases: Array<[string, string, (data: JsonObject) => void]> = [
      ['trade.invoice', '10-digit national tariff code', d => { invoiceLine(d).hsCode = '0813100000' }],
      ['trade.invoice', 'negative charge (discount)', d => { d.charges = [{ type: 'discount', amount: '-500.00' }] }],
      ['trade.invoice', 'a party with a keruen participant id', d => {
        (d.buyer as JsonObject).participant = '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'
      }],
      ['customs.declaration', 'a supporting document given as a keruen record', d => {
        (((d.items as JsonObject[])[0] as JsonObject).supportingDocuments as JsonObject[])[0]!.recordId = 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia'
      }],
      ['event.shipment', 'a TransformationEvent without action', d => { d.eventType = 'TransformationEvent'; delete d.action }],
      ['event.shipment', 'an AggregationEvent with parentID and childEPCs', d => {
        d.eventType = 'AggregationEvent'
        d.action = 'ADD'
        d.parentID = 'urn:epc:id:sscc:4870204.0000000001'
        d.childEPCs = ['urn:epc:id:sgtin:4870204.012345.1', 'urn:epc:id:sgtin:4870204.012345.2']
      }]
    ]
    const refused = cases.map(([type, what, mutate]) => ({ what: `${type}: ${what}`, ...check(type, mutate) }))
      .filter(c => !c.valid).map(c => `${c.what}: ${c.errors}`)
    assert.deepEqual(refused, [])
  })
})

describe('the example consignment', () => {
  const docs = Object.fromEntries(EXPECTED_TYPES.map(type => [type, fixture(type)])) as Record<string, any>
  /** Exact decimal arithmetic in thousandths, enough for these amounts and weights. */
  const milli = (text: string): bigint => {
    const [whole = '0', fraction = ''] = text.split('.')
    return BigInt(whole) * 1000n + BigInt((fraction + '000').slice(0, 3))
  }
  const sum = (values: string[]): bigint => values.reduce((total, v) => total + milli(v), 0n)

  it('adds up on the invoice', () => {
    const invoice = docs['trade.invoice']
    for (const line of invoice.lines) assert.equal(milli(line.quantity) * milli(line.unitPrice) / 1000n, milli(line.amount), `line ${line.lineNumber}`)
    assert.equal(sum(invoice.lines.map((l: any) => l.amount)), milli(invoice.totalAmount))
    assert.equal(sum(invoice.lines.map((l: any) => l.netWeight)), milli(invoice.totalNetWeight))
    assert.equal(sum(invoice.lines.map((l: any) => l.grossWeight)), milli(invoice.totalGrossWeight))
  })

  it('has the same parties, numbers, packages and weights in every document', () => {
    const invoice = docs['trade.invoice']
    const packing = docs['trade.packing-list']
    const waybill = docs['transport.waybill']
    const declaration = docs['customs.declaration']
    const exporter = invoice.seller.name
    const importer = invoice.buyer.name
    assert.equal(docs['trade.contract'].seller.name, exporter)
    assert.equal(packing.seller.name, exporter)
    assert.equal(waybill.sender.name, exporter)
    assert.equal(docs['cert.origin'].exporter.name, exporter)
    assert.equal(docs['cert.phytosanitary'].exporter.name, exporter)
    assert.equal(declaration.exporter.name, exporter)
    for (const consignee of [docs['trade.contract'].buyer, packing.buyer, waybill.consignee, docs['cert.origin'].consignee, docs['cert.phytosanitary'].consignee, declaration.importer]) {
      assert.equal(consignee.name, importer)
    }

    assert.equal(invoice.contractNumber, docs['trade.contract'].number)
    assert.equal(packing.invoiceNumber, invoice.number)
    const numberOf: Record<string, string> = Object.fromEntries(EXPECTED_TYPES.filter(t => t !== 'event.shipment').map(t => [t, docs[t].number]))
    for (const ref of [...waybill.attachedDocuments, ...declaration.items.flatMap((i: any) => i.supportingDocuments), ...docs['cert.origin'].invoices]) {
      assert.equal(ref.number, numberOf[ref.type], `${ref.type} reference`)
    }

    const gross = invoice.totalGrossWeight
    assert.equal(milli(packing.totalGrossWeight), milli(gross))
    assert.equal(milli(waybill.grossWeight), milli(gross))
    assert.equal(milli(declaration.totalGrossMass), milli(gross))
    assert.equal(sum(waybill.goods.map((g: any) => g.grossWeight)), milli(gross))
    assert.equal(sum(declaration.items.map((i: any) => i.grossMass)), milli(gross))
    assert.equal(sum(declaration.items.map((i: any) => i.netMass)), milli(invoice.totalNetWeight))
    assert.equal(milli(declaration.totalInvoiceAmount), milli(invoice.totalAmount))
    assert.equal(declaration.currency, invoice.currency)

    const packageCount = (packages: any[]): number => packages.reduce((n, p) => n + p.count, 0)
    assert.equal(packageCount(packing.packages), packing.totalPackages)
    assert.equal(waybill.totalPackages, packing.totalPackages)
    assert.equal(declaration.totalPackages, packing.totalPackages)
    assert.equal(packageCount(waybill.goods.flatMap((g: any) => g.packages)), packing.totalPackages)

    const plate = waybill.vehicle.registration
    assert.equal(docs['event.shipment'].vehicle.registration, plate)
    assert.ok(declaration.transport.meansAtBorder.identifier.startsWith(plate))
    assert.ok(docs['cert.phytosanitary'].declaredMeansOfConveyance.identifier.startsWith(plate))
    assert.deepEqual(docs['event.shipment'].seals, waybill.seals)
  })
})
