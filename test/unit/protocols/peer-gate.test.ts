/**
 * The list of refused peers the connection gater consults stays bounded,
 * however many peer ids strangers make up, and keeps the latest refusals.
 */
import assert from 'node:assert/strict'
import { MAX_REFUSED_PEERS, PeerGate } from '../../../protocols/peer-gate.js'

describe('peer gate', () => {
  it('forgets the oldest refusal beyond its limit, and a peer refused again counts as refused anew', () => {
    const gate = new PeerGate(3)
    for (const peer of ['a', 'b', 'c']) gate.refuse(peer, `no certificate: ${peer}`)
    gate.refuse('a', 'revoked: a')
    gate.refuse('d', 'no certificate: d')
    // 'b' was the oldest refusal once 'a' was refused again.
    assert.equal(gate.reasonRefused('b'), undefined)
    assert.equal(gate.reasonRefused('a'), 'revoked: a')
    assert.equal(gate.reasonRefused('c'), 'no certificate: c')
    assert.equal(gate.reasonRefused('d'), 'no certificate: d')
    gate.forgive('c')
    assert.equal(gate.reasonRefused('c'), undefined)
  })

  it('holds at most MAX_REFUSED_PEERS by default', () => {
    const gate = new PeerGate()
    for (let i = 0; i <= MAX_REFUSED_PEERS; i++) gate.refuse(`peer-${i}`, 'no certificate')
    assert.equal(gate.reasonRefused('peer-0'), undefined)
    assert.equal(gate.reasonRefused('peer-1'), 'no certificate')
    assert.equal(gate.reasonRefused(`peer-${MAX_REFUSED_PEERS}`), 'no certificate')
  })
})
