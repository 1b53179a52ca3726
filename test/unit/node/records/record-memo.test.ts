/**
 * The record memo: the same bytes are parsed and verified once and answer
 * with the same object; bytes that differ in any way are checked on their
 * own, so a damaged or forged copy of a record never borrows the verdict of
 * the sound one; views of a record object the memo did not hand out are
 * still verified. Bytes read from the store are parsed, not verified again,
 * unless the reader asks.
 */
import assert from 'node:assert/strict'
import { checkedBytes, refuses, storedBytes, verdictOf } from '../../../../node/records/record-memo.js'
import { storedRecord } from '../../../../node/records/stored-record.js'
import { viewOf, viewOfBytes, viewOfStored, writeStoredView } from '../../../../node/records/record-view.js'
import { JsonWriter, parseRecord, type SignedRecord } from '../../../../record/index.js'
import { signed, signer } from '../../support/fakes.js'

const NOW = '2026-12-01T00:00:00.000Z'

describe('unit: record memo', () => {
  const record = signed(signer(), { type: 'trade.invoice', consignment: '6KZ123456789012-MEMO0001', validUntil: '2026-12-31T00:00:00.000Z', data: { number: 'INV-1', total: '10.00' } })

  /** The same record with one byte of its signature changed (the `at`th past the fifth). */
  function forged (at = 0): Uint8Array {
    const bytes = Uint8Array.from(record.bytes)
    const start = Buffer.from(bytes).indexOf(Buffer.from(record.signature.value))
    assert.ok(start > 0)
    bytes[start + 5 + at] = (bytes[start + 5 + at] as number) ^ 1
    return bytes
  }

  it('answers the same bytes with the same verified object, copied or not', () => {
    const first = checkedBytes(Uint8Array.from(record.bytes))
    const second = checkedBytes(Uint8Array.from(record.bytes))
    assert.equal(first.reason, undefined)
    assert.equal(first.record?.id, record.id)
    assert.equal(second.record, first.record)
    assert.deepEqual(verdictOf(first.record as SignedRecord), { verified: true, when: 'checked' })
    assert.equal(storedRecord(Uint8Array.from(record.bytes)), first.record)
  })

  it('checks a forged copy on its own: same id, and still refused', () => {
    checkedBytes(record.bytes)
    const copy = forged()
    assert.equal(parseRecord(copy).id, record.id, 'the envelope, and so the id, is unchanged')
    const checked = checkedBytes(copy)
    assert.match(checked.reason ?? '', /^bad-signature/)
    assert.equal(storedRecord(copy), undefined)
    const view = viewOfBytes(record.id, copy, NOW)
    assert.equal(view.verified, false)
    // The sound bytes still verify after the forged ones were seen.
    assert.equal(viewOfBytes(record.id, record.bytes, NOW).verified, true)
  })

  it('reports bytes that do not parse, with the reason', () => {
    const view = viewOfBytes('x', Uint8Array.of(0xa1, 0x01), NOW)
    assert.equal(view.verified, false)
    assert.ok((view.reason ?? '').length > 0)
  })

  it('still verifies a record object it did not hand out', () => {
    const parsed = parseRecord(forged())
    assert.equal(verdictOf(parsed), undefined)
    assert.equal(viewOf(parsed, NOW).verified, false)
  })

  it('reads stored bytes without verifying them again, and verifies them when asked', () => {
    // Bytes of a store damaged after the record was verified and stored.
    const damaged = forged(1)
    const read = storedBytes(damaged)
    assert.equal(read.reason, undefined)
    assert.deepEqual(verdictOf(read.record as SignedRecord), { verified: true, when: 'stored' })
    assert.equal(viewOfBytes(record.id, damaged, NOW).verified, true, 'as verified when it was stored')
    const checked = viewOfBytes(record.id, damaged, NOW, { verify: true })
    assert.equal(checked.verified, false)
    assert.match(checked.reason ?? '', /^bad-signature/)
    // Once found wanting, the bytes stay refused, read from the store or not.
    assert.equal(viewOfBytes(record.id, damaged, NOW).verified, false)
    assert.equal(storedRecord(damaged), undefined)
    assert.equal(storedBytes(damaged).record, read.record, 'parsed once')
  })

  it('keeps bytes found wanting refused when a listing writes them straight to JSON', () => {
    const damaged = forged(2)
    const listed = (options = {}): { verified: boolean, reason?: string } => {
      const out = new JsonWriter()
      writeStoredView(out, damaged, NOW, options)
      return JSON.parse(Buffer.from(out.written()).toString('utf8')) as { verified: boolean, reason?: string }
    }
    assert.equal(refuses(damaged), false)
    assert.equal(listed().verified, true, 'as verified when it was stored')
    const checked = listed({ verify: true })
    assert.equal(checked.verified, false)
    assert.match(checked.reason ?? '', /^bad-signature/)
    assert.equal(refuses(damaged), true)
    assert.deepEqual(listed(), checked)
    assert.equal(JSON.stringify(viewOfStored(damaged, NOW)), JSON.stringify(checked))
    assert.equal(refuses(record.bytes), false)
  })

  it('reports stored bytes that no longer parse', () => {
    const read = storedBytes(Uint8Array.of(0xa1, 0x01))
    assert.equal(read.record, undefined)
    assert.ok(read.reason.length > 0)
  })

  it('works out expiry at each call, not once', () => {
    const bytes = Uint8Array.from(record.bytes)
    const before = viewOfBytes(record.id, bytes, '2026-12-01T00:00:00.000Z')
    const after = viewOfBytes(record.id, bytes, '2027-01-01T00:00:00.000Z')
    assert.equal('expired' in before && before.expired, false)
    assert.equal('expired' in after && after.expired, true)
  })
})
