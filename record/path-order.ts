/**
 * The order a record's rebuilt data prints its leaves in (JSON.stringify of
 * dataOf()): within an object, keys that JavaScript treats as array indexes
 * first, by number, then the others in code-unit order (rebuild() sorts the
 * keys; an object then lists index-like keys first); within an array, by
 * index; a path before the paths it is a prefix of.
 */
import type { LeafPath, PathSegment } from './disclosure.js'

/** The largest array index a property key can be: 2^32 − 2. */
const LARGEST_INDEX_KEY = 4294967294

/** The key as the array index an object orders it by, or -1 if it is an ordinary key. */
function indexOfKey (key: string): number {
  const length = key.length
  if (length === 0 || length > 10) return -1
  const first = key.charCodeAt(0)
  // "0" is an index, "01" is not: only the canonical form of a number is.
  if (first < 48 || first > 57 || (first === 48 && length > 1)) return -1
  for (let i = 1; i < length; i++) {
    const c = key.charCodeAt(i)
    if (c < 48 || c > 57) return -1
  }
  const index = Number(key)
  return index <= LARGEST_INDEX_KEY ? index : -1
}

function compareSegments (a: PathSegment, b: PathSegment): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1
  if (typeof b === 'number') return 1
  const ia = indexOfKey(a)
  const ib = indexOfKey(b)
  if (ia >= 0 || ib >= 0) return ia < 0 ? 1 : ib < 0 ? -1 : ia - ib
  return a < b ? -1 : a > b ? 1 : 0
}

export function comparePaths (a: LeafPath, b: LeafPath): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const order = compareSegments(a[i] as PathSegment, b[i] as PathSegment)
    if (order !== 0) return order
  }
  return a.length - b.length
}

const uint32 = (n: number): string => String.fromCharCode(n >>> 16, n & 0xffff)

/**
 * A text that sorts as comparePaths sorts, compared with `<`: worked out once
 * for a path met again and again, it makes sorting a record's leaves cheap.
 * Each segment is tagged (indexes, then index-like keys, then other keys),
 * numbers in two fixed-width code units, other keys ended by U+0000 so that a
 * key sorts before the keys it is a prefix of. Undefined for a path whose key
 * holds U+0000, or an index beyond 2^32 − 1: sort those with comparePaths.
 */
export function orderKey (path: LeafPath): string | undefined {
  let key = ''
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (segment > 0xffffffff) return undefined
      key += `\u0001${uint32(segment)}`
      continue
    }
    const index = indexOfKey(segment)
    if (index >= 0) key += `\u0002${uint32(index)}`
    else if (segment.includes('\u0000')) return undefined
    else key += `\u0003${segment}\u0000`
  }
  return key
}
