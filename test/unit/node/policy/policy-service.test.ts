/**
 * The policy service over fakes of what it declares: a record store in a map,
 * a record service that signs on a test clock, and a trust directory the test
 * fills. Default deny; grants let in exactly whom they match with exactly their
 * fields; revoked and expired grants stop applying; public types go whole to
 * every certified participant; another issuer's grants decide nothing.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fieldPatterns, type DataObject, type SignedRecord, type Signer } from '../../../../record/index.js'
import { ServiceError } from '../../../../node/errors.js'
import { NodeEvents } from '../../../../node/events.js'
import { GRANT, GRANT_REVOCATION, type GrantInput } from '../../../../node/policy/grant.js'
import { policyService, type PolicyService } from '../../../../node/policy/policy-service.js'
import type { RecordService } from '../../../../node/records/record-service.js'
import { BackgroundTasks } from '../../../../node/runtime/background.js'
import { certified, FakeClock, FakeRecords, FakeRecordStore, FakeTrust, signed, signer } from '../../support/fakes.js'

const CONSIGNMENT = '6KZ123456789012-POL0001'
const OTHER_CONSIGNMENT = '6KZ123456789012-POL0002'
const CUSTOMS_PURPOSE = 'KZ.customs.export-declaration'
const SPS_PURPOSE = 'KZ.sps.phytosanitary-certificate'

const invoiceData: DataObject = {
  number: 'INV-1',
  seller: { name: 'Almaty Dried Fruit LLP', country: 'KZ' },
  lines: [{ description: 'Dried apricots', hsCode: '081310', unitPrice: '3.15' }],
  totalAmount: '63000.00'
}

describe('unit: policy service', () => {
  let self: Signer
  let customs: Signer
  let sps: Signer
  let carrier: Signer
  let stranger: Signer
  let clock: FakeClock
  let store: FakeRecordStore
  let events: NodeEvents
  let records: FakeRecords
  let trust: FakeTrust
  let policy: PolicyService
  let dataDir: string
  let invoice: SignedRecord

  /** A grant signed by `by` (this node unless said), learnt as the store would announce it. */
  const grantRecord = (input: GrantInput, by: Signer = self, issuedAt = clock.iso()): SignedRecord => {
    const { validUntil, ...data } = input
    return signed(by, { type: GRANT, issuedAt, data: data as unknown as DataObject, ...(validUntil !== undefined && { validUntil }) })
  }
  const learnGrant = (input: GrantInput, by?: Signer): string => {
    const record = grantRecord(input, by)
    policy.learn(record)
    return record.id
  }
  const revocation = (grant: string, by: Signer = self): SignedRecord => signed(by, { type: GRANT_REVOCATION, data: { grant } })

  beforeEach(async () => {
    ;[self, customs, sps, carrier, stranger] = [signer(), signer(), signer(), signer(), signer()]
    clock = new FakeClock()
    store = new FakeRecordStore()
    events = new NodeEvents()
    records = new FakeRecords(self, store, clock, events)
    trust = new FakeTrust()
      .add(certified(self.participant, { role: 'trader', country: 'KZ' }))
      .add(certified(customs.participant, { role: 'agency', country: 'KZ', competence: 'customs' }))
      .add(certified(sps.participant, { role: 'agency', country: 'KZ', competence: 'phytosanitary' }))
      .add(certified(carrier.participant, { role: 'carrier', country: 'DE' }))
    dataDir = await mkdtemp(join(tmpdir(), 'keruen-unit-'))
    policy = policyService()({
      recordStore: store.asStore,
      records: records as unknown as RecordService,
      trust,
      events,
      background: new BackgroundTasks(err => { throw err }),
      dataDir
    })
    await policy.refreshDirectory()
    invoice = signed(self, { type: 'trade.invoice', consignment: CONSIGNMENT, data: invoiceData })
  })

  afterEach(async () => {
    policy.stop()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('denies by default: no grant, nobody', () => {
    assert.deepEqual([...policy.decide(invoice.envelope)], [])
    for (const p of [customs, sps, carrier]) assert.equal(policy.allowance(invoice.envelope, p.participant), undefined)
    assert.deepEqual(policy.access(invoice), [])
  })

  it('lets in the participants a grant matches by role, country and competence, and no one else, with the whole record for ""', () => {
    // Competence matches whatever its case.
    const id = learnGrant({ types: ['trade.invoice'], to: { role: 'agency', country: 'KZ', competence: 'Customs' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    const decided = policy.decide(invoice.envelope)
    assert.deepEqual([...decided.keys()], [customs.participant])
    assert.deepEqual(decided.get(customs.participant), { grants: [id], purpose: CUSTOMS_PURPOSE })
    assert.deepEqual(policy.allowance(invoice.envelope, customs.participant), { grants: [id], purpose: CUSTOMS_PURPOSE })
    assert.equal(policy.allowance(invoice.envelope, sps.participant), undefined)
    assert.equal(policy.allowance(invoice.envelope, carrier.participant), undefined)
  })

  it('a grant of another country or role lets nobody in', () => {
    learnGrant({ types: ['trade.invoice'], to: { role: 'agency', country: 'DE' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    learnGrant({ types: ['trade.invoice'], to: { role: 'authority' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    assert.equal(policy.decide(invoice.envelope).size, 0)
    learnGrant({ types: ['trade.invoice'], to: { country: 'DE' }, fields: ['/number'], purpose: CUSTOMS_PURPOSE })
    assert.deepEqual([...policy.decide(invoice.envelope).keys()], [carrier.participant])
  })

  it('gives a participant named by a grant exactly the grant\'s fields, and the union of several grants under the first one\'s purpose', () => {
    const first = learnGrant({ types: ['trade.invoice'], to: { participant: sps.participant }, fields: ['/seller/name', '/lines/*/hsCode'], purpose: SPS_PURPOSE })
    assert.deepEqual(policy.allowance(invoice.envelope, sps.participant), { fields: ['/seller/name', '/lines/*/hsCode'], grants: [first], purpose: SPS_PURPOSE })
    assert.deepEqual([...policy.decide(invoice.envelope).keys()], [sps.participant])

    clock.advance(1000)
    const second = learnGrant({ types: ['trade.invoice'], to: { competence: 'phytosanitary' }, fields: ['/lines/*/hsCode', '/number'], purpose: CUSTOMS_PURPOSE })
    assert.deepEqual(policy.allowance(invoice.envelope, sps.participant), {
      fields: ['/seller/name', '/lines/*/hsCode', '/number'], grants: [first, second], purpose: SPS_PURPOSE
    })
    // One grant of the whole record makes the union the whole record.
    learnGrant({ types: ['trade.invoice'], to: { participant: sps.participant }, fields: [''], purpose: SPS_PURPOSE })
    assert.equal(policy.allowance(invoice.envelope, sps.participant)?.fields, undefined)
  })

  it('applies a grant only to its types and, when it names one, its consignment', () => {
    learnGrant({ types: ['trade.invoice'], consignment: CONSIGNMENT, to: { role: 'agency' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    const elsewhere = signed(self, { type: 'trade.invoice', consignment: OTHER_CONSIGNMENT, data: invoiceData })
    const packingList = signed(self, { type: 'trade.packing-list', consignment: CONSIGNMENT, data: { number: 'PL-1' } })
    assert.deepEqual([...policy.decide(invoice.envelope).keys()].sort(), [customs.participant, sps.participant].sort())
    assert.equal(policy.decide(elsewhere.envelope).size, 0)
    assert.equal(policy.decide(packingList.envelope).size, 0)
  })

  it('lets in no participant missing from the directory of certified participants, nor this node itself', async () => {
    learnGrant({ types: ['trade.invoice'], to: { participant: stranger.participant }, fields: [''], purpose: CUSTOMS_PURPOSE })
    learnGrant({ types: ['trade.invoice'], to: { participant: self.participant }, fields: [''], purpose: CUSTOMS_PURPOSE })
    assert.equal(policy.allowance(invoice.envelope, stranger.participant), undefined)
    assert.equal(policy.allowance(invoice.envelope, self.participant), undefined)
    assert.equal(policy.decide(invoice.envelope).size, 0)
    // Certified later: let in once judged again.
    trust.add(certified(stranger.participant, { role: 'trader', country: 'KZ' }))
    assert.equal((await policy.refreshParticipant(stranger.participant)).status, 'valid')
    assert.deepEqual([...policy.decide(invoice.envelope).keys()], [stranger.participant])
    // And out again once its certificate no longer counts.
    trust.statuses.set(stranger.participant, { participant: stranger.participant, status: 'revoked', reason: 'revoked' })
    assert.equal((await policy.refreshParticipant(stranger.participant)).status, 'revoked')
    assert.equal(policy.decide(invoice.envelope).size, 0)
  })

  it('stops applying a revoked grant: decide, allowance and stillAllowed', () => {
    const grant = grantRecord({ types: ['trade.invoice'], to: { role: 'agency' }, fields: ['/number'], purpose: CUSTOMS_PURPOSE })
    const id = grant.id
    policy.learn(grant)
    assert.deepEqual(policy.stillAllowed([id]), fieldPatterns(['/number']))
    const revoke = revocation(id)
    policy.learn(revoke)
    assert.equal(policy.get(id)?.status, 'revoked')
    assert.equal(policy.get(id)?.revokedBy, revoke.id)
    assert.equal(policy.decide(invoice.envelope).size, 0)
    assert.equal(policy.allowance(invoice.envelope, customs.participant), undefined)
    assert.equal(policy.stillAllowed([id]), null)
    // Another copy of the grant learnt later stays revoked.
    policy.learn(grant)
    assert.equal(policy.get(id)?.status, 'revoked')
  })

  it('stops applying a grant once its validity ends', () => {
    const validUntil = new Date(clock.ms + 60_000).toISOString()
    const id = learnGrant({ types: ['trade.invoice'], to: { role: 'agency' }, fields: ['/number'], purpose: CUSTOMS_PURPOSE, validUntil })
    assert.equal(policy.get(id)?.status, 'active')
    assert.equal(policy.decide(invoice.envelope).size, 2)
    clock.advance(60_000)
    assert.equal(policy.get(id)?.status, 'expired')
    assert.equal(policy.decide(invoice.envelope).size, 0)
    assert.equal(policy.allowance(invoice.envelope, customs.participant), undefined)
    assert.equal(policy.stillAllowed([id]), null)
    // The time asked about decides, not only the clock.
    assert.deepEqual(policy.stillAllowed([id], new Date(clock.ms - 1).toISOString()), fieldPatterns(['/number']))
  })

  it('stillAllowed: the patterns of the grants still active, undefined when one allows the whole record, null when none', () => {
    const narrow = learnGrant({ types: ['trade.invoice'], to: { role: 'agency' }, fields: ['/number', '/lines/*/hsCode'], purpose: CUSTOMS_PURPOSE })
    const other = learnGrant({ types: ['trade.invoice'], to: { role: 'agency' }, fields: ['/seller/name'], purpose: CUSTOMS_PURPOSE })
    const whole = learnGrant({ types: ['trade.invoice'], to: { role: 'agency' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    assert.deepEqual(policy.stillAllowed([narrow, other]), fieldPatterns(['/number', '/lines/*/hsCode', '/seller/name']))
    assert.equal(policy.stillAllowed([narrow, whole]), undefined)
    policy.learn(revocation(narrow))
    assert.deepEqual(policy.stillAllowed([narrow, other]), fieldPatterns(['/seller/name']))
    assert.equal(policy.stillAllowed([narrow]), null)
    assert.equal(policy.stillAllowed(['bciq-not-a-grant-here']), null)
    assert.equal(policy.stillAllowed([]), null)
  })

  it('sends public types whole to every certified participant but itself, and only its own', () => {
    const profile = signed(self, { type: 'requirement.profile', data: { procedure: CUSTOMS_PURPOSE, elements: [] } })
    const decided = policy.decide(profile.envelope)
    assert.deepEqual([...decided.keys()].sort(), [customs.participant, sps.participant, carrier.participant].sort())
    for (const allowance of decided.values()) assert.deepEqual(allowance, { grants: [] })
    assert.deepEqual(policy.allowance(profile.envelope, carrier.participant), { grants: [] })
    assert.equal(policy.allowance(profile.envelope, stranger.participant), undefined)
    const foreign = signed(customs, { type: 'requirement.profile', data: { procedure: CUSTOMS_PURPOSE, elements: [] } })
    assert.equal(policy.decide(foreign.envelope).size, 0)
    assert.equal(policy.allowance(foreign.envelope, sps.participant), undefined)
  })

  it('lets grants of another issuer decide nothing, and its own grants nothing over another issuer\'s records', () => {
    learnGrant({ types: ['trade.invoice'], to: { participant: sps.participant }, fields: [''], purpose: SPS_PURPOSE }, customs)
    assert.deepEqual(policy.list(), [])
    assert.equal(policy.decide(invoice.envelope).size, 0)
    learnGrant({ types: ['trade.invoice'], to: { role: 'agency' }, fields: [''], purpose: SPS_PURPOSE })
    const theirs = signed(customs, { type: 'trade.invoice', consignment: CONSIGNMENT, data: invoiceData })
    assert.equal(policy.decide(theirs.envelope).size, 0)
    assert.equal(policy.allowance(theirs.envelope, sps.participant), undefined)
    // Another issuer's revocation of our grant revokes nothing.
    const [mine] = policy.list()
    policy.learn(revocation((mine as { id: string }).id, customs))
    assert.equal(policy.list()[0]?.status, 'active')
  })

  it('load reads this node\'s grants and revocations from the store, and start follows stored records until stop', async () => {
    const kept = grantRecord({ types: ['trade.invoice'], to: { role: 'agency' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    const revoked = grantRecord({ types: ['trade.invoice'], to: { role: 'agency' }, fields: ['/number'], purpose: CUSTOMS_PURPOSE }, self, '2026-11-02T08:00:01.000Z')
    const theirs = grantRecord({ types: ['trade.invoice'], to: { role: 'agency' }, fields: [''], purpose: CUSTOMS_PURPOSE }, customs)
    for (const r of [kept, revoked, revocation(revoked.id), theirs]) store.put(r)

    assert.equal(events.listenerCount('record:stored'), 0)
    await policy.start()
    assert.equal(events.listenerCount('record:stored'), 1)
    assert.deepEqual(policy.list().map(g => [g.id, g.status]), [[kept.id, 'active'], [revoked.id, 'revoked']])

    // A grant stored while running is learnt from the event, and so is its revocation.
    clock.advance(5000)
    const later = grantRecord({ types: ['trade.packing-list'], to: { role: 'carrier' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    events.emit('record:stored', later)
    assert.equal(policy.get(later.id)?.status, 'active')
    events.emit('record:stored', revocation(later.id))
    assert.equal(policy.get(later.id)?.status, 'revoked')

    policy.stop()
    assert.equal(events.listenerCount('record:stored'), 0)
    const afterStop = grantRecord({ types: ['trade.invoice'], to: { role: 'carrier' }, fields: [''], purpose: CUSTOMS_PURPOSE })
    events.emit('record:stored', afterStop)
    assert.equal(policy.get(afterStop.id), undefined)
  })

  it('revoke signs a revocation of one of its grants, and refuses an unknown or already revoked one', async () => {
    events.on('record:stored', record => { policy.learn(record) })
    const granted = await policy.grant({ types: ['trade.invoice'], to: { role: 'agency' }, fields: ['/number'], purpose: CUSTOMS_PURPOSE })
    assert.equal(policy.get(granted.id)?.status, 'active')
    await assert.rejects(policy.revoke('bciq-unknown'), (err: ServiceError) => err.code === 'not-found')
    const revoke = await policy.revoke(granted.id, 'no longer needed')
    assert.equal(records.created.at(-1)?.type, GRANT_REVOCATION)
    assert.deepEqual(records.created.at(-1)?.data, { grant: granted.id, reason: 'no longer needed' })
    assert.equal(policy.get(granted.id)?.revokedBy, revoke.id)
    await assert.rejects(policy.revoke(granted.id), (err: ServiceError) => err.code === 'already-revoked')
  })
})
