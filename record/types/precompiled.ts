/**
 * Validators compiled when keruen is built (scripts/build-validators.ts), one
 * CommonJS module per schema under dist/record/types/compiled/. Compiling a
 * schema with Ajv costs a thread that has compiled none before some 40 ms for
 * the invoice's, and each of a restarted node's threads paid it again for the
 * first record of each type it checked; loading the module compiled at build
 * costs a few.
 *
 * A module is named by a digest of all it was compiled from: Ajv's version,
 * the settings and the schema's text. A schema changed since the build, or one
 * the build did not compile, finds no module and is compiled as before.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { ValidateFunction } from 'ajv/dist/2020.js'

const require = createRequire(import.meta.url)
const AJV_VERSION = (require('ajv/package.json') as { version: string }).version

/** Where the build writes the modules: beside this module, in compiled/. */
export const PRECOMPILED_DIR = fileURLToPath(new URL('./compiled/', import.meta.url))

/** The file name of the validator of `schemaText` compiled with `settings`. */
export function precompiledName (settings: string, schemaText: string): string {
  return `${createHash('sha256').update(`ajv ${AJV_VERSION}\n${settings}\n${schemaText}`).digest('hex').slice(0, 40)}.cjs`
}

/** The validator the build compiled of `schemaText` with `settings`, or undefined when it compiled none. */
export function precompiledValidator (settings: string, schemaText: string): ValidateFunction | undefined {
  const file = `${PRECOMPILED_DIR}${precompiledName(settings, schemaText)}`
  if (!existsSync(file)) return undefined
  const validate = require(file) as unknown
  // A module that is there but holds no function is a broken build, not a schema to compile afresh.
  if (typeof validate !== 'function') throw new Error(`${file} holds no validator: rebuild keruen (npm run build)`)
  return validate as ValidateFunction
}
