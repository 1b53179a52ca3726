/**
 * The source of a validator compiled ahead of time: a CommonJS module that
 * exports the function Ajv compiles of a schema, with compileSchema's settings
 * (validator.ts), for the build to write where precompiled.ts finds it. Only
 * the build imports this module.
 */
import { Ajv2020, _ } from 'ajv/dist/2020.js'
import standaloneModule from 'ajv/dist/standalone/index.js'
import formatsModule from 'ajv-formats'
import type { JsonSchema } from './definition.js'
import { precompiledName } from './precompiled.js'
import { AJV_OPTIONS, AJV_SETTINGS } from './validator.js'

/** The module's file name and text for `schema`. */
export function validatorModule (schema: JsonSchema): { name: string, code: string } {
  // An instance per schema: each module holds only what its own schema needs.
  // Formats are taken from ajv-formats when the module loads, as compileSchema's are.
  // Ajv's pass over its code, left out at run time to compile faster (validator.ts),
  // costs nothing here, and V8 optimises the smaller code it leaves sooner: 34
  // against 43 ms for the invoice's. It changes no verdict (validator.test.ts).
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, optimize: true, source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } })
  formatsModule.default(ajv)
  const validate = ajv.compile(schema)
  return { name: precompiledName(AJV_SETTINGS, JSON.stringify(schema)), code: standaloneModule.default(ajv, validate) }
}
