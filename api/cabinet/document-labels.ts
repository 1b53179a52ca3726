/**
 * Documents in the reader's language: record type titles, field labels (also
 * of a whole path, `Строки › 1 › Количество`), hints from the schemas'
 * descriptions, and names of coded values. The catalogues are in labels/;
 * whatever they lack is shown as the schema has it: the type's own title, the
 * property name made readable, the English description, the code.
 */
import type { Lang } from './i18n.js'
import { FIELD_LABELS, FIELD_LABELS_IN } from './labels/field-labels.js'
import { HINTS } from './labels/hints.js'
import { TYPE_TITLES } from './labels/type-titles.js'
import { KEPT_CODES, VALUE_NAMES } from './labels/values.js'
import { inLang, type Words } from './labels/words.js'

// Maps, so that a key such as `constructor` in someone's data finds nothing rather than a prototype's property.
const titles = new Map<string, Words>(Object.entries(TYPE_TITLES))
const fields = new Map<string, Words>(Object.entries(FIELD_LABELS))
const fieldsIn = new Map<string, Words>(Object.entries(FIELD_LABELS_IN))
const hints = new Map(Object.entries(HINTS))
const values = new Map<string, Words>(Object.entries(VALUE_NAMES))

/** One step of a path into a record's data: a property name, or an index into a list (from 0). */
export type Step = string | number

/** "grossWeight" → "Gross weight": a property name no catalogue knows, made readable. */
export function humanise (name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** The title of a record type; `fallback` (the type's own title) or the type's name when the catalogue lacks it. */
export function typeTitle (lang: Lang, type: string, fallback?: string): string {
  const words = titles.get(type)
  return words !== undefined ? inLang(words, lang) : fallback ?? type
}

/** The label of property `name`, within the object that property (or list) `parent` holds. */
export function fieldLabel (lang: Lang, name: string, parent?: string): string {
  const words = (parent !== undefined ? fieldsIn.get(`${parent}/${name}`) : undefined) ?? fields.get(name)
  return words !== undefined ? inLang(words, lang) : humanise(name)
}

/** The label of the last step of `steps`: a property in the context of the property above it, or a line's number. */
export function labelAt (lang: Lang, steps: readonly Step[]): string {
  const last = steps.at(-1)
  if (last === undefined) return ''
  if (typeof last === 'number') return String(last + 1)
  const parent = steps.slice(0, -1).findLast((s): s is string => typeof s === 'string')
  return fieldLabel(lang, last, parent)
}

/** A whole path, each step labelled: `lines/0/quantity` → "Строки › 1 › Количество". */
export function pathLabel (lang: Lang, steps: readonly Step[]): string {
  return steps.map((_, i) => labelAt(lang, steps.slice(0, i + 1))).join(' › ')
}

/**
 * The steps of a JSON Pointer (`/lines/0/quantity`); a step of digits is an
 * index. A field pattern's `*` (every line) is left out: "Lines › HS code".
 */
export function pointerSteps (pointer: string): Step[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/')
    .filter(s => s !== '*')
    .map(s => /^(0|[1-9][0-9]{0,8})$/.test(s) ? Number(s) : s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** A schema's description as a hint in the reader's language; the description itself when not translated. */
export function fieldHint (lang: Lang, description: string): string {
  const words = hints.get(description)
  if (words === undefined || lang === 'en') return description
  return lang === 'ru' ? words[0] : words[1]
}

/** How a list shows a coded value of property `name`: its natural name, or the code itself. */
export function valueName (lang: Lang, name: string, value: string): string {
  if (KEPT_CODES.has(name)) return value
  const words = values.get(value)
  return words !== undefined ? inLang(words, lang) : value
}
