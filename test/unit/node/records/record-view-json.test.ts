/**
 * A listing's JSON written straight from stored bytes (writeStoredView) is
 * byte for byte JSON.stringify of the view the node builds for the same
 * bytes: for every record type, complete or partial, expired or not; and
 * where the bytes do not read as the store keeps them, the view's own answer
 * (its data left empty, or the RecordError that says what is wrong).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { viewOfStored, writeStoredView } from '../../../../node/records/record-view.js'
import {
  compareBytes, createRecord, digestOf, ed25519Signer, encodeCanonical, JsonWriter, RecordError, SALT_BYTES, signingInput, withDisclosures,
  type DataObject, type Disclosure
} from '../../../../record/index.js'
import { repoFile } from '../../../support/repo.js'

const issuer = ed25519Signer(randomBytes(32))
const NOW = '2026-12-01T00:00:00.000Z'

function listed (bytes: Uint8Array, now = NOW): string {
  const out = new JsonWriter(8)
  out.raw('[')
  writeStoredView(out, bytes, now)
  return Buffer.from(out.raw(']').written()).toString('utf8')
}

const viewed = (bytes: Uint8Array, now = NOW): string => `[${JSON.stringify(viewOfStored(bytes, now))}]`

describe('unit: record views written from stored bytes', () => {
  it('writes every record type as JSON.stringify writes its view, complete or partial, expired or not', () => {
    const dir = repoFile('test/fixtures/records/')
    for (const file of readdirSync(dir).filter(f => f.endsWith('.json'))) {
      const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as DataObject
      const record = createRecord(issuer, {
        type: file.slice(0, -5), consignment: '6KZ123456789012-VIEW0001', issuedAt: '2026-11-02T08:00:00.000Z', validUntil: '2026-12-15T00:00:00.000Z', data
      })
      const partial = withDisclosures(record, path => path.length > 1)
      for (const bytes of [record.bytes, partial.bytes]) {
        for (const now of [NOW, '2027-01-01T00:00:00.000Z']) assert.equal(listed(bytes, now), viewed(bytes, now), file)
      }
      assert.match(listed(record.bytes, '2027-01-01T00:00:00.000Z'), /"expired":true\}\]$/)
    }
  })

  it('writes envelopes without consignment or validUntil, and with supersedes, as the view', () => {
    const first = createRecord(issuer, { type: 'trade.invoice', issuedAt: '2026-11-02T08:00:00.000Z', data: { number: 'A' } })
    const second = createRecord(issuer, { type: 'trade.invoice', issuedAt: '2026-11-03T08:00:00.000Z', supersedes: first.id, data: { number: 'B' } })
    for (const bytes of [first.bytes, second.bytes]) assert.equal(listed(bytes), viewed(bytes))
  })

  it('leaves records whose paths contradict each other to the view, which shows no data', () => {
    const disclosures: Disclosure[] = [{ path: ['a'], value: 1 }, { path: ['a'], value: 2 }]
      .map(leaf => ({ ...leaf, salt: new Uint8Array(randomBytes(SALT_BYTES)) }))
      .sort((a, b) => compareBytes(digestOf(a), digestOf(b)))
    const envelope = encodeCanonical({ v: 1, type: 'trade.invoice', issuer: issuer.participant, issuedAt: '2026-11-02T08:00:00.000Z', digests: disclosures.map(digestOf) })
    const bytes = encodeCanonical({
      envelope,
      signature: { suite: issuer.suite, value: issuer.sign(signingInput(envelope)) },
      disclosures: disclosures.map(d => [d.salt, d.path, d.value])
    })
    assert.equal(listed(bytes), viewed(bytes))
    assert.match(listed(bytes), /"data":\{\}/)
  })

  it('throws the RecordError the view throws for bytes that do not parse', () => {
    const record = createRecord(issuer, { type: 'trade.invoice', issuedAt: '2026-11-02T08:00:00.000Z', data: { number: 'A' } })
    for (const bytes of [Uint8Array.of(0xa1, 0x01), record.bytes.subarray(0, record.bytes.length - 1)]) {
      let expected: unknown
      try {
        viewOfStored(bytes, NOW)
      } catch (err) {
        expected = err
      }
      assert.ok(expected instanceof RecordError)
      assert.throws(() => listed(bytes), (err: unknown) => err instanceof RecordError && err.code === expected.code && err.message === expected.message)
    }
  })
})
