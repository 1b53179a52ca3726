/**
 * The HS codes a record names, read from its leaves without rebuilding its
 * data, are those read from its data: for a complete record, a partial copy
 * and a record of a type that names no goods.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRecord, dataOf, ed25519Signer, timestamp, withDisclosures, type DataObject } from '../../../../record/index.js'
import { codedLeafValues, goodsOf } from '../../../../record/reference/coded-fields.js'
import { builtinTypes } from '../../../../record/types/index.js'
import { repoFile } from '../../../support/repo.js'

const signer = ed25519Signer(new Uint8Array(32).fill(9))
const schemaOf = (type: string): Record<string, unknown> => builtinTypes.find(d => d.type === type)?.schema as unknown as Record<string, unknown>
const fixture = (type: string): DataObject => JSON.parse(readFileSync(repoFile(`test/fixtures/records/${type}.json`), 'utf8')) as DataObject

describe('unit: coded values from a record\'s leaves', () => {
  for (const type of ['trade.invoice', 'customs.declaration', 'cert.phytosanitary', 'trade.packing-list']) {
    it(`finds the HS codes of a ${type} as its data does`, () => {
      const record = createRecord(signer, { type, issuedAt: timestamp(), data: fixture(type) })
      const fromData = goodsOf(schemaOf(type), dataOf(record)).map(g => g.hsCode).sort()
      assert.ok(fromData.length > 0)
      // In the leaves' order (by digest), which the index does not mind.
      assert.deepEqual(codedLeafValues(schemaOf(type), 'hs-2022', record.disclosures).sort(), fromData)
    })
  }

  it('finds only what a partial copy discloses', () => {
    const record = createRecord(signer, { type: 'trade.invoice', issuedAt: timestamp(), data: fixture('trade.invoice') })
    const partial = withDisclosures(record, path => path[0] === 'lines' && path[1] === 0)
    assert.deepEqual(codedLeafValues(schemaOf('trade.invoice'), 'hs-2022', partial.disclosures), goodsOf(schemaOf('trade.invoice'), dataOf(partial)).map(g => g.hsCode))
    assert.equal(codedLeafValues(schemaOf('trade.invoice'), 'hs-2022', partial.disclosures).length, 1)
  })

  it('finds nothing in a type that names no goods', () => {
    const record = createRecord(signer, { type: 'policy.grant', issuedAt: timestamp(), data: fixture('policy.grant') })
    assert.deepEqual(codedLeafValues(schemaOf('policy.grant'), 'hs-2022', record.disclosures), [])
  })
})
