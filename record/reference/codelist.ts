/**
 * Code lists: shared reference data (countries, currencies, units, HS codes…)
 * as a participant entitled to it publishes them. A version of a list is one
 * `reference.codelist` record whose `entries` field holds the entries as JSON
 * text, so that a list of thousands of codes is one signed field rather than
 * thousands. This module reads and checks that text, and answers the
 * questions the node asks of a list: is a code in it, which codes are close.
 */

export const LANGS = ['ru', 'kk', 'en'] as const
export type NameLang = typeof LANGS[number]

export interface CodeListEntry {
  readonly code: string
  readonly names: Readonly<Record<NameLang, string>>
  /** The code above this one in a hierarchy (an HS heading's chapter). */
  readonly parent?: string
  readonly attributes?: Readonly<Record<string, string>>
}

/** Bounds of a list, so that one record cannot make every node hold a runaway list. */
export const MAX_ENTRIES = 20_000
export const MAX_ENTRIES_JSON = 6 * 1024 * 1024
const MAX_CODE = 35
const MAX_NAME = 512
const MAX_ATTRIBUTES = 16

/** A list id: lower case, digits, dots and dashes, e.g. `unece-rec20`, `hs-2022`. */
export const LIST_ID_PATTERN = '^[a-z0-9][a-z0-9.-]{1,63}$'
const CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/

export class CodeListError extends Error {
  constructor (readonly path: string, message: string) {
    super(message)
    this.name = 'CodeListError'
  }
}

function entryOf (value: unknown, i: number): CodeListEntry {
  const at = `/entries/${i}`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CodeListError(at, 'must be an object')
  const { code, names, parent, attributes, ...rest } = value as Record<string, unknown>
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) throw new CodeListError(`${at}/${unknown}`, 'is not a known field')
  if (typeof code !== 'string' || code.length > MAX_CODE || !CODE.test(code)) throw new CodeListError(`${at}/code`, `must be a code of letters, digits and . _ / - (at most ${MAX_CODE})`)
  if (typeof names !== 'object' || names === null) throw new CodeListError(`${at}/names`, 'must name the entry in ru, kk and en')
  for (const lang of LANGS) {
    const name = (names as Record<string, unknown>)[lang]
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) throw new CodeListError(`${at}/names/${lang}`, `must be a name of 1 to ${MAX_NAME} characters`)
  }
  if (Object.keys(names).some(k => !(LANGS as readonly string[]).includes(k))) throw new CodeListError(`${at}/names`, 'names only ru, kk and en')
  if (parent !== undefined && (typeof parent !== 'string' || !CODE.test(parent))) throw new CodeListError(`${at}/parent`, 'must be a code of the list')
  if (attributes !== undefined) {
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) throw new CodeListError(`${at}/attributes`, 'must be an object of texts')
    const pairs = Object.entries(attributes)
    if (pairs.length > MAX_ATTRIBUTES || pairs.some(([k, v]) => typeof v !== 'string' || k.length > 64 || v.length > MAX_NAME)) {
      throw new CodeListError(`${at}/attributes`, `must hold at most ${MAX_ATTRIBUTES} texts`)
    }
  }
  const { ru, kk, en } = names as Record<NameLang, string>
  return {
    code,
    names: { ru, kk, en },
    ...(parent !== undefined && { parent: parent as string }),
    ...(attributes !== undefined && { attributes: attributes as Record<string, string> })
  }
}

/** The entries of a list, checked: each well formed, codes unique, every parent a code of the list. */
export function checkEntries (entries: unknown): CodeListEntry[] {
  if (!Array.isArray(entries) || entries.length === 0) throw new CodeListError('/entries', 'must be a list of at least one entry')
  if (entries.length > MAX_ENTRIES) throw new CodeListError('/entries', `holds ${entries.length} entries, more than ${MAX_ENTRIES}`)
  const out = entries.map(entryOf)
  const codes = new Set<string>()
  out.forEach((e, i) => {
    if (codes.has(e.code)) throw new CodeListError(`/entries/${i}/code`, `${e.code} is listed twice`)
    codes.add(e.code)
  })
  out.forEach((e, i) => {
    if (e.parent !== undefined && !codes.has(e.parent)) throw new CodeListError(`/entries/${i}/parent`, `${e.parent} is not a code of the list`)
  })
  return out
}

/** The entries as the record carries them: JSON text, sorted by code, so the same list is the same text. */
export function entriesText (entries: readonly CodeListEntry[]): string {
  const text = JSON.stringify([...entries].sort((a, b) => a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  if (text.length > MAX_ENTRIES_JSON) throw new CodeListError('/entries', `are ${text.length} characters of JSON, more than ${MAX_ENTRIES_JSON}`)
  return text
}

/** The entries of a record's text (already checked when it was signed, checked again: it may come from anyone). */
export function parseEntries (text: string): CodeListEntry[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new CodeListError('/entries', 'is not JSON')
  }
  return checkEntries(value)
}

/** Edit distance, for suggesting the codes closest to a wrong one. */
function distance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[b.length] as number
}

/** Up to `count` codes of `codes` closest to `wrong`: nearest first, then those sharing its start. */
export function closestCodes (wrong: string, codes: Iterable<string>, count = 3): string[] {
  const upper = wrong.toUpperCase()
  const scored: Array<[string, number]> = []
  for (const code of codes) {
    const d = distance(upper, code.toUpperCase())
    if (d <= Math.max(1, Math.floor(upper.length / 2))) scored.push([code, d])
  }
  scored.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
  return scored.slice(0, count).map(([code]) => code)
}
