import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  attachments, MAX_LINES, arrayOf, count, date, describe, documentNumber, goodsLineProperties, object, packageProperties, party,
  recordSchema, remarks, volume, weight
} from './common.js'

const packedLine = object(goodsLineProperties, ['description', 'quantity', 'unit'])

const packageGroup = object({
  ...packageProperties,
  lines: arrayOf(packedLine, 1000, { description: 'the goods in each of these packages (or in all of them together)' })
}, ['kind', 'count'], 'packages of one kind with the same marks and contents')

export const tradePackingList = {
  type: RecordTypes.tradePackingList,
  title: 'Packing list',
  description: 'The packages of a consignment: marks, kinds, counts, weights and contents.',
  consignmentRequired: true,
  schema: recordSchema('Packing list', 'Packing list (UN/CEFACT despatch advice / WCO Data Model names).', {
    number: describe(documentNumber, 'packing list number'),
    date: describe(date, 'date of issue'),
    seller: party,
    buyer: party,
    consignee: describe(party, 'who receives the goods, when not the buyer'),
    invoiceNumber: documentNumber,
    contractNumber: documentNumber,
    packages: arrayOf(packageGroup, MAX_LINES, { minItems: 1 }),
    totalPackages: describe(count, 'total number of packages'),
    totalNetWeight: weight,
    totalGrossWeight: weight,
    totalVolume: volume,
    remarks,
    attachments
  }, ['number', 'date', 'seller', 'buyer', 'packages'])
} satisfies RecordTypeDefinition

export type TradePackingListData = RecordData<typeof tradePackingList>
