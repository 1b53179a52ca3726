/**
 * Exact decimal arithmetic for money, quantities and rates: a number is an
 * integer of units and a count of decimal places, both held exactly
 * (BigInt), so no amount ever passes through binary floating point. Amounts
 * are written and read as the decimal strings records carry ("56700.00").
 */

export interface Decimal {
  /** The number times 10^scale. */
  readonly units: bigint
  readonly scale: number
}

const PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/

export class DecimalError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'DecimalError'
  }
}

/** Strings read before: amounts and rates repeat, and a Decimal never changes. */
const parsed = new Map<string, Decimal>()
const PARSED_KEPT = 4096

/** A decimal string as records write it: digits, an optional point and fraction, an optional minus. */
export function dec (text: string | number): Decimal {
  if (typeof text === 'string') {
    const known = parsed.get(text)
    if (known !== undefined) return known
    const value = parse(text)
    if (parsed.size >= PARSED_KEPT) parsed.clear()
    parsed.set(text, value)
    return value
  }
  return parse(text)
}

function parse (text: string | number): Decimal {
  const source = typeof text === 'number' ? (Number.isSafeInteger(text) ? String(text) : undefined) : text
  const match = source === undefined ? null : PATTERN.exec(source)
  if (match === null) throw new DecimalError(`${JSON.stringify(text)} is not a decimal number`)
  const [, minus, whole = '0', fraction = ''] = match
  const units = BigInt(`${whole}${fraction}`)
  return { units: minus === '-' ? -units : units, scale: fraction.length }
}

const TEN = 10n
/** 10^n for the scales amounts and rates use, made once. */
const POWERS: bigint[] = Array.from({ length: 40 }, (_, n) => TEN ** BigInt(n))
const pow10 = (n: number): bigint => POWERS[n] ?? TEN ** BigInt(n)

function rescale (a: Decimal, scale: number): bigint {
  return scale === a.scale ? a.units : a.units * pow10(scale - a.scale)
}

export function add (a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale)
  return { units: rescale(a, scale) + rescale(b, scale), scale }
}

export function sub (a: Decimal, b: Decimal): Decimal {
  return add(a, { units: -b.units, scale: b.scale })
}

export function mul (a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale }
}

/** `a` divided by 10^places: a percentage is a rate over 10². */
export function shift (a: Decimal, places: number): Decimal {
  return { units: a.units, scale: a.scale + places }
}

export function compare (a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale)
  const x = rescale(a, scale)
  const y = rescale(b, scale)
  return x < y ? -1 : x > y ? 1 : 0
}

export const max = (a: Decimal, b: Decimal): Decimal => compare(a, b) >= 0 ? a : b
export const isZero = (a: Decimal): boolean => a.units === 0n
export const ZERO: Decimal = { units: 0n, scale: 0 }

/** Rounded to `places` decimals, halves away from zero (the rule for amounts of money). */
export function round (a: Decimal, places: number): Decimal {
  if (a.scale <= places) return { units: rescale(a, places), scale: places }
  const divisor = pow10(a.scale - places)
  const negative = a.units < 0n
  const magnitude = negative ? -a.units : a.units
  let quotient = magnitude / divisor
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n
  return { units: negative ? -quotient : quotient, scale: places }
}

/**
 * `a` divided by `b`, rounded to `places` decimals (halves away from zero): for
 * shares of an amount (freight allocated by value) and rates quoted per 100 units.
 */
export function divide (a: Decimal, b: Decimal, places: number): Decimal {
  if (b.units === 0n) throw new DecimalError('division by zero')
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale); keep one extra digit to round on.
  const extra = places + 1
  const numerator = a.units * pow10(b.scale + extra)
  const denominator = b.units * pow10(a.scale)
  return round({ units: numerator / denominator, scale: extra }, places)
}

/** The decimal string of `a`, with exactly its scale's places ("4900.00"). */
export function text (a: Decimal): string {
  const negative = a.units < 0n
  const digits = (negative ? -a.units : a.units).toString().padStart(a.scale + 1, '0')
  const whole = digits.slice(0, digits.length - a.scale)
  const fraction = digits.slice(digits.length - a.scale)
  return `${negative ? '-' : ''}${whole}${a.scale > 0 ? `.${fraction}` : ''}`
}

/** The same value with no trailing zeros after the point ("60.000000" → "60"): for quantities, which have no fixed places. */
export function normalise (a: Decimal): Decimal {
  let { units, scale } = a
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n
    scale -= 1
  }
  return { units, scale }
}

export const sum = (values: readonly Decimal[]): Decimal => values.reduce(add, ZERO)
