/**
 * The one place JSON Schemas are compiled, and the one way their errors are
 * reported: record types, the policy file, the node's configuration, EPCIS
 * capture and API requests all go through here, with the same settings.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import AjvDraft07 from 'ajv'
import formatsModule from 'ajv-formats'
import type { Static, TSchema } from '@sinclair/typebox'
import type { JsonSchema } from './definition.js'

/** One fault in a value: where (a JSON Pointer) and what. */
export interface Violation {
  readonly path: string
  readonly message: string
}

/** At most this many violations are reported for one value; a last entry counts the rest. */
const MAX_VIOLATIONS = 100

// strict: false, as EPCIS schemas carry keywords Ajv does not know;
// allErrors: every fault is reported at once, not only the first;
// code.optimize: false, as Ajv's pass over the code it generates took a third
// of each compile (a record type is compiled on first use, on every thread
// that checks one: a restarted node's first delivery waits for it), and the
// code it leaves out validates no faster (measured on the invoice's schema).
const OPTIONS = { strict: false, allErrors: true, code: { optimize: false } } as const
const ajv = new Ajv2020(OPTIONS)
formatsModule.default(ajv)

// Query strings and path parameters are text: let "limit=10" satisfy an integer schema.
const queryAjv = new Ajv2020({ ...OPTIONS, coerceTypes: true })
formatsModule.default(queryAjv)

// Schemas others publish in draft-07 (GS1's EPCIS schema), which Ajv2020 does not read.
const Draft07 = AjvDraft07.default
const draft07Ajv = new Draft07(OPTIONS)
formatsModule.default(draft07Ajv)

// Validators by the schema's JSON text: Ajv keeps what it compiles for good, and
// each API server builds its request schemas afresh, so the same schema built
// again is compiled once.
const schemas = new Map<string, ValidateFunction>()
const querySchemas = new Map<string, ValidateFunction>()
const draft07Schemas = new Map<string, ValidateFunction>()

function compiled (instance: Ajv2020 | InstanceType<typeof Draft07>, cache: Map<string, ValidateFunction>, schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema)
  let validate = cache.get(key)
  if (validate === undefined) {
    validate = instance.compile(schema)
    cache.set(key, validate)
  }
  return validate
}

/**
 * A validator of `schema`. Compiling is costly: compile once, validate many
 * times. Of a TypeBox schema, the validator narrows what it accepts to the
 * schema's static type.
 */
export function compileSchema<S extends TSchema> (schema: S): ValidateFunction<Static<S>>
export function compileSchema (schema: JsonSchema): ValidateFunction
export function compileSchema (schema: JsonSchema): ValidateFunction {
  return compiled(ajv, schemas, schema)
}

/** A validator of a JSON Schema of draft-07 (`$schema` http://json-schema.org/draft-07/schema#). */
export function compileDraft07Schema (schema: JsonSchema): ValidateFunction {
  return compiled(draft07Ajv, draft07Schemas, schema)
}

/** A validator of query-string or path parameters, which converts text to the numbers and booleans the schema asks for. */
export function compileQuerySchema (schema: JsonSchema): ValidateFunction {
  return compiled(queryAjv, querySchemas, schema)
}

const escape = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1')

function violationOf (error: ErrorObject, prefix: string): Violation {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return { path: `${prefix}${error.instancePath}/${escape(String(params.missingProperty))}`, message: 'is required' }
    case 'additionalProperties':
      return { path: `${prefix}${error.instancePath}/${escape(String(params.additionalProperty))}`, message: 'is not a known field' }
    default:
      return { path: `${prefix}${error.instancePath}`, message: error.message ?? error.keyword }
  }
}

/**
 * Ajv's errors as violations, each path prefixed with `prefix`: the same fault
 * reported twice is listed once, and past the first 100 one last entry says how
 * many more there are.
 */
export function violationsOf (errors: readonly ErrorObject[] | null | undefined, prefix = ''): Violation[] {
  const seen = new Set<string>()
  const out: Violation[] = []
  let more = 0
  for (const error of errors ?? []) {
    const violation = violationOf(error, prefix)
    const key = `${violation.path} ${violation.message}`
    if (seen.has(key)) continue
    seen.add(key)
    if (out.length < MAX_VIOLATIONS) out.push(violation)
    else more++
  }
  if (more > 0) out.push({ path: '', message: `and ${more} more` })
  return out
}
