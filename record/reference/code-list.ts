/**
 * Reference data: the code lists keruen ships (record/reference/data/*.json).
 *
 * A list has an id, a version, the date from which it applies, a title in
 * Russian, Kazakh and English, a short citation of its source, and entries
 * sorted by code. Every entry is named in the three languages; an entry may
 * name a parent, which is another code of the same list, and may carry
 * attributes, all of them strings.
 */

export const LANGUAGES = ['ru', 'kk', 'en'] as const
export type Language = typeof LANGUAGES[number]
export type Names = Record<Language, string>

export interface CodeListEntry {
  code: string
  names: Names
  parent?: string
  attributes?: Record<string, string>
}

export interface CodeList {
  id: string
  version: string
  validFrom: string
  title: Names
  source: string
  entries: CodeListEntry[]
}

const LIST_KEYS = ['id', 'version', 'validFrom', 'title', 'source', 'entries']
const ENTRY_KEYS = new Set(['code', 'names', 'parent', 'attributes'])

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.trim() === value

function namesProblems (value: unknown, where: string): string[] {
  if (!isObject(value)) return [`${where}: names missing`]
  const problems: string[] = []
  for (const language of LANGUAGES) {
    if (!isText(value[language])) problems.push(`${where}: no ${language} name`)
  }
  for (const key of Object.keys(value)) {
    if (!(LANGUAGES as readonly string[]).includes(key)) problems.push(`${where}: unexpected language ${key}`)
  }
  return problems
}

/** Code order: by UTF-16 code units, the order `sort()` gives to strings. */
export const compareCodes = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

/**
 * What is wrong with `value` as a code list: an empty array if nothing. Checks
 * the shape, the three names of the list and of every entry, that codes are
 * unique and sorted, and that every parent is a code of the list.
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
  problems.push(...namesProblems(value.title, 'title'))
  if (!isText(value.source)) problems.push('source missing')
  if (!Array.isArray(value.entries) || value.entries.length === 0) return [...problems, 'entries: a non-empty array']
  const codes = new Set<string>()
  let previous: string | undefined
  for (const [i, entry] of (value.entries as unknown[]).entries()) {
    const where = `entries[${i}]`
    if (!isObject(entry)) { problems.push(`${where}: not an object`); continue }
    for (const key of Object.keys(entry)) if (!ENTRY_KEYS.has(key)) problems.push(`${where}: unexpected ${key}`)
    const code = entry.code
    if (!isText(code) || /\s/.test(code)) { problems.push(`${where}: code missing or with spaces`); continue }
    if (codes.has(code)) problems.push(`${where}: code ${code} repeated`)
    else if (previous !== undefined && compareCodes(previous, code) > 0) problems.push(`${where}: code ${code} after ${previous}`)
    codes.add(code)
    previous = code
    problems.push(...namesProblems(entry.names, `${code}`))
    if ('attributes' in entry) {
      const attributes = entry.attributes
      if (!isObject(attributes)) problems.push(`${code}: attributes not an object`)
      else {
        for (const [name, text] of Object.entries(attributes)) {
          if (typeof text !== 'string' || text === '') problems.push(`${code}: attribute ${name} not a string`)
        }
      }
    }
  }
  for (const entry of value.entries as unknown[]) {
    if (!isObject(entry) || !('parent' in entry)) continue
    const parent = entry.parent
    if (typeof parent !== 'string' || !codes.has(parent)) problems.push(`${String(entry.code)}: parent ${String(parent)} not in the list`)
    else if (parent === entry.code) problems.push(`${parent}: its own parent`)
  }
  return problems
}

/** Sorts the entries by code and puts each entry's keys in the usual order. */
export function normalizeCodeList (list: CodeList): CodeList {
  const entries = [...list.entries].sort((a, b) => compareCodes(a.code, b.code)).map(entry => {
    const out: CodeListEntry = { code: entry.code, names: { ru: entry.names.ru, kk: entry.names.kk, en: entry.names.en } }
    if (entry.parent !== undefined) out.parent = entry.parent
    if (entry.attributes !== undefined && Object.keys(entry.attributes).length > 0) out.attributes = entry.attributes
    return out
  })
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
