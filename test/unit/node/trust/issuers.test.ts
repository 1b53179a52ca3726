/** The table of who issues which record type (node/trust/issuers.ts). */
import assert from 'node:assert/strict'
import { builtinTypes } from '../../../../record/types/index.js'
import { ISSUERS, deliveredRefusal, issuingRefusal } from '../../../../node/trust/issuers.js'

describe('who issues what', () => {
  it('has a rule for every built-in record type', () => {
    assert.deepEqual(Object.keys(ISSUERS).sort(), builtinTypes.map(t => t.type).sort())
  })

  it('lets each role sign what it issues, and no more', () => {
    assert.equal(issuingRefusal('trade.invoice', 'trader'), undefined)
    assert.equal(issuingRefusal('decision.release', 'agency'), undefined)
    assert.equal(issuingRefusal('policy.grant', 'bank'), undefined)
    assert.equal(issuingRefusal('decision.release', 'trader'), 'decision.release is issued by agency participants, not by a trader')
    assert.equal(issuingRefusal('trust.certificate', 'agency'), 'trust.certificate is issued by authority participants, not by an agency')
    assert.equal(issuingRefusal('trade.invoice', 'carrier'), 'trade.invoice is issued by trader or broker participants, not by a carrier')
    assert.equal(issuingRefusal('some.future-type', 'bank'), undefined)
  })

  it('takes delivered records by the issuer\'s certified role, the path of the type and the agency applied to', () => {
    const record = (type: string, issuer = 'P1'): { id: string, type: string, issuer: string } => ({ id: 'r1', type, issuer })
    assert.equal(deliveredRefusal(record('trade.invoice'), { issuerRole: 'trader' }), undefined)
    assert.equal(deliveredRefusal(record('trade.invoice'), { issuerRole: undefined }), undefined)
    assert.match(deliveredRefusal(record('cert.origin'), { issuerRole: undefined }) ?? '', /taken only from a certified issuer/)
    assert.match(deliveredRefusal(record('decision.permit'), { issuerRole: 'carrier' }) ?? '', /is not taken from P1: decision\.permit is issued by agency participants/)
    assert.equal(deliveredRefusal(record('decision.permit'), { issuerRole: 'agency', addressee: 'P1' }), undefined)
    assert.match(deliveredRefusal(record('application.status'), { issuerRole: 'agency', addressee: 'P2' }) ?? '', /made to P2: it is taken only from that agency, not from P1/)
    assert.match(deliveredRefusal(record('delivery.receipt'), { issuerRole: 'agency' }) ?? '', /comes only as the answer to one/)
    // Trust records are judged on the trust path.
    assert.equal(deliveredRefusal(record('trust.certificate'), { issuerRole: undefined }), undefined)
  })

  it('takes a change to a decision only from the agency that issued the decision, and a new version only from the issuer of the one it supersedes', () => {
    const record = (type: string, issuer = 'P1'): { id: string, type: string, issuer: string } => ({ id: 'r1', type, issuer })
    for (const type of ['decision.suspension', 'decision.reinstatement', 'decision.withdrawal']) {
      assert.equal(deliveredRefusal(record(type), { issuerRole: 'agency', decisionIssuer: 'P1' }), undefined)
      assert.equal(deliveredRefusal(record(type), { issuerRole: 'agency' }), undefined, 'a decision not held here is not judged')
      assert.equal(deliveredRefusal(record(type), { issuerRole: 'agency', decisionIssuer: 'P2' }), `${type} r1 changes a decision of P2: it is taken only from that agency, not from P1`)
      assert.match(deliveredRefusal(record(type), { issuerRole: 'trader', decisionIssuer: 'P1' }) ?? '', /is issued by agency participants/)
      assert.match(deliveredRefusal(record(type), { issuerRole: undefined }) ?? '', /taken only from a certified issuer/)
    }
    assert.equal(deliveredRefusal(record('decision.certificate'), { issuerRole: 'agency', superseded: { issuer: 'P1', type: 'decision.certificate' } }), undefined)
    assert.equal(deliveredRefusal(record('decision.certificate'), { issuerRole: 'agency', superseded: { issuer: 'P2', type: 'decision.certificate' } }),
      'decision.certificate r1 supersedes a decision.certificate of P2: only its issuer makes a new version of it, of the same type')
    assert.match(deliveredRefusal(record('decision.permit'), { issuerRole: 'agency', superseded: { issuer: 'P1', type: 'decision.certificate' } }) ?? '', /only its issuer makes a new version of it, of the same type/)
    assert.match(deliveredRefusal(record('trade.invoice'), { issuerRole: undefined, superseded: { issuer: 'P2', type: 'trade.invoice' } }) ?? '', /supersedes a trade\.invoice of P2/)
  })
})
