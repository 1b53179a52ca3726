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
 *
 * Every schema is a TypeBox type: plain JSON Schema to any reader (TypeBox
 * marks its types with symbol keys only, which JSON leaves out), and to the
 * compiler the TypeScript type of the values it accepts, `Static<typeof X>`.
 */
import { CODE_LIST, CODE_MATCH } from '../reference/coded-fields.js'
import {
  Kind, Type, type ArrayOptions, type IntegerOptions, type StringOptions, type TArray, type TBoolean, type TInteger,
  type TObject, type TOptional, type TProperties, type TSchema, type TString, type TUnsafe
} from '@sinclair/typebox'
import { PARTICIPANT_ID_PATTERN, RECORD_ID_PATTERN } from '../ids.js'

export type { Static, TArray, TObject, TSchema, TString } from '@sinclair/typebox'

export type Properties = TProperties

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema'

/** Most lines, packages or items one document may list. */
export const MAX_LINES = 10_000

// ---------------------------------------------------------------- builders

/** The properties of a closed object: those not listed as required are optional. */
export type ClosedProperties<P extends TProperties, R extends keyof P> = {
  [K in keyof P]: K extends R ? P[K] : TOptional<P[K]>
}

export interface ObjectOptions {
  readonly $schema?: string
  readonly title?: string
  readonly description?: string
  readonly minProperties?: number
  /** Worked out by the issuing node when it signs (a declaration's payments): forms leave it out. */
  readonly 'x-derived'?: true
}

/** A closed object: only the listed properties, `required` ones mandatory. */
export function object<P extends TProperties, const R extends keyof P & string = never> (
  properties: P, required: readonly R[], options: string | ObjectOptions = {}
): TObject<ClosedProperties<P, R>> {
  const { $schema, title, description, ...rest } = typeof options === 'string' ? { description: options } : options
  const mandatory = new Set<string>(required)
  for (const key of required) {
    if (!(key in properties)) throw new Error(`required property ${key} is not defined`)
  }
  const closed: TProperties = {}
  for (const [key, schema] of Object.entries(properties)) closed[key] = mandatory.has(key) ? schema : Type.Optional(schema)
  // Keys in the order a reader expects; TypeBox fills in the same values and adds its symbol.
  const schema = Type.Object(closed as ClosedProperties<P, R>, {
    ...($schema !== undefined && { $schema }),
    ...(title !== undefined && { title }),
    type: 'object',
    ...(description !== undefined && { description }),
    properties: closed,
    required: [...required],
    additionalProperties: false,
    ...rest
  })
  // Every object lists its required properties, even none, in the order given.
  schema.required = [...required]
  return schema
}

/** An array of `items`, at most `maxItems` long (at least `minItems`, default 0). */
export function arrayOf<T extends TSchema> (items: T, maxItems: number, options: { minItems?: number, description?: string } = {}): TArray<T> {
  const settings: ArrayOptions = {
    type: 'array',
    ...(options.description !== undefined && { description: options.description }),
    items,
    ...(options.minItems !== undefined && options.minItems > 0 && { minItems: options.minItems }),
    maxItems
  }
  return Type.Array(items, settings)
}

/** Non-empty text of at most `maxLength` characters. */
export function text (maxLength: number, description?: string): TString {
  return Type.String({ type: 'string', ...(description !== undefined && { description }), minLength: 1, maxLength })
}

/** A string schema: `pattern`, `format` or `maxLength` bound it. */
export function string (options: StringOptions & { description?: string }): TString {
  return Type.String({ type: 'string', ...options })
}

/** An integer within bounds. */
export function integer (options: IntegerOptions & { description?: string }): TInteger {
  return Type.Integer({ type: 'integer', ...options })
}

/** true or false. */
export function boolean (description?: string): TBoolean {
  return Type.Boolean({ type: 'boolean', ...(description !== undefined && { description }) })
}

/** One of a fixed list of strings, as a JSON Schema `enum`. */
export function oneOf<const T extends readonly string[]> (values: T, description?: string): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', ...(description !== undefined && { description }), enum: [...values] })
}

/** The same schema with a (more specific) description. */
export function describe<T extends TSchema> (schema: T, description: string): T {
  return { ...schema, description }
}

/** The top-level schema of a record type's `data`. */
export function recordSchema<P extends TProperties, const R extends keyof P & string = never> (
  title: string, description: string, properties: P, required: readonly R[]
): TObject<ClosedProperties<P, R>> {
  return object(properties, required, { $schema: SCHEMA_DIALECT, title, description })
}

// ---------------------------------------------------------------- scalars

const DECIMAL = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$'
const UNSIGNED_DECIMAL = '^(0|[1-9][0-9]*)(\\.[0-9]+)?$'

/**
 * A decimal number written as a string. A TypeBox string, typed as a plain
 * schema so that its keywords read as JSON Schema's (`pattern` is any value).
 */
function decimalString (pattern: string, description: string): TUnsafe<string> {
  return Type.Unsafe<string>({ [Kind]: 'String', type: 'string', description, pattern, maxLength: 40 })
}

/** A signed decimal number written as a string, e.g. `"-12.50"`. */
export const signedDecimal = decimalString(DECIMAL, 'decimal number as a string, e.g. "-12.50"')
/** A non-negative decimal number written as a string, e.g. `"63000.00"`. */
export const decimal = decimalString(UNSIGNED_DECIMAL, 'non-negative decimal number as a string, e.g. "63000.00"')

export const amount = describe(decimal, 'monetary amount as a decimal string, in the document currency')
export const signedAmount = describe(signedDecimal, 'monetary amount as a decimal string, in the document currency; negative for deductions')
export const quantity = describe(decimal, 'quantity as a decimal string, in the line\'s unit')
export const weight = describe(decimal, 'mass in kilograms, as a decimal string')
export const volume = describe(decimal, 'volume in cubic metres, as a decimal string')
export const percent = describe(decimal, 'percentage as a decimal string, e.g. "30" for 30 %')

export const countryCode = string({ description: 'ISO 3166-1 alpha-2 country code', pattern: '^[A-Z]{2}$', [CODE_LIST]: 'iso-3166-1' })
export const currencyCode = string({ description: 'ISO 4217 currency code', pattern: '^[A-Z]{3}$', [CODE_LIST]: 'iso-4217' })
export const date = string({ description: 'calendar date, YYYY-MM-DD', format: 'date' })
export const dateTime = string({ description: 'RFC 3339 date-time with offset', format: 'date-time' })
export const hsCode = string({ description: 'Harmonized System code, 6 to 10 digits without dots (national tariff extensions allowed)', pattern: '^[0-9]{6,10}$', [CODE_LIST]: 'hs-2022', [CODE_MATCH]: 'prefix' })
export const unitCode = string({ description: 'UN/ECE Recommendation 20 unit of measure code, e.g. KGM, TNE, PCE', pattern: '^[A-Z0-9]{2,3}$', [CODE_LIST]: 'unece-rec20' })
export const packageKindCode = string({ description: 'UN/ECE Recommendation 21 package type code, e.g. CT (carton), BG (bag), PX (pallet)', pattern: '^[A-Z0-9]{2}$', [CODE_LIST]: 'unece-rec21' })
export const unLocode = string({ description: 'UN/LOCODE: country code and three-character location code, e.g. KZALA', pattern: '^[A-Z]{2}[A-Z2-9]{3}$', [CODE_LIST]: 'un-locode' })
export const recordId = string({ description: 'id of a keruen record', pattern: RECORD_ID_PATTERN.source })
export const participantId = string({ description: 'keruen participant id (libp2p peer id)', pattern: PARTICIPANT_ID_PATTERN.source })

/**
 * The person of the issuing organisation who took the action the record
 * records (who applied, who decided), as the organisation's node knows them:
 * signed with the record, so whoever holds it sees who acted.
 */
export const actor = object({
  user: string({ description: 'the account of the person at the issuer\'s node', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' }),
  name: text(200, 'the person\'s name')
}, ['user', 'name'], { description: 'who took the action, at the issuer' })

export const lineNumber = integer({ description: 'position of the line in the document, from 1', minimum: 1, maximum: 1_000_000 })
export const count = integer({ description: 'number of packages', minimum: 1, maximum: Number.MAX_SAFE_INTEGER })

/** A document or registration number. */
export const documentNumber = text(70)
export const name = text(256)
export const shortText = text(70)
export const description = text(1024)
export const remarks = text(4000)

export const transportModes = ['road', 'rail', 'air', 'sea', 'inlandWaterway', 'multimodal'] as const
export const transportMode = oneOf(transportModes, 'mode of transport')

export const incotermsCodes = ['EXW', 'FCA', 'FAS', 'FOB', 'CFR', 'CIF', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP'] as const

// ---------------------------------------------------------------- structures

export const geoCoordinates = object({
  latitude: describe(signedDecimal, 'WGS 84 latitude in decimal degrees'),
  longitude: describe(signedDecimal, 'WGS 84 longitude in decimal degrees')
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
  email: string({ format: 'email', maxLength: 254 })
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

export const period = object({ start: date, end: date }, [], { minProperties: 1 })

export const incoterms = object({
  code: oneOf(incotermsCodes, 'Incoterms rule'),
  place: text(256, 'named place or port'),
  version: string({ description: 'Incoterms edition, e.g. 2020', pattern: '^[0-9]{4}$' })
}, ['code', 'place'])

export const paymentTerms = object({
  description: text(1024, 'the terms as written, e.g. "30 % prepayment, 70 % within 30 days of delivery"'),
  method: text(70, 'e.g. bank transfer, documentary letter of credit, documentary collection'),
  dueDate: date,
  dueDays: integer({ description: 'days after the invoice date', minimum: 0, maximum: 3650 })
}, ['description'])

export const transportMeansProperties = {
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

export const packageProperties = {
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
export const goodsLineProperties = {
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

// ---------------------------------------------------------------- attachments

/** An attachment's digest: the SHA-256 of its bytes, 64 lowercase hexadecimal digits. */
export const ATTACHMENT_DIGEST_PATTERN = /^[0-9a-f]{64}$/
/** Most files one document may attach. */
export const MAX_ATTACHMENTS = 20

/**
 * A file attached to a document, named by the SHA-256 of its bytes: the
 * signed record covers the digest, so the file cannot be swapped without
 * breaking the signature. The bytes travel beside the record, not in it
 * (docs/attachments.md).
 */
export const attachment = object({
  digest: string({ description: 'SHA-256 of the file\'s bytes, 64 lowercase hexadecimal digits', pattern: ATTACHMENT_DIGEST_PATTERN.source }),
  mediaType: string({ description: 'media type of the file, e.g. application/pdf, image/jpeg, image/png, application/xml', pattern: '^[a-z]+/[a-z0-9.+-]+$', maxLength: 100 }),
  name: text(255, 'file name, e.g. certificate.pdf'),
  size: integer({ description: 'size of the file in bytes', minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
}, ['digest', 'mediaType', 'name', 'size'])

/** The files attached to a document (optional; `minItems` makes them required where a type needs them). */
export function attachmentList (minItems = 0) {
  return arrayOf(attachment, MAX_ATTACHMENTS, { minItems, description: 'files attached to the document (scans or originals: PDF, JPEG, PNG, XML), each by its SHA-256 digest' })
}

export const attachments = attachmentList()
