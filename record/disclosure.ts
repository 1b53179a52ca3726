/**
 * Field-level commitments. A record's data is split into leaves — every scalar,
 * and every empty array or object, with its path — and the signed envelope holds
 * only salted digests of them:
 *
 *   digest = sha-256( canonical CBOR [ salt, path, value ] )
 *
 * where salt is 16 random bytes and path is an array of map keys (text) and array
 * indexes (unsigned integers). A holder can so be shown any subset of the leaves
 * and still check them against the issuer's signature, and a leaf not shown
 * reveals nothing about its value.
 */
import { randomBytes } from 'node:crypto'
import { CanonicalError, MAX_DEPTH, withCanonical, type CborValue } from './cbor.js'
import { sha256, sha256Text } from './ids.js'

export const SALT_BYTES = 16
export const DIGEST_BYTES = 32

export type PathSegment = string | number
export type LeafPath = readonly PathSegment[]

export interface Leaf {
  readonly path: LeafPath
  readonly value: CborValue
}

export interface Disclosure extends Leaf {
  readonly salt: Uint8Array
}

export type DataObject = { readonly [key: string]: CborValue }

/**
 * Every leaf of `data`, depth first, in key and index order. Checks each value
 * against the canonical data model on the way (the digests encode every leaf
 * anyway, so the data is never encoded twice) and throws CanonicalError naming
 * the offending path.
 */
export function leavesOf (data: DataObject): Leaf[] {
  const out: Leaf[] = []
  const walk = (value: unknown, path: PathSegment[], depth: number): void => {
    if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
      if (depth >= MAX_DEPTH) throw new CanonicalError(`nesting deeper than ${MAX_DEPTH} levels`, [...path])
      let entries: Array<[PathSegment, unknown]>
      if (Array.isArray(value)) {
        entries = new Array(value.length)
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new CanonicalError('sparse arrays are not allowed', [...path, i])
          entries[i] = [i, value[i]]
        }
      } else {
        const proto = Object.getPrototypeOf(value)
        if (proto !== Object.prototype && proto !== null) {
          throw new CanonicalError(`${proto?.constructor?.name ?? 'exotic'} objects are not allowed`, [...path])
        }
        entries = Object.entries(value)
      }
      if (entries.length > 0 || path.length === 0) {
        for (const [segment, item] of entries) walk(item, [...path, segment], depth + 1)
        return
      }
    } else {
      checkScalar(value, path)
    }
    out.push({ path, value: value as CborValue })
  }
  walk(data, [], 0)
  return out
}

function checkScalar (value: unknown, path: LeafPath): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalError('text with an unpaired surrogate', [...path])
      for (const segment of path) {
        if (typeof segment === 'string' && !segment.isWellFormed()) throw new CanonicalError('key with an unpaired surrogate', [...path])
      }
      return
    case 'number':
      if (!Number.isInteger(value)) throw new CanonicalError(`non-integer number ${value} is not allowed; write it as a decimal string`, [...path])
      if (!Number.isSafeInteger(value)) throw new CanonicalError(`integer ${value} is outside ±(2^53 − 1); write it as a decimal string`, [...path])
      return
    case 'boolean':
      return
    case 'object':
      if (value === null) return
      throw new CanonicalError('byte strings are not allowed in data', [...path])
    default:
      throw new CanonicalError(`${typeof value} values are not allowed`, [...path])
  }
}

/** A leaf path as a JSON Pointer (RFC 6901), for messages and policies. */
export function pathText (path: LeafPath): string {
  return path.map(s => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

/**
 * A disclosure read from a record's wire form. It keeps the bytes it was read
 * from, the canonical encoding its digest is over, so that its digest costs a
 * hash and no encoding. The bytes are private: a copy made by spreading it is
 * a plain Disclosure, encoded afresh, and can never carry another's bytes.
 */
export class DecodedDisclosure implements Disclosure {
  readonly #encoding: Uint8Array

  constructor (readonly salt: Uint8Array, readonly path: LeafPath, readonly value: CborValue, encoding: Uint8Array) {
    this.#encoding = encoding
  }

  get encoding (): Uint8Array {
    return this.#encoding
  }
}

export function digestOf (disclosure: Disclosure): Uint8Array {
  if (disclosure instanceof DecodedDisclosure) return sha256(disclosure.encoding)
  return withCanonical([disclosure.salt, disclosure.path, disclosure.value], sha256)
}

/** The digest of a disclosure as a latin1 string (see sha256Text): the hot path of verification. */
export function digestTextOf (disclosure: Disclosure): string {
  if (disclosure instanceof DecodedDisclosure) return sha256Text(disclosure.encoding)
  return withCanonical([disclosure.salt, disclosure.path, disclosure.value], sha256Text)
}

/** The canonical encoding of a disclosure, the bytes its digest is over. */
export function encodeDisclosure (disclosure: Disclosure): Uint8Array {
  return withCanonical([disclosure.salt, disclosure.path, disclosure.value], bytes => bytes.slice())
}

export type RandomSource = (size: number) => Uint8Array

/** Salts every leaf with fresh randomness (one call for the whole record; the salts are views of it). */
export function discloseAll (leaves: readonly Leaf[], random: RandomSource = randomBytes): Disclosure[] {
  const salts = random(leaves.length * SALT_BYTES)
  if (salts.length !== leaves.length * SALT_BYTES) throw new RangeError('random source returned the wrong number of bytes')
  return leaves.map((leaf, i) => ({
    path: leaf.path,
    value: leaf.value,
    salt: new Uint8Array(salts.buffer, salts.byteOffset + i * SALT_BYTES, SALT_BYTES)
  }))
}

/** Whether a value can stand as a leaf: a scalar of the JSON model, or an empty array or object. */
export function isLeafValue (value: CborValue): boolean {
  if (value instanceof Uint8Array) return false
  if (typeof value !== 'object' || value === null) return true
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0
}

/**
 * Rebuilds the data object from disclosed leaves. Returns undefined if the paths
 * contradict each other (a key used as an index, a leaf inside another leaf, two
 * leaves at one path, an index beyond the leaves). Array slots whose leaves were
 * not disclosed are null. `leafCount` is the record's number of leaves, disclosed
 * or not.
 */
export function rebuild (leaves: readonly Leaf[], leafCount: number = leaves.length): DataObject | undefined {
  // Disclosures come in digest order, and the tree is first built in that
  // order, objects as Maps: whether paths contradict each other does not depend
  // on the order, and plain objects given their keys in a different order in
  // every record would each take a shape of their own. Then ordered() makes
  // the objects, keys in order: that costs less than sorting the paths.
  const root = new Map<PathSegment, unknown>()
  const leafContainers = new Set<unknown>()
  for (const { path, value } of leaves) {
    if (path.length === 0) return undefined
    let node: Map<PathSegment, unknown> | unknown[] = root
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as PathSegment
      const array = Array.isArray(node)
      if (array !== (typeof segment === 'number')) return undefined
      // An array cannot be longer than the record has leaves; a larger index is
      // forged, and would make this loop allocate without bound.
      if (typeof segment === 'number' && segment >= leafCount) return undefined
      const last = i === path.length - 1
      const existing = array ? (node as unknown[])[segment as number] : (node as Map<PathSegment, unknown>).get(segment)
      if (existing !== undefined) {
        if (last || typeof existing !== 'object' || existing === null || leafContainers.has(existing)) return undefined
        node = existing as Map<PathSegment, unknown> | unknown[]
        continue
      }
      let child: unknown
      if (last) {
        // A fresh copy, so that the rebuilt data shares nothing with the disclosures.
        child = Array.isArray(value) ? [] : isEmptyObject(value) ? new Map() : value
        if (typeof child === 'object' && child !== null) leafContainers.add(child)
      } else {
        child = typeof path[i + 1] === 'number' ? [] : new Map()
      }
      if (array) (node as unknown[])[segment as number] = child
      else (node as Map<PathSegment, unknown>).set(segment, child)
      node = child as Map<PathSegment, unknown> | unknown[]
    }
  }
  return ordered(root) as DataObject
}

/**
 * The built tree as plain data: each object's keys in order, so that keys
 * read alphabetically and records of one type make objects of one shape (a
 * schema check of objects of one shape costs less); array slots whose leaves
 * were not disclosed become null.
 */
function ordered (value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {}
    for (const key of [...value.keys()].sort() as string[]) {
      const item = ordered(value.get(key))
      // A plain assignment to "__proto__" would replace the prototype instead of adding a key.
      if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
      else out[key] = item
    }
    return out
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = i in value ? ordered(value[i]) : null
  }
  return value
}

function isEmptyObject (value: CborValue): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && Object.keys(value).length === 0
}
