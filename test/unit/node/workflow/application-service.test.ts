/**
 * The application service over fakes: a record store in a map whose writes
 * run the registered indexers, an application index in memory, receipts the
 * test lists, and a record service signing on a test clock. An application's
 * status comes from the records about it, and only the agency applied to
 * speaks for it.
 */
import assert from 'node:assert/strict'
import type { SignedRecord, Signer } from '../../../../record/index.js'
import type { ReceiptOfRecord } from '../../../../node/delivery/delivery-service.js'
import type { ServiceError } from '../../../../node/errors.js'
import { NodeEvents } from '../../../../node/events.js'
import { RecordGuards } from '../../../../node/records/record-guards.js'
import { RecordIndexes } from '../../../../node/records/record-indexes.js'
import { applicationService, type ApplicationService } from '../../../../node/workflow/application-service.js'
import { FakeApplicationStore, FakeClock, FakeRecords, FakeRecordStore, signed, signer } from '../../support/fakes.js'

const CONSIGNMENT = '6KZ123456789012-APP0001'
const PROCEDURE = 'KZ.sps.phytosanitary-certificate'
const T0 = Date.parse('2026-11-02T08:00:00.000Z')
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString()

interface Side {
  readonly service: ApplicationService
  readonly store: FakeRecordStore
  readonly applications: FakeApplicationStore
  readonly indexes: RecordIndexes
  readonly events: NodeEvents
  readonly records: FakeRecords
  readonly clock: FakeClock
  readonly receipts: ReceiptOfRecord[]
}

/** One node's application service, as `self`. */
function side (self: Signer): Side {
  const indexes = new RecordIndexes()
  const store = new FakeRecordStore(indexes)
  const applications = new FakeApplicationStore()
  const events = new NodeEvents()
  const clock = new FakeClock()
  const records = new FakeRecords(self, store, clock, events)
  const receipts: ReceiptOfRecord[] = []
  const service = applicationService()({
    recordStore: store.asStore,
    applicationStore: applications.asStore,
    records,
    delivery: { receipts: async (id: string) => receipts.filter(r => r.record === id) },
    disclosure: { decide: () => new Map() },
    indexes,
    guards: new RecordGuards(),
    events
  })
  return { service, store, applications, indexes, events, records, clock, receipts }
}

describe('unit: application service', () => {
  let trader: Signer
  let agency: Signer
  let imposter: Signer
  let application: SignedRecord
  let invoice: SignedRecord

  /** A receipt signed by `by` for the application, as delivery lists it. */
  const receiptBy = (by: Signer, minutes: number): ReceiptOfRecord => {
    const receipt = signed(by, {
      type: 'delivery.receipt',
      issuedAt: at(minutes),
      data: { sender: trader.participant, receivedAt: at(minutes), records: [{ record: application.id, fields: [''] }] }
    })
    return { record: application.id, fields: [''], receiver: by.participant, receivedAt: at(minutes), receipt }
  }
  const statusBy = (by: Signer, minutes: number, status: string, note?: string): SignedRecord => signed(by, {
    type: 'application.status', consignment: CONSIGNMENT, issuedAt: at(minutes), data: { application: application.id, status, ...(note !== undefined && { note }) }
  })
  const decisionBy = (by: Signer, minutes: number): SignedRecord => signed(by, {
    type: 'decision.release',
    consignment: CONSIGNMENT,
    issuedAt: at(minutes),
    data: { application: application.id, procedure: PROCEDURE, reliesOn: [application.id], summary: 'Goods released.' }
  })

  beforeEach(() => {
    ;[trader, agency, imposter] = [signer(), signer(), signer()]
    invoice = signed(trader, { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: at(-10), data: { number: 'INV-1' } })
    application = signed(trader, {
      type: 'application.submission',
      consignment: CONSIGNMENT,
      issuedAt: at(0),
      data: {
        procedure: PROCEDURE,
        agency: agency.participant,
        profile: 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia',
        elements: [
          { id: 'exporter', status: 'present', records: [invoice.id] },
          { id: 'origin', status: 'present', records: ['bciqnotheldherexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'] },
          { id: 'hs', status: 'missing' }
        ]
      }
    })
  })

  describe('on the applicant\'s node', () => {
    let t: Side
    beforeEach(() => {
      t = side(trader)
      t.service.start()
      t.store.put(application)
    })
    afterEach(() => { t.service.stop() })

    it('derives the status from the records: submitted, received by the agency\'s receipt, under review, more information requested, decided', async () => {
      let view = await t.service.view(application.id)
      assert.equal(view.status, 'submitted')
      assert.equal(view.applicant, trader.participant)
      assert.equal(view.agency, agency.participant)
      assert.equal(view.procedure, PROCEDURE)
      assert.equal(view.consignment, CONSIGNMENT)
      assert.deepEqual(view.history.map(h => [h.status, h.record]), [['submitted', application.id]])
      assert.equal(view.decision, undefined)

      const receipt = receiptBy(agency, 1)
      // The same receipt listed twice counts once.
      t.receipts.push(receipt, receipt)
      view = await t.service.view(application.id)
      assert.equal(view.status, 'received')
      assert.deepEqual(view.history.map(h => [h.status, h.record, h.by]), [
        ['submitted', application.id, trader.participant], ['received', receipt.receipt.id, agency.participant]
      ])

      t.store.put(statusBy(agency, 2, 'under-review', 'Documentary check started.'))
      view = await t.service.view(application.id)
      assert.equal(view.status, 'under-review')
      assert.equal(view.history.at(-1)?.note, 'Documentary check started.')

      t.store.put(signed(agency, {
        type: 'request.missing-data', consignment: CONSIGNMENT, issuedAt: at(3), data: { application: application.id, procedure: PROCEDURE, elements: [], message: 'Send the HS codes.' }
      }))
      view = await t.service.view(application.id)
      assert.equal(view.status, 'more-information-requested')
      assert.equal(view.history.at(-1)?.note, 'Send the HS codes.')

      const decision = decisionBy(agency, 10)
      t.store.put(decision)
      view = await t.service.view(application.id)
      assert.equal(view.status, 'decided')
      assert.equal(view.decision?.id, decision.id)
      assert.equal(view.decision?.verified, true)
      assert.equal(view.timeToDecisionMs, 10 * 60_000)
      assert.deepEqual(view.history.map(h => h.status), ['submitted', 'received', 'under-review', 'more-information-requested', 'decided'])
    })

    it('lets only the agency applied to speak for the application: others\' receipts, statuses and decisions count for nothing', async () => {
      t.receipts.push(receiptBy(imposter, 1))
      t.store.put(statusBy(imposter, 2, 'under-review'))
      t.store.put(decisionBy(imposter, 3))
      // The index holds them; the view ignores them.
      assert.equal((await t.applications.refsOf(application.id)).length, 2)
      const view = await t.service.view(application.id)
      assert.equal(view.status, 'submitted')
      assert.deepEqual(view.history.map(h => h.record), [application.id])
      assert.equal(view.decision, undefined)
    })

    it('keeps the status a decision set, whatever the agency says after', async () => {
      t.store.put(decisionBy(agency, 5))
      t.store.put(statusBy(agency, 6, 'under-review'))
      const view = await t.service.view(application.id)
      assert.equal(view.status, 'decided')
      assert.equal(view.history.at(-1)?.status, 'under-review')
    })

    it('refuses to decide or report a stage of an application made to another participant', async () => {
      await assert.rejects(t.service.decide(application.id, { kind: 'release' }), (err: ServiceError) => err.code === 'not-owner')
      await assert.rejects(t.service.setStatus(application.id, 'under-review'), (err: ServiceError) => err.code === 'not-owner')
      assert.deepEqual(t.records.created, [])
    })

    it('knows no application it does not hold, nor a record that is not one', async () => {
      await assert.rejects(t.service.view('bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia'), (err: ServiceError) => err.code === 'not-found')
      t.store.put(invoice)
      await assert.rejects(t.service.view(invoice.id), (err: ServiceError) => err.code === 'not-found')
    })
  })

  describe('on the agency\'s node', () => {
    let a: Side
    beforeEach(() => {
      a = side(agency)
      a.service.start()
      a.store.put(invoice)
      a.store.put(application)
      a.clock.ms = T0 + 60 * 60_000
    })
    afterEach(() => { a.service.stop() })

    it('counts holding the application as having received it', async () => {
      const view = await a.service.view(application.id)
      assert.equal(view.status, 'received')
      assert.deepEqual(view.history.map(h => [h.status, h.record, h.by]), [
        ['submitted', application.id, trader.participant], ['received', application.id, agency.participant]
      ])
    })

    it('reports a stage and decides, each a signed record for the applicant; a second decision is refused', async () => {
      let view = await a.service.setStatus(application.id, 'under-review', 'Checking.')
      assert.equal(view.status, 'under-review')
      const status = a.records.created.at(-1)
      assert.equal(status?.type, 'application.status')
      assert.deepEqual(status?.share, [trader.participant])
      assert.deepEqual(status?.data, { application: application.id, status: 'under-review', note: 'Checking.' })

      a.clock.advance(60_000)
      view = await a.service.decide(application.id, { kind: 'release', summary: 'Released.' })
      assert.equal(view.status, 'decided')
      assert.equal(view.timeToDecisionMs, 61 * 60_000)
      const decision = a.records.created.at(-1)
      assert.equal(decision?.type, 'decision.release')
      assert.equal(decision?.consignment, CONSIGNMENT)
      assert.deepEqual(decision?.share, [trader.participant])
      // By default it relies on the application and the records it names that are held here.
      assert.deepEqual(decision?.data.reliesOn, [application.id, invoice.id])

      const made = a.records.created.length
      await assert.rejects(a.service.decide(application.id, { kind: 'permit' }), (err: ServiceError) => err.code === 'already-decided')
      await assert.rejects(a.service.setStatus(application.id, 'under-review'), (err: ServiceError) => err.code === 'already-decided')
      assert.equal(a.records.created.length, made)
    })

    it('refuses a refusal without reasons, naming the field', async () => {
      await assert.rejects(a.service.decide(application.id, { kind: 'refusal' }), (err: ServiceError) =>
        err.code === 'invalid-request' && err.violations[0]?.path === '/reasons')
      const view = await a.service.decide(application.id, { kind: 'refusal', reasons: ['Goods not eligible.'], reliesOn: [] })
      assert.equal(view.status, 'decided')
      assert.deepEqual(a.records.created.at(-1)?.data.reasons, ['Goods not eligible.'])
      assert.deepEqual(a.records.created.at(-1)?.data.reliesOn, [])
    })
  })

  it('registers its indexer and its listener in start() and removes both in stop()', () => {
    const s = side(agency)
    const changed: unknown[][] = []
    s.events.on('application:changed', (...args) => { changed.push(args) })
    assert.deepEqual(s.indexes.names, [])
    assert.equal(s.events.listenerCount('record:stored'), 0)

    s.service.start()
    assert.deepEqual(s.indexes.names, ['applications'])
    assert.equal(s.events.listenerCount('record:stored'), 1)
    const status = statusBy(agency, 1, 'under-review')
    s.events.emit('record:stored', status)
    s.events.emit('record:stored', invoice)
    assert.deepEqual(changed, [[application.id, status.id, 'application.status']])
    // The indexer links records about an application to it, and nothing else.
    assert.equal(s.indexes.opsFor(status).length, 1)
    assert.equal(s.indexes.opsFor(invoice).length, 0)

    s.service.stop()
    assert.deepEqual(s.indexes.names, [])
    assert.equal(s.events.listenerCount('record:stored'), 0)
    s.events.emit('record:stored', status)
    assert.equal(changed.length, 1)
    // Started again after a stop, it registers again.
    s.service.start()
    assert.deepEqual(s.indexes.names, ['applications'])
    s.service.stop()
  })
})
