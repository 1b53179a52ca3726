/**
 * The demo story (npm run demo) as a test: a fresh local network, one export
 * consignment from documents to release, every step verified.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { runDemo } from '../../../scripts/demo.js'
import { tempDir } from '../../support/temp-node.js'

describe('demo', function () {
  this.timeout(120_000)

  it('plays one export consignment end to end, every step verified', async () => {
    const dir = await tempDir()
    try {
      const result = await runDemo(dir)
      const failed = result.steps.filter(s => !s.ok)
      assert.deepEqual(failed, [])
      assert.equal(result.ok, true)
      const said = result.steps.map(s => `${s.who}: ${s.what}`).join('\n')
      assert.match(said, /Customs: asks for the missing elements, and only those/)
      assert.match(said, /Customs: holds the SPS agency's certificate, verified/)
      assert.match(said, /Customs: releases the goods for export, relying on the SPS certificate/)
      assert.match(said, /submitted → received → under-review → decided \(decision\.release, verified true\)/)
      assert.ok(result.reuse !== undefined && result.reuse.usesByAuthorities > result.reuse.entered)
      assert.deepEqual(result.decisionTimes.map(t => t.procedure), ['KZ.sps.phytosanitary-certificate', 'KZ.customs.export-declaration'])
      assert.ok(result.decisionTimes.every(t => t.ms >= 0))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
