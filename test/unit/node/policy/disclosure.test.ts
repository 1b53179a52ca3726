/**
 * Disclosure over a fake policy: what a queued copy sends (the whole record
 * unread, a partial copy of the allowed leaves, or nothing once its grants are
 * gone) and what a participant may be shown, with every partial copy still
 * verifying against the issuer's signature.
 */
import assert from 'node:assert/strict'
import {
  fieldPatterns, parseRecord, verifyRecord,
  type DataObject, type Envelope, type FieldPattern, type SignedRecord, type Signer
} from '../../../../record/index.js'
import { ServiceError } from '../../../../node/errors.js'
import { Disclosure } from '../../../../node/policy/disclosure.js'
import type { Allowance } from '../../../../node/policy/grant.js'
import { pathsOf, signed, signer } from '../../support/fakes.js'

const invoiceData: DataObject = {
  number: 'INV-1',
  seller: { name: 'Almaty Dried Fruit LLP', country: 'KZ' },
  lines: [
    { description: 'Dried apricots', hsCode: '081310', unitPrice: '3.15' },
    { description: 'Raisins', hsCode: '080620', unitPrice: '2.40' }
  ],
  totalAmount: '64200.00'
}
const ALL_PATHS = [
  '/lines/0/description', '/lines/0/hsCode', '/lines/0/unitPrice',
  '/lines/1/description', '/lines/1/hsCode', '/lines/1/unitPrice',
  '/number', '/seller/country', '/seller/name', '/totalAmount'
]

/** The policy as Disclosure sees it: answers the test sets, and a log of what was asked. */
class FakePolicy {
  allowances = new Map<string, Allowance>()
  still: readonly FieldPattern[] | undefined | null = null
  readonly asked: string[] = []

  decide (_envelope: Envelope): Map<string, Allowance> {
    this.asked.push('decide')
    return new Map(this.allowances)
  }

  allowance (_envelope: Envelope, participant: string): Allowance | undefined {
    this.asked.push(`allowance ${participant}`)
    return this.allowances.get(participant)
  }

  stillAllowed (grants: readonly string[]): readonly FieldPattern[] | undefined | null {
    this.asked.push(`stillAllowed ${grants.join(',')}`)
    return this.still
  }
}

describe('unit: disclosure', () => {
  let self: Signer
  let other: Signer
  let agency: string
  let policy: FakePolicy
  let disclosure: Disclosure
  let invoice: SignedRecord

  beforeEach(() => {
    self = signer()
    other = signer()
    agency = signer().participant
    policy = new FakePolicy()
    disclosure = new Disclosure({ policy, signer: self })
    invoice = signed(self, { type: 'trade.invoice', consignment: '6KZ123456789012-DSC0001', data: invoiceData })
    assert.deepEqual(pathsOf(invoice), ALL_PATHS)
  })

  describe('outgoing', () => {
    it('sends the whole record unread when the copy names neither fields nor grants', () => {
      // Bytes that are no record at all: had they been parsed, this would throw.
      const bytes = new Uint8Array([1, 2, 3])
      const out = disclosure.outgoing({}, bytes)
      assert.equal(out?.bytes, bytes)
      assert.equal(out?.record, undefined)
      assert.deepEqual(policy.asked, [])
    })

    it('sends only the leaves the copy\'s fields cover, a partial record that still verifies', () => {
      const out = disclosure.outgoing({ fields: ['/seller/name', '/lines/*/hsCode'] }, invoice.bytes)
      assert.ok(out?.record !== undefined)
      assert.deepEqual(pathsOf(out.record), ['/lines/0/hsCode', '/lines/1/hsCode', '/seller/name'])
      const copy = parseRecord(out.bytes)
      assert.deepEqual(pathsOf(copy), ['/lines/0/hsCode', '/lines/1/hsCode', '/seller/name'])
      assert.equal(copy.id, invoice.id)
      verifyRecord(copy)
      // No grants named: the policy is not asked.
      assert.deepEqual(policy.asked, [])
    })

    it('narrows to what the copy\'s grants still allow, and to both when fields are named too', () => {
      policy.still = fieldPatterns(['/lines', '/number'])
      const byGrants = disclosure.outgoing({ grants: ['g1', 'g2'] }, invoice.bytes)
      assert.deepEqual(policy.asked, ['stillAllowed g1,g2'])
      assert.deepEqual(pathsOf(byGrants?.record as SignedRecord), ALL_PATHS.filter(p => p.startsWith('/lines') || p === '/number'))
      verifyRecord(parseRecord(byGrants?.bytes as Uint8Array))

      const both = disclosure.outgoing({ fields: ['/lines/*/description', '/seller/name'], grants: ['g1'] }, invoice.bytes)
      assert.deepEqual(pathsOf(both?.record as SignedRecord), ['/lines/0/description', '/lines/1/description'])
      verifyRecord(parseRecord(both?.bytes as Uint8Array))
    })

    it('sends the same bytes, parsed, when a grant still allows the whole record', () => {
      policy.still = undefined
      const out = disclosure.outgoing({ grants: ['g1'], fields: [''] }, invoice.bytes)
      assert.equal(out?.bytes, invoice.bytes)
      assert.equal(out?.record?.id, invoice.id)
    })

    it('sends nothing once every grant the copy was queued under is gone', () => {
      policy.still = null
      assert.equal(disclosure.outgoing({ grants: ['g1'] }, invoice.bytes), undefined)
      assert.equal(disclosure.outgoing({ grants: ['g1'], fields: ['/number'] }, invoice.bytes), undefined)
    })

    it('does not ask the policy about an empty list of grants', () => {
      const out = disclosure.outgoing({ grants: [], fields: ['/number'] }, invoice.bytes)
      assert.deepEqual(policy.asked, [])
      assert.deepEqual(pathsOf(out?.record as SignedRecord), ['/number'])
    })
  })

  describe('allowedFor', () => {
    it('refuses a record of another issuer as not-owner, without asking the policy', () => {
      const theirs = signed(other, { type: 'trade.invoice', data: invoiceData })
      assert.throws(() => disclosure.allowedFor(theirs, agency), (err: ServiceError) => err.code === 'not-owner' && err.message.includes(other.participant))
      assert.deepEqual(policy.asked, [])
    })

    it('refuses a participant no grant lets in as not-permitted', () => {
      assert.throws(() => disclosure.allowedFor(invoice, agency), (err: ServiceError) => err.code === 'not-permitted' && err.violations.length === 0)
      assert.deepEqual(policy.asked, [`allowance ${agency}`])
    })

    it('names, sorted, every field asked for outside every grant', () => {
      policy.allowances.set(agency, { fields: ['/seller/name', '/lines/*/hsCode'], grants: ['g1'] })
      assert.throws(() => disclosure.allowedFor(invoice, agency, fieldPatterns(['/lines/*/unitPrice', '/seller'])), (err: ServiceError) => {
        assert.equal(err.code, 'not-permitted')
        assert.deepEqual(err.violations.map(v => v.path), ['/lines/0/unitPrice', '/lines/1/unitPrice', '/seller/country'])
        assert.ok(err.violations.every(v => v.message === 'outside every grant for this participant'))
        return true
      })
    })

    it('shows exactly the granted leaves, narrowed to those asked for, as a record that verifies', () => {
      policy.allowances.set(agency, { fields: ['/seller/name', '/lines/*/hsCode'], grants: ['g1'] })
      const granted = disclosure.partialFor(invoice, agency)
      assert.deepEqual(pathsOf(granted), ['/lines/0/hsCode', '/lines/1/hsCode', '/seller/name'])
      verifyRecord(parseRecord(granted.bytes))
      const narrowed = disclosure.partialFor(invoice, agency, fieldPatterns(['/lines/1/hsCode']))
      assert.deepEqual(pathsOf(narrowed), ['/lines/1/hsCode'])
      verifyRecord(parseRecord(narrowed.bytes))
    })

    it('shows the whole record under a grant of every field', () => {
      policy.allowances.set(agency, { grants: ['g1'] })
      const keep = disclosure.allowedFor(invoice, agency)
      assert.ok(invoice.disclosures.every(d => keep(d.path)))
      assert.deepEqual(pathsOf(disclosure.partialFor(invoice, agency, fieldPatterns(['/totalAmount']))), ['/totalAmount'])
    })
  })

  it('decide is the policy\'s decision', () => {
    policy.allowances.set(agency, { grants: ['g1'] })
    assert.deepEqual([...disclosure.decide(invoice.envelope)], [[agency, { grants: ['g1'] }]])
    assert.deepEqual(policy.asked, ['decide'])
  })
})
