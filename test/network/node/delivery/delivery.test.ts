/**
 * Delivery across real nodes on 127.0.0.1: records reach exactly the
 * participants they are shared with, are receipted, survive a receiver's and a
 * sender's restart, arrive exactly once, and bad records are refused.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { DELIVER_PROTOCOL, MAX_REQUEST_BYTES, MAX_REQUESTS_PER_PEER, sendDeliveries, type DeliveryResult } from '../../../../protocols/deliver.js'
import { createRecord, dataOf, ed25519Signer, encodeCanonical, parseRecord, recordFromJson, signingInput, timestamp, verifyRecord, withDisclosures, type DataObject } from '../../../../record/index.js'
import { fixture, openTempNode, type TempNode } from '../../../support/temp-node.js'
import { certify as certifyBy, connect, json, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'

const CONSIGNMENT = '6KZ123456789012-EXP0001'

describe('delivery', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let invoice: DataObject

  const networked = async (role: string): Promise<TempNode> => await networkedNode({ profile: { role } })
  const certify = async (t: TempNode, role: string): Promise<void> => { await certifyBy(authority, t, role) }

  const share = async (with_: TempNode[], data = invoice): Promise<any> => {
    const response = await trader.request('POST', '/v1/records', {
      body: { type: 'trade.invoice', consignment: CONSIGNMENT, data, share: with_.map(t => t.node.participant) }
    })
    assert.equal(response.status, 201, await response.clone().text())
    return await json(response)
  }

  const outboxCount = async (): Promise<number> => (await json(await trader.request('GET', '/v1/outbox'))).count

  before(async () => {
    invoice = await fixture('trade.invoice')
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networked('trader')
    customs = await networked('agency')
    sps = await networked('agency')
    await certify(trader, 'trader')
    await certify(customs, 'agency')
    await certify(sps, 'agency')
    await connect(trader, customs)
    await connect(trader, sps)
  })
  after(async () => {
    for (const t of [authority, trader, customs, sps]) await t.close()
  })

  it('delivers a record to whom it is shared with, and to nobody else, with a signed receipt', async () => {
    const received = once(customs.node.events, 'record:received')
    const record = await share([customs])
    const [sender, recordId] = await received as [string, string]
    assert.equal(sender, trader.node.participant)
    assert.equal(recordId, record.id)
    const atCustoms = await json(await customs.request('GET', `/v1/records/${record.id}`))
    assert.equal(atCustoms.verified, true)
    assert.deepEqual(atCustoms.data, invoice)
    assert.equal((await sps.request('GET', `/v1/records/${record.id}`)).status, 404)

    await until(async () => (await outboxCount()) === 0, 'the outbox to empty')
    const receipts = await json(await trader.request('GET', `/v1/records/${record.id}/receipts`))
    assert.equal(receipts.length, 1)
    assert.equal(receipts[0].receiver, customs.node.participant)
    const receipt = recordFromJson(receipts[0].record)
    verifyRecord(receipt)
    assert.equal(receipt.envelope.issuer, customs.node.participant)
    assert.equal(receipt.envelope.type, 'delivery.receipt')
    // A whole copy: the receipt lists the record alone, the API says every field.
    assert.deepEqual(dataOf(receipt).records, [{ record: record.id }])
    assert.equal(dataOf(receipt).sender, trader.node.participant)
    assert.deepEqual(receipts[0].fields, [''])
  })

  it('announces records and receipts on the event streams of receiver and sender', async () => {
    // The node's own components listen too (its log): the streams' listeners are those they add.
    const own = customs.node.events.listenerCount('record:received')
    const events = async (t: TempNode, wanted: string): Promise<{ reader: ReadableStreamDefaultReader<Uint8Array>, next: Promise<Record<string, string>> }> => {
      const response = await t.request('GET', '/v1/stream')
      assert.equal(response.status, 200)
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/)
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const next = (async () => {
        let text = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done === true) throw new Error(`stream ended before ${wanted}`)
          text += new TextDecoder().decode(value)
          const match = new RegExp(`event: ${wanted}\\ndata: (.*)\\nid: \\d+`).exec(text)
          if (match !== null) return JSON.parse(match[1] as string) as Record<string, string>
        }
      })()
      return { reader, next }
    }
    const atCustoms = await events(customs, 'record.received')
    const atTrader = await events(trader, 'receipt.received')
    const record = await share([customs])
    const received = await atCustoms.next
    assert.equal(received.record, record.id)
    assert.equal(received.sender, trader.node.participant)
    const receipted = await atTrader.next
    assert.equal(receipted.record, record.id)
    assert.equal(receipted.receiver, customs.node.participant)
    await atCustoms.reader.cancel()
    await atTrader.reader.cancel()
    assert.equal(customs.node.events.listenerCount('record:received'), own, 'listeners removed when the client leaves')
  })

  it('refuses a share list that names no participant', async () => {
    const response = await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice, share: ['customs'] } })
    assert.equal(response.status, 400)
    assert.equal((await json(response)).errors[0].path, '/share/0')
  })

  it('holds 1 000 records for a receiver that is down, and delivers each exactly once when it returns', async () => {
    const customsDir = customs.dir
    await customs.node.close()
    const ids: string[] = []
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, async () => (await share([customs])).id as string))
      ids.push(...batch)
    }
    assert.equal(await outboxCount(), 1000)
    const outbox = await json(await trader.request('GET', '/v1/outbox?limit=5'))
    assert.equal(outbox.pending[0].recipient, customs.node.participant)

    customs = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'agency' }, delivery: { retryMs: 100, maxRetryMs: 1000 } }, customsDir)
    await connect(customs, trader)
    await until(async () => (await outboxCount()) === 0, 'the outbox to empty', 90_000)
    // Every request's stream ended on both nodes: none is left to count against libp2p's stream limits.
    const openStreams = (t: TempNode): number => t.node.p2p?.getConnections().reduce((n, c) => n + c.streams.length, 0) ?? 0
    await until(() => openStreams(trader) === 0 && openStreams(customs) === 0, 'every stream to close')

    const held = new Set<string>()
    let cursor: string | undefined
    do {
      const page = await json(await customs.request('GET', `/v1/records?type=trade.invoice&issuer=${trader.node.participant}&limit=500${cursor !== undefined ? `&cursor=${cursor}` : ''}`))
      for (const r of page.records) {
        assert.equal(held.has(r.id), false, 'stored once')
        held.add(r.id)
      }
      cursor = page.next
    } while (cursor !== undefined)
    for (const id of ids) assert.ok(held.has(id), `customs holds ${id}`)
    const receiptIds = new Set<string>()
    for (const id of ids) {
      const receipts = await trader.node.delivery.receipts(id)
      assert.equal(receipts.length, 1, `one receipt for ${id}`)
      const [{ receipt, receiver, fields }] = receipts as [typeof receipts[0]]
      assert.equal(receiver, customs.node.participant)
      assert.deepEqual(fields, [''])
      verifyRecord(receipt)
      receiptIds.add(receipt.id)
    }
    // A receipt answers a whole delivery request: far fewer signatures than records.
    assert.ok(receiptIds.size <= 1000 / 16, `${receiptIds.size} receipts for 1 000 records`)
    // The receiver holds the same receipts, each listing the records it acknowledges.
    let listed = 0
    for (const receiptId of receiptIds) {
      const receipt = await json(await customs.request('GET', `/v1/records/${receiptId}`))
      assert.equal(receipt.issuer, customs.node.participant)
      listed += receipt.data.records.length
    }
    assert.equal(listed, 1000)
  })

  it('resumes a full outbox after the sender restarts', async () => {
    const customsDir = customs.dir
    await customs.node.close()
    const ids = await Promise.all(Array.from({ length: 30 }, async () => (await share([customs])).id as string))
    trader = await trader.reopen()
    assert.equal(await outboxCount(), 30)
    customs = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'agency' }, delivery: { retryMs: 100, maxRetryMs: 1000 } }, customsDir)
    await connect(customs, trader)
    await until(async () => (await outboxCount()) === 0, 'the outbox to empty')
    for (const id of ids) assert.equal((await customs.request('GET', `/v1/records/${id}`)).status, 200)
    // sps was never sent any of this.
    assert.equal((await json(await sps.request('GET', `/v1/records?issuer=${trader.node.participant}`))).records.length, 0)
    await connect(trader, sps)
  })

  it('finds a recipient again after the sender restarts, where it last said it listens', async () => {
    // Customs dialled the trader; the trader knows customs' address only from that connection.
    await connect(customs, trader)
    trader = await trader.reopen()
    assert.equal(trader.node.p2p?.getConnections().length, 0)
    const record = await share([customs])
    await until(async () => (await outboxCount()) === 0, 'the trader to reach customs and deliver')
    assert.equal((await customs.request('GET', `/v1/records/${record.id as string}`)).status, 200)
    await connect(trader, sps)
  })

  it('hands over a backlog larger than one request allows in several requests', async () => {
    const customsDir = customs.dir
    await customs.node.close()
    // Records of about 2 MB each: together far more than one request's 16 MiB.
    const line = (invoice.lines as DataObject[])[0] as DataObject
    const large = { ...invoice, lines: Array.from({ length: 2500 }, (_, i) => ({ ...line, lineNumber: i + 1 })) }
    const ids: string[] = []
    for (let i = 0; i < 10; i++) {
      const { record } = await trader.node.records.create({ type: 'trade.invoice', consignment: CONSIGNMENT, data: large, share: [customs.node.participant] })
      ids.push(record.id)
    }
    const sizes = await Promise.all(ids.map(async id => (await trader.node.records.getBytes(id))?.length ?? 0))
    assert.ok(sizes.reduce((a, b) => a + b) > MAX_REQUEST_BYTES, `${sizes.reduce((a, b) => a + b)} bytes in all`)
    customs = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'agency' }, delivery: { retryMs: 100, maxRetryMs: 1000 } }, customsDir)
    const refusals: string[] = []
    customs.node.events.on('delivery:refused', (_peer: string, reason: string) => refusals.push(reason))
    await connect(customs, trader)
    await until(async () => (await outboxCount()) === 0, 'the outbox to empty', 60_000)
    for (const id of ids) assert.equal((await customs.node.records.get(id))?.id, id)
    assert.deepEqual(refusals, [])
  })

  it('lets a record the receiver refuses back off alone while the rest of the queue goes, and delivers it once accepted', async () => {
    const customsDir = customs.dir
    await customs.node.close()
    for (let i = 0; i < 600; i += 50) await Promise.all(Array.from({ length: 50 }, async () => await share([customs])))
    // The first in the queue: under the old rule it held back every batch behind it.
    const refused = (await json(await trader.request('GET', '/v1/outbox?limit=1'))).pending[0].recordId as string
    customs = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'agency' } }, customsDir)
    // Customs does not take that record yet (as if it did not know its type), and takes the rest.
    const service = customs.node.delivery
    const accept = service.accept.bind(service)
    let received = 0
    customs.node.events.on('record:received', () => { received++ })
    let offers = 0
    let offersWhenTheRestArrived: number | undefined
    service.accept = async (sender, batch) => {
      const held = batch.map(d => parseRecord(d.record).id === refused)
      if (held.includes(true)) offers++
      const taken = batch.filter((_, i) => !held[i])
      const results = taken.length === 0 ? [] : await accept(sender, taken)
      if (received === 599) offersWhenTheRestArrived ??= offers
      let k = 0
      return batch.map((_, i) => held[i] === true ? { refused: 'unregistered-type: not known here yet' } : results[k++] as DeliveryResult)
    }
    await connect(customs, trader)
    await until(async () => (await outboxCount()) === 1, 'every record but one to go', 60_000)
    assert.equal(received, 599)
    assert.equal(offersWhenTheRestArrived, 1, 'the refused record was offered once while the rest went')
    const [waiting] = (await json(await trader.request('GET', '/v1/outbox'))).pending
    assert.equal(waiting.recordId, refused)
    assert.equal(waiting.lastError, `refused ${refused}: unregistered-type: not known here yet`)
    assert.ok(waiting.attempts >= 1 && typeof waiting.nextAttemptAt === 'string')

    // The recipient itself is not backing off: a new record goes at once.
    const arrived = once(customs.node.events, 'record:received')
    const fresh = await share([customs])
    assert.equal((await arrived)[1], fresh.id)

    // Once customs takes it, the refused record goes too, at its next attempt.
    service.accept = accept
    await until(async () => (await outboxCount()) === 0, 'the refused record to go once accepted', 30_000)
    assert.equal((await customs.node.records.get(refused))?.id, refused)
  })

  it('answers a replay with the same receipt, and refuses forged records with the reason', async () => {
    const connection = trader.node.p2p?.getConnections(peerIdFromString(customs.node.participant))[0]
    assert.ok(connection !== undefined)
    const record = parseRecord(await trader.node.records.getBytes((await share([])).id) as Uint8Array)
    const first = await sendDeliveries(connection, [{ record: record.bytes }], 10_000)
    const again = await sendDeliveries(connection, [{ record: record.bytes }], 10_000)
    assert.ok('receipt' in first[0]! && 'receipt' in again[0]!)
    assert.deepEqual(again[0], first[0])

    // Two copies of one record in one request, for two purposes: one receipt
    // lists both, and a replay of the request gets that receipt for each.
    const other = parseRecord(await trader.node.records.getBytes((await share([])).id) as Uint8Array)
    const goodsOnly = withDisclosures(other, path => path[0] === 'lines' && path[2] === 'description')
    const both = [{ record: goodsOnly.bytes, purpose: 'KZ.sps.phytosanitary-certificate' }, { record: other.bytes, purpose: 'KZ.customs.export-declaration' }]
    const twice = await sendDeliveries(connection, both, 10_000)
    const replayed = await sendDeliveries(connection, both, 10_000)
    assert.ok('receipt' in twice[0]! && 'receipt' in twice[1]!)
    assert.deepEqual(twice[0].receipt, twice[1].receipt, 'one receipt for the request')
    assert.deepEqual(replayed, twice)
    assert.deepEqual(dataOf(parseRecord(twice[0].receipt)).records, [
      { record: other.id, fields: goodsOnly.disclosures.map(d => `/${d.path.join('/')}`).sort(), purpose: 'KZ.sps.phytosanitary-certificate' },
      // A whole copy is listed without its fields: one leaf per record.
      { record: other.id, purpose: 'KZ.customs.export-declaration' }
    ])

    // The trader's envelope with a stranger's signature: a key other than the issuer's.
    const stranger = ed25519Signer(randomBytes(32))
    const forged = encodeCanonical({
      envelope: record.envelopeBytes,
      signature: { suite: 'ed25519', value: stranger.sign(signingInput(record.envelopeBytes)) },
      disclosures: record.disclosures.map(d => [d.salt, d.path, d.value])
    })
    // A disclosed value changed after signing.
    const honest = createRecord(stranger, { type: 'trade.invoice', consignment: CONSIGNMENT, issuedAt: timestamp(), data: invoice })
    const tampered = encodeCanonical({
      envelope: honest.envelopeBytes,
      signature: { suite: honest.signature.suite, value: honest.signature.value },
      disclosures: honest.disclosures.map(d => [d.salt, d.path, d.path[0] === 'currency' ? 'USD' : d.value])
    })
    const refused = once(customs.node.events, 'delivery:refused')
    const results = await sendDeliveries(connection, [forged, tampered, honest.bytes, new Uint8Array([0xa0])].map(record => ({ record })), 10_000)
    assert.match((results[0] as { refused: string }).refused, /^bad-signature/)
    assert.match((results[1] as { refused: string }).refused, /^digest-mismatch/)
    assert.ok('receipt' in results[2]!, 'a good record in the same batch is still received')
    assert.match((results[3] as { refused: string }).refused, /^malformed/)
    const [peer, reason] = await refused as [string, string]
    assert.equal(peer, trader.node.participant)
    assert.match(reason, /record refused/)
    // Customs keeps serving.
    const received = once(customs.node.events, 'record:received')
    await share([customs])
    await received
  })

  it('refuses a peer more delivery requests at once than it may have, and serves it again once they end', async () => {
    const connection = trader.node.p2p?.getConnections(peerIdFromString(customs.node.participant))[0]
    assert.ok(connection !== undefined)
    // Requests begun and never finished, each holding one of the trader's places at customs.
    const stalled = []
    for (let i = 0; i < MAX_REQUESTS_PER_PEER; i++) {
      const stream = await connection.newStream(DELIVER_PROTOCOL)
      stream.send(new Uint8Array([0xa2, 0x61, 0x76, 0x01]))
      stalled.push(stream)
    }
    const record = parseRecord(await trader.node.records.getBytes((await share([])).id) as Uint8Array)
    const refused = once(customs.node.events, 'delivery:refused')
    await assert.rejects(sendDeliveries(connection, [{ record: record.bytes }], 10_000))
    const [peer, reason] = await refused as [string, string]
    assert.equal(peer, trader.node.participant)
    assert.equal(reason, `more than ${MAX_REQUESTS_PER_PEER} delivery requests at once`)
    assert.equal(await customs.node.records.get(record.id), undefined)

    for (const stream of stalled) stream.abort(new Error('given up'))
    let answer: Awaited<ReturnType<typeof sendDeliveries>> | undefined
    await until(async () => {
      answer = await sendDeliveries(connection, [{ record: record.bytes }], 10_000).catch(() => undefined)
      return answer !== undefined
    }, 'customs to serve the trader again')
    assert.ok(answer !== undefined && 'receipt' in answer[0]!)
    assert.equal((await customs.node.records.get(record.id))?.id, record.id)
  })

  describe('receipts only from whom they may come', () => {
    /** Who the trader's node says received `recordId`. */
    const receivers = async (recordId: string): Promise<string[]> =>
      (await json(await trader.request('GET', `/v1/records/${recordId}/receipts`))).map((r: { receiver: string }) => r.receiver)

    it('refuses a receipt delivered as a record: an insider cannot plant one for a record it was never sent', async () => {
      const record = await share([customs])
      await until(async () => (await outboxCount()) === 0, 'the outbox to empty')
      await connect(sps, trader)
      const { record: planted } = await sps.node.records.create({
        type: 'delivery.receipt', data: { sender: trader.node.participant, receivedAt: timestamp(), records: [{ record: record.id }] }
      })
      const connection = sps.node.p2p?.getConnections().find(c => c.remotePeer.toString() === trader.node.participant)
      assert.ok(connection !== undefined)
      const [result] = await sendDeliveries(connection, [{ record: planted.bytes }], 10_000)
      assert.ok(result !== undefined && 'refused' in result)
      assert.match(result.refused, /^not-permitted: delivery\.receipt \S+ is not taken as a delivery/)
      assert.deepEqual(await receivers(record.id), [customs.node.participant])
      assert.equal(await trader.node.records.get(planted.id), undefined)
    })

    it('refuses whole a receipt that also lists records not sent to its signer, and takes the honest one after', async () => {
      const elsewhere = await share([sps])
      await until(async () => (await outboxCount()) === 0, 'the outbox to empty')
      const service = customs.node.delivery
      const accept = service.accept.bind(service)
      // Customs answers with a receipt it signs, not keeps, that claims the record shared with the SPS agency too.
      service.accept = async (sender, batch) => {
        const results = await accept(sender, batch)
        const listed = batch.map(d => ({ record: parseRecord(d.record).id }))
        const padded = createRecord(customs.node.identity.signer, {
          type: 'delivery.receipt', issuedAt: timestamp(), data: { sender, receivedAt: timestamp(), records: [...listed, { record: elsewhere.id }] }
        })
        return results.map(r => 'refused' in r ? r : { receipt: padded.bytes })
      }
      try {
        const record = await share([customs])
        await until(async () => {
          const [waiting] = (await json(await trader.request('GET', '/v1/outbox'))).pending
          return typeof waiting?.lastError === 'string' && waiting.recordId === record.id
        }, 'the padded receipt to be refused')
        const [waiting] = (await json(await trader.request('GET', '/v1/outbox'))).pending
        assert.match(waiting.lastError, new RegExp(`receipt lists ${elsewhere.id}, which this node did not send it`))
        assert.deepEqual(await receivers(elsewhere.id), [sps.node.participant], 'customs is not counted for the record it was never sent')
        assert.deepEqual(await receivers(record.id), [])
        service.accept = accept
        await until(async () => (await outboxCount()) === 0, 'the honest receipt to settle the delivery', 60_000)
        assert.deepEqual(await receivers(record.id), [customs.node.participant])
      } finally {
        service.accept = accept
      }
    })
  })

  describe('record types only from whom they may come', () => {
    const deliver = async (from: TempNode, to: TempNode, records: Array<{ bytes: Uint8Array }>): Promise<DeliveryResult[]> => {
      const connection = from.node.p2p?.getConnections().find(c => c.remotePeer.toString() === to.node.participant)
      assert.ok(connection !== undefined, 'the two are connected')
      return await sendDeliveries(connection, records.map(r => ({ record: r.bytes })), 10_000)
    }
    const signed = (signer: Parameters<typeof createRecord>[0], type: string, data: DataObject): ReturnType<typeof createRecord> =>
      createRecord(signer, { type, consignment: CONSIGNMENT, issuedAt: timestamp(), data })

    it('refuses through the API to sign a type the node\'s role does not issue, or a receipt, and signs what it may', async () => {
      for (const type of ['decision.release', 'trust.certificate', 'requirement.profile']) {
        const response = await trader.request('POST', '/v1/records', { body: { type, consignment: CONSIGNMENT, data: await fixture(type) } })
        const problem = await json(response)
        assert.equal(response.status, 403, JSON.stringify(problem))
        assert.equal(problem.type, 'urn:keruen:problem:not-permitted')
        assert.match(problem.detail, new RegExp(`^this node may not sign it: ${type.replace('.', '\\.')} is issued by (agency|authority) participants, not by a trader$`))
      }
      const receipt = await trader.request('POST', '/v1/records', { body: { type: 'delivery.receipt', data: await fixture('delivery.receipt') } })
      assert.equal(receipt.status, 403)
      assert.match((await json(receipt)).detail, /the node makes delivery\.receipt records itself/)
      const release = await customs.request('POST', '/v1/records', { body: { type: 'decision.release', consignment: CONSIGNMENT, data: await fixture('decision.release') } })
      assert.equal(release.status, 201, await release.clone().text())
    })

    it('refuses a delivered record whose issuer\'s role does not issue its type, alone, and takes the rest', async () => {
      const forged = signed(trader.node.identity.signer, 'decision.release', await fixture('decision.release'))
      const honest = signed(trader.node.identity.signer, 'trade.invoice', { ...invoice, number: 'INV-ROLES-1' })
      const [refused, taken] = await deliver(trader, customs, [forged, honest])
      assert.ok(refused !== undefined && 'refused' in refused)
      assert.equal(refused.refused, `not-permitted: decision.release ${forged.id} is not taken from ${trader.node.participant}: decision.release is issued by agency participants, not by a trader`)
      assert.ok(taken !== undefined && 'receipt' in taken)
      assert.equal(await customs.node.records.get(forged.id), undefined)
      assert.equal((await customs.node.records.get(honest.id))?.id, honest.id)
    })

    it('takes a decision about an application only from the agency it was made to', async () => {
      const { record: application } = await trader.node.records.create({
        type: 'application.submission', consignment: CONSIGNMENT, data: { ...await fixture('application.submission'), agency: customs.node.participant }
      })
      const data = { ...await fixture('decision.release'), application: application.id }
      const fromSps = signed(sps.node.identity.signer, 'decision.release', data)
      const [refused] = await deliver(sps, trader, [fromSps])
      assert.ok(refused !== undefined && 'refused' in refused)
      assert.equal(refused.refused, `not-permitted: decision.release ${fromSps.id} is about an application made to ${customs.node.participant}: it is taken only from that agency, not from ${sps.node.participant}`)
      assert.equal(await trader.node.records.get(fromSps.id), undefined)
      const fromCustoms = signed(customs.node.identity.signer, 'decision.release', data)
      const [taken] = await deliver(customs, trader, [fromCustoms])
      assert.ok(taken !== undefined && 'receipt' in taken, JSON.stringify(taken))
    })

    it('takes an official document only from a certified issuer, a commercial one from anyone who signed it', async () => {
      const stranger = ed25519Signer(randomBytes(32))
      const certificate = signed(stranger, 'cert.origin', await fixture('cert.origin'))
      const commercial = signed(stranger, 'trade.invoice', { ...invoice, number: 'INV-STRANGER-1' })
      const [refused, taken] = await deliver(trader, customs, [certificate, commercial])
      assert.ok(refused !== undefined && 'refused' in refused)
      assert.equal(refused.refused, `not-permitted: cert.origin ${certificate.id} is taken only from a certified issuer, and its issuer ${stranger.participant} holds no valid certificate here`)
      assert.ok(taken !== undefined && 'receipt' in taken)
    })
  })
})
