/**
 * The requirement service over fakes: a record store in a map, a record
 * service signing on a test clock, a trust directory and a policy the test
 * sets, and the real type registry. Publishing checks a profile's elements;
 * resolving a profile reports each element present, missing, expired or not
 * permitted, from the current records of a consignment only.
 */
import assert from 'node:assert/strict'
import type { Envelope, SignedRecord, Signer } from '../../../../record/index.js'
import { builtinTypes } from '../../../../record/types/index.js'
import { TypeRegistry } from '../../../../record/types/registry.js'
import type { ServiceError } from '../../../../node/errors.js'
import type { Allowance } from '../../../../node/policy/grant.js'
import type { PolicyService } from '../../../../node/policy/policy-service.js'
import type { RecordService } from '../../../../node/records/record-service.js'
import type { TrustService } from '../../../../node/trust/trust-service.js'
import { requirementService, type Profile, type RequirementService } from '../../../../node/workflow/requirement-service.js'
import { certified, FakeClock, FakeRecords, FakeRecordStore, FakeTrust, signed, signer } from '../../support/fakes.js'

const CONSIGNMENT = '6KZ123456789012-REQ0001'
const PROCEDURE = 'KZ.sps.phytosanitary-certificate'

describe('unit: requirement service', () => {
  let self: Signer
  let agency: Signer
  let carrier: Signer
  let clock: FakeClock
  let store: FakeRecordStore
  let records: FakeRecords
  let trust: FakeTrust
  /** What the fake policy lets the agency receive, by record type. */
  let allowed: Map<string, Allowance>
  let service: RequirementService

  const build = (as: Signer): RequirementService => {
    records = new FakeRecords(as, store, clock)
    const policy = {
      allowance: (envelope: Envelope, participant: string): Allowance | undefined =>
        participant === agency.participant ? allowed.get(envelope.type) : undefined
    }
    return requirementService()({
      recordStore: store.asStore,
      records: records as unknown as RecordService,
      trust: trust as unknown as TrustService,
      policy: policy as unknown as PolicyService,
      types: new TypeRegistry(builtinTypes)
    })
  }

  beforeEach(() => {
    ;[self, agency, carrier] = [signer(), signer(), signer()]
    clock = new FakeClock()
    store = new FakeRecordStore()
    trust = new FakeTrust().add(certified(agency.participant, { role: 'agency', country: 'KZ', competence: 'phytosanitary' }))
    allowed = new Map()
    service = build(self)
  })

  describe('publish', () => {
    beforeEach(() => { service = build(agency) })

    it('refuses an element id used twice, naming the second', async () => {
      await assert.rejects(service.publish({
        procedure: PROCEDURE,
        elements: [
          { id: 'exporter', type: 'trade.invoice', path: '/seller/name' },
          { id: 'hs', type: 'trade.invoice', path: '/lines/*/hsCode' },
          { id: 'exporter', type: 'trade.packing-list', path: '/number' }
        ]
      }), (err: ServiceError) => {
        assert.equal(err.code, 'invalid-request')
        assert.deepEqual(err.violations, [{ path: '/elements/2/id', message: 'must be unique in the profile' }])
        return true
      })
      assert.deepEqual(records.created, [])
    })

    it('refuses an element of an unregistered type, naming it', async () => {
      await assert.rejects(service.publish({
        procedure: PROCEDURE,
        elements: [
          { id: 'exporter', type: 'trade.invoice', path: '/seller/name' },
          { id: 'nothing', type: 'trade.nothing', path: '/number' }
        ]
      }), (err: ServiceError) => {
        assert.equal(err.code, 'invalid-request')
        assert.deepEqual(err.violations, [{ path: '/elements/1/type', message: 'must be a registered record type' }])
        return true
      })
      assert.deepEqual(records.created, [])
    })

    it('signs a profile, and a second one for the procedure supersedes the first', async () => {
      const elements = [{ id: 'exporter', type: 'trade.invoice', path: '/seller/name' }]
      const first = await service.publish({ procedure: PROCEDURE, elements })
      assert.equal(first.envelope.type, 'requirement.profile')
      assert.equal(records.created[0]?.supersedes, undefined)
      clock.advance(1000)
      const second = await service.publish({ procedure: PROCEDURE, title: 'v2', elements })
      assert.equal(records.created[1]?.supersedes, first.id)
      const current = await service.profile(PROCEDURE, agency.participant)
      assert.equal(current.id, second.id)
      assert.equal(current.title, 'v2')
    })
  })

  describe('profile', () => {
    it('takes the newest profile of a certified agency, and knows none of an uncertified one', async () => {
      const older = signed(agency, { type: 'requirement.profile', issuedAt: '2026-11-01T00:00:00.000Z', data: { procedure: PROCEDURE, elements: [] } })
      const newer = signed(agency, { type: 'requirement.profile', issuedAt: '2026-11-01T01:00:00.000Z', data: { procedure: PROCEDURE, elements: [] } })
      const stranger = signed(carrier, { type: 'requirement.profile', issuedAt: '2026-11-01T02:00:00.000Z', data: { procedure: PROCEDURE, elements: [] } })
      for (const r of [older, newer, stranger]) store.put(r)
      assert.equal((await service.profile(PROCEDURE)).id, newer.id)
      await assert.rejects(service.profile(PROCEDURE, carrier.participant), (err: ServiceError) => err.code === 'not-found')
      await assert.rejects(service.profile('KZ.customs.export-declaration'), (err: ServiceError) => err.code === 'not-found')
    })
  })

  describe('resolve', () => {
    let invoice: SignedRecord
    let oldInvoice: SignedRecord
    let origin: SignedRecord
    let waybill: SignedRecord
    let profile: Profile

    beforeEach(() => {
      oldInvoice = signed(self, { type: 'trade.invoice', consignment: CONSIGNMENT, data: { number: 'INV-1', remarks: 'first version' } })
      invoice = signed(self, {
        type: 'trade.invoice',
        consignment: CONSIGNMENT,
        issuedAt: '2026-11-02T07:00:00.000Z',
        supersedes: oldInvoice.id,
        data: { number: 'INV-1', seller: { name: 'Almaty Dried Fruit LLP' }, lines: [{ hsCode: '081310', unitPrice: '3.15' }, { hsCode: '080620', unitPrice: '2.40' }] }
      })
      // Its validity ended before the clock's now.
      origin = signed(self, { type: 'cert.origin', consignment: CONSIGNMENT, issuedAt: '2026-10-01T00:00:00.000Z', validUntil: '2026-11-01T00:00:00.000Z', data: { number: 'CO-1' } })
      waybill = signed(carrier, { type: 'transport.waybill', consignment: CONSIGNMENT, data: { number: 'WB-1' } })
      const elsewhere = signed(self, { type: 'trade.packing-list', consignment: '6KZ123456789012-REQ0002', data: { number: 'PL-9' } })
      for (const r of [oldInvoice, invoice, origin, waybill, elsewhere]) store.put(r)
      profile = {
        id: 'profile-1',
        agency: agency.participant,
        procedure: PROCEDURE,
        issuedAt: '2026-11-01T00:00:00.000Z',
        elements: [
          { id: 'exporter', type: 'trade.invoice', path: '/seller/name' },
          { id: 'hs', type: 'trade.invoice', path: '/lines/*/hsCode' },
          { id: 'remarks', type: 'trade.invoice', path: '/remarks' },
          { id: 'origin-fresh', type: 'cert.origin', path: '/number', fresh: true },
          { id: 'origin-any', type: 'cert.origin', path: '/number' },
          { id: 'packing', type: 'trade.packing-list', path: '' },
          { id: 'waybill', type: 'transport.waybill', path: '/number' }
        ]
      }
    })

    it('reports each element present, missing or expired from the consignment\'s current records', async () => {
      const resolution = await service.resolve(CONSIGNMENT, profile)
      const byId = new Map(resolution.elements.map(e => [e.id, e]))
      assert.deepEqual(resolution.elements.map(e => [e.id, e.status]), [
        ['exporter', 'present'], ['hs', 'present'], ['remarks', 'missing'], ['origin-fresh', 'expired'],
        ['origin-any', 'present'], ['packing', 'missing'], ['waybill', 'present']
      ])
      assert.deepEqual(byId.get('hs')?.sources, [{ record: invoice.id, issuer: self.participant, leaves: 2, expired: false }])
      // The superseded invoice held the remarks; it no longer counts.
      assert.deepEqual(byId.get('remarks')?.sources, [])
      assert.match(byId.get('remarks')?.note ?? '', /no trade.invoice of this consignment holds \/remarks/)
      // A packing list of another consignment does not count either.
      assert.deepEqual(byId.get('packing')?.sources, [])
      assert.deepEqual(byId.get('origin-fresh')?.sources, [{ record: origin.id, issuer: self.participant, leaves: 1, expired: true, validUntil: '2026-11-01T00:00:00.000Z' }])
      assert.match(byId.get('origin-fresh')?.note ?? '', /renew the cert.origin/)
      assert.equal(byId.get('origin-any')?.sources[0]?.expired, true)
      assert.deepEqual(resolution.summary, { required: 7, present: 4, missing: 2, expired: 1, notPermitted: 0, coverage: 0.5714 })
      assert.equal(resolution.profile, 'profile-1')
      assert.equal(resolution.agency, agency.participant)
    })

    it('reports as not permitted what the grants do not let go to the agency, and what only other issuers hold', async () => {
      allowed.set('trade.invoice', { fields: ['/seller/name'], grants: ['g1'] })
      const resolution = await service.resolve(CONSIGNMENT, profile, agency.participant)
      const byId = new Map(resolution.elements.map(e => [e.id, e]))
      assert.deepEqual(resolution.elements.map(e => [e.id, e.status]), [
        ['exporter', 'present'], ['hs', 'not-permitted'], ['remarks', 'missing'], ['origin-fresh', 'expired'],
        ['origin-any', 'not-permitted'], ['packing', 'missing'], ['waybill', 'not-permitted']
      ])
      assert.match(byId.get('hs')?.note ?? '', /no grant of this node lets these fields go to the agency/)
      assert.match(byId.get('waybill')?.note ?? '', /only a record's issuer can share it/)
      assert.deepEqual(byId.get('waybill')?.sources.map(s => s.issuer), [carrier.participant])
      assert.deepEqual(resolution.summary, { required: 7, present: 1, missing: 2, expired: 1, notPermitted: 3, coverage: 0.1429 })

      // A grant of the whole invoice lets the HS codes go too.
      allowed.set('trade.invoice', { grants: ['g2'] })
      const whole = await service.resolve(CONSIGNMENT, profile, agency.participant)
      assert.equal(whole.elements.find(e => e.id === 'hs')?.status, 'present')
    })
  })
})
