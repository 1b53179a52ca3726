/**
 * Asking the holder, on real nodes. Customs pulls the carrier's movement
 * events of a consignment on arrival and gets exactly the fields the carrier's
 * pull grant allows; the SPS agency pulls a certificate of origin it was never
 * sent, and the trader's reuse ledger counts the use with its purpose; the
 * customs of the importing country, certified by another state's authority,
 * pulls the export declaration from the trader and the release from the
 * exporting customs, and verifies both. A participant no grant names gets a
 * signed "nothing" and no bytes of any record; so does a stranger.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRecord, dataOf, parseRecord, timestamp, verifyRecord } from '../../../../record/index.js'
import { multiaddr } from '@multiformats/multiaddr'
import { repoFile } from '../../../support/repo.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'
import { nextMillisecond } from '../../../support/clock.js'

const ARRIVAL = 'KZ.customs.border-arrival'
const load = async (type: string): Promise<any> => JSON.parse(await readFile(repoFile(`test/fixtures/records/${type}.json`), 'utf8'))

describe('queries between nodes', function () {
  this.timeout(120_000)
  let kz: TempNode
  let uz: TempNode
  let trader: TempNode
  let carrier: TempNode
  let customs: TempNode
  let sps: TempNode
  let uzCustoms: TempNode
  let ref: string
  const events: string[] = []
  let certificate: string
  let declaration: string
  let release: string

  const post = async (node: TempNode, path: string, body: unknown, status = 201): Promise<any> => {
    const response = await node.request('POST', path, { body })
    const answer = await json(response)
    assert.equal(response.status, status, JSON.stringify(answer))
    return answer
  }
  const ask = async (node: TempNode, path: string, status = 200): Promise<any> => {
    const response = await node.request('GET', path)
    const answer = await json(response)
    assert.equal(response.status, status, JSON.stringify(answer))
    return answer
  }

  before(async () => {
    kz = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    uz = await openTempNode({ profile: { role: 'authority', name: 'UZ authority', country: 'UZ' } })
    trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    carrier = await networkedNode({ profile: { role: 'carrier', country: 'KZ', name: 'Silk Road Logistics' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    sps = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'Plant quarantine inspectorate' } })
    uzCustoms = await networkedNode({ profile: { role: 'agency', country: 'UZ', name: 'Customs Committee of Uzbekistan' } })
    await certify(kz, trader, 'trader', { name: 'Almaty Dried Fruit' })
    await certify(kz, carrier, 'carrier', { name: 'Silk Road Logistics' })
    await certify(kz, customs, 'agency', { competence: 'customs', name: 'State Revenue Committee' })
    await certify(kz, sps, 'agency', { competence: 'phytosanitary', name: 'Plant quarantine inspectorate' })
    await certify(uz, uzCustoms, 'agency', { competence: 'customs', country: 'UZ', name: 'Customs Committee of Uzbekistan' })
    // The cross-border trust space: each side trusts the other state's authority.
    for (const t of [trader, customs]) await post(t, '/v1/trust/authorities', { participant: uz.node.participant })
    await post(uzCustoms, '/v1/trust/authorities', { participant: kz.node.participant })
    for (const t of [trader, customs, uzCustoms]) {
      const other = t === uzCustoms ? kz : uz
      const self = (await json(await other.request('GET', '/v1/trust/certificates'))).certificates?.find?.((c: any) => c.participant === other.node.participant)
      if (self !== undefined) await t.request('POST', '/v1/records/import', { body: self.record })
    }
    await connect(customs, carrier)
    await connect(customs, trader)
    await connect(sps, trader)
    await connect(uzCustoms, trader)
    await connect(uzCustoms, customs)
    await connect(carrier, trader)
    for (const t of [trader, carrier, customs, sps, uzCustoms]) await t.node.policy.refreshDirectory()

    // The carrier lets customs pull when, where and what happened — not the cargo or the documents.
    await post(carrier, '/v1/policies', { types: ['event.shipment'], to: { competence: 'customs' }, fields: ['/eventTime', '/bizStep', '/readPoint/unLocode'], purpose: ARRIVAL, mode: 'pull' })
    // The trader lets the SPS agency pull its certificates of origin, and the importing country's customs its export declarations.
    await post(trader, '/v1/policies', { types: ['cert.origin'], to: { competence: 'phytosanitary' }, fields: [''], purpose: 'KZ.sps.phytosanitary-certificate', mode: 'pull' })
    await post(trader, '/v1/policies', { types: ['customs.declaration'], to: { role: 'agency', competence: 'customs', country: 'UZ' }, fields: ['/items', '/exporter/name', '/countryOfDestination'], purpose: 'UZ.customs.import-declaration', mode: 'pull' })
    await post(customs, '/v1/policies', { types: ['decision.release'], to: { competence: 'customs', country: 'UZ' }, fields: [''], purpose: 'UZ.customs.import-declaration', mode: 'pull' })

    declaration = (await post(trader, '/v1/records', { type: 'customs.declaration', data: await load('customs.declaration') })).id
    ref = (await json(await trader.request('GET', `/v1/records/${declaration}`))).consignment
    certificate = (await post(trader, '/v1/records', { type: 'cert.origin', consignment: ref, data: await load('cert.origin') })).id
    const event = await load('event.shipment')
    for (const [bizStep, unLocode] of [['departing', 'KZALA'], ['arriving', 'KZKOR'], ['inspecting', 'KZKOR']]) {
      events.push((await post(carrier, '/v1/records', { type: 'event.shipment', consignment: ref, data: { ...event, eventID: `urn:uuid:${crypto.randomUUID()}`, bizStep, readPoint: { ...event.readPoint, unLocode } } })).id)
      await nextMillisecond()
    }
    // An event of another consignment, which no query of this one may bring.
    await post(carrier, '/v1/records', { type: 'event.shipment', data: { ...event, eventID: `urn:uuid:${crypto.randomUUID()}` } })
    release = (await post(customs, '/v1/records', {
      type: 'decision.release', consignment: ref, data: { application: declaration, procedure: 'KZ.customs.export-declaration', reliesOn: [declaration], summary: 'Released for export.' }
    })).id
  })
  after(async () => { for (const t of [trader, carrier, customs, sps, uzCustoms, kz, uz]) await t?.close() })

  it('customs pulls the carrier\'s events of a consignment and gets exactly the fields the grant allows', async () => {
    assert.equal((await customs.request('GET', `/v1/records/${events[0] as string}`)).status, 404, 'a pull grant pushes nothing')
    const answer = await ask(customs, `/v1/participants/${carrier.node.participant}/consignments/${ref}?purpose=${ARRIVAL}`)
    assert.equal(answer.answer.outcome, 'records')
    assert.deepEqual(answer.records.map((r: any) => r.id), events)
    for (const r of answer.records) {
      assert.equal(r.verified, true)
      assert.equal(r.issuer, carrier.node.participant)
      assert.deepEqual(Object.keys(r.data).sort(), ['bizStep', 'eventTime', 'readPoint'])
      assert.deepEqual(Object.keys(r.data.readPoint), ['unLocode'])
    }
    assert.deepEqual(answer.records.map((r: any) => r.data.bizStep), ['departing', 'arriving', 'inspecting'])
    // On the bytes: what the grant leaves out is not there, not even hidden.
    const text = JSON.stringify(answer)
    for (const secret of ['urn:epc:class:lgtin', 'loading dock', 'KZ0457812', '43.2957']) assert.ok(!text.includes(secret), secret)
    assert.equal(answer.receipt.kept, true, 'the carrier took the receipt')
    // And on the signed bytes themselves, kept here as they came.
    const kept = await ask(customs, `/v1/participants/${carrier.node.participant}/consignments/${ref}?purpose=${ARRIVAL}&store=true`)
    assert.deepEqual(kept.stored.kept, events)
    for (const id of events) {
      const bytes = Buffer.from(await (await customs.request('GET', `/v1/records/${id}`, { headers: { accept: 'application/cbor' } })).arrayBuffer())
      assert.ok(bytes.length > 0)
      for (const secret of ['urn:epc:class:lgtin', 'loading dock', 'KZ0457812', '43.2957', 'Almaty Dried Fruit LLP warehouse']) assert.equal(bytes.indexOf(secret), -1, secret)
      assert.notEqual(bytes.indexOf('KZKOR') + bytes.indexOf('KZALA'), -2, 'what the grant allows is there')
    }
    const reuse = await json(await carrier.request('GET', `/v1/records/${events[1] as string}/reuse`))
    assert.ok(reuse.entries.some((e: any) => e.receiver === customs.node.participant && e.purpose === ARRIVAL), JSON.stringify(reuse))
  })

  it('the SPS agency pulls a certificate of origin it was never sent, keeps it, and the trader counts the use', async () => {
    assert.equal((await sps.request('GET', `/v1/records/${certificate}`)).status, 404)
    const answer = await ask(sps, `/v1/participants/${trader.node.participant}/records/${certificate}?purpose=KZ.sps.phytosanitary-certificate&store=true`)
    assert.deepEqual(answer.records.map((r: any) => r.id), [certificate])
    assert.deepEqual(answer.stored, { kept: [certificate], refused: [] })
    const held = await json(await sps.request('GET', `/v1/records/${certificate}`))
    assert.equal(held.verified, true)
    assert.equal(held.data.number, 'KZ-ALA-26-0048151')
    const reuse = await json(await trader.request('GET', `/v1/records/${certificate}/reuse`))
    assert.deepEqual(reuse.entries.map((e: any) => [e.receiver, e.purpose]), [[sps.node.participant, 'KZ.sps.phytosanitary-certificate']])
  })

  it('a pulled foreign document brings its scan from the holder, under the same grant', async () => {
    const scan = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000, 7)])
    const upload = await trader.request('POST', '/v1/attachments?name=certificate.pdf', { body: scan, headers: { 'content-type': 'application/pdf' } })
    assert.equal(upload.status, 201)
    const file = await json(upload)
    const foreign = { ...(await load('foreign.document')), attachments: [{ digest: file.digest, mediaType: 'application/pdf', name: 'certificate.pdf', size: scan.length }] }
    const document = (await post(trader, '/v1/records', { type: 'foreign.document', consignment: ref, data: foreign })).id
    await post(trader, '/v1/policies', { types: ['foreign.document'], to: { competence: 'phytosanitary' }, fields: [''], purpose: 'KZ.sps.phytosanitary-certificate', mode: 'pull' })
    const answer = await ask(sps, `/v1/participants/${trader.node.participant}/records/${document}?purpose=KZ.sps.phytosanitary-certificate&store=true`)
    assert.deepEqual(answer.stored.kept, [document])
    await until(async () => (await json(await sps.request('GET', `/v1/records/${document}/attachments`))).attachments?.[0]?.status === 'held', 'the scan to arrive')
    const copy = Buffer.from(await (await sps.request('GET', `/v1/records/${document}/attachments/${String(file.digest)}`)).arrayBuffer())
    assert.ok(copy.equals(scan))
  })

  it('the importing country\'s customs, certified by another authority, pulls the export declaration and the release, and verifies both', async () => {
    const fromTrader = await ask(uzCustoms, `/v1/participants/${trader.node.participant}/consignments/${ref}?purpose=UZ.customs.import-declaration`)
    assert.deepEqual(fromTrader.records.map((r: any) => r.type), ['customs.declaration'], 'only the declaration: no grant covers the certificate for it')
    assert.deepEqual(Object.keys(fromTrader.records[0].data).sort(), ['countryOfDestination', 'exporter', 'items'])
    const fromCustoms = await ask(uzCustoms, `/v1/participants/${customs.node.participant}/records?type=decision.release&purpose=UZ.customs.import-declaration&store=true`)
    assert.deepEqual(fromCustoms.records.map((r: any) => r.id), [release])
    assert.equal(fromCustoms.records[0].verified, true)
    assert.deepEqual(fromCustoms.records[0].data.reliesOn, [declaration], 'the release names the declaration pulled from the trader')
  })

  it('answers a participant no grant names with a signed nothing and no bytes of any record', async () => {
    const nothing = await ask(carrier, `/v1/participants/${trader.node.participant}/consignments/${ref}?purpose=KZ.transport.carriage`)
    assert.equal(nothing.answer.outcome, 'nothing')
    assert.deepEqual(nothing.records, [])
    assert.equal(nothing.answer.reason, undefined, 'a nothing says nothing of what exists')
    const text = JSON.stringify(nothing)
    for (const id of [declaration, certificate]) assert.ok(!text.includes(id))
    // The same for a record asked by id: no difference between one that exists and one that does not.
    const byId = await ask(carrier, `/v1/participants/${trader.node.participant}/records/${certificate}?purpose=KZ.transport.carriage`)
    assert.equal(byId.answer.outcome, 'nothing')
    assert.deepEqual(byId.records, [])
  })

  it('answers a stranger with a signed nothing, and a query that is not fresh or is replayed with nothing and why', async () => {
    const stranger = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Nobody' } })
    try {
      const query = createRecord(stranger.node.identity.signer, {
        type: 'query.request', issuedAt: timestamp(), data: { holder: trader.node.participant, select: { consignment: ref }, purpose: 'KZ.trade.curiosity' }
      })
      const reply = await trader.node.queries.answer(stranger.node.participant, query.bytes)
      assert.deepEqual(reply.records, [])
      const answer = parseRecord(reply.answer)
      verifyRecord(answer)
      assert.equal(answer.envelope.issuer, trader.node.participant)
      assert.equal(dataOf(answer).outcome, 'nothing')
      assert.equal(dataOf(answer).query, query.id)
      const again = parseRecord((await trader.node.queries.answer(stranger.node.participant, query.bytes)).answer)
      assert.equal(dataOf(again).reason, 'the query was answered before')
      const stale = createRecord(sps.node.identity.signer, {
        type: 'query.request', issuedAt: new Date(Date.now() - 3_600_000).toISOString(), data: { holder: trader.node.participant, select: { record: certificate }, purpose: 'KZ.sps.phytosanitary-certificate' }
      })
      const late = await trader.node.queries.answer(sps.node.participant, stale.bytes)
      assert.deepEqual(late.records, [])
      assert.match(String(dataOf(parseRecord(late.answer)).reason), /more than 5 minutes from this node's clock/)
      // Over the network, the holder does not even keep a stranger's connection: the query fails, with nothing of the records.
      await stranger.node.p2p?.dial(multiaddr(trader.node.addresses()[0] as string)).catch(() => {})
      const refused = await stranger.request('GET', `/v1/participants/${trader.node.participant}/consignments/${ref}?purpose=KZ.trade.curiosity`)
      const body = await refused.text()
      assert.ok(refused.status === 200 ? JSON.parse(body).records.length === 0 : [502, 504].includes(refused.status), body)
      assert.ok(!body.includes(declaration))
    } finally {
      await stranger.close()
    }
  })

  it('says so clearly when the holder cannot be reached or the question is malformed', async () => {
    const gone = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Gone' } })
    const id = gone.node.participant
    await gone.close()
    const unreachable = await customs.request('GET', `/v1/participants/${id}/consignments/${ref}?purpose=${ARRIVAL}`)
    assert.equal(unreachable.status, 502)
    assert.equal(unreachable.headers.get('content-type'), 'application/problem+json')
    assert.equal((await customs.request('GET', `/v1/participants/${carrier.node.participant}/records?purpose=${ARRIVAL}`)).status, 400, 'a selection is needed')
    assert.equal((await customs.request('GET', `/v1/participants/${carrier.node.participant}/records?type=event.shipment`)).status, 400, 'a purpose is needed')
    assert.equal((await customs.request('GET', `/v1/participants/${carrier.node.participant}/records?type=event.shipment&since=yesterday&purpose=${ARRIVAL}`)).status, 400)
  })
})
