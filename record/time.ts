/**
 * Timestamps inside records are RFC 3339 UTC with milliseconds
 * (`2026-11-22T09:30:00.000Z`): one instant, one text, sortable as text.
 */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The exact text toISOString() gives for some instant: checked by arithmetic, as every record's envelope is. */
export function isTimestamp (text: unknown): text is string {
  if (typeof text !== 'string' || !TIMESTAMP.test(text)) return false
  const year = Number(text.slice(0, 4))
  const month = Number(text.slice(5, 7))
  const day = Number(text.slice(8, 10))
  if (month < 1 || month > 12 || day < 1) return false
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (day > (MONTH_DAYS[month - 1] as number) + (leap ? 1 : 0)) return false
  return Number(text.slice(11, 13)) < 24 && Number(text.slice(14, 16)) < 60 && Number(text.slice(17, 19)) < 60
}

export function timestamp (ms: number = Date.now()): string {
  return new Date(ms).toISOString()
}

function validCalendarDate (text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/**
 * Reads a user-given instant: an RFC 3339 date-time with any offset, or a bare
 * date meaning the end of that day in UTC. Returns the record form, or undefined.
 */
export function normaliseInstant (text: string): string | undefined {
  // Date.parse would roll 2026-02-30 over into March; refuse such dates instead.
  if (!validCalendarDate(text)) return undefined
  let ms: number
  if (DATE.test(text)) ms = Date.parse(`${text}T23:59:59.999Z`)
  else if (RFC3339.test(text)) ms = Date.parse(text.toUpperCase().replace(' ', 'T'))
  else return undefined
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}

/** Reads a user-given bound of a time range: as normaliseInstant, but a bare date means the start of that day in UTC. */
export function normaliseStart (text: string): string | undefined {
  return normaliseInstant(DATE.test(text) ? `${text}T00:00:00Z` : text)
}
