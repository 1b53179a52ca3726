/**
 * Which fields of a record type take their values from which code list: a
 * schema says it of a field with the annotation `x-codeList` (the list's id)
 * and, for hierarchical codes longer than the list's (a 10-digit national
 * tariff code against the 6-digit HS), `x-codeMatch: "prefix"`. The fields
 * are found once per schema; a record's coded values are then read along them.
 */

/** The annotation naming a field's code list. */
export const CODE_LIST = 'x-codeList'
/** `prefix`: the value's longest prefix in the list is its code (HS subheadings, headings). */
export const CODE_MATCH = 'x-codeMatch'

export interface CodedField {
  /** Steps from the data's root; `*` for every item of a list. */
  readonly steps: readonly string[]
  readonly list: string
  readonly match: 'exact' | 'prefix'
}

type Schema = Readonly<Record<string, unknown>>

/** The coded fields of each schema walked, kept: a schema does not change, and pages ask for them on every request. */
const walked = new WeakMap<Schema, readonly CodedField[]>()

/** Every coded field a schema declares, at any depth (objects, lists, and the branches of anyOf/oneOf/allOf). */
export function codedFields (schema: Schema): readonly CodedField[] {
  let fields = walked.get(schema)
  if (fields === undefined) {
    fields = walk(schema)
    walked.set(schema, fields)
  }
  return fields
}

function walk (schema: Schema, steps: readonly string[] = [], out: CodedField[] = []): CodedField[] {
  const list = schema[CODE_LIST]
  if (typeof list === 'string') out.push({ steps, list, match: schema[CODE_MATCH] === 'prefix' ? 'prefix' : 'exact' })
  const properties = schema.properties as Readonly<Record<string, Schema>> | undefined
  for (const [name, sub] of Object.entries(properties ?? {})) walk(sub, [...steps, name], out)
  if (typeof schema.items === 'object' && schema.items !== null) walk(schema.items as Schema, [...steps, '*'], out)
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key]
    if (Array.isArray(branches)) for (const branch of branches as Schema[]) walk(branch, steps, out)
  }
  // The same field reached twice (two branches) is checked once.
  return out.filter((f, i) => out.findIndex(g => g.list === f.list && g.steps.join('/') === f.steps.join('/')) === i)
}

/** The values a record's data holds at a coded field, each with its JSON Pointer. */
export function codedValues (data: unknown, steps: readonly string[], pointer = ''): Array<{ pointer: string, value: string }> {
  if (steps.length === 0) return typeof data === 'string' ? [{ pointer, value: data }] : []
  const [step, ...rest] = steps as [string, ...string[]]
  if (step === '*') return Array.isArray(data) ? data.flatMap((item, i) => codedValues(item, rest, `${pointer}/${i}`)) : []
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return []
  return Object.hasOwn(data, step) ? codedValues((data as Record<string, unknown>)[step], rest, `${pointer}/${step}`) : []
}

/**
 * The values of a list's coded fields among a record's leaves (path and value
 * each), without rebuilding its data: what indexing a record needs, on every
 * record stored.
 */
export function codedLeafValues (schema: Schema, list: string, leaves: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>, readonly value: unknown }>): string[] {
  const coded = isCodedPath(schema, list)
  const out: string[] = []
  for (const { path, value } of leaves) if (typeof value === 'string' && coded(path)) out.push(value)
  return out
}

/** Whether a leaf's path is one of a list's coded fields of the schema: which leaves codedLeafValues reads. */
export function isCodedPath (schema: Schema, list: string): (path: ReadonlyArray<string | number>) => boolean {
  const fields = codedFields(schema).filter(f => f.list === list)
  return path => fields.some(f => f.steps.length === path.length && f.steps.every((step, i) => step === '*' ? typeof path[i] === 'number' : step === path[i]))
}

/** The goods a record's data names: each HS code with its pointer, and the origin written beside it on the same line. */
export function goodsOf (schema: Schema, data: unknown): Array<{ pointer: string, hsCode: string, origin?: string }> {
  return codedFields(schema).filter(f => f.list === 'hs-2022').flatMap(f => codedValues(data, f.steps)).map(({ pointer, value }) => {
    const line = pointer.split('/').slice(1, -1).reduce<unknown>((v, step) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[step] : undefined), data) as Record<string, unknown> | undefined
    const origin = typeof line?.originCountry === 'string' ? line.originCountry : typeof line?.countryOfOrigin === 'string' ? line.countryOfOrigin : undefined
    return { pointer, hsCode: value, ...(origin !== undefined && { origin }) }
  })
}
