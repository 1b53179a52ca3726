/**
 * A record's disclosures written as JSON straight from their canonical CBOR,
 * without decoding them into values: the data, as `JSON.stringify(dataOf())`
 * writes it, and the transport form's disclosures, as in
 * `JSON.stringify(recordToJson())`, both in UTF-8. A node listing records at
 * random among a million reads each one once and sends it on; decoded into
 * objects, every record would leave hundreds behind for the collector.
 *
 * Every head is checked as the decoder checks it, and anything that
 * parseRecord would refuse, or that dataOf would find contradictory, makes
 * transcribeDisclosures answer undefined: the caller then takes the way
 * through the decoded record, which says precisely what is wrong. Paths
 * repeat from record to record of a type, so each distinct path is decoded
 * once and kept, by its encoding.
 */
import { CanonicalError, CborReader, decodeCanonical } from './cbor.js'
import { isLeafValue, SALT_BYTES, type Leaf, type LeafPath, type PathSegment } from './disclosure.js'
import { JsonWriter } from './json-writer.js'
import { comparePaths, orderKey } from './path-order.js'

const ARRAY_OF_THREE = 0x83
const SALT_HEAD = 0x40 + SALT_BYTES

/** A path met before, by its encoding: what writing it takes. */
interface KnownPath {
  readonly encoding: Uint8Array
  readonly segments: LeafPath
  readonly largestIndex: number
  /** The path as a JSON array. */
  readonly json: Uint8Array
  /** Each key as a JSON string and a colon; undefined for an array index. */
  readonly keys: ReadonlyArray<Uint8Array | undefined>
  /** See orderKey. */
  readonly order: string | undefined
  /** A random number that names the path in a set of paths (see planFor). */
  readonly tag: number
}

/**
 * How to write the data of records disclosing one set of paths: the text
 * between the values (keys, brackets, null slots) and the order the values
 * go in. Records of one type disclose the same paths, in another order each
 * (by digest): the plan is made once and the rest is copying.
 */
interface Plan {
  readonly paths: ReadonlyMap<KnownPath, number>
  /** chunks[k] comes before the k-th value, the last one after them all. */
  readonly chunks: readonly Uint8Array[]
}

/** Distinct paths kept at most: far more than all record types have, far less than forged records could make. */
const MOST_PATHS = 4096
const known = new Map<number, KnownPath>()
/** Plans kept at most, by the set of paths: each type's complete records, and as many partial copies. */
const MOST_PLANS = 1024
const plans = new Map<string, Plan>()

/** FNV-1a of `bytes[start, end)`: a path's encoding is a few dozen bytes. */
function hashOf (bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193)
  return hash >>> 0
}

function sameBytes (a: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[start + i]) return false
  return true
}

/** What writing a path takes, from its encoding (checked canonical already, text and indexes only). */
function learn (encoding: Uint8Array): KnownPath {
  const segments = decodeCanonical(encoding, { adopt: true }) as PathSegment[]
  const json = new JsonWriter(2 * encoding.length + 2).raw('[')
  let largestIndex = -1
  const keys = segments.map((segment, i) => {
    if (i > 0) json.raw(',')
    if (typeof segment === 'number') {
      json.number(segment)
      largestIndex = Math.max(largestIndex, segment)
      return undefined
    }
    json.string(segment)
    return Uint8Array.from(new JsonWriter(segment.length + 3).string(segment).raw(':').written())
  })
  const tag = Math.floor(Math.random() * 0x100000000)
  return { encoding, segments, largestIndex, json: Uint8Array.from(json.raw(']').written()), keys, order: orderKey(segments), tag }
}

/**
 * Where a path starting at `at` ends if every head in it is one byte (fewer
 * than 24 segments, keys under 24 bytes, indexes under 24: nearly every path
 * there is), which is always the shortest form; -1 for any other path, or
 * bytes cut short, which pathAt then reads head by head.
 */
function shortPathEnd (bytes: Uint8Array, at: number): number {
  const head = bytes[at]
  if (head === undefined || head <= 0x80 || head > 0x97) return -1
  let i = at + 1
  for (let count = head & 31; count > 0; count--) {
    const segment = bytes[i++]
    if (segment === undefined) return -1
    if (segment < 0x18) continue
    if (segment >= 0x60 && segment < 0x78) {
      i += segment - 0x60
      continue
    }
    return -1
  }
  return i <= bytes.length ? i : -1
}

/** The path at the reader, which it steps over; undefined if it is no path a disclosure may have. */
function pathAt (reader: CborReader, leafCount: number): KnownPath | undefined {
  const bytes = reader.bytes
  const start = reader.offset
  const short = shortPathEnd(bytes, start)
  if (short >= 0) reader.offset = short
  else if (!steppedOverPath(reader)) return undefined
  const end = reader.offset
  const hash = hashOf(bytes, start, end)
  let path = known.get(hash)
  if (path === undefined || !sameBytes(path.encoding, bytes, start, end)) {
    path = learn(bytes.slice(start, end))
    if (known.size >= MOST_PATHS) known.clear()
    known.set(hash, path)
  }
  // An index beyond the record's leaves is forged (parseRecord refuses it).
  return path.largestIndex < leafCount ? path : undefined
}

/** Steps over the path at the reader head by head, checking each; false if it is no path a disclosure may have. */
function steppedOverPath (reader: CborReader): boolean {
  const bytes = reader.bytes
  reader.need(1)
  const head = bytes[reader.offset++] as number
  if (head >> 5 !== 4) return false
  const length = reader.argument(head & 31)
  if (length === 0) return false
  reader.need(length)
  for (let i = 0; i < length; i++) {
    reader.need(1)
    const segment = bytes[reader.offset++] as number
    const major = segment >> 5
    // Keys are text, indexes unsigned: anything else is no path.
    if (major !== 0 && major !== 3) return false
    const argument = reader.argument(segment & 31)
    if (major === 3) {
      reader.need(argument)
      reader.offset += argument
    }
  }
  return true
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Writes the leaf value at the reader as JSON; false if it is no value a leaf may have. */
function valueAt (reader: CborReader, out: JsonWriter): boolean {
  const bytes = reader.bytes
  reader.need(1)
  const head = bytes[reader.offset++] as number
  const info = head & 31
  switch (head >> 5) {
    case 0:
      out.number(reader.argument(info))
      return true
    case 1: {
      const argument = reader.argument(info)
      if (argument > Number.MAX_SAFE_INTEGER - 1) return false
      out.number(-1 - argument)
      return true
    }
    case 3: {
      const length = reader.argument(info)
      reader.need(length)
      const start = reader.offset
      reader.offset += length
      if (out.plainString(bytes, start, reader.offset)) return true
      let text: string
      try {
        text = utf8.decode(bytes.subarray(start, reader.offset))
      } catch {
        return false
      }
      out.string(text)
      return true
    }
    // A leaf is a scalar or an empty container.
    case 4: case 5:
      if (reader.argument(info) !== 0) return false
      out.raw(head >> 5 === 4 ? '[]' : '{}')
      return true
    case 7:
      if (info < 20 || info > 22) return false
      out.raw(info === 20 ? 'false' : info === 21 ? 'true' : 'null')
      return true
    default:
      return false
  }
}

/**
 * The plan for a record's paths, made if no record had this set of paths
 * before, and which of the record's values goes k-th; undefined if the paths
 * contradict each other.
 */
function planFor (paths: readonly KnownPath[]): { plan: Plan, slots: number[] } | undefined {
  let sum = 0
  let xor = 0
  for (const path of paths) {
    sum = (sum + path.tag) >>> 0
    xor = (xor ^ path.tag) >>> 0
  }
  const key = `${paths.length}:${sum}:${xor}`
  const plan = plans.get(key)
  const slots = plan === undefined ? undefined : slotsIn(plan, paths)
  if (plan !== undefined && slots !== undefined) return { plan, slots }
  const made = makePlan(paths)
  if (made === undefined) return undefined
  if (plans.size >= MOST_PLANS) plans.clear()
  plans.set(key, made)
  return { plan: made, slots: slotsIn(made, paths) as number[] }
}

/** Where each path's value goes in the plan; undefined unless the plan is for exactly these paths. */
function slotsIn (plan: Plan, paths: readonly KnownPath[]): number[] | undefined {
  if (plan.paths.size !== paths.length) return undefined
  // Arrays of small numbers, not typed arrays: each of those is a buffer for the collector to free.
  const slots = new Array<number>(paths.length).fill(-1)
  for (let i = 0; i < paths.length; i++) {
    const k = plan.paths.get(paths[i] as KnownPath)
    if (k === undefined || slots[k] !== -1) return undefined
    slots[k] = i
  }
  return slots
}

/** Puts the paths in the order the rebuilt data prints them, and writes what goes between their values. */
function makePlan (paths: readonly KnownPath[]): Plan | undefined {
  const sorted = [...paths]
  sorted.sort(sorted.every(p => p.order !== undefined)
    ? (a, b) => { const x = a.order as string; const y = b.order as string; return x < y ? -1 : x > y ? 1 : 0 }
    : (a, b) => comparePaths(a.segments, b.segments))
  const chunks: Uint8Array[] = []
  let chunk = new JsonWriter(256)
  // The containers open on the way to the last leaf written, the root first:
  // whether each is an array, and the last index written to it (-1: none yet).
  const isArray: boolean[] = [false]
  const last: number[] = [-1]
  chunk.raw('{')
  let previous: LeafPath = []
  for (const { segments: path, keys } of sorted) {
    let common = 0
    const shorter = Math.min(previous.length, path.length)
    while (common < shorter && previous[common] === path[common]) common++
    // The previous leaf is this one's path or a prefix of it: a leaf in a leaf.
    if (previous.length > 0 && common === previous.length) return undefined
    for (let depth = previous.length - 1; depth > common; depth--) {
      chunk.raw(isArray.pop() === true ? ']' : '}')
      last.pop()
    }
    for (let depth = common; depth < path.length; depth++) {
      const segment = path[depth] as PathSegment
      if (isArray[depth] !== (typeof segment === 'number')) return undefined
      if (typeof segment === 'number') {
        // Array slots whose leaves are not disclosed are null.
        const before = last[depth] as number
        if (before >= 0) chunk.raw(',')
        for (let slot = before + 1; slot < segment; slot++) chunk.raw('null,')
        last[depth] = segment
      } else {
        if (last[depth] as number >= 0) chunk.raw(',')
        chunk.json(keys[depth] as Uint8Array)
        last[depth] = 0
      }
      if (depth < path.length - 1) {
        const array = typeof path[depth + 1] === 'number'
        chunk.raw(array ? '[' : '{')
        isArray.push(array)
        last.push(-1)
      }
    }
    // The value goes here.
    chunks.push(Uint8Array.from(chunk.written()))
    chunk = new JsonWriter(256)
    previous = path
  }
  for (let depth = isArray.length - 1; depth > 0; depth--) chunk.raw(isArray[depth] === true ? ']' : '}')
  chunks.push(Uint8Array.from(chunk.raw('}').written()))
  return { paths: new Map(sorted.map((path, k) => [path, k])), chunks }
}

/** A record's disclosures, read: ready to be written as data and as the transport form. */
export class TranscribedDisclosures {
  constructor (
    private readonly encoded: Uint8Array,
    private readonly paths: readonly KnownPath[],
    /** Where each salt starts in `encoded`. */
    private readonly salts: readonly number[],
    /** Every value's JSON, one after the other: value i runs from marks[i] to marks[i + 1]. */
    private readonly values: Uint8Array,
    private readonly marks: readonly number[]
  ) {}

  get count (): number {
    return this.paths.length
  }

  /** Writes the data, as JSON.stringify(dataOf(record)); false, having written nothing, if the paths contradict each other. */
  writeData (out: JsonWriter): boolean {
    const planned = planFor(this.paths)
    if (planned === undefined) return false
    const { plan, slots } = planned
    for (let k = 0; k < slots.length; k++) {
      const i = slots[k] as number
      out.json(plan.chunks[k] as Uint8Array).json(this.values, this.marks[i] as number, this.marks[i + 1] as number)
    }
    out.json(plan.chunks[slots.length] as Uint8Array)
    return true
  }

  /** Writes the transport form's disclosures: `[[salt, path, value], …]` in wire order. */
  writeTransport (out: JsonWriter): void {
    out.raw('[')
    for (let i = 0; i < this.paths.length; i++) {
      const salt = this.salts[i] as number
      out.raw(i === 0 ? '[' : ',[').base64url(this.encoded, salt, salt + SALT_BYTES).raw(',')
        .json((this.paths[i] as KnownPath).json).raw(',')
        .json(this.values, this.marks[i] as number, this.marks[i + 1] as number).raw(']')
    }
    out.raw(']')
  }
}

/**
 * Reads a record's encoded disclosures (see parseHead) for writing; undefined
 * if they are not exactly what parseRecord accepts from a record of
 * `leafCount` leaves.
 */
export function transcribeDisclosures (encoded: Uint8Array, leafCount: number): TranscribedDisclosures | undefined {
  return unlessRefused(() => transcribe(encoded, leafCount))
}

/** What `read` gives, or undefined where it met bytes the decoder refuses. */
function unlessRefused<T> (read: () => T | undefined): T | undefined {
  try {
    return read()
  } catch (err) {
    if (err instanceof CanonicalError) return undefined
    throw err
  }
}

/** Reads the head of a record's disclosures array: how many there are; undefined if no record of `leafCount` leaves may have it. */
function disclosureCount (reader: CborReader, leafCount: number): number | undefined {
  reader.need(1)
  const head = reader.bytes[reader.offset++] as number
  if (head >> 5 !== 4) return undefined
  const count = reader.argument(head & 31)
  if (count > leafCount) return undefined
  reader.need(count)
  return count
}

/** Steps over a disclosure's opening and its salt: where the salt starts; undefined if it is no [salt, path, value]. */
function saltAt (reader: CborReader): number | undefined {
  reader.need(2 + SALT_BYTES)
  const at = reader.offset
  if (reader.bytes[at] !== ARRAY_OF_THREE || reader.bytes[at + 1] !== SALT_HEAD) return undefined
  reader.offset = at + 2 + SALT_BYTES
  return at + 2
}

function transcribe (encoded: Uint8Array, leafCount: number): TranscribedDisclosures | undefined {
  const reader = new CborReader(encoded)
  const count = disclosureCount(reader, leafCount)
  if (count === undefined) return undefined
  const paths: KnownPath[] = new Array(count)
  const salts = new Array<number>(count).fill(0)
  const marks = new Array<number>(count + 1).fill(0)
  const values = new JsonWriter(encoded.length)
  for (let i = 0; i < count; i++) {
    const salt = saltAt(reader)
    if (salt === undefined) return undefined
    salts[i] = salt
    const path = pathAt(reader, leafCount)
    if (path === undefined) return undefined
    paths[i] = path
    marks[i] = values.length
    if (!valueAt(reader, values)) return undefined
  }
  marks[count] = values.length
  if (reader.offset !== encoded.length) return undefined
  return new TranscribedDisclosures(encoded, paths, salts, values.written(), marks)
}

/**
 * Where each of a record's disclosures has its path and its value, found by
 * stepping over their encoding once: a record read with parseVerified keeps
 * it, so that the indexes and listeners that each ask it for a few leaves
 * (HS codes, attachment references) step over its disclosures once between
 * them, not once each.
 */
export interface DisclosureLayout {
  readonly paths: readonly LeafPath[]
  /** Disclosure i's value is encoded at [starts[i], ends[i]). */
  readonly starts: readonly number[]
  readonly ends: readonly number[]
}

/**
 * The layout of a record's encoded disclosures (see parseHead); undefined
 * where they are not what parseRecord accepts from a record of `leafCount`
 * leaves, as far as stepping over them tells: the caller then decodes them,
 * which says what is wrong. For bytes this process verified.
 */
export function layoutOf (encoded: Uint8Array, leafCount: number): DisclosureLayout | undefined {
  return unlessRefused(() => stepOver(encoded, leafCount))
}

function stepOver (encoded: Uint8Array, leafCount: number): DisclosureLayout | undefined {
  const reader = new CborReader(encoded)
  const count = disclosureCount(reader, leafCount)
  if (count === undefined) return undefined
  const paths: LeafPath[] = new Array(count)
  // Arrays of small numbers, not typed arrays: each of those is a buffer for the collector to free.
  const starts = new Array<number>(count).fill(0)
  const ends = new Array<number>(count).fill(0)
  for (let i = 0; i < count; i++) {
    if (saltAt(reader) === undefined) return undefined
    const path = pathAt(reader, leafCount)
    if (path === undefined) return undefined
    paths[i] = path.segments
    starts[i] = reader.offset
    reader.skip(1)
    ends[i] = reader.offset
  }
  return reader.offset === encoded.length ? { paths, starts, ends } : undefined
}

/**
 * The disclosed leaves whose paths `wanted` accepts, read from a record's
 * encoded disclosures and their layout without decoding the others: what an
 * index of a few fields needs from every record a node receives. Undefined
 * where a value read is no leaf value.
 */
export function leavesAt (encoded: Uint8Array, layout: DisclosureLayout, wanted: (path: LeafPath) => boolean): Leaf[] | undefined {
  return unlessRefused(() => {
    const out: Leaf[] = []
    const { paths, starts, ends } = layout
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i] as LeafPath
      if (!wanted(path)) continue
      const value = decodeCanonical(encoded.subarray(starts[i], ends[i]), { adopt: true })
      if (!isLeafValue(value)) return undefined
      out.push({ path, value })
    }
    return out
  })
}
