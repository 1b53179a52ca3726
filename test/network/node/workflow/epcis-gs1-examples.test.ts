/**
 * GS1's own EPCIS 2.0 examples (test/fixtures/epcis/gs1/SOURCE.md): every one
 * captures, and its events query back meaning what they meant, compared after
 * JSON-LD expansion, extension fields included.
 */
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import jsonld from 'jsonld'
import { EPCIS_JSON_SCHEMA, effectiveContext, isGs1Context } from '../../../../record/index.js'
import { compileDraft07Schema } from '../../../../record/types/validator.js'
import { repoFile } from '../../../support/repo.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'

const FOLDER = fileURLToPath(repoFile('test/fixtures/epcis/gs1'))
const gs1 = compileDraft07Schema(EPCIS_JSON_SCHEMA)

type Json = Record<string, any>

/**
 * GS1 examples that are not JSON-LD a processor accepts: this one binds
 * `cbvmda`, which GS1's context protects, anew. Its events are compared as
 * JSON instead; that jsonld.js refuses the original is checked, so the list
 * stays true.
 */
const NOT_JSON_LD = new Set(['examples/WithFullCombinationOfFields/transformation_event_all_possible_fields.jsonld'])

async function files (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(entries.map(async e => e.isDirectory() ? await files(join(dir, e.name)) : [join(dir, e.name)]))
  return nested.flat().filter(f => f.endsWith('.jsonld')).sort()
}

/** Expands with GS1's context from the fixtures: the tests do not go to the network. */
async function expand (node: Json): Promise<string> {
  const context = JSON.parse(await readFile(join(FOLDER, 'epcis-context.jsonld'), 'utf8'))
  const expanded = await jsonld.expand(node, {
    documentLoader: async (url) => {
      if (!isGs1Context(url)) throw new Error(`no context at ${url} in the fixtures`)
      return { contextUrl: null, document: context, documentUrl: url }
    }
  })
  return JSON.stringify(expanded)
}

describe('EPCIS 2.0: GS1\'s example documents', function () {
  this.timeout(120_000)
  let carrier: TempNode
  before(async () => { carrier = await openTempNode({ profile: { role: 'carrier', name: 'carrier' } }) })
  after(async () => { await carrier.close() })

  it('captures every example GS1\'s schema accepts, and queries each event back with the same meaning', async () => {
    const examples = await files(join(FOLDER, 'examples'))
    assert.equal(examples.length, 46)
    let n = 0
    for (const file of examples) {
      const name = relative(FOLDER, file)
      const doc = JSON.parse(await readFile(file, 'utf8')) as Json
      assert.equal(gs1(doc), true, `${name}: ${JSON.stringify(gs1.errors)}`)
      const ref = `6KZ180940012345-GS1X${++n}`
      const response = await carrier.request('POST', `/v1/epcis/capture?consignment=${ref}`, { body: doc })
      const text = await response.text()
      assert.equal(response.status, 201, `${name}: ${text}`)
      const captured = (JSON.parse(text) as { captured: Array<{ eventID: string }> }).captured
      const events = doc.epcisBody.eventList as Json[]
      assert.equal(captured.length, events.length, name)

      const answer = await (await carrier.request('GET', `/v1/epcis/events?consignment=${ref}&perPage=500`)).json() as Json
      assert.equal(gs1(answer), true, `${name}: the answer: ${JSON.stringify(gs1.errors)}`)
      const returned = answer.epcisBody.queryResults.resultsBody.eventList as Json[]
      // What was meant: each event in its document's context, with the eventID it was given.
      const meant = events.map((event, i) => ({ ...event, '@context': effectiveContext(doc['@context'], event['@context']), eventID: event.eventID ?? captured[i]?.eventID }))
      if (NOT_JSON_LD.has(name)) {
        await assert.rejects(expand(doc), /redefine a protected term/)
        const byId = (list: Json[]): Json[] => [...list].sort((a, b) => String(a.eventID) < String(b.eventID) ? -1 : 1)
        assert.deepEqual(byId(returned), byId(meant), name)
        continue
      }
      const sent = await Promise.all(meant.map(expand))
      // What a JSON-LD reader of the answer reads: each event in the answer's context, then its own.
      const read = await Promise.all(returned.map(async event =>
        await expand({ ...event, '@context': [...answer['@context'], ...(event['@context'] ?? [])] })))
      assert.deepEqual(read.sort(), sent.sort(), name)
    }
  })
})
