/**
 * GS1 EPCIS 2.0 in its JSON/JSON-LD binding: the five event types, an
 * EPCISDocument that carries them, and how a captured event becomes a record.
 *
 * EPCIS events hold JSON numbers with fractions (quantities, sensor values),
 * which the canonical record format does not. A captured event is therefore
 * kept whole as its JSON text in `data.event` — querying it back gives the
 * same JSON — beside the fields that queries and policies select on.
 */
import type { JsonSchema } from './types/definition.js'

export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const
export type EpcisEventType = typeof EPCIS_EVENT_TYPES[number]
export const MAX_EVENTS_PER_DOCUMENT = 1000
export const MAX_EVENT_JSON = 256 * 1024

const uri: JsonSchema = { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[A-Za-z][A-Za-z0-9+.-]*:\\S+$' }
const epcList: JsonSchema = { type: 'array', items: uri, maxItems: 100_000 }
const dateTime: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' }
const timeZoneOffset: JsonSchema = { type: 'string', pattern: '^[+-]([01][0-9]|2[0-3]):[0-5][0-9]$' }
const quantityElement: JsonSchema = {
  type: 'object',
  properties: { epcClass: uri, quantity: { type: 'number', minimum: 0 }, uom: { type: 'string', pattern: '^[A-Z0-9]{2,3}$' } },
  required: ['epcClass'],
  additionalProperties: false
}
const typed = (key: string): JsonSchema => ({
  type: 'object', properties: { type: { type: 'string', minLength: 1, maxLength: 2048 }, [key]: uri }, required: [key], additionalProperties: false
})
const location: JsonSchema = { type: 'object', properties: { id: uri }, required: ['id'], patternProperties: { '^[A-Za-z][A-Za-z0-9_-]*:': {} }, additionalProperties: false }
const sensorReport: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', minLength: 1 },
    exception: { type: 'string' },
    deviceID: uri,
    deviceMetadata: uri,
    rawData: uri,
    dataProcessingMethod: uri,
    time: dateTime,
    microorganism: uri,
    chemicalSubstance: uri,
    value: { type: 'number' },
    component: { type: 'string' },
    stringValue: { type: 'string' },
    booleanValue: { type: 'boolean' },
    hexBinaryValue: { type: 'string', pattern: '^[0-9A-Fa-f]*$' },
    uriValue: uri,
    minValue: { type: 'number' },
    maxValue: { type: 'number' },
    meanValue: { type: 'number' },
    sDev: { type: 'number' },
    percRank: { type: 'number' },
    percValue: { type: 'number' },
    uom: { type: 'string', pattern: '^[A-Z0-9]{2,3}$' },
    coordinateReferenceSystem: uri
  },
  patternProperties: { '^[A-Za-z][A-Za-z0-9_-]*:': {} },
  additionalProperties: false
}
const sensorElement: JsonSchema = {
  type: 'object',
  properties: {
    sensorMetadata: {
      type: 'object',
      properties: {
        time: dateTime,
        startTime: dateTime,
        endTime: dateTime,
        deviceID: uri,
        deviceMetadata: uri,
        rawData: uri,
        dataProcessingMethod: uri,
        bizRules: uri
      },
      patternProperties: { '^[A-Za-z][A-Za-z0-9_-]*:': {} },
      additionalProperties: false
    },
    sensorReport: { type: 'array', items: sensorReport, minItems: 1, maxItems: 10_000 }
  },
  required: ['sensorReport'],
  patternProperties: { '^[A-Za-z][A-Za-z0-9_-]*:': {} },
  additionalProperties: false
}

/** Fields every event type may carry. */
const common: Record<string, JsonSchema> = {
  '@context': {},
  type: { type: 'string' },
  eventID: uri,
  eventTime: dateTime,
  eventTimeZoneOffset: timeZoneOffset,
  recordTime: dateTime,
  certificationInfo: { anyOf: [uri, { type: 'array', items: uri }] },
  errorDeclaration: {
    type: 'object',
    properties: { declarationTime: dateTime, reason: { type: 'string' }, correctiveEventIDs: { type: 'array', items: uri } },
    required: ['declarationTime'],
    patternProperties: { '^[A-Za-z][A-Za-z0-9_-]*:': {} },
    additionalProperties: false
  },
  bizStep: { type: 'string', minLength: 1, maxLength: 2048 },
  disposition: { type: 'string', minLength: 1, maxLength: 2048 },
  persistentDisposition: { type: 'object', properties: { set: { type: 'array', items: { type: 'string' } }, unset: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
  readPoint: location,
  bizLocation: location,
  bizTransactionList: { type: 'array', items: typed('bizTransaction'), maxItems: 1000 },
  sourceList: { type: 'array', items: typed('source'), maxItems: 1000 },
  destinationList: { type: 'array', items: typed('destination'), maxItems: 1000 },
  sensorElementList: { type: 'array', items: sensorElement, maxItems: 10_000 },
  ilmd: { type: 'object' }
}
const action: JsonSchema = { type: 'string', enum: ['ADD', 'OBSERVE', 'DELETE'] }
const quantityList: JsonSchema = { type: 'array', items: quantityElement, maxItems: 100_000 }

function eventSchema (type: EpcisEventType, own: Record<string, JsonSchema>, required: readonly string[]): JsonSchema {
  return {
    type: 'object',
    properties: { ...common, type: { const: type }, ...own },
    required: ['type', 'eventTime', 'eventTimeZoneOffset', ...required],
    // Extensions are allowed under a namespace prefix ("example:temperatureLog"), nothing else.
    patternProperties: { '^[A-Za-z][A-Za-z0-9_-]*:': {} },
    additionalProperties: false
  }
}

export const EPCIS_EVENT_SCHEMAS: Record<EpcisEventType, JsonSchema> = {
  ObjectEvent: eventSchema('ObjectEvent', { epcList, quantityList, action }, ['action']),
  AggregationEvent: eventSchema('AggregationEvent', { parentID: uri, childEPCs: epcList, childQuantityList: quantityList, action }, ['action']),
  TransactionEvent: eventSchema('TransactionEvent', { parentID: uri, epcList, quantityList, action }, ['action', 'bizTransactionList']),
  TransformationEvent: eventSchema('TransformationEvent', {
    inputEPCList: epcList, inputQuantityList: quantityList, outputEPCList: epcList, outputQuantityList: quantityList, transformationID: uri
  }, []),
  AssociationEvent: eventSchema('AssociationEvent', { parentID: uri, childEPCs: epcList, childQuantityList: quantityList, action }, ['action', 'parentID'])
}

export const EPCIS_DOCUMENT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    '@context': {},
    type: { const: 'EPCISDocument' },
    schemaVersion: { type: 'string', enum: ['2.0'] },
    creationDate: dateTime,
    id: uri,
    instanceIdentifier: { type: 'string' },
    sender: { type: 'string' },
    receiver: { type: 'string' },
    epcisHeader: { type: 'object' },
    epcisBody: {
      type: 'object',
      properties: { eventList: { type: 'array', minItems: 1, maxItems: MAX_EVENTS_PER_DOCUMENT, items: { type: 'object' } } },
      required: ['eventList'],
      additionalProperties: false
    }
  },
  required: ['type', 'schemaVersion', 'creationDate', 'epcisBody'],
  patternProperties: { '^[A-Za-z][A-Za-z0-9_-]*:': {} },
  additionalProperties: false
}

/** Every EPC an event names, in any role (MATCH_anyEPC); and those it is about (MATCH_epc). */
export function epcsOf (event: Record<string, unknown>): { about: string[], any: string[] } {
  const list = (key: string): string[] => Array.isArray(event[key]) ? (event[key] as unknown[]).filter((x): x is string => typeof x === 'string') : []
  const classes = (key: string): string[] => Array.isArray(event[key]) ? (event[key] as Array<{ epcClass?: unknown }>).flatMap(q => typeof q.epcClass === 'string' ? [q.epcClass] : []) : []
  const about = [...list('epcList'), ...list('childEPCs'), ...list('inputEPCList'), ...list('outputEPCList')]
  const any = [...about, ...(typeof event.parentID === 'string' ? [event.parentID] : []),
    ...classes('quantityList'), ...classes('childQuantityList'), ...classes('inputQuantityList'), ...classes('outputQuantityList')]
  return { about, any }
}
