import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  attachments, MAX_LINES, arrayOf, count, date, dateTime, describe, documentNumber, documentReference, driver, hsCode, lineNumber,
  location, object, packages, party, recordSchema, remarks, seal, text, transportMeans, transportMode, vehicle,
  volume, weight
} from './common.js'

const route = object({
  placeOfLoading: describe(location, 'where the carrier takes over the goods'),
  placeOfDelivery: describe(location, 'where the goods are to be delivered'),
  borderCrossings: arrayOf(location, 50, { description: 'border crossing points, in the order passed' }),
  itinerary: text(1024, 'the route in words, e.g. the countries crossed')
}, ['placeOfLoading', 'placeOfDelivery'])

const goodsLine = object({
  lineNumber,
  description: text(1024, 'nature of the goods'),
  hsCode,
  packages: arrayOf(packages, 100, { minItems: 1, description: 'marks, number and kind of packages' }),
  grossWeight: weight,
  volume
}, ['lineNumber', 'description', 'grossWeight'])

export const transportWaybill = {
  type: RecordTypes.transportWaybill,
  title: 'Waybill',
  description: 'Consignment note of the carrier: road (CMR), rail (SMGS/CIM) or air waybill.',
  consignmentRequired: true,
  schema: recordSchema('Waybill', 'Waybill / consignment note (CMR boxes, WCO Data Model names).', {
    number: describe(documentNumber, 'waybill number'),
    date: describe(date, 'date of issue'),
    mode: transportMode,
    carrier: party,
    successiveCarriers: arrayOf(party, 20),
    sender: describe(party, 'the consignor'),
    consignee: party,
    vehicle: describe(vehicle, 'road vehicle (mode road)'),
    driver,
    means: describe(transportMeans, 'means of transport for other modes: train, wagon, flight, vessel'),
    route,
    seals: arrayOf(seal, 100),
    goods: arrayOf(goodsLine, MAX_LINES, { minItems: 1 }),
    totalPackages: describe(count, 'total number of packages'),
    grossWeight: describe(weight, 'total gross mass in kilograms'),
    takenOverAt: describe(dateTime, 'when the carrier took over the goods at the place of loading'),
    deliveredAt: describe(dateTime, 'when the consignee received the goods'),
    attachedDocuments: arrayOf(documentReference, 100, { description: 'documents handed to the carrier with the goods' }),
    senderInstructions: text(2000, 'instructions for customs and other formalities'),
    specialAgreements: text(2000),
    remarks,
    attachments
  }, ['number', 'date', 'mode', 'carrier', 'sender', 'consignee', 'route', 'goods', 'grossWeight'])
} satisfies RecordTypeDefinition

export type TransportWaybillData = RecordData<typeof transportWaybill>
