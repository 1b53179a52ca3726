/**
 * Submit once, reuse many, across real nodes on 127.0.0.1: one export
 * consignment (test/fixtures/consignment) is entered once by the trader;
 * customs and the SPS agency publish requirement profiles, receive through
 * applications what their competence needs and the trader's default grants
 * allow, ask for the one missing element, and sign a receipt for every use.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { coversAny, fieldPatterns, parseRecord, pathText, verifyRecord, type SignedRecord } from '../../../../record/index.js'
import { SPS_FIELDS } from '../../../../node/policy/policy-file.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { repoFile } from '../../../support/repo.js'
import { certify as certifyBy, connect, json, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'

const DOCUMENTS = ['trade.contract', 'trade.invoice', 'trade.packing-list', 'cert.origin', 'transport.waybill']
const CUSTOMS = 'KZ.customs.export-declaration'
const SPS = 'KZ.sps.phytosanitary-certificate'
const PRICE = /price|amount|total(Amount|Value)|charges|payment|payee/i

interface Doc { type: string, data: Record<string, unknown>, validUntil?: string }
interface Profile { procedure: string, title?: string, elements: Array<{ id: string, type: string, path: string, fresh?: boolean }> }

async function load<T> (name: string): Promise<T> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/consignment/${name}.json`), 'utf8')) as T
}

describe('submit once, reuse many', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let customsProfile: Profile
  let spsProfile: Profile
  let answer: Doc & { element: string }
  const ids = new Map<string, string>()
  let consignment: string

  const networked = async (role: string, defaultPolicies = false): Promise<TempNode> =>
    await networkedNode({ defaultPolicies, profile: { role, country: 'KZ', name: `${role} node` } })
  const certify = async (t: TempNode, role: string, competence?: string): Promise<void> => {
    await certifyBy(authority, t, role, { name: `${competence ?? role} of KZ`, ...(competence !== undefined && { competence }) })
  }

  const post = async (t: TempNode, path: string, body: unknown, status = 201): Promise<any> => {
    const response = await t.request('POST', path, { body })
    const parsed = await json(response)
    assert.equal(response.status, status, JSON.stringify(parsed))
    return parsed
  }

  const outboxEmpty = async (t: TempNode): Promise<boolean> => (await json(await t.request('GET', '/v1/outbox'))).count === 0

  /** The exact bytes a node holds of a record. */
  const held = async (t: TempNode, id: string): Promise<SignedRecord | undefined> => {
    const response = await t.request('GET', `/v1/records/${id}`, { headers: { accept: 'application/cbor' } })
    return response.status === 200 ? parseRecord(new Uint8Array(await response.arrayBuffer())) : undefined
  }

  before(async () => {
    customsProfile = await load('profile.customs-export')
    spsProfile = await load('profile.phytosanitary')
    answer = await load('answer')
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networked('trader', true)
    customs = await networked('agency')
    sps = await networked('agency')
    await certify(trader, 'trader')
    await certify(customs, 'agency', 'customs')
    await certify(sps, 'agency', 'phytosanitary')
    await connect(trader, customs)
    await connect(trader, sps)
    await connect(customs, sps)
    for (const t of [trader, customs, sps]) await t.node.policy.refreshDirectory()
  })
  after(async () => {
    for (const t of [authority, trader, customs, sps]) await t?.close()
  })

  it('agencies publish their requirement profiles to every certified participant', async () => {
    await post(customs, '/v1/profiles', customsProfile)
    await post(sps, '/v1/profiles', spsProfile)
    await until(async () => (await trader.request('GET', `/v1/profiles/${CUSTOMS}?agency=${customs.node.participant}`)).status === 200 &&
      (await trader.request('GET', `/v1/profiles/${SPS}?agency=${sps.node.participant}`)).status === 200, 'the trader to hold both profiles')
    const profile = await json(await trader.request('GET', `/v1/profiles/${CUSTOMS}`))
    assert.equal(profile.agency, customs.node.participant)
    assert.equal(profile.elements.length, customsProfile.elements.length)
  })

  it('only an agency publishes a profile', async () => {
    const refused = await trader.request('POST', '/v1/profiles', { body: spsProfile })
    assert.equal(refused.status, 403)
    assert.equal((await json(refused)).type, 'urn:keruen:problem:not-owner')
  })

  it('the trader enters every document once', async () => {
    for (const type of DOCUMENTS) {
      const doc = await load<Doc>(type)
      const record = await post(trader, '/v1/records', { type, data: doc.data, ...(consignment !== undefined && { consignment }), ...(doc.validUntil !== undefined && { validUntil: doc.validUntil }) })
      consignment ??= record.consignment
      ids.set(type, record.id)
    }
    const held = await json(await trader.request('GET', `/v1/consignments/${consignment}`))
    assert.deepEqual(held.records.map((r: any) => r.type).sort(), [...DOCUMENTS].sort())
    const leaves = held.records.reduce((n: number, r: any) => n + r.fields.total, 0)
    assert.ok(leaves >= 180 && leaves <= 230, `${leaves} data elements`)
  })

  it('resolves each profile against what was submitted: present, and the one element missing', async () => {
    const forCustoms = await json(await trader.request('GET', `/v1/consignments/${consignment}/requirements/${CUSTOMS}`))
    assert.deepEqual(forCustoms.elements.filter((e: any) => e.status !== 'present').map((e: any) => [e.id, e.status]), [[answer.element, 'missing']])
    for (const element of forCustoms.elements.filter((e: any) => e.status === 'present')) {
      assert.ok(element.sources.every((s: any) => s.record === ids.get(element.type)), element.id)
    }
    const forSps = await json(await trader.request('GET', `/v1/consignments/${consignment}/requirements/${SPS}`))
    assert.equal(forSps.summary.coverage, 1)
  })

  let customsApplication: any
  let spsApplication: any

  it('applications share what each profile needs and the grants allow; each agency holds at least 95 % of its profile without a request', async () => {
    customsApplication = await post(trader, `/v1/consignments/${consignment}/applications`, { procedure: CUSTOMS, agency: customs.node.participant })
    spsApplication = await post(trader, `/v1/consignments/${consignment}/applications`, { procedure: SPS, agency: sps.node.participant })
    assert.ok(customsApplication.resolution.summary.coverage >= 0.95)
    assert.equal(customsApplication.resolution.summary.missing, 1)
    assert.equal(spsApplication.resolution.summary.coverage, 1)
    assert.deepEqual(spsApplication.renewal, [])
    await until(async () => await outboxEmpty(trader), 'every share to be delivered')

    const atCustoms = await json(await customs.request('GET', `/v1/consignments/${consignment}/requirements/${CUSTOMS}`))
    assert.ok(atCustoms.summary.coverage >= 0.95, JSON.stringify(atCustoms.summary))
    assert.deepEqual(atCustoms.elements.filter((e: any) => e.status !== 'present').map((e: any) => e.id), [answer.element])
    const atSps = await json(await sps.request('GET', `/v1/consignments/${consignment}/requirements/${SPS}`))
    assert.ok(atSps.summary.coverage >= 0.95, JSON.stringify(atSps.summary))
    // The agency holds the application itself, signed by the trader.
    const application = await json(await sps.request('GET', `/v1/records/${spsApplication.application.id}`))
    assert.equal(application.verified, true)
    assert.equal(application.issuer, trader.node.participant)
  })

  it('each agency holds only the fields its grant allows, every copy verified (checked on disk)', async () => {
    const allowed = fieldPatterns(SPS_FIELDS)
    for (const type of DOCUMENTS) {
      const id = ids.get(type) as string
      const atSps = await held(sps, id)
      if (type === 'trade.contract') {
        assert.equal(atSps, undefined, 'the contract is not the SPS agency\'s business')
      } else {
        assert.ok(atSps !== undefined, type)
        verifyRecord(atSps)
        const outside = atSps.disclosures.filter(d => !coversAny(allowed, d.path)).map(d => pathText(d.path))
        assert.deepEqual(outside, [], `${type} fields beyond the SPS grant`)
        assert.deepEqual(atSps.disclosures.map(d => pathText(d.path)).filter(p => PRICE.test(p)), [], `${type} prices at the SPS agency`)
      }
      const atCustoms = await held(customs, id)
      assert.ok(atCustoms !== undefined, type)
      verifyRecord(atCustoms)
      assert.equal(atCustoms.disclosures.length, atCustoms.envelope.digests.length, `customs holds the whole ${type}`)
    }
  })

  it('the missing element travels through a missing-data request, and the trader\'s answer completes the application', async () => {
    const request = await post(customs, `/v1/applications/${customsApplication.application.id}/missing-data`, { message: 'Please complete the declaration data.' })
    assert.deepEqual(request.elements.map((e: any) => e.id), [answer.element])
    await until(async () => (await trader.request('GET', `/v1/records/${request.request.id}`)).status === 200, 'the request to reach the trader')
    const atTrader = await json(await trader.request('GET', `/v1/records/${request.request.id}`))
    assert.equal(atTrader.type, 'request.missing-data')
    assert.equal(atTrader.issuer, customs.node.participant)
    assert.deepEqual(atTrader.data.elements.map((e: any) => e.id), [answer.element])

    // Nothing else was asked for: the SPS agency is not asked and asks for nothing.
    const nothing = await sps.request('POST', `/v1/applications/${spsApplication.application.id}/missing-data`, { body: {} })
    assert.equal(nothing.status, 400)

    await post(trader, '/v1/records', { type: answer.type, consignment, data: answer.data, supersedes: ids.get(answer.type) })
    const again = await post(trader, `/v1/consignments/${consignment}/applications`, { procedure: CUSTOMS, agency: customs.node.participant })
    assert.equal(again.resolution.summary.coverage, 1)
    assert.equal(again.application.supersedes, customsApplication.application.id)
    await until(async () => (await json(await customs.request('GET', `/v1/consignments/${consignment}/requirements/${CUSTOMS}`))).summary.coverage === 1, 'customs to hold every element')
  })

  it('the trader\'s reuse ledger shows every use: who, which record, which fields, for what', async () => {
    await until(async () => await outboxEmpty(trader), 'every share to be delivered')
    const ledger = await json(await trader.request('GET', `/v1/consignments/${consignment}/reuse`))
    assert.ok(ledger.entered >= 180, `${ledger.entered} elements entered`)
    assert.ok(ledger.usesByAuthorities > ledger.entered, `${ledger.usesByAuthorities} uses of ${ledger.entered} elements`)
    assert.ok(ledger.reuseRatio > 1)
    const receivers = new Set(ledger.entries.map((e: any) => e.receiver))
    assert.deepEqual([...receivers].sort(), [customs.node.participant, sps.node.participant].sort())
    assert.ok(ledger.entries.some((e: any) => e.receiver === sps.node.participant && e.purpose === SPS))
    assert.ok(ledger.entries.some((e: any) => e.receiver === customs.node.participant && e.purpose === CUSTOMS))
    for (const entry of ledger.entries) {
      assert.ok(entry.receipt && entry.receivedAt && entry.leaves > 0, JSON.stringify(entry))
      if (entry.receiver === sps.node.participant) assert.equal(entry.fields.some((f: string) => PRICE.test(f)), false)
    }
    // Every record the agencies hold is in the ledger.
    for (const type of DOCUMENTS) {
      const reuse = await json(await trader.request('GET', `/v1/records/${ids.get(type) as string}/reuse`))
      assert.ok(reuse.entries.some((e: any) => e.receiver === customs.node.participant), type)
    }
  })

  it('the trader follows each application in real time: received, under review, decided — every step signed by the agency', async () => {
    const id = spsApplication.application.id
    const inbox = await json(await sps.request('GET', '/v1/applications?status=received'))
    assert.deepEqual(inbox.applications.map((a: any) => a.id), [id])
    await until(async () => (await json(await trader.request('GET', `/v1/applications/${id}`))).status === 'received', 'the agency\'s receipt')

    const changed = once(trader.node.events, 'application:changed')
    const reviewing = await post(sps, `/v1/applications/${id}/status`, { status: 'under-review', note: 'Sampling at the elevator on 2026-11-23.' }, 200)
    assert.equal(reviewing.status, 'under-review')
    await until(async () => (await json(await trader.request('GET', `/v1/applications/${id}`))).status === 'under-review', 'the status to reach the trader')
    assert.deepEqual((await changed).slice(0, 1).concat((await changed)[2]), [id, 'application.status'])

    // The SPS agency lets customs reuse its certificates: customs will not ask the trader for one.
    await post(sps, '/v1/policies', { types: ['decision.certificate'], to: { competence: 'customs' }, fields: [''], purpose: CUSTOMS })
    const decided = await post(sps, `/v1/applications/${id}/decision`, { kind: 'certificate', number: 'KZ-PC-2026-004512', summary: 'Free from quarantine pests.' }, 200)
    assert.equal(decided.status, 'decided')
    assert.deepEqual([...decided.decision.data.reliesOn].sort(), [...new Set([id, ...spsApplication.shared.map((s: any) => s.record)])].sort())

    await until(async () => (await json(await trader.request('GET', `/v1/applications/${id}`))).status === 'decided', 'the decision to reach the trader')
    const atTrader = await json(await trader.request('GET', `/v1/applications/${id}`))
    assert.deepEqual(atTrader.history.map((h: any) => h.status), ['submitted', 'received', 'under-review', 'decided'])
    assert.ok(atTrader.history.slice(1).every((h: any) => h.by === sps.node.participant))
    assert.equal(atTrader.decision.type, 'decision.certificate')
    assert.equal(atTrader.decision.verified, true)
    assert.equal(atTrader.decision.issuer, sps.node.participant)
    assert.ok(atTrader.timeToDecisionMs >= 0)
    await until(async () => (await customs.request('GET', `/v1/records/${decided.decision.id as string}`)).status === 200, 'customs to receive the certificate')

    const report = await json(await trader.request('GET', '/v1/reports/decision-times'))
    assert.deepEqual(report.procedures.map((p: any) => [p.procedure, p.decided]), [[SPS, 1]])

    assert.equal((await sps.request('POST', `/v1/applications/${id}/decision`, { body: { kind: 'release' } })).status, 409)
    const notMine = await trader.request('POST', `/v1/applications/${id}/status`, { body: { status: 'under-review' } })
    assert.equal(notMine.status, 403)
  })

  it('shows a missing-data request in the history of the application it concerns, and refuses a refusal without reasons', async () => {
    const first = await json(await trader.request('GET', `/v1/applications/${customsApplication.application.id as string}`))
    assert.ok(first.history.some((h: any) => h.status === 'more-information-requested' && h.by === customs.node.participant), JSON.stringify(first.history))
    const current = (await json(await customs.request('GET', '/v1/applications'))).applications.find((a: any) => a.procedure === CUSTOMS && a.consignment === consignment)
    const refusal = await customs.request('POST', `/v1/applications/${current.id as string}/decision`, { body: { kind: 'refusal' } })
    assert.equal(refusal.status, 400)
    assert.equal((await json(refusal)).errors[0].path, '/reasons')
  })

  it('reports an expired certificate as expired and the application asks for its renewal', async () => {
    const origin = await load<Doc>('cert.origin')
    const soon = new Date(Date.now() + 1500).toISOString()
    const cert = await post(trader, '/v1/records', { type: 'cert.origin', data: origin.data, validUntil: soon })
    const ref = cert.consignment
    await until(() => new Date().toISOString() > soon, 'the certificate to expire', 5000)
    const fresh = customsProfile.elements.filter(e => e.type === 'cert.origin' && e.fresh === true)
    assert.ok(fresh.length > 0, 'the customs profile has elements that need a valid certificate')
    const application = await post(trader, `/v1/consignments/${ref}/applications`, { procedure: CUSTOMS, agency: customs.node.participant })
    const expired = application.resolution.elements.filter((e: any) => e.status === 'expired')
    assert.deepEqual(expired.map((e: any) => e.id).sort(), fresh.map(e => e.id).sort())
    assert.match(expired[0].note, /validity ended.*renew the cert\.origin/)
    assert.deepEqual(application.renewal.map((r: any) => r.element).sort(), fresh.map(e => e.id).sort())
    assert.ok(application.renewal.every((r: any) => r.records.includes(cert.id)))
  })

  it('refuses an application to a participant that is not a certified agency, or for an unknown procedure', async () => {
    const notAgency = await trader.request('POST', `/v1/consignments/${consignment}/applications`, { body: { procedure: CUSTOMS, agency: authority.node.participant } })
    assert.equal(notAgency.status, 422)
    const unknown = await trader.request('POST', `/v1/consignments/${consignment}/applications`, { body: { procedure: 'KZ.vet.import-permit', agency: customs.node.participant } })
    assert.equal(unknown.status, 404)
    const bad = await trader.request('POST', `/v1/consignments/${consignment}/applications`, { body: { procedure: 'customs', agency: 'x' } })
    assert.equal(bad.status, 400)
  })
})
