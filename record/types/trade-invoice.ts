import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  attachments, MAX_LINES, amount, arrayOf, currencyCode, date, decimal, describe, documentNumber, goodsLineProperties, incoterms,
  object, party, paymentTerms, recordSchema, remarks, signedAmount, string, oneOf, text, weight
} from './common.js'

const invoiceLine = object({
  ...goodsLineProperties,
  unitPrice: describe(decimal, 'price per unit, in the invoice currency'),
  amount: describe(amount, 'line amount: quantity × unit price, less any line discount'),
  orderLineReference: text(35, 'buyer\'s order or contract specification line')
}, ['lineNumber', 'description', 'quantity', 'unit', 'unitPrice', 'amount'])

const charge = object({
  type: oneOf(['freight', 'insurance', 'packing', 'handling', 'discount', 'other']),
  description: text(256),
  amount: signedAmount
}, ['type', 'amount'])

const payeeAccount = object({
  accountNumber: text(34, 'IBAN or account number'),
  bic: string({ description: 'SWIFT/BIC of the bank', pattern: '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$' }),
  bankName: text(256)
}, ['accountNumber'])

export const tradeInvoice = {
  type: RecordTypes.tradeInvoice,
  title: 'Commercial invoice',
  description: 'The seller\'s commercial invoice for the goods of a consignment: parties, prices, delivery and payment terms.',
  consignmentRequired: true,
  schema: recordSchema('Commercial invoice', 'Commercial invoice (UN/CEFACT Cross Industry Invoice, WCO Data Model names).', {
    number: describe(documentNumber, 'invoice number'),
    date: describe(date, 'invoice date'),
    seller: party,
    buyer: party,
    consignee: describe(party, 'who receives the goods, when not the buyer'),
    currency: currencyCode,
    incoterms,
    contractNumber: documentNumber,
    contractDate: date,
    orderNumber: describe(documentNumber, 'buyer\'s purchase order number'),
    paymentTerms,
    payeeAccount,
    lines: arrayOf(invoiceLine, MAX_LINES, { minItems: 1 }),
    charges: arrayOf(charge, 100, { description: 'charges and allowances outside the lines: freight, insurance, discounts' }),
    totalAmount: describe(amount, 'amount payable: the lines plus charges, in the invoice currency'),
    totalNetWeight: weight,
    totalGrossWeight: weight,
    remarks,
    attachments
  }, ['number', 'date', 'seller', 'buyer', 'currency', 'lines', 'totalAmount'])
} satisfies RecordTypeDefinition

export type TradeInvoiceData = RecordData<typeof tradeInvoice>
