import type { RecordData, RecordTypeDefinition } from './definition.js'
import { RecordTypes } from './names.js'
import {
  attachments, MAX_LINES, arrayOf, countryCode, date, describe, documentNumber, documentReference, goodsLineProperties, object,
  packages, party, person, recordSchema, remarks, text, transportMeansProperties
} from './common.js'

const originLine = object({
  ...goodsLineProperties,
  marks: text(512, 'marks and numbers on the packages'),
  packages: arrayOf(packages, 100),
  originCriterion: text(35, 'origin criterion as printed on the form, e.g. WO (wholly obtained), P, or a percentage')
}, ['lineNumber', 'description', 'originCriterion'])

const transport = object({
  ...transportMeansProperties,
  route: text(512, 'route, e.g. Almaty – Syrym – Kozlovichi – Duisburg'),
  departureDate: date
}, ['mode'])

export const certOrigin = {
  type: RecordTypes.certOrigin,
  title: 'Certificate of origin',
  description: 'Certificate of origin of the goods issued by an authorised body (e.g. a chamber of commerce): CT-1, form A, EUR.1 or non-preferential.',
  consignmentRequired: true,
  schema: recordSchema('Certificate of origin', 'Certificate of origin (WCO Data Model names).', {
    number: describe(documentNumber, 'certificate number'),
    form: text(35, 'form of the certificate, e.g. CT-1, A, EUR.1, non-preferential'),
    issuer: describe(party, 'authority or chamber that issues the certificate'),
    exporter: party,
    producer: party,
    consignee: party,
    originCountry: describe(countryCode, 'country where the goods originate'),
    destinationCountry: countryCode,
    transport,
    invoices: arrayOf(documentReference, 50, { description: 'invoices covering the goods' }),
    lines: arrayOf(originLine, MAX_LINES, { minItems: 1 }),
    issueDate: date,
    issuePlace: text(256),
    certifyingOfficer: person,
    exporterDeclarationDate: describe(date, 'date of the exporter\'s declaration on the form'),
    remarks,
    attachments
  }, ['number', 'form', 'issuer', 'exporter', 'consignee', 'originCountry', 'destinationCountry', 'lines', 'issueDate'])
} satisfies RecordTypeDefinition

export type CertOriginData = RecordData<typeof certOrigin>
