/**
 * The validators record/types/validator.ts compiles (without Ajv's pass that
 * optimises the code it generates) judge exactly as Ajv's default code does:
 * the same verdict and the same errors, in the same order, for every built-in
 * record type's example and broken copies of it, GS1's EPCIS schema with
 * GS1's examples, and a query schema that converts text.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import AjvDraft07 from 'ajv'
import formatsModule from 'ajv-formats'
import { EPCIS_JSON_SCHEMA } from '../../../../record/epcis.js'
import type { JsonSchema } from '../../../../record/types/definition.js'
import { builtinTypes } from '../../../../record/types/index.js'
import { compileDraft07Schema, compileQuerySchema, compileSchema, violationsOf } from '../../../../record/types/validator.js'
import { repoFile } from '../../../support/repo.js'

const Draft07 = AjvDraft07.default

/** Ajv as it is out of the box, with the settings validator.ts names beside its code option, and the formats as it adds them. */
const reference = new Ajv2020({ strict: false, allErrors: true })
const referenceQuery = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true })
const referenceDraft07 = new Draft07({ strict: false, allErrors: true })
for (const instance of [reference, referenceQuery, referenceDraft07]) formatsModule.default(instance)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const errorsOf = (errors: ErrorObject[] | null | undefined): unknown[] =>
  (errors ?? []).map(({ instancePath, schemaPath, keyword, params, message }) => ({ instancePath, schemaPath, keyword, params, message }))

/** Both validators on `data` (each on its own copy, as coercion changes it): the same verdict, errors and violations. */
function judgeAlike (ours: ValidateFunction, theirs: ValidateFunction, data: unknown, what: string): boolean {
  const mine = structuredClone(data)
  const valid = ours(mine)
  const expected = theirs(structuredClone(data))
  assert.equal(valid, expected, `${what}: verdict`)
  assert.deepEqual(errorsOf(ours.errors), errorsOf(theirs.errors), `${what}: errors`)
  assert.deepEqual(violationsOf(ours.errors), violationsOf(theirs.errors), `${what}: violations`)
  return valid
}

/** The example, and copies of it broken at the top: a required field removed, a field of the wrong kind, an unknown field. */
function examplesOf (data: JsonObject, schema: JsonSchema): Array<[string, Json]> {
  const out: Array<[string, Json]> = [['the example', data], ['an unknown field added', { ...data, notAField: 1 }]]
  for (const key of (schema.required ?? []) as string[]) {
    const broken = structuredClone(data)
    delete broken[key]
    out.push([`${key} removed`, broken])
  }
  for (const [key, value] of Object.entries(data)) {
    out.push([`${key} of the wrong kind`, { ...data, [key]: typeof value === 'object' && value !== null ? 12345 : { wrong: true } }])
  }
  return out
}

describe('schema validators', () => {
  for (const definition of builtinTypes) {
    it(`judge ${definition.type} as Ajv's default code does`, () => {
      const example = JSON.parse(readFileSync(repoFile(`test/fixtures/records/${definition.type}.json`), 'utf8')) as JsonObject
      const ours = compileSchema(definition.schema)
      const theirs = reference.compile(definition.schema)
      const verdicts = examplesOf(example, definition.schema).map(([what, data]) => judgeAlike(ours, theirs, data, what))
      // The example passes and every broken copy fails: the comparison saw both kinds of answer.
      assert.equal(verdicts[0], true)
      assert.ok(verdicts.slice(1).every(valid => !valid), `${definition.type}: a broken copy passed`)
    })
  }

  it('judge GS1 EPCIS documents as Ajv\'s default draft-07 code does', () => {
    const ours = compileDraft07Schema(EPCIS_JSON_SCHEMA)
    const theirs = referenceDraft07.compile(EPCIS_JSON_SCHEMA)
    const folder = fileURLToPath(repoFile('test/fixtures/epcis/gs1/examples'))
    const documents = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('.jsonld')).slice(0, 12)
    assert.ok(documents.length >= 5)
    for (const name of documents) {
      const document = JSON.parse(readFileSync(join(folder, name), 'utf8')) as JsonObject
      for (const [what, data] of examplesOf(document, EPCIS_JSON_SCHEMA)) judgeAlike(ours, theirs, data, `${name}, ${what}`)
    }
  })

  it('convert query text as Ajv\'s default code does', () => {
    const schema = {
      type: 'object',
      properties: { limit: { type: 'integer', minimum: 1, maximum: 500 }, verify: { type: 'boolean' }, since: { type: 'string', format: 'date-time' } },
      additionalProperties: false
    }
    const ours = compileQuerySchema(schema)
    const theirs = referenceQuery.compile(schema)
    assert.equal(judgeAlike(ours, theirs, { limit: '10', verify: 'true', since: '2026-12-04T10:00:00Z' }, 'good text'), true)
    assert.equal(judgeAlike(ours, theirs, { limit: '0', verify: 'maybe', since: 'today', other: 'x' }, 'bad text'), false)
  })
})
