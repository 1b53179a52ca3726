/**
 * The one JSON Schema validator of the code outside the record type registry:
 * a shared Ajv (draft 2020-12, every error reported, formats known), a variant
 * that coerces text for query strings and path parameters, and the single
 * mapping of Ajv's errors to the violations a caller is shown.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import formatsModule from 'ajv-formats'

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as
  (ajv: Ajv2020) => Ajv2020

export interface Violation {
  /** JSON Pointer of the failing value. */
  readonly path: string
  readonly message: string
}

/** Violations reported at most; a body can fail in many more places than anyone reads. */
const MAX_VIOLATIONS = 100

const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }))
// Query strings and path parameters are text: let "limit=10" satisfy an integer schema.
const queryAjv = addFormats(new Ajv2020({ strict: false, allErrors: true, coerceTypes: true }))

export function compileSchema<T = unknown> (schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema)
}

export function compileQuerySchema<T = unknown> (schema: object): ValidateFunction<T> {
  return queryAjv.compile<T>(schema)
}

export function violationsOf (errors: readonly ErrorObject[] | null | undefined, prefix = ''): Violation[] {
  return (errors ?? []).slice(0, MAX_VIOLATIONS).map(e => {
    const p = e.params as Record<string, unknown>
    if (e.keyword === 'required') return { path: `${prefix}${e.instancePath}/${String(p.missingProperty)}`, message: 'is required' }
    if (e.keyword === 'additionalProperties') return { path: `${prefix}${e.instancePath}/${String(p.additionalProperty)}`, message: 'is not a known field' }
    return { path: `${prefix}${e.instancePath}`, message: e.message ?? e.keyword }
  })
}
