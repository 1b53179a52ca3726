import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  attachments, MAX_LINES, amount, arrayOf, currencyCode, date, decimal, describe, documentNumber, goodsLineProperties, incoterms,
  location, object, party, paymentTerms, percent, period, person, recordSchema, remarks, text, boolean
} from './common.js'

const contractLine = object({
  ...goodsLineProperties,
  unitPrice: describe(decimal, 'price per unit, in the contract currency'),
  amount: describe(amount, 'quantity × unit price'),
  quality: text(1024, 'quality requirements, grade or standard')
}, ['lineNumber', 'description', 'quantity', 'unit'])

const deliveryTerms = object({
  description: text(1024),
  deliveryPeriod: period,
  placeOfDelivery: location,
  partialShipmentsAllowed: boolean(),
  quantityTolerance: describe(percent, 'allowed deviation of the delivered quantity, ± percent')
}, [])

export const tradeContract = {
  type: RecordTypes.tradeContract,
  title: 'Sales contract',
  description: 'The international sales contract between seller and buyer under which the consignment is delivered.',
  consignmentRequired: true,
  schema: recordSchema('Sales contract', 'International sales contract (WCO Data Model / UN/CEFACT names).', {
    number: describe(documentNumber, 'contract number'),
    date: describe(date, 'date of conclusion'),
    place: describe(text(256), 'place of conclusion'),
    seller: party,
    buyer: party,
    subject: text(1024, 'what is sold, in words'),
    lines: arrayOf(contractLine, MAX_LINES, { description: 'specification of the goods' }),
    incoterms,
    currency: currencyCode,
    totalValue: describe(amount, 'total contract value in the contract currency'),
    validity: describe(period, 'period during which the contract is in force'),
    deliveryTerms,
    paymentTerms,
    governingLaw: text(256, 'e.g. CISG, law of the Republic of Kazakhstan'),
    disputeResolution: text(1024, 'court or arbitration institution and seat'),
    signatories: arrayOf(person, 10),
    remarks,
    attachments
  }, ['number', 'date', 'seller', 'buyer', 'incoterms', 'currency', 'totalValue'])
} satisfies RecordTypeDefinition

export type TradeContractData = RecordData<typeof tradeContract>
