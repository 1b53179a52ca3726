/**
 * The registry of record types a node accepts, each with its compiled schema.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { RecordTypeDefinition } from './definition.js'
import { compileSchema, violationsOf, type Violation } from './validator.js'

/** A fault in a record's data: `path` is a JSON Pointer into the data. */
export type SchemaViolation = Violation

interface RegisteredType {
  readonly definition: RecordTypeDefinition
  /** Compiled on first use: compiling every type costs a node half a second at start. */
  validate?: ValidateFunction
}

export class TypeRegistry {
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
    registered.validate ??= compileSchema(registered.definition.schema)
    return registered.validate(data) ? [] : violationsOf(registered.validate.errors)
  }
}
