import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  arrayOf, countryCode, dateTime, describe, geoCoordinates, object, quantity, recordSchema, seal, text, unitCode,
  unLocode, vehicle, string, oneOf, type TArray, type TString
} from './common.js'

const MAX_EPCS = 10_000

const uri = (description: string): TString => text(512, description)

const epcList = (description: string): TArray<TString> => arrayOf(uri('EPC URI, e.g. urn:epc:id:sscc:4870204.0000000001'), MAX_EPCS, { description })

const quantityElement = object({
  epcClass: uri('EPC class URI, e.g. urn:epc:class:lgtin:4870204.012345.LOT2610'),
  quantity,
  uom: unitCode
}, ['epcClass', 'quantity'])

const quantityList = (description: string): TArray<typeof quantityElement> => arrayOf(quantityElement, MAX_EPCS, { description })

const eventLocation = object({
  id: uri('location identifier, e.g. urn:epc:id:sgln:4870204.00001.0'),
  name: text(256),
  unLocode,
  country: countryCode,
  geo: geoCoordinates
}, ['id'])

const bizTransaction = object({
  type: text(128, 'CBV business transaction type, e.g. inv, po, bol, desadv, cert'),
  bizTransaction: uri('business transaction identifier')
}, ['bizTransaction'])

const source = object({
  type: text(128, 'CBV source type, e.g. owning_party, possessing_party, location'),
  source: uri('the source party or location')
}, ['type', 'source'])

const destination = object({
  type: text(128, 'CBV destination type, e.g. owning_party, possessing_party, location'),
  destination: uri('the destination party or location')
}, ['type', 'destination'])

export const eventShipment = {
  type: RecordTypes.eventShipment,
  title: 'Shipment event',
  description: 'Something that happened to the consignment: loaded, departed, crossed a border, inspected, arrived (GS1 EPCIS 2.0 event).',
  consignmentRequired: true,
  schema: {
    ...recordSchema('Shipment event', 'Shipment event with GS1 EPCIS 2.0 field names; quantities are decimal strings.', {
      eventID: uri('unique event identifier, e.g. a ni:/// hash or urn:uuid'),
      eventType: oneOf(['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent']),
      eventTime: describe(dateTime, 'when the event happened'),
      eventTimeZoneOffset: string({ description: 'local time zone offset at the event, e.g. +05:00', pattern: '^[+-](0[0-9]|1[0-4]):[0-5][0-9]$' }),
      action: oneOf(['ADD', 'OBSERVE', 'DELETE'], 'required except for TransformationEvent'),
      bizStep: text(256, 'CBV business step, e.g. loading, departing, arriving, inspecting, receiving, or a URI'),
      disposition: text(256, 'CBV disposition, e.g. in_transit, in_progress, active, or a URI'),
      readPoint: describe(eventLocation, 'where the event was observed'),
      bizLocation: describe(eventLocation, 'where the objects are after the event'),
      epcList: epcList('objects the event is about'),
      quantityList: quantityList('classes of objects the event is about, with quantities'),
      parentID: uri('the containing object (pallet, container, trailer) of an aggregation, transaction or association'),
      childEPCs: epcList('objects contained in parentID'),
      childQuantityList: quantityList('classes of objects contained in parentID'),
      inputEPCList: epcList('objects consumed by a transformation'),
      inputQuantityList: quantityList('classes consumed by a transformation'),
      outputEPCList: epcList('objects produced by a transformation'),
      outputQuantityList: quantityList('classes produced by a transformation'),
      transformationID: uri('links transformation events that form one process'),
      bizTransactionList: arrayOf(bizTransaction, 100),
      sourceList: arrayOf(source, 20),
      destinationList: arrayOf(destination, 20),
      description: text(2000, 'what happened, in words'),
      vehicle,
      seals: arrayOf(seal, 100, { description: 'seals found or affixed at the event' })
    }, ['eventType', 'eventTime', 'eventTimeZoneOffset']),
    if: { properties: { eventType: { const: 'TransformationEvent' } } },
    then: { properties: { action: false } },
    else: { required: ['action'] }
  }
} satisfies RecordTypeDefinition

export type EventShipmentData = RecordData<typeof eventShipment>
