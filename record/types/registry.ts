/**
 * The registry of record types a node accepts, each with its compiled schema.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import formatsModule from 'ajv-formats'
import type { RecordTypeDefinition } from './definition.js'

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as
  (ajv: Ajv2020) => Ajv2020

export interface SchemaViolation {
  /** JSON Pointer into the record's data. */
  readonly path: string
  readonly message: string
}

interface RegisteredType {
  readonly definition: RecordTypeDefinition
  /** Compiled on first use: compiling every type costs a node half a second at start. */
  validate?: ValidateFunction
}

function violationOf (error: ErrorObject): SchemaViolation {
  const params = error.params as Record<string, unknown>
  const escape = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1')
  switch (error.keyword) {
    case 'required':
      return { path: `${error.instancePath}/${escape(String(params.missingProperty))}`, message: 'is required' }
    case 'additionalProperties':
      return { path: `${error.instancePath}/${escape(String(params.additionalProperty))}`, message: 'is not a known field' }
    default:
      return { path: error.instancePath, message: error.message ?? error.keyword }
  }
}

export class TypeRegistry {
  private readonly ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }))
  private readonly types = new Map<string, RegisteredType>()

  constructor (definitions: readonly RecordTypeDefinition[] = []) {
    for (const definition of definitions) this.register(definition)
  }

  register (definition: RecordTypeDefinition): void {
    if (this.types.has(definition.type)) throw new Error(`record type ${definition.type} is already registered`)
    this.types.set(definition.type, { definition })
  }

  get (type: string): RecordTypeDefinition | undefined {
    return this.types.get(type)?.definition
  }

  list (): RecordTypeDefinition[] {
    return [...this.types.values()].map(t => t.definition)
  }

  /** Violations of the type's schema, or an empty list when the data is valid. */
  validate (type: string, data: unknown): SchemaViolation[] {
    const registered = this.types.get(type)
    if (registered === undefined) return [{ path: '', message: `record type ${type} is not registered` }]
    registered.validate ??= this.ajv.compile(registered.definition.schema)
    if (registered.validate(data)) return []
    const seen = new Set<string>()
    return (registered.validate.errors ?? []).map(violationOf).filter(v => {
      const key = `${v.path} ${v.message}`
      return seen.has(key) ? false : (seen.add(key), true)
    })
  }
}
