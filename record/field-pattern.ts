/**
 * Field patterns: which leaves of a record's data a grant or a requirement
 * names. A pattern is a JSON Pointer (RFC 6901) in which a segment `*` stands
 * for any array index or key; it covers every leaf at or under the place it
 * points to. The empty pointer "" covers the whole record. Examples below.
 */
//   /seller/name          the seller's name
//   /lines/*/hsCode       the HS code of every line
//   /seller               every field of the seller
import type { LeafPath, PathSegment } from './disclosure.js'

export const WILDCARD = '*'
export const MAX_PATTERN_LENGTH = 512
const MAX_SEGMENTS = 32

export type FieldPattern = readonly string[]

/** Parses a pattern; returns a reason instead when it is not a valid one. */
export function parseFieldPattern (text: string): FieldPattern | string {
  if (typeof text !== 'string') return 'must be a JSON Pointer string'
  if (text.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`
  if (text === '') return []
  if (!text.startsWith('/')) return 'must be empty or start with "/"'
  const segments = text.slice(1).split('/')
  if (segments.length > MAX_SEGMENTS) return `more than ${MAX_SEGMENTS} segments`
  for (const segment of segments) {
    if (/~[^01]|~$/.test(segment)) return 'has a "~" not followed by 0 or 1'
  }
  return segments.map(s => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function segmentMatches (pattern: string, segment: PathSegment): boolean {
  return pattern === WILDCARD || pattern === String(segment)
}

/** Whether `pattern` covers the leaf at `path` (points to it or to a container above it). */
export function covers (pattern: FieldPattern, path: LeafPath): boolean {
  if (pattern.length > path.length) return false
  for (let i = 0; i < pattern.length; i++) {
    if (!segmentMatches(pattern[i] as string, path[i] as PathSegment)) return false
  }
  return true
}

/** Whether any of `patterns` covers the leaf at `path`. */
export function coversAny (patterns: readonly FieldPattern[], path: LeafPath): boolean {
  return patterns.some(p => covers(p, path))
}

/** The pattern back in its text form. */
export function patternText (pattern: FieldPattern): string {
  return pattern.map(s => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

/** Parses patterns known to be valid (already checked by a schema or parseFieldPattern). */
export function fieldPatterns (texts: readonly string[]): FieldPattern[] {
  return texts.map(t => {
    const parsed = parseFieldPattern(t)
    if (typeof parsed === 'string') throw new RangeError(`field pattern ${JSON.stringify(t)} ${parsed}`)
    return parsed
  })
}
