/**
 * Records signed on worker threads are the same records, and the workers'
 * refusals reach the caller as the same precise errors.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { SigningPool } from '../../../../node/runtime/signing-pool.js'
import { ed25519Signer, parseRecord, RecordError, timestamp, verifyRecord, dataOf } from '../../../../record/index.js'
import { fixture, openTempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'

describe('signing pool', function () {
  this.timeout(30_000)
  const seed = randomBytes(32)
  const signer = ed25519Signer(seed)

  it('signs on workers records that verify as this signer', async () => {
    const pool = new SigningPool(signer, seed, 2)
    try {
      await until(() => pool.ready, 'a signing worker to load', 20_000)
      const invoice = await fixture('trade.invoice')
      const records = await Promise.all(Array.from({ length: 40 }, async () =>
        await pool.sign({ type: 'trade.invoice', consignment: '6KZ123456789012-POOL', issuedAt: timestamp(), data: invoice })))
      for (const record of records) {
        verifyRecord(parseRecord(record.bytes))
        assert.equal(record.envelope.issuer, signer.participant)
        assert.deepEqual(dataOf(record), invoice)
      }
      assert.equal(new Set(records.map(r => r.id)).size, 40)
    } finally {
      await pool.close()
    }
  })

  it('passes a refusal back as a RecordError with its code and path', async () => {
    const pool = new SigningPool(signer, seed, 1)
    try {
      await until(() => pool.ready, 'the signing worker to load', 20_000)
      await assert.rejects(
        pool.sign({ type: 'trade.invoice', issuedAt: timestamp(), data: { lines: [{ unitPrice: 3.15 }] } }),
        (err: unknown) => err instanceof RecordError && err.code === 'non-canonical' && /data\/lines\/0\/unitPrice/.test(err.message))
    } finally {
      await pool.close()
    }
  })

  it('serves a node: the API answers a text the format cannot carry with 422 and the path', async () => {
    const t = await openTempNode({ config: { signingWorkers: 1 } })
    try {
      const invoice = await fixture('trade.invoice')
      const ok = await t.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: '6KZ123456789012-POOL', data: invoice } })
      assert.equal(ok.status, 201)
      // A lone surrogate is valid JSON text and passes the schema, but is not Unicode.
      const body = JSON.stringify({ type: 'trade.invoice', consignment: '6KZ123456789012-POOL', data: { ...invoice, remarks: 'x' } }).replace('"remarks":"x"', '"remarks":"\\ud800"')
      const bad = await t.request('POST', '/v1/records', { body, headers: { 'content-type': 'application/json' } })
      assert.equal(bad.status, 422)
      const problem = await bad.json() as { type: string, errors: Array<{ path: string }> }
      assert.equal(problem.type, 'urn:keruen:problem:non-canonical')
      assert.equal(problem.errors[0]?.path, '/data/remarks')
    } finally {
      await t.close()
    }
  })
})
