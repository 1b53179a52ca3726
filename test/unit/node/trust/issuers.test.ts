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
})
