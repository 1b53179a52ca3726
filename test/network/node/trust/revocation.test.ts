/**
 * Certificates and revocations spread over the network: revoking a participant
 * at its authority cuts it off from every node, including nodes the authority
 * is not connected to.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { multiaddr } from '@multiformats/multiaddr'
import { ed25519Signer } from '../../../../record/index.js'
import type { TempNode } from '../../../support/temp-node.js'
import { certify, connect, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'

describe('revocation across the network', function () {
  this.timeout(60_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let certificateId: string

  const networked = async (profile: Record<string, string>): Promise<TempNode> => await networkedNode({ profile })

  before(async () => {
    authority = await networked({ role: 'authority', name: 'authority', country: 'KZ' })
    trader = await networked({ role: 'trader', name: 'trader' })
    customs = await networked({ role: 'agency', name: 'customs' })
    sps = await networked({ role: 'agency', name: 'sps' })
    for (const t of [trader, customs, sps]) {
      const certificate = await certify(authority, t, t.node.identity.profile.role, { name: t.node.identity.profile.name })
      if (t === trader) certificateId = certificate.id
    }
    // authority — customs — sps, and the trader talks to both agencies.
    await connect(authority, customs)
    await connect(customs, sps)
    await connect(trader, customs)
    await connect(trader, sps)
  })
  after(async () => {
    for (const t of [authority, trader, customs, sps]) await t.close()
  })

  it('an authority is admitted by its own self-issued certificate', async () => {
    const status = await (await customs.request('GET', `/v1/trust/participants/${authority.node.participant}`)).json() as { status: string, certificate: { role: string } }
    assert.equal(status.status, 'valid')
    assert.equal(status.certificate.role, 'authority')
  })

  it('passes every certificate on over long-lived connections, and leaves no stream open behind it', async () => {
    // More than libp2p lets one connection hold open streams of one protocol (32).
    const participants = Array.from({ length: 40 }, () => ed25519Signer(randomBytes(32)).participant)
    for (const [i, participant] of participants.entries()) {
      const response = await authority.request('POST', '/v1/trust/certificates', { body: { participant, role: 'carrier', name: `carrier ${i}`, country: 'KZ' } })
      assert.equal(response.status, 201)
    }
    // sps hears of them only from customs.
    const status = async (participant: string): Promise<string> =>
      (await (await sps.request('GET', `/v1/trust/participants/${participant}`)).json() as { status: string }).status
    await until(async () => (await Promise.all(participants.map(status))).every(s => s === 'valid'), 'sps to learn all 40 certificates', 20_000)
    const openStreams = (t: TempNode): string[] => t.node.p2p?.getConnections().flatMap(c => c.streams.map(s => `${s.protocol ?? '?'} ${s.direction}`)) ?? []
    await until(() => [authority, customs, sps, trader].every(t => openStreams(t).length === 0), 'every trust and handshake stream to close', 10_000)
  })

  it('cuts off a peer when its certificate expires, while it is connected', async () => {
    const carrier = await networked({ role: 'carrier', name: 'carrier' })
    try {
      const validUntil = new Date(Date.now() + 2500).toISOString()
      const response = await authority.request('POST', '/v1/trust/certificates', { body: { participant: carrier.node.participant, role: 'carrier', name: 'carrier', country: 'KZ', validUntil } })
      assert.equal(response.status, 201)
      assert.equal((await carrier.request('POST', '/v1/records/import', { body: (await response.json() as { record: unknown }).record })).status, 201)
      assert.equal((await carrier.request('POST', '/v1/trust/authorities', { body: { participant: authority.node.participant } })).status, 201)
      await connect(carrier, customs)
      const refused = new Promise<string>(resolve => customs.node.events.on('peer:refused', (peer, reason) => { if (peer === carrier.node.participant) resolve(reason) }))
      assert.match(await refused, /^expired: certificate .* expired at /)
      assert.ok(Date.now() >= Date.parse(validUntil), 'not before the certificate ended')
      await until(() => customs.node.p2p?.getConnections().every(c => c.remotePeer.toString() !== carrier.node.participant) === true, 'the carrier to be disconnected')
    } finally {
      await carrier.close()
    }
  })

  it('disconnects the revoked participant from every node within seconds', async () => {
    const refusals: Array<[string, string]> = []
    for (const t of [customs, sps]) t.node.events.on('peer:refused', (peer, reason) => { if (peer === trader.node.participant) refusals.push([t.node.identity.profile.name, reason]) })
    const started = Date.now()
    const response = await authority.request('POST', '/v1/trust/revocations', { body: { certificate: certificateId, reason: 'licence withdrawn' } })
    assert.equal(response.status, 201)
    const connectedTo = (t: TempNode): number => t.node.p2p?.getConnections().filter(c => c.remotePeer.toString() === trader.node.participant).length ?? 0
    await until(() => connectedTo(customs) === 0 && connectedTo(sps) === 0, 'the trader to be cut off everywhere', 10_000)
    assert.ok(Date.now() - started < 10_000)
    assert.deepEqual(refusals.map(([name]) => name).sort(), ['customs', 'sps'])
    for (const [, reason] of refusals) assert.match(reason, /^revoked: /)
    // sps learnt the revocation from customs: the authority never spoke to it.
    assert.equal(authority.node.p2p?.getConnections().some(c => c.remotePeer.toString() === sps.node.participant), false)
    assert.equal((await (await sps.request('GET', `/v1/trust/participants/${trader.node.participant}`)).json() as { status: string }).status, 'revoked')
    // And the trader cannot come back.
    await assert.rejects(async () => {
      const connection = await trader.node.p2p?.dial(multiaddr(customs.node.addresses()[0] as string))
      await connection?.newStream('/keruen/deliver/2.0.0')
    })
    // The others still talk to each other.
    assert.equal(customs.node.handshake?.isAdmitted(sps.node.participant), true)
  })
})

describe('a revocation made while a node was away', function () {
  this.timeout(60_000)

  it('reaches the node once it is admitted again, so it no longer admits whom it revoked', async () => {
    const authority = await networkedNode({ profile: { role: 'authority', name: 'authority', country: 'KZ' } })
    const trader = await networkedNode({ profile: { role: 'trader', name: 'trader' } })
    const customs = await networkedNode({ profile: { role: 'agency', name: 'customs' } })
    let away = await networkedNode({ profile: { role: 'agency', name: 'away' } })
    try {
      let certificateId = ''
      for (const t of [trader, customs, away]) {
        const certificate = await certify(authority, t, t.node.identity.profile.role)
        if (t === trader) certificateId = certificate.id
      }
      await connect(authority, customs)
      await connect(customs, away)
      // The node holds the trader's certificate: it admitted the trader once.
      await connect(trader, away)
      const awayDir = away.dir
      await away.node.close()

      assert.equal((await authority.request('POST', '/v1/trust/revocations', { body: { certificate: certificateId, reason: 'licence withdrawn' } })).status, 201)
      const status = async (t: TempNode): Promise<string> => (await (await t.request('GET', `/v1/trust/participants/${trader.node.participant}`)).json() as { status: string }).status
      await until(async () => await status(customs) === 'revoked', 'customs to learn of the revocation')

      away = await networkedNode({}, awayDir)
      assert.equal(await status(away), 'valid', 'it missed the revocation while away')
      const refused = new Promise<string>(resolve => away.node.events.on('peer:refused', (peer, reason) => { if (peer === trader.node.participant) resolve(reason) }))
      await connect(away, customs)
      await until(async () => await status(away) === 'revoked', 'the node to learn of the revocation from customs')
      await trader.node.p2p?.dial(multiaddr(away.node.addresses()[0] as string)).catch(() => undefined)
      assert.match(await refused, /^revoked: /)
      assert.equal(away.node.handshake?.isAdmitted(trader.node.participant), false)
    } finally {
      for (const t of [authority, trader, customs, away]) await t.close()
    }
  })
})
