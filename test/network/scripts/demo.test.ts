/**
 * The demo story (npm run demo) as a test: a fresh local network, one export
 * consignment from documents to release, every step verified: the trader pays
 * through the bank, the bank's confirmation reaches customs, and customs' node
 * releases the goods on its own, naming its rule.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { runDemo } from '../../../scripts/demo.js'
import { tempDir } from '../../support/temp-node.js'

describe('demo', function () {
  this.timeout(120_000)

  it('plays one export consignment end to end, paid through the bank and released automatically, every step verified', async () => {
    const dir = await tempDir()
    try {
      const result = await runDemo(dir)
      const failed = result.steps.filter(s => !s.ok)
      assert.deepEqual(failed, [])
      assert.equal(result.ok, true)
      const said = result.steps.map(s => `${s.who}: ${s.what}`).join('\n')
      assert.match(said, /Customs: asks for the missing elements, and only those/)
      assert.match(said, /Customs: holds the SPS agency's certificate, verified/)
      assert.match(said, /Customs: keeps a green risk rule on its node: grain-export/)
      assert.match(said, /Trader: … total due 20 000\.00 KZT/)
      assert.match(said, /Bank: core system lists the pending order: 20 000\.00 KZT/)
      assert.match(said, /Customs: receives the bank's confirmation, verified: 20 000\.00 KZT paid, balance 0\.00/)
      assert.match(said, /Customs: … its node releases the goods on its own: green by rule grain-export, on the bank's confirmation/)
      assert.match(said, /Trader: receives the release, signed by customs' node: "Released automatically by the risk rules: grain-export\."/)
      assert.doesNotMatch(said, /Customs: (takes the declaration under review|releases the goods for export)/, 'customs releases nothing by hand')
      assert.match(said, /KZ\.customs\.export-declaration: submitted → received → decided \(decision\.release, verified true\)/)
      assert.ok(result.payments !== undefined)
      assert.equal(result.payments.currency, 'KZT')
      assert.equal(result.payments.total, '20000.00')
      assert.ok(result.payments.lines.some(l => l.what.startsWith('Customs fee for customs operations') && l.amount === '20000.00'))
      assert.ok(result.automaticRelease !== undefined)
      assert.deepEqual(result.automaticRelease.rules, ['grain-export'], 'the green rule alone; the red one does not match')
      assert.ok(result.automaticRelease.confirmationToReleaseMs >= 0 && result.automaticRelease.confirmationToReleaseMs <= result.automaticRelease.applicationToReleaseMs)
      assert.ok(result.reuse !== undefined && result.reuse.usesByAuthorities > result.reuse.entered)
      assert.deepEqual(result.decisionTimes.map(t => t.procedure), ['KZ.sps.phytosanitary-certificate', 'KZ.customs.export-declaration'])
      assert.ok(result.decisionTimes.every(t => t.ms >= 0))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
