/** The eventID given to an EPCIS event captured without one: a UUID v5 of the event in its context. */
import assert from 'node:assert/strict'
import { EPCIS_CONTEXT } from '../../../../record/index.js'
import { assignedEventId } from '../../../../node/workflow/epcis-event-id.js'

const event = { type: 'ObjectEvent', eventTime: '2026-11-24T08:30:00.000+06:00', eventTimeZoneOffset: '+06:00', action: 'OBSERVE', epcList: ['urn:epc:id:sgtin:4870204.012345.1001'], 'example:temp': 12.5 }
const context = [EPCIS_CONTEXT, { example: 'http://ns.example.com/epcis/' }]

describe('assigned EPCIS eventID', () => {
  it('is a version 5 UUID URN of RFC 9562, the same for the same event however its keys are ordered', () => {
    const id = assignedEventId(event, context)
    assert.match(id, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const reordered = Object.fromEntries(Object.entries(event).reverse())
    assert.equal(assignedEventId(reordered, context), id)
    // The event's own @context and an eventID field do not enter it: the context it is read in does.
    assert.equal(assignedEventId({ ...event, '@context': ['x'], eventID: 'ignored' }, context), id)
  })

  it('differs when the event or the meaning of its extensions differs', () => {
    const id = assignedEventId(event, context)
    assert.notEqual(assignedEventId({ ...event, action: 'ADD' }, context), id)
    assert.notEqual(assignedEventId(event, [EPCIS_CONTEXT, { example: 'http://other.example/' }]), id)
  })
})
