/**
 * Part of npm run build, after tsc: compiles the schema of every built-in
 * record type into a module of its own (record/types/precompiled.ts), so that
 * no thread of a running node compiles one.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { builtinTypes } from '../record/types/index.js'
import { PRECOMPILED_DIR } from '../record/types/precompiled.js'
import { validatorModule } from '../record/types/validator-code.js'

await rm(PRECOMPILED_DIR, { recursive: true, force: true })
await mkdir(PRECOMPILED_DIR, { recursive: true })
for (const { schema } of builtinTypes) {
  const { name, code } = validatorModule(schema)
  await writeFile(join(PRECOMPILED_DIR, name), code)
}
console.log(`compiled the schemas of ${builtinTypes.length} record types into ${PRECOMPILED_DIR}`)
