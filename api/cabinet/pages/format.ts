/** Values as a person reads them: dates in the reader's locale, record types by their title. */
import { localeOf, type Lang } from '../i18n.js'

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

/** Each leaf of `data` with its path (`items › 1 › description`), in order. */
export function leaves (data: unknown, path: string[] = []): Array<{ path: string, value: string }> {
  if (Array.isArray(data)) return data.flatMap((v, i) => leaves(v, [...path, String(i + 1)]))
  if (typeof data === 'object' && data !== null) return Object.entries(data).flatMap(([k, v]) => leaves(v, [...path, k]))
  return [{ path: path.join(' › '), value: typeof data === 'string' ? data : JSON.stringify(data) }]
}
