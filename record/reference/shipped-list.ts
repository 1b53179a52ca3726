/**
 * Reference data: the code lists keruen ships (record/reference/data/*.json).
 *
 * A list has an id, a version, the date from which it applies, a title in
 * Russian, Kazakh and English, a short citation of its source, and entries
 * sorted by code. Every entry is named in the three languages; an entry may
 * name a parent, which is another code of the same list, and may carry
 * attributes, all of them strings.
 */

import { checkEntries, CodeListError, LANGS, type CodeListEntry, type NameLang } from './codelist.js'

export const LANGUAGES = LANGS
export type Names = Record<NameLang, string>
export type { CodeListEntry }

export interface CodeList {
  id: string
  version: string
  validFrom: string
  title: Names
  source: string
  entries: CodeListEntry[]
}

const LIST_KEYS = ['id', 'version', 'validFrom', 'title', 'source', 'entries']

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.trim() === value

/** Code order: by UTF-16 code units, the order `sort()` gives to strings. */
export const compareCodes = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

/**
 * What is wrong with `value` as a shipped code list: an empty array if
 * nothing. The list's own fields are checked here; its entries as every node
 * checks a published list's (codelist.ts), and in code order besides, since
 * the file keeps them so.
 */
export function codeListProblems (value: unknown): string[] {
  if (!isObject(value)) return ['not an object']
  const problems: string[] = []
  const keys = Object.keys(value)
  for (const key of LIST_KEYS) if (!keys.includes(key)) problems.push(`no ${key}`)
  for (const key of keys) if (!LIST_KEYS.includes(key)) problems.push(`unexpected ${key}`)
  if (!isText(value.id) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value.id)) problems.push('id: lower-case words joined by hyphens')
  if (!isText(value.version)) problems.push('version missing')
  if (typeof value.validFrom !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value.validFrom) || Number.isNaN(Date.parse(value.validFrom))) problems.push('validFrom: a date YYYY-MM-DD')
  const title = value.title
  if (!isObject(title) || LANGS.some(l => !isText(title[l]))) problems.push('title: a name in ru, kk and en')
  if (!isText(value.source)) problems.push('source missing')
  try {
    const entries = checkEntries(value.entries)
    entries.forEach((entry, i) => {
      const previous = entries[i - 1]
      if (previous !== undefined && compareCodes(previous.code, entry.code) > 0) problems.push(`entries[${i}]: code ${entry.code} after ${previous.code}`)
      if (entry.parent === entry.code) problems.push(`${entry.code}: its own parent`)
      if (LANGS.some(l => !isText(entry.names[l]))) problems.push(`${entry.code}: a name with spaces around it`)
    })
  } catch (err) {
    if (!(err instanceof CodeListError)) throw err
    problems.push(`${err.path}: ${err.message}`)
  }
  return problems
}

/** Sorts the entries by code and puts each entry's keys in the usual order. */
export function normalizeCodeList (list: CodeList): CodeList {
  const entries = [...list.entries].sort((a, b) => compareCodes(a.code, b.code)).map((entry): CodeListEntry => ({
    code: entry.code,
    names: { ru: entry.names.ru, kk: entry.names.kk, en: entry.names.en },
    ...(entry.parent !== undefined && { parent: entry.parent }),
    ...(entry.attributes !== undefined && Object.keys(entry.attributes).length > 0 && { attributes: entry.attributes })
  }))
  return {
    id: list.id,
    version: list.version,
    validFrom: list.validFrom,
    title: { ru: list.title.ru, kk: list.title.kk, en: list.title.en },
    source: list.source,
    entries
  }
}

/**
 * The list as its file holds it: the list's fields one to a line, then one
 * entry to a line, so that a change of an entry is a change of one line.
 */
export function formatCodeList (list: CodeList): string {
  const normal = normalizeCodeList(list)
  const head = [
    `  "id": ${JSON.stringify(normal.id)},`,
    `  "version": ${JSON.stringify(normal.version)},`,
    `  "validFrom": ${JSON.stringify(normal.validFrom)},`,
    `  "title": ${JSON.stringify(normal.title)},`,
    `  "source": ${JSON.stringify(normal.source)},`
  ]
  const entries = normal.entries.map(entry => `    ${JSON.stringify(entry)}`)
  return `{\n${head.join('\n')}\n  "entries": [\n${entries.join(',\n')}\n  ]\n}\n`
}
