/**
 * The handshake over real libp2p connections on 127.0.0.1: certified peers are
 * admitted; a peer without a valid certificate is disconnected, logged with the
 * reason, and refused afterwards.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from 'node:crypto'
import { DEFAULT_CONFIG } from '../../../node/setup/config.js'
import { createP2PHost, inboundConnectionsPerHost } from '../../../node/network/p2p.js'
import { sendDeliveries } from '../../../protocols/deliver.js'
import { HANDSHAKE_PROTOCOL } from '../../../protocols/handshake.js'
import { TRUST_PROTOCOL } from '../../../protocols/trust-gossip.js'
import { writeMessage } from '../../../protocols/stream-io.js'
import { createRecord, ed25519Signer, encodeCanonical, parseRecord, recordFromJson, timestamp } from '../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'
import { until } from '../../support/until.js'

describe('handshake', function () {
  this.timeout(60_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let stranger: TempNode

  const networked = async (role: string): Promise<TempNode> =>
    await openTempNode({ p2p: true, handshakeTimeoutMs: 2000, profile: { role } })

  before(async () => {
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networked('trader')
    customs = await networked('agency')
    stranger = await networked('trader')
    for (const [t, role] of [[trader, 'trader'], [customs, 'agency']] as const) {
      const certificate = await (await authority.request('POST', '/v1/trust/certificates', {
        body: { participant: t.node.participant, role, name: `${role} node`, country: 'KZ' }
      })).json() as { record: unknown }
      assert.equal((await t.request('POST', '/v1/records/import', { body: certificate.record })).status, 201)
    }
    for (const t of [trader, customs, stranger]) {
      assert.equal((await t.request('POST', '/v1/trust/authorities', { body: { participant: authority.node.participant } })).status, 201)
    }
  })
  after(async () => {
    for (const t of [authority, trader, customs, stranger]) await t.close()
  })

  const address = (t: TempNode): ReturnType<typeof multiaddr> => multiaddr(t.node.addresses()[0] as string)

  it('admits two certified participants to each other', async () => {
    const admitted = once(customs.node.events, 'peer:admitted')
    await trader.node.p2p?.dial(address(customs))
    const [peer, reason] = await admitted as [string, string]
    assert.equal(peer, trader.node.participant)
    assert.match(reason, /^valid: certified by /)
    await until(() => trader.node.handshake?.isAdmitted(customs.node.participant) === true, 'the trader to admit customs')
    assert.equal(customs.node.handshake?.isAdmitted(trader.node.participant), true)
    // Customs learnt the trader's role from the certificate the trader presented.
    const status = await (await customs.request('GET', `/v1/trust/participants/${trader.node.participant}`)).json() as { status: string, certificate: { role: string } }
    assert.equal(status.status, 'valid')
    assert.equal(status.certificate.role, 'trader')
  })

  it('disconnects and then refuses a peer without a certificate, logging why', async () => {
    const refused = once(customs.node.events, 'peer:refused')
    await stranger.node.p2p?.dial(address(customs))
    const [peer, reason] = await refused as [string, string]
    assert.equal(peer, stranger.node.participant)
    assert.match(reason, /^absent: no certificate/)
    await until(() => (customs.node.p2p?.getConnections().filter(c => c.remotePeer.toString() === stranger.node.participant).length ?? 1) === 0, 'the stranger to be disconnected')
    assert.equal(customs.node.handshake?.isAdmitted(stranger.node.participant), false)
    // Customs was dialed and never admitted the stranger, so it never presented itself: the stranger learnt nothing of it.
    const seen = await (await stranger.request('GET', `/v1/trust/participants/${customs.node.participant}`)).json() as { status: string }
    assert.equal(seen.status, 'absent', 'the stranger holds no certificate of customs')
    // The gater now refuses it outright.
    await assert.rejects(async () => {
      const connection = await stranger.node.p2p?.dial(address(customs))
      // Some transports report the refusal only once the connection is used.
      await connection?.newStream('/keruen/handshake/1.0.0')
    })
    // Customs keeps serving the good peer.
    assert.equal(customs.node.handshake?.isAdmitted(trader.node.participant), true)
  })

  it("serves a delivery that comes before the sender's handshake has been judged, once it has", async () => {
    // A certified participant whose request races its own certificates, as it
    // can when both sides greet each other at once.
    const seed = randomBytes(32)
    const signer = ed25519Signer(seed)
    const certificate = await (await authority.request('POST', '/v1/trust/certificates', {
      body: { participant: signer.participant, role: 'trader', name: 'hasty trader', country: 'KZ' }
    })).json() as { record: unknown }
    const record = createRecord(signer, { type: 'trade.invoice', consignment: '6KZ123456789012-HASTY01', issuedAt: timestamp(), data: await fixture('trade.invoice') })
    const hasty = await createP2PHost(seed, { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
    try {
      const connection = await hasty.dial(address(customs))
      const delivered = sendDeliveries(connection, [{ record: record.bytes }], 10_000)
      await new Promise(resolve => setTimeout(resolve, 300))
      assert.equal(customs.node.handshake?.isAdmitted(signer.participant), false)
      const hello = await connection.newStream(HANDSHAKE_PROTOCOL)
      await writeMessage(hello, encodeCanonical({ v: 1, certificates: [recordFromJson(certificate.record).bytes] }))
      const [result] = await delivered
      assert.ok(result !== undefined && 'receipt' in result, `refused: ${JSON.stringify(result)}`)
      assert.equal(parseRecord(result.receipt).envelope.issuer, customs.node.participant)
      assert.equal((await customs.node.records.get(record.id))?.id, record.id)
    } finally {
      await hasty.stop()
    }
  })

  it('refuses a libp2p peer that never presents itself, once the deadline passes', async () => {
    const bare = await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
    try {
      const refused = once(customs.node.events, 'peer:refused')
      await bare.dial(address(customs))
      const [peer, reason] = await refused as [string, string]
      assert.equal(peer, bare.peerId.toString())
      assert.match(reason, /no valid handshake within 2000 ms/)
      await until(() => bare.getConnections().length === 0, 'the silent peer to be disconnected')
    } finally {
      await bare.stop()
    }
  })

  it('refuses a peer whose handshake is not a handshake', async () => {
    const bare = await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
    try {
      const refused = once(customs.node.events, 'peer:refused')
      const stream = await bare.dialProtocol(address(customs), '/keruen/handshake/1.0.0')
      stream.send(new Uint8Array([0xa1, 0x61, 0x76, 0xfb, 0, 0, 0, 0, 0, 0, 0, 0]))
      await stream.close()
      const [, reason] = await refused as [string, string]
      assert.match(reason, /handshake is not canonical CBOR: .*floating-point/)
    } finally {
      await bare.stop()
    }
  })

  for (const [name, bytes, expected] of [
    ['truncated', new Uint8Array([0xa2, 0x61, 0x76, 0x01, 0x6c, 0x63, 0x65, 0x72]), /truncated input/],
    ['oversized', new Uint8Array(300 * 1024).fill(0x41), /larger than 262144 bytes/]
  ] as const) {
    it(`refuses a handshake frame that is ${name} and keeps serving good peers`, async () => {
      const bare = await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
      try {
        const refused = once(customs.node.events, 'peer:refused')
        const stream = await bare.dialProtocol(address(customs), '/keruen/handshake/1.0.0')
        if (!stream.send(bytes)) await stream.onDrain()
        await stream.close().catch(() => {})
        const [peer, reason] = await refused as [string, string]
        assert.equal(peer, bare.peerId.toString())
        assert.match(reason, expected)
        assert.equal(customs.node.handshake?.isAdmitted(trader.node.participant), true)
      } finally {
        await bare.stop()
      }
    })
  }

  it('lets every peer on this machine connect at once when it listens on loopback only', async () => {
    // libp2p resets the sixth connection one host opens within a second; on
    // loopback every peer is that one host.
    const hosts = await Promise.all(Array.from({ length: 8 }, async () => await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})))
    try {
      const dials = await Promise.allSettled(hosts.map(async h => await h.dial(address(customs))))
      assert.deepEqual(dials.map(d => d.status === 'fulfilled' ? 'connected' : (d.reason as Error).message), hosts.map(() => 'connected'))
    } finally {
      await Promise.all(hosts.map(async h => { await h.stop() }))
    }
    // A node open to the network keeps libp2p's guard against a host dialing it in a loop.
    assert.equal(inboundConnectionsPerHost('0.0.0.0'), 5)
    assert.equal(inboundConnectionsPerHost('203.0.113.7'), 5)
    assert.equal(inboundConnectionsPerHost('127.0.0.1'), 1000)
    assert.equal(inboundConnectionsPerHost('::1'), 1000)
  })

  /** A certificate `issuer` signs for `participant`, as a record. */
  const certificateBy = (issuer: ReturnType<typeof ed25519Signer>, participant: string): ReturnType<typeof createRecord> =>
    createRecord(issuer, { type: 'trust.certificate', issuedAt: timestamp(), data: { participant, role: 'trader', name: 'self-made', country: 'KZ' } })

  it('keeps nothing a stranger presents but its own certificates from a trusted authority, and says whose they are', async () => {
    const seed = randomBytes(32)
    const self = ed25519Signer(seed)
    // A key of its own, posing as an authority: certificates it signs verify, and count for nothing here.
    const posing = ed25519Signer(randomBytes(32))
    const forItself = certificateBy(posing, self.participant)
    const forAnother = certificateBy(posing, ed25519Signer(randomBytes(32)).participant)
    const bare = await createP2PHost(seed, { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
    try {
      const refused = once(customs.node.events, 'peer:refused')
      const hello = await bare.dialProtocol(address(customs), HANDSHAKE_PROTOCOL)
      await writeMessage(hello, encodeCanonical({ v: 1, certificates: [forItself.bytes, forAnother.bytes] }))
      const [peer, reason] = await refused as [string, string]
      assert.equal(peer, self.participant)
      assert.equal(reason, `untrusted: certificate ${forItself.id} was issued by ${posing.participant}, which is not a trusted authority`)
      for (const planted of [forItself, forAnother]) assert.equal(await customs.node.records.get(planted.id), undefined, 'not stored')
    } finally {
      await bare.stop()
    }
  })

  it('takes from an admitted peer only the trust records of authorities it trusts', async () => {
    const posing = ed25519Signer(randomBytes(32))
    const planted = certificateBy(posing, ed25519Signer(randomBytes(32)).participant)
    // A certificate of the trusted authority that customs has not seen yet.
    const genuine = await (await authority.request('POST', '/v1/trust/certificates', {
      body: { participant: ed25519Signer(randomBytes(32)).participant, role: 'carrier', name: 'new carrier', country: 'KZ' }
    })).json() as { id: string, record: unknown }
    const connection = trader.node.p2p?.getConnections().find(c => c.remotePeer.toString() === customs.node.participant)
    assert.ok(connection !== undefined, 'the trader is connected to customs')
    const stream = await connection.newStream(TRUST_PROTOCOL)
    await writeMessage(stream, encodeCanonical({ v: 1, records: [planted.bytes, recordFromJson(genuine.record).bytes] }))
    await until(async () => (await customs.node.records.get(genuine.id)) !== undefined, 'customs to store the genuine certificate')
    assert.equal(await customs.node.records.get(planted.id), undefined)
  })

  it('takes over delivery no trust record of an authority it does not trust, as over gossip', async () => {
    const posing = ed25519Signer(randomBytes(32))
    const subject = ed25519Signer(randomBytes(32)).participant
    const planted = certificateBy(posing, subject)
    const connection = trader.node.p2p?.getConnections().find(c => c.remotePeer.toString() === customs.node.participant)
    assert.ok(connection !== undefined, 'the trader is connected to customs')
    const [result] = await sendDeliveries(connection, [{ record: planted.bytes }], 10_000)
    assert.ok(result !== undefined && 'refused' in result, 'the delivery is refused')
    assert.match(result.refused, /^not-permitted: trust\.certificate \S+ was issued by \S+, not an authority this node trusts$/)
    assert.equal(await customs.node.records.get(planted.id), undefined, 'nothing is stored')
    const status = await (await customs.request('GET', `/v1/trust/participants/${subject}`)).json() as { status: string }
    assert.equal(status.status, 'absent', 'the made-up participant stays unknown here')
  })

  it('cuts off the peers of an authority it stops trusting, and lets them in again once it trusts it again', async () => {
    assert.equal(customs.node.handshake?.isAdmitted(trader.node.participant), true)
    const refused = once(customs.node.events, 'peer:refused')
    assert.equal((await customs.request('DELETE', `/v1/trust/authorities/${authority.node.participant}`)).status, 204)
    const [peer, reason] = await refused as [string, string]
    assert.equal(peer, trader.node.participant)
    assert.match(reason, /^untrusted: /)
    await until(() => customs.node.p2p?.getConnections().every(c => c.remotePeer.toString() !== trader.node.participant) === true, 'the trader to be disconnected')

    assert.equal((await customs.request('POST', '/v1/trust/authorities', { body: { participant: authority.node.participant } })).status, 201)
    await until(async () => {
      await trader.node.p2p?.dial(address(customs)).catch(() => undefined)
      return customs.node.handshake?.isAdmitted(trader.node.participant) === true
    }, 'the trader to be admitted again')
  })

  it('presents no more certificates than a handshake carries, the newest of each authority among them', async () => {
    const other = await openTempNode({ profile: { role: 'authority', name: 'UZ authority', country: 'UZ' } })
    const renewed = await networked('trader')
    const judge = await networked('agency')
    try {
      const install = async (issuer: TempNode): Promise<void> => {
        const certificate = await (await issuer.request('POST', '/v1/trust/certificates', {
          body: { participant: renewed.node.participant, role: 'trader', name: 'renewed trader', country: 'KZ' }
        })).json() as { record: unknown }
        assert.equal((await renewed.request('POST', '/v1/records/import', { body: certificate.record })).status, 201)
      }
      // The other authority's certificate first, then more renewals than a handshake carries.
      await install(other)
      for (let i = 0; i < 17; i++) await install(authority)
      for (const [t, trusted] of [[renewed, authority], [judge, other]] as const) {
        assert.equal((await t.request('POST', '/v1/trust/authorities', { body: { participant: trusted.node.participant } })).status, 201)
      }
      const certificate = await (await other.request('POST', '/v1/trust/certificates', { body: { participant: judge.node.participant, role: 'agency', name: 'judge', country: 'UZ' } })).json() as { record: unknown }
      assert.equal((await judge.request('POST', '/v1/records/import', { body: certificate.record })).status, 201)
      assert.equal((await renewed.request('POST', '/v1/trust/authorities', { body: { participant: other.node.participant } })).status, 201)
      // Customs trusts the authority of the renewals, the judge only the other one.
      for (const peer of [customs, judge]) {
        await renewed.node.p2p?.dial(address(peer))
        await until(() => peer.node.handshake?.isAdmitted(renewed.node.participant) === true, `${peer.node.identity.profile.role} to admit the renewed trader`)
      }
    } finally {
      for (const t of [other, renewed, judge]) await t.close()
    }
  })
})
