import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  attachments, MAX_LINES, arrayOf, countryCode, date, describe, documentNumber, goodsLineProperties, location, object, packages,
  party, person, recordSchema, text, transportMeans
} from './common.js'

const placeOfOrigin = object({
  country: countryCode,
  region: text(256, 'region, district or producing area'),
  name: text(256, 'place of production, when stated')
}, ['country'])

const consignmentLine = object({
  ...goodsLineProperties,
  botanicalName: text(256, 'scientific name of the plants or plant products, e.g. Prunus armeniaca'),
  commonName: text(256),
  packages: arrayOf(packages, 100, { description: 'number and description of packages, distinguishing marks' }),
  placeOfOrigin
}, ['lineNumber', 'botanicalName', 'description', 'quantity', 'unit', 'placeOfOrigin'])

const treatment = object({
  type: text(256, 'e.g. fumigation, heat treatment, cold treatment'),
  chemical: text(256, 'active ingredient'),
  duration: text(70, 'exposure time as stated, e.g. 72 h'),
  temperature: text(70, 'as stated, e.g. 20 °C'),
  concentration: text(70, 'dosage or concentration as stated, e.g. 2 g/m³'),
  date: describe(date, 'date of treatment'),
  additionalInformation: text(1024)
}, ['type'])

export const certPhytosanitary = {
  type: RecordTypes.certPhytosanitary,
  title: 'Phytosanitary certificate',
  description: 'Phytosanitary certificate for export issued by the national plant protection organisation (IPPC model certificate, ePhyto).',
  consignmentRequired: true,
  schema: recordSchema('Phytosanitary certificate', 'Phytosanitary certificate for export (IPPC ISPM 12 model).', {
    number: describe(documentNumber, 'certificate number'),
    issuer: describe(party, 'the issuing national plant protection organisation (NPPO)'),
    destinationCountry: describe(countryCode, 'country whose NPPO the certificate is addressed to'),
    exporter: party,
    consignee: party,
    declaredMeansOfConveyance: transportMeans,
    pointOfEntry: describe(location, 'declared point of entry'),
    goods: arrayOf(consignmentLine, MAX_LINES, { minItems: 1 }),
    distinguishingMarks: text(512),
    additionalDeclaration: text(4000, 'additional declaration required by the importing country'),
    treatment: describe(treatment, 'disinfestation or disinfection treatment'),
    inspectionDate: date,
    inspector: describe(person, 'authorised officer'),
    issueDate: date,
    issuePlace: text(256),
    attachments
  }, ['number', 'issuer', 'destinationCountry', 'exporter', 'consignee', 'goods', 'issueDate', 'inspector'])
} satisfies RecordTypeDefinition

export type CertPhytosanitaryData = RecordData<typeof certPhytosanitary>
