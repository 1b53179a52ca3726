import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import { PAYMENT_TAXES } from './payment-taxes.js'
import {
  attachments, MAX_LINES, amount, arrayOf, count, countryCode, currencyCode, date, decimal, describe, documentNumber,
  documentReference, hsCode, incoterms, lineNumber, location, object, packages, party, quantity, recordSchema, remarks,
  text, transportMeans, string, boolean, oneOf, transportMode, unitCode, weight
} from './common.js'

const customsOffice = object({
  code: text(17, 'customs office code'),
  name: text(256),
  country: countryCode
}, ['code'])

const item = object({
  lineNumber: describe(lineNumber, 'goods item number'),
  hsCode: describe(hsCode, 'commodity code (national tariff, up to 10 digits)'),
  description: text(1024, 'trade description of the goods'),
  originCountry: countryCode,
  quantity: describe(quantity, 'quantity in the supplementary unit'),
  unit: describe(unitCode, 'supplementary unit'),
  packages: arrayOf(packages, 100),
  netMass: describe(weight, 'net mass in kilograms'),
  grossMass: describe(weight, 'gross mass in kilograms'),
  itemAmount: describe(amount, 'item price in the invoice currency'),
  statisticalValue: describe(amount, 'statistical value, in the declaration currency'),
  customsValue: describe(amount, 'customs value, in the declaration currency'),
  procedureCode: string({ description: 'requested and previous procedure, with additional procedure codes, e.g. 1000 or 1000000', pattern: '^[0-9A-Z]{2,10}$' }),
  preference: text(10, 'tariff preference code'),
  previousDocuments: arrayOf(documentReference, 99),
  supportingDocuments: arrayOf(documentReference, 99, { description: 'invoice, contract, certificates, permits …' })
}, ['lineNumber', 'hsCode', 'description', 'originCountry', 'netMass'])

/**
 * The declarant's calculation of what the declaration owes (box 47 of the
 * SAD): by goods item and kind of payment, with the fees of the whole
 * declaration. The declarant's node fills it in when it is left out; customs
 * recalculates it and refuses a declaration whose payments do not match.
 */
const declaredPayments = object({
  currency: describe(currencyCode, 'the national currency the payments are in'),
  lines: arrayOf(object({
    item: describe(lineNumber, 'the goods item it is due on; absent for a fee of the whole declaration'),
    tax: oneOf(PAYMENT_TAXES),
    amount
  }, ['tax', 'amount']), MAX_LINES * 3 + 20, { minItems: 1 }),
  total: amount
}, ['currency', 'lines', 'total'], { 'x-derived': true })

const transport = object({
  modeAtBorder: transportMode,
  inlandMode: transportMode,
  meansAtDeparture: transportMeans,
  meansAtBorder: transportMeans,
  containerised: boolean()
}, ['modeAtBorder'])

export const customsDeclaration = {
  type: RecordTypes.customsDeclaration,
  title: 'Goods declaration',
  description: 'Customs goods declaration for export, import or transit (WCO Data Model, Single Administrative Document).',
  consignmentRequired: true,
  schema: recordSchema('Goods declaration', 'Customs goods declaration (WCO Data Model names).', {
    procedure: oneOf(['export', 'import', 'transit']),
    declarationType: text(10, 'declaration type code, e.g. EX A (EU) or ЭК 10 (EAEU)'),
    localReference: describe(documentNumber, 'the declarant\'s own reference (LRN)'),
    number: describe(documentNumber, 'registration number given by customs (MRN), once accepted'),
    date: describe(date, 'date of the declaration'),
    customsOffice: describe(customsOffice, 'office where the declaration is lodged'),
    exitOffice: describe(customsOffice, 'office of exit (export) or entry (import)'),
    declarant: party,
    representative: describe(party, 'customs representative (broker), when not the declarant'),
    exporter: party,
    importer: party,
    seller: party,
    buyer: party,
    countryOfDispatch: countryCode,
    countryOfDestination: countryCode,
    incoterms,
    currency: describe(currencyCode, 'currency of the invoice amounts'),
    exchangeRate: describe(decimal, 'rate to the national currency'),
    totalInvoiceAmount: amount,
    freight: describe(amount, 'cost of carriage to the place of entry not in the item prices, in the declaration currency (added to the customs value by item price)'),
    insurance: describe(amount, 'cost of insurance to the place of entry not in the item prices, in the declaration currency'),
    totalPackages: count,
    totalGrossMass: weight,
    transport,
    locationOfGoods: location,
    items: arrayOf(item, MAX_LINES, { minItems: 1 }),
    payments: describe(declaredPayments, 'the duties, taxes and fees the declarant calculated'),
    remarks,
    attachments
  }, ['procedure', 'customsOffice', 'declarant', 'exporter', 'countryOfDispatch', 'countryOfDestination', 'currency', 'items'])
} satisfies RecordTypeDefinition

export type CustomsDeclarationData = RecordData<typeof customsDeclaration>
