/**
 * Sub-schemas shared by the built-in record types (JSON Schema draft 2020-12).
 *
 * Field names follow the WCO Data Model and UN/CEFACT in camelCase English.
 * Amounts, quantities, weights and rates are decimal strings (the canonical
 * encoding has no floating point); counts and line numbers are integers.
 * Weights are in kilograms, volumes in cubic metres.
 *
 * Nothing here carries an `$id`, so the same sub-schema can sit inline in any
 * number of type schemas compiled by one validator.
 */
import { PARTICIPANT_ID_PATTERN, RECORD_ID_PATTERN } from '../ids.js'
import type { JsonSchema } from './definition.js'

export type Properties = Readonly<Record<string, JsonSchema>>

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema'

/** Most lines, packages or items one document may list. */
export const MAX_LINES = 10_000

// ---------------------------------------------------------------- builders

/** A closed object: only the listed properties, `required` ones mandatory. */
export function object (properties: Properties, required: readonly string[], description?: string): JsonSchema {
  for (const key of required) {
    if (!(key in properties)) throw new Error(`required property ${key} is not defined`)
  }
  return {
    type: 'object',
    ...(description !== undefined && { description }),
    properties,
    required: [...required],
    additionalProperties: false
  }
}

/** An array of `items`, at most `maxItems` long (at least `minItems`, default 0). */
export function arrayOf (items: JsonSchema, maxItems: number, options: { minItems?: number, description?: string } = {}): JsonSchema {
  return {
    type: 'array',
    ...(options.description !== undefined && { description: options.description }),
    items,
    ...(options.minItems !== undefined && options.minItems > 0 && { minItems: options.minItems }),
    maxItems
  }
}

/** Non-empty text of at most `maxLength` characters. */
export function text (maxLength: number, description?: string): JsonSchema {
  return { type: 'string', ...(description !== undefined && { description }), minLength: 1, maxLength }
}

/** The same schema with a (more specific) description. */
export function describe (schema: JsonSchema, description: string): JsonSchema {
  return { ...schema, description }
}

/** The top-level schema of a record type's `data`. */
export function recordSchema (title: string, description: string, properties: Properties, required: readonly string[]): JsonSchema {
  return { $schema: SCHEMA_DIALECT, title, ...object(properties, required, description) }
}

// ---------------------------------------------------------------- scalars

const DECIMAL = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$'
const UNSIGNED_DECIMAL = '^(0|[1-9][0-9]*)(\\.[0-9]+)?$'

/** A signed decimal number written as a string, e.g. `"-12.50"`. */
export const signedDecimal: JsonSchema = { type: 'string', description: 'decimal number as a string, e.g. "-12.50"', pattern: DECIMAL, maxLength: 40 }
/** A non-negative decimal number written as a string, e.g. `"63000.00"`. */
export const decimal: JsonSchema = { type: 'string', description: 'non-negative decimal number as a string, e.g. "63000.00"', pattern: UNSIGNED_DECIMAL, maxLength: 40 }

export const amount = describe(decimal, 'monetary amount as a decimal string, in the document currency')
export const signedAmount = describe(signedDecimal, 'monetary amount as a decimal string, in the document currency; negative for deductions')
export const quantity = describe(decimal, 'quantity as a decimal string, in the line\'s unit')
export const weight = describe(decimal, 'mass in kilograms, as a decimal string')
export const volume = describe(decimal, 'volume in cubic metres, as a decimal string')
export const percent = describe(decimal, 'percentage as a decimal string, e.g. "30" for 30 %')

export const countryCode: JsonSchema = { type: 'string', description: 'ISO 3166-1 alpha-2 country code', pattern: '^[A-Z]{2}$' }
export const currencyCode: JsonSchema = { type: 'string', description: 'ISO 4217 currency code', pattern: '^[A-Z]{3}$' }
export const date: JsonSchema = { type: 'string', description: 'calendar date, YYYY-MM-DD', format: 'date' }
export const dateTime: JsonSchema = { type: 'string', description: 'RFC 3339 date-time with offset', format: 'date-time' }
export const hsCode: JsonSchema = { type: 'string', description: 'Harmonized System code, 6 to 10 digits without dots (national tariff extensions allowed)', pattern: '^[0-9]{6,10}$' }
export const unitCode: JsonSchema = { type: 'string', description: 'UN/ECE Recommendation 20 unit of measure code, e.g. KGM, TNE, PCE', pattern: '^[A-Z0-9]{2,3}$' }
export const packageKindCode: JsonSchema = { type: 'string', description: 'UN/ECE Recommendation 21 package type code, e.g. CT (carton), BG (bag), PX (pallet)', pattern: '^[A-Z0-9]{2}$' }
export const unLocode: JsonSchema = { type: 'string', description: 'UN/LOCODE: country code and three-character location code, e.g. KZALA', pattern: '^[A-Z]{2}[A-Z2-9]{3}$' }
export const recordId: JsonSchema = { type: 'string', description: 'id of a keruen record', pattern: RECORD_ID_PATTERN.source }
export const participantId: JsonSchema = { type: 'string', description: 'keruen participant id (libp2p peer id)', pattern: PARTICIPANT_ID_PATTERN.source }

export const lineNumber: JsonSchema = { type: 'integer', description: 'position of the line in the document, from 1', minimum: 1, maximum: 1_000_000 }
export const count: JsonSchema = { type: 'integer', description: 'number of packages', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }

/** A document or registration number. */
export const documentNumber = text(70)
export const name = text(256)
export const shortText = text(70)
export const description = text(1024)
export const remarks = text(4000)

export const transportModes = ['road', 'rail', 'air', 'sea', 'inlandWaterway', 'multimodal'] as const
export const transportMode: JsonSchema = { type: 'string', description: 'mode of transport', enum: [...transportModes] }

export const incotermsCodes = ['EXW', 'FCA', 'FAS', 'FOB', 'CFR', 'CIF', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP'] as const

// ---------------------------------------------------------------- structures

export const geoCoordinates = object({
  latitude: { ...signedDecimal, description: 'WGS 84 latitude in decimal degrees' },
  longitude: { ...signedDecimal, description: 'WGS 84 longitude in decimal degrees' }
}, ['latitude', 'longitude'])

export const address = object({
  street: text(256, 'street and number, building'),
  city: text(128),
  postcode: text(17),
  region: text(128, 'region, province or state'),
  country: countryCode
}, ['city', 'country'])

export const contact = object({
  name,
  phone: text(35),
  email: { type: 'string', format: 'email', maxLength: 254 }
}, [])

export const party = object({
  name,
  legalId: text(35, 'registration or tax number: BIN (KZ), INN (RU), EORI (EU), VAT number …'),
  legalIdScheme: text(35, 'what legalId is, e.g. BIN, INN, EORI, VAT'),
  country: countryCode,
  address,
  contact,
  participant: describe(participantId, 'the party\'s keruen participant id, when it has one')
}, ['name', 'country'])

/** A person acting for an organisation: signatory, inspector, certifying officer. */
export const person = object({
  name,
  position: text(128)
}, ['name'])

export const location = object({
  name: text(256, 'name of the place, e.g. a town, terminal, warehouse or border crossing'),
  unLocode,
  country: countryCode,
  address,
  geo: geoCoordinates
}, ['name'])

export const period: JsonSchema = { ...object({ start: date, end: date }, []), minProperties: 1 }

export const incoterms = object({
  code: { type: 'string', description: 'Incoterms rule', enum: [...incotermsCodes] },
  place: text(256, 'named place or port'),
  version: { type: 'string', description: 'Incoterms edition, e.g. 2020', pattern: '^[0-9]{4}$' }
}, ['code', 'place'])

export const paymentTerms = object({
  description: text(1024, 'the terms as written, e.g. "30 % prepayment, 70 % within 30 days of delivery"'),
  method: text(70, 'e.g. bank transfer, documentary letter of credit, documentary collection'),
  dueDate: date,
  dueDays: { type: 'integer', description: 'days after the invoice date', minimum: 0, maximum: 3650 }
}, ['description'])

export const transportMeansProperties: Properties = {
  mode: transportMode,
  identifier: text(35, 'vehicle registration, train or wagon number, flight number or vessel IMO number'),
  nationality: describe(countryCode, 'country of registration of the means of transport'),
  description: text(256)
}
export const transportMeans = object(transportMeansProperties, ['mode'])

export const vehicle = object({
  registration: text(35, 'registration number of the tractor or lorry'),
  trailer: text(35, 'registration number of the trailer or semi-trailer'),
  country: describe(countryCode, 'country of registration'),
  type: text(70, 'e.g. curtainsider, refrigerated semi-trailer')
}, ['registration'])

export const driver = object({
  name,
  licenceNumber: text(35),
  identityDocument: text(70, 'passport or ID card number'),
  phone: text(35)
}, ['name'])

export const seal = object({
  number: text(35),
  affixedBy: text(256, 'who affixed the seal: shipper, carrier, customs …')
}, ['number'])

export const packageProperties: Properties = {
  marks: text(512, 'shipping marks and numbers'),
  kind: packageKindCode,
  count,
  grossWeight: weight,
  netWeight: weight,
  volume
}
/** Packages of one kind, with the same marks. */
export const packages = object(packageProperties, ['kind', 'count'])

/** Fields every goods line may carry; each type adds its own and picks the required ones. */
export const goodsLineProperties: Properties = {
  lineNumber,
  hsCode,
  description: text(1024, 'plain-language description of the goods'),
  quantity,
  unit: unitCode,
  netWeight: weight,
  grossWeight: weight,
  originCountry: describe(countryCode, 'country of origin of the goods')
}

/** A reference to another document, as a keruen record or by its number. */
export const documentReference = object({
  type: text(64, 'keruen record type (e.g. trade.invoice) or a document code (UNTDID 1001, national classifier)'),
  number: documentNumber,
  date,
  issuer: name,
  recordId: describe(recordId, 'the document as a keruen record, when it is one')
}, ['type', 'number'])
