/**
 * Record indexes: indexers register by name, once; each record's write
 * gathers their operations in registration order, with the request and
 * whether the record replaced a copy; a removed indexer writes nothing more.
 */
import assert from 'node:assert/strict'
import type { WriteOp } from '../../../../storage/index.js'
import { RecordIndexes } from '../../../../node/records/record-indexes.js'
import type { CreateRecordInput } from '../../../../node/records/record-service.js'
import { signed, signer } from '../../support/fakes.js'

const op = (key: string): WriteOp => ({ type: 'del', key } as unknown as WriteOp)

describe('unit: record indexes', () => {
  const record = signed(signer(), { type: 'trade.invoice', data: { number: 'INV-1' } })

  it('gathers every indexer\'s operations in the order they registered, passing the request and replaced', () => {
    const indexes = new RecordIndexes()
    const seen: unknown[][] = []
    indexes.add('trust', (r, input, replaced) => { seen.push(['trust', r.id, input, replaced]); return [op('t1')] })
    indexes.add('outbox', () => [op('o1'), op('o2')])
    indexes.add('nothing', () => [])
    assert.deepEqual(indexes.names, ['trust', 'outbox', 'nothing'])

    assert.deepEqual(indexes.opsFor(record), [op('t1'), op('o1'), op('o2')])
    const input: CreateRecordInput = { type: 'trade.invoice', data: { number: 'INV-1' }, share: ['x'] }
    indexes.opsFor(record, input, true)
    assert.deepEqual(seen, [['trust', record.id, undefined, false], ['trust', record.id, input, true]])
  })

  it('refuses a name already registered, and takes it again once removed', () => {
    const indexes = new RecordIndexes()
    indexes.add('applications', () => [op('a')])
    assert.throws(() => { indexes.add('applications', () => [op('b')]) }, /record indexer applications is already registered/)
    assert.deepEqual(indexes.opsFor(record), [op('a')])
    indexes.remove('applications')
    assert.deepEqual(indexes.names, [])
    assert.deepEqual(indexes.opsFor(record), [])
    indexes.add('applications', () => [op('b')])
    assert.deepEqual(indexes.opsFor(record), [op('b')])
    // Removing what is not there is no error.
    indexes.remove('never')
  })
})
