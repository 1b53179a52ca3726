/**
 * The standing of a decision from the records its agency signed: amended by a
 * superseding version, suspended from a day up to and including a day (or
 * until reinstated), withdrawn from a day, expired at its validUntil; only
 * the decision's own issuer counts.
 */
import assert from 'node:assert/strict'
import type { SignedRecord, Signer } from '../../../../record/index.js'
import { standingOf, versionsOf } from '../../../../node/workflow/decision-standing.js'
import { signed, signer } from '../../support/fakes.js'

const CONSIGNMENT = '6KZ123456789012-LIFE001'
const APPLICATION = 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia'
const NOW = '2026-11-10T09:00:00.000Z'

describe('unit: the standing of a decision', () => {
  let agency: Signer
  let other: Signer
  let certificate: SignedRecord

  const decision = (by: Signer, at: string, over: { supersedes?: string, validUntil?: string, number?: string } = {}): SignedRecord => signed(by, {
    type: 'decision.certificate',
    consignment: CONSIGNMENT,
    issuedAt: at,
    ...(over.supersedes !== undefined && { supersedes: over.supersedes }),
    ...(over.validUntil !== undefined && { validUntil: over.validUntil }),
    data: { application: APPLICATION, procedure: 'KZ.sps.phytosanitary-certificate', reliesOn: [APPLICATION], number: over.number ?? 'PC-1' }
  })
  const change = (by: Signer, type: string, at: string, of: SignedRecord, data: Record<string, string> = {}): SignedRecord => signed(by, {
    type, consignment: CONSIGNMENT, issuedAt: at, data: { application: APPLICATION, decision: of.id, reason: `${type} at ${at}`, ...data }
  })

  beforeEach(() => {
    agency = signer()
    other = signer()
    certificate = decision(agency, '2026-11-02T08:00:00.000Z', { validUntil: '2027-11-02T00:00:00.000Z' })
  })

  it('is valid with no change, and expired once its validUntil has passed', () => {
    const standing = standingOf(certificate, [certificate], NOW)
    assert.equal(standing.status, 'valid')
    assert.equal(standing.current, certificate.id)
    assert.deepEqual(standing.versions, [certificate.id])
    assert.deepEqual(standing.changes, [])
    assert.equal(standingOf(certificate, [certificate], '2027-11-02T00:00:00.000Z').status, 'expired')
  })

  it('is suspended from its first day through its last, and in force again after it', () => {
    const suspension = change(agency, 'decision.suspension', '2026-11-05T10:00:00.000Z', certificate, { from: '2026-11-06', until: '2026-11-20' })
    const related = [certificate, suspension]
    assert.equal(standingOf(certificate, related, '2026-11-05T12:00:00.000Z').status, 'valid')
    assert.deepEqual(standingOf(certificate, related, '2026-11-05T12:00:00.000Z').pending,
      { status: 'suspended', change: suspension.id, from: '2026-11-06', until: '2026-11-20', reason: 'decision.suspension at 2026-11-05T10:00:00.000Z' })
    const during = standingOf(certificate, related, NOW)
    assert.equal(during.status, 'suspended')
    assert.equal(during.change, suspension.id)
    assert.equal(during.from, '2026-11-06')
    assert.equal(during.until, '2026-11-20')
    assert.equal(during.reason, 'decision.suspension at 2026-11-05T10:00:00.000Z')
    assert.equal(standingOf(certificate, related, '2026-11-20T23:59:00.000Z').status, 'suspended', 'the last day is included')
    assert.equal(standingOf(certificate, related, '2026-11-21T00:00:00.000Z').status, 'valid')
  })

  it('is in force again once reinstated, and a later suspension counts again', () => {
    const suspension = change(agency, 'decision.suspension', '2026-11-05T10:00:00.000Z', certificate)
    const reinstatement = change(agency, 'decision.reinstatement', '2026-11-07T10:00:00.000Z', certificate)
    assert.equal(standingOf(certificate, [certificate, suspension], NOW).status, 'suspended')
    assert.equal(standingOf(certificate, [certificate, suspension], NOW).until, undefined)
    const reinstated = standingOf(certificate, [certificate, reinstatement, suspension], NOW)
    assert.equal(reinstated.status, 'valid')
    assert.deepEqual(reinstated.changes.map(c => c.change), ['suspended', 'reinstated'])
    const again = change(agency, 'decision.suspension', '2026-11-09T10:00:00.000Z', certificate)
    assert.equal(standingOf(certificate, [certificate, suspension, reinstatement, again], NOW).status, 'suspended')
  })

  it('is withdrawn from the withdrawal\'s first day, for good', () => {
    const later = change(agency, 'decision.withdrawal', '2026-11-05T10:00:00.000Z', certificate, { from: '2026-12-01' })
    const pending = standingOf(certificate, [certificate, later], NOW)
    assert.equal(pending.status, 'valid')
    assert.equal(pending.pending?.status, 'withdrawn')
    assert.equal(pending.pending?.from, '2026-12-01')
    const now = change(agency, 'decision.withdrawal', '2026-11-08T10:00:00.000Z', certificate)
    const reinstatement = change(agency, 'decision.reinstatement', '2026-11-09T10:00:00.000Z', certificate)
    const withdrawn = standingOf(certificate, [certificate, later, now, reinstatement], NOW)
    assert.equal(withdrawn.status, 'withdrawn')
    assert.equal(withdrawn.change, now.id)
    assert.equal(withdrawn.from, '2026-11-08')
  })

  it('follows the versions of an amended decision: the earlier one is amended, the version in force has its own standing', () => {
    const second = decision(agency, '2026-11-04T08:00:00.000Z', { supersedes: certificate.id, number: 'PC-1/2' })
    const third = decision(agency, '2026-11-06T08:00:00.000Z', { supersedes: second.id, number: 'PC-1/3' })
    const related = [third, certificate, second]
    assert.deepEqual(versionsOf(second, related).map(v => v.id), [certificate.id, second.id, third.id])
    const first = standingOf(certificate, related, NOW)
    assert.equal(first.status, 'amended')
    assert.equal(first.current, third.id)
    assert.deepEqual(first.changes.map(c => [c.change, c.record, c.decision]), [['amended', second.id, certificate.id], ['amended', third.id, second.id]])
    assert.equal(standingOf(third, related, NOW).status, 'valid')
    // A suspension of an earlier version does not touch the version in force; one of the version in force shows on every version.
    const ofFirst = change(agency, 'decision.suspension', '2026-11-03T08:00:00.000Z', certificate)
    assert.equal(standingOf(third, [...related, ofFirst], NOW).status, 'valid')
    const ofThird = change(agency, 'decision.suspension', '2026-11-07T08:00:00.000Z', third, { until: '2026-11-30' })
    const relying = standingOf(certificate, [...related, ofThird], NOW)
    assert.equal(relying.status, 'suspended')
    assert.equal(relying.current, third.id)
    assert.equal(relying.until, '2026-11-30')
  })

  it('counts nothing another participant signed: neither its changes nor its versions', () => {
    const forged = change(other, 'decision.withdrawal', '2026-11-05T10:00:00.000Z', certificate)
    const version = decision(other, '2026-11-05T10:00:00.000Z', { supersedes: certificate.id })
    const standing = standingOf(certificate, [certificate, forged, version], NOW)
    assert.equal(standing.status, 'valid')
    assert.equal(standing.current, certificate.id)
    assert.deepEqual(standing.changes, [])
  })
})
