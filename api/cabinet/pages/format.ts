/** Values as a person reads them: dates in the reader's locale, record types by their title. */
import { localeOf, type Lang } from '../i18n.js'
import type { Step } from '../document-labels.js'

/** One formatter per language: making one costs far more than formatting with it. */
const formats = new Map<Lang, Intl.DateTimeFormat>()

export function when (lang: Lang, instant: string): string {
  const date = new Date(instant)
  if (Number.isNaN(date.getTime())) return instant
  let format = formats.get(lang)
  if (format === undefined) {
    format = new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
    formats.set(lang, format)
  }
  return `${format.format(date)} UTC`
}

/** A participant id shortened for a table cell; the full id is in its title. */
export function short (id: string): string {
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id
}

/** One value of a record's data, where it sits: as steps (indexes from 0), as read (`lines › 1 › quantity`) and as a JSON Pointer. */
export interface Leaf {
  readonly steps: readonly Step[]
  readonly path: string
  readonly pointer: string
  readonly value: string
}

/** Each leaf of `data`, in order. */
export function leaves (data: unknown, steps: readonly Step[] = []): Leaf[] {
  if (Array.isArray(data)) return data.flatMap((v, i) => leaves(v, [...steps, i]))
  if (typeof data === 'object' && data !== null) return Object.entries(data).flatMap(([k, v]) => leaves(v, [...steps, k]))
  return [{
    steps,
    path: steps.map(s => typeof s === 'number' ? String(s + 1) : s).join(' › '),
    pointer: steps.map(s => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''),
    value: typeof data === 'string' ? data : JSON.stringify(data)
  }]
}

/** A decimal amount as the reader writes it, digits grouped by thousands; exact, never through a float: `8 725 455,84`. */
export function amount (lang: Lang, value: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value)
  if (match === null) return value
  const [group, point] = lang === 'en' ? [',', '.'] : ['\u00a0', ',']
  const whole = (match[2] ?? '').replace(/\B(?=(\d{3})+$)/g, group)
  return `${match[1] === '-' ? '−' : ''}${whole}${match[3] !== undefined ? `${point}${match[3]}` : ''}`
}
