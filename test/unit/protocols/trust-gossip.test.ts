/**
 * Trust records going to a peer are split into messages the receiver takes:
 * at most 64 records and 1 MiB each.
 */
import assert from 'node:assert/strict'
import { MAX_TRUST_BYTES, MAX_TRUST_RECORDS, messagesOf } from '../../../protocols/trust-gossip.js'
import { encodeCanonical } from '../../../record/index.js'

describe('trust messages', () => {
  const records = (count: number, size: number): Uint8Array[] => Array.from({ length: count }, (_, i) => new Uint8Array(size).fill(i % 256))

  it('puts at most 64 records in a message, in their order', () => {
    const all = records(150, 600)
    const messages = messagesOf(all)
    assert.deepEqual(messages.map(m => m.length), [MAX_TRUST_RECORDS, MAX_TRUST_RECORDS, 150 - 2 * MAX_TRUST_RECORDS])
    assert.deepEqual(messages.flat(), all)
    assert.deepEqual(messagesOf([]), [])
  })

  it('keeps each message within 1 MiB as encoded, and leaves out a record no message can hold', () => {
    const large = records(7, 300 * 1024)
    const messages = messagesOf([...large, new Uint8Array(MAX_TRUST_BYTES)])
    assert.deepEqual(messages.map(m => m.length), [3, 3, 1])
    for (const message of messages) assert.ok(encodeCanonical({ v: 1, records: message }).length <= MAX_TRUST_BYTES)
    // Right at the limit, encoded.
    const fits = new Uint8Array(MAX_TRUST_BYTES - 64 - 9)
    assert.equal(messagesOf([fits]).length, 1)
    assert.ok(encodeCanonical({ v: 1, records: [fits] }).length <= MAX_TRUST_BYTES)
  })
})
