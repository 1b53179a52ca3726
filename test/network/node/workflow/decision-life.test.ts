/**
 * The life of a decision across real nodes on 127.0.0.1: the SPS agency
 * issues a phytosanitary certificate, which its grant lets customs reuse;
 * customs releases the goods relying on it. The agency suspends the
 * certificate, reinstates it, amends it and withdraws it: each change reaches
 * the trader and customs, whose views of the certificate's application and
 * of the release relying on it say so. A change signed by another agency is
 * refused at delivery and counts for nothing where it got in by hand.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRecord, timestamp, type SignedRecord } from '../../../../record/index.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { repoFile } from '../../../support/repo.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'

const DOCUMENTS = ['trade.contract', 'trade.invoice', 'trade.packing-list', 'cert.origin', 'transport.waybill']
const CUSTOMS = 'KZ.customs.export-declaration'
const SPS = 'KZ.sps.phytosanitary-certificate'

async function load (name: string): Promise<any> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/consignment/${name}.json`), 'utf8'))
}

describe('the life of a decision between nodes', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let consignment: string
  let spsApplication: string
  let customsApplication: string
  let certificate: string
  let release: string

  const post = async (t: TempNode, path: string, body: unknown, status = 200): Promise<any> => {
    const response = await t.request('POST', path, { body })
    const parsed = await json(response)
    assert.equal(response.status, status, JSON.stringify(parsed))
    return parsed
  }
  const get = async (t: TempNode, path: string): Promise<any> => await json(await t.request('GET', path))
  const outboxEmpty = async (t: TempNode): Promise<boolean> => (await get(t, '/v1/outbox')).count === 0

  before(async () => {
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ defaultPolicies: true, profile: { role: 'trader', country: 'KZ', name: 'Kostanay Grain' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    sps = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'Plant quarantine inspectorate' } })
    await certify(authority, trader, 'trader', { name: 'Kostanay Grain' })
    await certify(authority, customs, 'agency', { competence: 'customs', name: 'State Revenue Committee' })
    await certify(authority, sps, 'agency', { competence: 'phytosanitary', name: 'Plant quarantine inspectorate' })
    await connect(trader, customs)
    await connect(trader, sps)
    await connect(customs, sps)
    for (const t of [trader, customs, sps]) await t.node.policy.refreshDirectory()

    await post(customs, '/v1/profiles', await load('profile.customs-export'), 201)
    await post(sps, '/v1/profiles', await load('profile.phytosanitary'), 201)
    await until(async () => (await trader.request('GET', `/v1/profiles/${CUSTOMS}?agency=${customs.node.participant}`)).status === 200 &&
      (await trader.request('GET', `/v1/profiles/${SPS}?agency=${sps.node.participant}`)).status === 200, 'the trader to hold both profiles')
    for (const type of DOCUMENTS) {
      const doc = await load(type)
      const record = await post(trader, '/v1/records', { type, data: doc.data, ...(consignment !== undefined && { consignment }), ...(doc.validUntil !== undefined && { validUntil: doc.validUntil }) }, 201)
      consignment ??= record.consignment
    }
    spsApplication = (await post(trader, `/v1/consignments/${consignment}/applications`, { procedure: SPS, agency: sps.node.participant }, 201)).application.id
    customsApplication = (await post(trader, `/v1/consignments/${consignment}/applications`, { procedure: CUSTOMS, agency: customs.node.participant }, 201)).application.id
    await until(async () => (await sps.request('GET', `/v1/applications/${spsApplication}`)).status === 200 &&
      (await customs.request('GET', `/v1/applications/${customsApplication}`)).status === 200, 'both agencies to hold their application')
  })
  after(async () => {
    for (const t of [trader, customs, sps, authority]) await t?.close()
  })

  it('the SPS agency issues a certificate that customs reuses, and customs releases the goods relying on it', async () => {
    // The agency's grant sends customs its certificates.
    await post(sps, '/v1/policies', { types: ['decision.certificate'], to: { competence: 'customs' }, fields: [''], purpose: CUSTOMS }, 201)
    const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString()
    const decided = await post(sps, `/v1/applications/${spsApplication}/decision`, { kind: 'certificate', number: 'KZ-PC-2026-004512', summary: 'Free from quarantine pests.', validUntil })
    certificate = decided.decision.id
    assert.equal(decided.decisionStatus.status, 'valid')
    assert.equal(decided.decisionStatus.current, certificate)
    await until(async () => (await customs.request('GET', `/v1/records/${certificate}`)).status === 200, 'customs to receive the certificate')

    const released = await post(customs, `/v1/applications/${customsApplication}/decision`, { kind: 'release', number: 'KZ-REL-2026-000871', reliesOn: [customsApplication, certificate] })
    release = released.decision.id
    assert.deepEqual(released.reliance, [{ record: certificate, type: 'decision.certificate', issuer: sps.node.participant, status: 'valid' }])
    await until(async () => (await get(trader, `/v1/applications/${customsApplication}`)).status === 'decided', 'the release to reach the trader')
    const atTrader = await get(trader, `/v1/applications/${customsApplication}`)
    assert.equal(atTrader.decision.id, release)
    assert.deepEqual(atTrader.reliance.map((r: any) => [r.record, r.status]), [[certificate, 'valid']])
    await until(async () => await outboxEmpty(sps) && await outboxEmpty(customs), 'every delivery to be receipted')
  })

  it('the agency suspends the certificate: the trader and customs see it suspended, and the release flagged as relying on a suspended certificate', async () => {
    const lastDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    const suspended = await post(sps, `/v1/decisions/${certificate}/suspend`, { reason: 'Live pests found at the re-inspection of lot 3.', until: lastDay })
    assert.equal(suspended.status, 'suspended')
    assert.equal(suspended.until, lastDay)
    const suspension = suspended.change

    await until(async () => (await get(trader, `/v1/applications/${spsApplication}`)).decisionStatus?.status === 'suspended', 'the suspension to reach the trader')
    const application = await get(trader, `/v1/applications/${spsApplication}`)
    assert.equal(application.status, 'decided')
    assert.equal(application.decision.id, certificate)
    assert.equal(application.decisionStatus.reason, 'Live pests found at the re-inspection of lot 3.')
    assert.equal(application.decisionStatus.until, lastDay)
    assert.equal(application.decisionStatus.change, suspension)
    assert.deepEqual(application.history.slice(-2).map((h: any) => [h.status, h.record, h.by]), [['decided', certificate, sps.node.participant], ['suspended', suspension, sps.node.participant]])
    assert.equal(application.history.at(-1).note, 'Live pests found at the re-inspection of lot 3.')

    // The release the trader holds relies on a suspended certificate.
    const releaseAtTrader = await get(trader, `/v1/applications/${customsApplication}`)
    const flagged = { record: certificate, type: 'decision.certificate', issuer: sps.node.participant, status: 'suspended' }
    const why = { reason: 'Live pests found at the re-inspection of lot 3.', from: suspended.from, until: lastDay, change: suspension }
    assert.deepEqual(releaseAtTrader.reliance, [{ ...flagged, ...why }])
    // Customs received the suspension too: its own release, and the certificate, say so.
    await until(async () => (await get(customs, `/v1/decisions/${certificate}`)).status === 'suspended', 'the suspension to reach customs')
    const atCustoms = await get(customs, `/v1/decisions/${release}`)
    assert.equal(atCustoms.status, 'valid', 'the release itself is in force')
    assert.deepEqual(atCustoms.reliance.map((r: any) => [r.record, r.status, r.reason]), [[certificate, 'suspended', 'Live pests found at the re-inspection of lot 3.']])
    assert.equal((await get(customs, `/v1/applications/${customsApplication}`)).reliance[0].status, 'suspended')

    // Lifted early.
    const reinstated = await post(sps, `/v1/decisions/${certificate}/reinstate`, { reason: 'Lot 3 was fumigated; no live pests found.' })
    assert.equal(reinstated.status, 'valid')
    await until(async () => (await get(customs, `/v1/decisions/${release}`)).reliance[0].status === 'valid', 'the reinstatement to reach customs')
    await until(async () => (await get(trader, `/v1/applications/${spsApplication}`)).decisionStatus.status === 'valid', 'the reinstatement to reach the trader')
    const problem = await json(await sps.request('POST', `/v1/decisions/${certificate}/reinstate`, { body: { reason: 'again' } }))
    assert.equal(problem.type, 'urn:keruen:problem:not-in-force')
  })

  it('the agency amends the certificate: the application shows the new version in force, and the release relies on an amended certificate', async () => {
    const amended = await post(sps, `/v1/decisions/${certificate}/amend`, { number: 'KZ-PC-2026-004512/1', summary: 'Free from quarantine pests; lot 3 fumigated.' })
    const version = amended.current as string
    assert.notEqual(version, certificate)
    assert.equal(amended.status, 'valid')
    assert.deepEqual(amended.versions, [certificate, version])
    assert.equal(amended.inForce.supersedes, certificate)
    assert.equal(amended.inForce.data.number, 'KZ-PC-2026-004512/1')
    assert.equal(amended.inForce.data.procedure, SPS, 'what the amendment does not change is kept')
    assert.equal(amended.inForce.validUntil, (await get(sps, `/v1/records/${certificate}`)).validUntil)

    await until(async () => (await get(trader, `/v1/applications/${spsApplication}`)).decision.id === version, 'the new version to reach the trader')
    const application = await get(trader, `/v1/applications/${spsApplication}`)
    assert.equal(application.decision.data.number, 'KZ-PC-2026-004512/1')
    assert.equal(application.decisionStatus.status, 'valid')
    assert.deepEqual(application.decisionStatus.versions, [certificate, version])
    assert.equal(application.history.at(-1).status, 'amended')
    assert.equal(application.history.at(-1).record, version)
    assert.deepEqual(application.history.map((h: any) => h.status).filter((s: string) => s !== 'received'), ['submitted', 'decided', 'suspended', 'reinstated', 'amended'])

    // Customs receives the new version under the grant, and its release relied on the earlier one.
    await until(async () => (await get(customs, `/v1/decisions/${release}`)).reliance[0].status === 'amended', 'the new version to reach customs')
    assert.equal((await get(customs, `/v1/decisions/${release}`)).reliance[0].current, version)
    assert.equal((await get(trader, `/v1/applications/${customsApplication}`)).reliance[0].current, version)

    // Only the version in force changes.
    const stale = await json(await sps.request('POST', `/v1/decisions/${certificate}/suspend`, { body: { reason: 'stale' } }))
    assert.equal(stale.type, 'urn:keruen:problem:already-superseded')
    certificate = version
  })

  it('refuses a change to the certificate signed by another agency, and counts none that got in by hand', async () => {
    const byCustoms = await json(await customs.request('POST', `/v1/decisions/${certificate}/suspend`, { body: { reason: 'not ours to suspend' } }))
    assert.equal(byCustoms.type, 'urn:keruen:problem:not-owner')
    const throughRecords = await customs.request('POST', '/v1/records', {
      body: { type: 'decision.suspension', consignment, data: { application: spsApplication, decision: certificate, reason: 'not ours to suspend' } }
    })
    assert.equal(throughRecords.status, 403)
    assert.equal((await json(throughRecords)).type, 'urn:keruen:problem:not-owner')

    const forged = (application: string): SignedRecord => createRecord(customs.node.identity.signer, {
      type: 'decision.suspension', consignment, issuedAt: timestamp(), data: { application, decision: certificate, reason: 'forged' }
    })
    // Naming the application made to the SPS agency, or its own application to slip past that check: refused either way.
    const [aboutSps, aboutOwn] = [forged(spsApplication), forged(customsApplication)]
    const [first, second] = await trader.node.delivery.accept(customs.node.participant, [{ record: aboutSps.bytes }, { record: aboutOwn.bytes }])
    assert.ok(first !== undefined && 'refused' in first && second !== undefined && 'refused' in second)
    assert.match(first.refused, /is about an application made to .*: it is taken only from that agency/)
    assert.equal(second.refused, `not-permitted: decision.suspension ${aboutOwn.id} changes a decision of ${sps.node.participant}: it is taken only from that agency, not from ${customs.node.participant}`)
    assert.equal(await trader.node.records.get(aboutOwn.id), undefined)
    // A new version from another agency is refused the same way.
    const certificateRecord = await get(trader, `/v1/records/${certificate}`)
    const version = createRecord(customs.node.identity.signer, {
      type: 'decision.certificate', consignment, issuedAt: timestamp(), supersedes: certificate, data: { ...certificateRecord.data, application: customsApplication, number: 'FORGED' }
    })
    const [third] = await trader.node.delivery.accept(customs.node.participant, [{ record: version.bytes }])
    assert.ok(third !== undefined && 'refused' in third)
    assert.match(third.refused, /supersedes a decision\.certificate of .*: only its issuer makes a new version of it/)

    // Imported by hand, past the inbox: stored, and ignored.
    assert.equal((await trader.request('POST', '/v1/records/import', { body: aboutSps.bytes, headers: { 'content-type': 'application/cbor' } })).status, 201)
    assert.equal((await get(trader, `/v1/applications/${spsApplication}`)).decisionStatus.status, 'valid')
    assert.equal((await get(trader, `/v1/decisions/${certificate}`)).status, 'valid')
  })

  it('the agency withdraws the certificate: withdrawn everywhere, and it changes no more', async () => {
    const withdrawn = await post(sps, `/v1/decisions/${certificate}/withdraw`, { reason: 'The goods were not presented for the fumigation ordered.' })
    assert.equal(withdrawn.status, 'withdrawn')
    await until(async () => (await get(trader, `/v1/applications/${spsApplication}`)).decisionStatus.status === 'withdrawn', 'the withdrawal to reach the trader')
    const application = await get(trader, `/v1/applications/${spsApplication}`)
    assert.equal(application.decisionStatus.reason, 'The goods were not presented for the fumigation ordered.')
    assert.equal(application.history.at(-1).status, 'withdrawn')
    await until(async () => (await get(customs, `/v1/decisions/${release}`)).reliance[0].status === 'withdrawn', 'the withdrawal to reach customs')
    const relying = (await get(trader, `/v1/applications/${customsApplication}`)).reliance[0]
    assert.equal(relying.status, 'withdrawn')
    assert.equal(relying.reason, 'The goods were not presented for the fumigation ordered.')

    for (const [path, body] of [['suspend', { reason: 'x' }], ['withdraw', { reason: 'x' }], ['amend', { number: 'X' }]] as const) {
      const refused = await sps.request('POST', `/v1/decisions/${certificate}/${path}`, { body })
      assert.equal(refused.status, 409, path)
      assert.equal((await json(refused)).type, 'urn:keruen:problem:not-in-force')
    }
    // Another agency's decision is not the trader's to change.
    assert.equal((await trader.request('POST', `/v1/decisions/${release}/withdraw`, { body: { reason: 'x' } })).status, 403)
  })
})
