import type { RecordData, RecordTypeDefinition } from './definition.js'
import { date, describe, object, recordSchema, string, text, integer } from './common.js'
import { RecordTypes } from './names.js'
import { LIST_ID_PATTERN, MAX_ENTRIES, MAX_ENTRIES_JSON } from '../reference/codelist.js'

const names = object({ ru: text(256), kk: text(256), en: text(256) }, ['ru', 'kk', 'en'])

export const referenceCodelist = {
  type: RecordTypes.referenceCodelist,
  title: 'Code list',
  description: 'One version of a code list (reference data: countries, currencies, units, HS codes…), in force from its start date ' +
    'until the next version\'s; every node checks the coded fields of the documents it signs against the version in force on their date.',
  consignmentRequired: false,
  schema: recordSchema('Code list', 'A version of a code list.', {
    list: string({ description: 'the list\'s id, e.g. unece-rec20', pattern: LIST_ID_PATTERN }),
    version: string({ description: 'this version\'s name, e.g. 2026-1', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' }),
    validFrom: describe(date, 'the first day this version is in force'),
    validUntil: describe(date, 'the last day this version is in force, if it ends without a successor'),
    title: describe(names, 'the list\'s name in Russian, Kazakh and English'),
    source: text(1024, 'where the list comes from'),
    entryCount: integer({ minimum: 1, maximum: MAX_ENTRIES }),
    entries: describe(text(MAX_ENTRIES_JSON), 'the entries as JSON text: [{ code, names: { ru, kk, en }, parent?, attributes? }], sorted by code')
  }, ['list', 'version', 'validFrom', 'title', 'entryCount', 'entries'])
} satisfies RecordTypeDefinition

export type ReferenceCodelistData = RecordData<typeof referenceCodelist>
