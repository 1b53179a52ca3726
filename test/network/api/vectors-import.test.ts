/**
 * The published test vectors are records a node takes: each is a valid record
 * of the type it names, and vector 3 is a partial copy of vector 1.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { specs } from '../../vectors/generate.js'
import { repoFile } from '../../support/repo.js'
import { openTempNode } from '../../support/temp-node.js'

interface Vector { id: string, record: string, envelopeCbor: string, disclosures: Array<{ digest: string, pointer: string }> }

const vectors = new Map(specs.map(s => [s.name, JSON.parse(readFileSync(repoFile(`test/vectors/${s.name}.json`), 'utf8')) as Vector]))
const vector = (name: string): Vector => vectors.get(name) as Vector

describe('test vectors', () => {
  for (const name of vectors.keys()) {
    it(`${name} is imported by a node as a valid record of its type`, async () => {
      const t = await openTempNode()
      try {
        const response = await t.request('POST', '/v1/records/import', {
          body: Buffer.from(vector(name).record, 'hex'),
          headers: { 'content-type': 'application/cbor' }
        })
        assert.equal(response.status, 201, await response.clone().text())
        const view = await response.json() as { id: string, verified: boolean }
        assert.equal(view.id, vector(name).id)
        assert.equal(view.verified, true)
      } finally {
        await t.close()
      }
    })
  }

  it('vector 3 is a partial copy of vector 1: the same signed record, some of its fields', () => {
    const whole = vector('vector-1')
    const partial = vector('vector-3')
    assert.equal(partial.id, whole.id)
    assert.equal(partial.envelopeCbor, whole.envelopeCbor)
    const digests = new Set(whole.disclosures.map(d => d.digest))
    assert.ok(partial.disclosures.length > 0 && partial.disclosures.length < whole.disclosures.length)
    for (const d of partial.disclosures) assert.ok(digests.has(d.digest), `${d.pointer} is one of vector 1's disclosures`)
  })
})
