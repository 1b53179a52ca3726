/**
 * The integrated tariff on real nodes: the SPS agency publishes a
 * phytosanitary measure for dried fruit (HS 0813) exported, customs an
 * export-declaration measure for all goods, the authority the HS list. A
 * trader's invoice of two lines (0813 10 and 8704 21) bound for DE needs the
 * declaration and the certificate, and the certificate for the fruit only;
 * applying to all files both; the SPS agency supersedes its measure and
 * profile with one more element, and the trader's node says so for the open
 * consignment and shows the new missing element; both decisions show. A
 * prohibition stops another consignment with its legal basis.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { NodeEventMap } from '../../../../node/events.js'
import { repoFile } from '../../../support/repo.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'
import { HS_EXTRACT, names } from '../../../support/reference-data.js'

const SPS = 'KZ.sps.phytosanitary-certificate'
const CUSTOMS = 'KZ.customs.export-declaration'

async function load (name: string): Promise<any> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/consignment/${name}.json`), 'utf8'))
}

const measure = (over: Record<string, unknown>): Record<string, unknown> => ({
  directions: ['export'],
  legalBasis: { act: 'Order of the Minister of Agriculture No. 15-02/123', article: '7' },
  validFrom: '2026-01-01',
  ...over
})

describe('the integrated tariff between nodes', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let ref: string
  let spsMeasure: string

  const procedures = async (consignment = ref): Promise<any> => await json(await trader.request('GET', `/v1/consignments/${consignment}/procedures`))
  const need = (view: any, procedure: string): any => view.procedures.find((p: any) => p.procedure === procedure)

  before(async () => {
    authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ defaultPolicies: true, profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    sps = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'Plant quarantine inspectorate' } })
    await certify(authority, trader, 'trader', { name: 'Almaty Dried Fruit' })
    await certify(authority, customs, 'agency', { competence: 'customs', name: 'State Revenue Committee' })
    await certify(authority, sps, 'agency', { competence: 'phytosanitary', name: 'Plant quarantine inspectorate' })
    for (const t of [trader, customs, sps]) await connect(authority, t)
    await connect(trader, customs)
    await connect(trader, sps)
    for (const t of [authority, trader, customs, sps]) await t.node.policy.refreshDirectory()

    assert.equal((await authority.request('POST', '/v1/codelists', { body: HS_EXTRACT })).status, 201)
    assert.equal((await sps.request('POST', '/v1/profiles', { body: await load('profile.phytosanitary') })).status, 201)
    assert.equal((await customs.request('POST', '/v1/profiles', { body: await load('profile.customs-export') })).status, 201)
    const published = await json(await sps.request('POST', '/v1/measures', {
      body: measure({ measure: 'KZ.sps.dried-fruit-export', kind: 'certificate', goods: ['0813'], procedure: SPS, title: names('Phytosanitary certificate for dried fruit', 'Фитосанитарный сертификат на сушёные фрукты', 'Кептірілген жемістерге фитосанитариялық сертификат') })
    }))
    spsMeasure = published.id
    assert.equal((await customs.request('POST', '/v1/measures', {
      body: measure({ measure: 'KZ.customs.export', kind: 'declaration', procedure: CUSTOMS, legalBasis: { act: 'Customs Code of the EAEU', article: '104' }, title: names('Export declaration', 'Декларация на товары при вывозе', 'Әкету кезіндегі тауарларға арналған декларация') })
    })).status, 201)
    await until(async () => (await json(await trader.request('GET', '/v1/measures'))).measures.length === 2 &&
      (await json(await trader.request('GET', '/v1/codelists'))).codelists.length === 1, 'the measures and the HS list to reach the trader')

    const invoice = (await load('trade.invoice')).data
    const [first] = invoice.lines
    const lines = [
      { ...first, lineNumber: 1, hsCode: '0813100000', description: 'Apricots, dried, pitted' },
      { ...first, lineNumber: 2, hsCode: '8704210000', description: 'Refrigerated lorry, diesel, 3.5 t' }
    ]
    const buyer = { ...invoice.buyer, name: 'Rheinfrucht GmbH', country: 'DE', address: { ...invoice.buyer.address, city: 'Duisburg', country: 'DE' } }
    // Every document speaks of the same goods: where one has lines with HS codes, they are the invoice's.
    const sameGoods = (data: any): any => Object.fromEntries(Object.entries(data).map(([key, value]: [string, any]) =>
      [key, Array.isArray(value) && value[0]?.hsCode !== undefined ? value.slice(0, 2).map((line: any, i: number) => ({ ...line, hsCode: lines[i]?.hsCode })) : value]))
    for (const type of ['trade.invoice', 'trade.contract', 'trade.packing-list', 'cert.origin', 'transport.waybill']) {
      const data = type === 'trade.invoice' ? { ...invoice, lines, buyer } : sameGoods((await load(type)).data)
      const record = await json(await trader.request('POST', '/v1/records', { body: { type, data, ...(ref !== undefined && { consignment: ref }) } }))
      assert.ok(record.id !== undefined, JSON.stringify(record))
      ref ??= record.consignment
    }
  })
  after(async () => {
    for (const t of [trader, customs, sps, authority]) await t?.close()
  })

  it('finds every measure in force for goods, explained, with the HS name', async () => {
    const fruit = await json(await trader.request('GET', '/v1/tariff/0813100000?direction=export&origin=KZ&destination=DE'))
    assert.deepEqual(fruit.measures.map((m: any) => m.measure).sort(), ['KZ.customs.export', 'KZ.sps.dried-fruit-export'])
    const certificate = fruit.measures.find((m: any) => m.kind === 'certificate')
    assert.equal(certificate.because, '0813 10 0000 is in 0813; export; from KZ; to DE')
    assert.equal(certificate.agencyName, 'Plant quarantine inspectorate')
    assert.equal(certificate.procedure, SPS)
    assert.equal(certificate.legalBasis.article, '7')
    assert.deepEqual(fruit.goods, { code: '081310', names: names('Apricots', 'Абрикосы', 'Өріктер') })
    const lorry = await json(await trader.request('GET', '/v1/tariff/8704210000?direction=export'))
    assert.deepEqual(lorry.measures.map((m: any) => m.measure), ['KZ.customs.export'])
    assert.equal(lorry.measures[0].because, 'all goods; export')
    assert.deepEqual((await json(await trader.request('GET', '/v1/tariff/0813100000?direction=import'))).measures, [])
  })

  it('lists the procedures a consignment\'s goods need with their requirement status, and applies to all of them at once', async () => {
    const view = await procedures()
    assert.equal(view.direction, 'export')
    assert.deepEqual(view.goods.map((g: any) => g.hsCode).sort(), ['0813100000', '8704210000'])
    assert.deepEqual(view.procedures.map((p: any) => p.procedure), [CUSTOMS, SPS])
    assert.deepEqual(need(view, SPS).measures[0].hsCodes, ['0813100000'], 'the certificate for the fruit, not for the lorry')
    assert.equal(need(view, SPS).agency, sps.node.participant)
    assert.match(need(view, SPS).requirement.status, /^(complete|incomplete)$/)
    assert.equal(need(view, SPS).requirement.required, 20)
    assert.equal(need(view, CUSTOMS).application, undefined)
    const all = await json(await trader.request('POST', `/v1/consignments/${ref}/applications`, { body: { all: true } }))
    assert.deepEqual(all.applied.map((a: any) => a.application.data.procedure).sort(), [CUSTOMS, SPS])
    const after = await procedures()
    assert.match(need(after, SPS).application.status, /^(submitted|received)$/)
    // Applying to all again files nothing new.
    const again = await json(await trader.request('POST', `/v1/consignments/${ref}/applications`, { body: { all: true } }))
    assert.equal(again.applied.length, 0)
    assert.equal(again.skipped.length, 2)
  })

  it('announces a superseded measure for the open consignment, and shows the element its new profile adds', async () => {
    const notices: Array<NodeEventMap['regulation:changed'][0]> = []
    trader.node.events.on('regulation:changed', notice => notices.push(notice))
    // The trader's systems hear of it too, by webhook, for this consignment only.
    const posted: any[] = []
    const receiver = createServer((req, res) => {
      let body = ''
      req.on('data', chunk => { body += String(chunk) })
      req.on('end', () => { posted.push(JSON.parse(body)); res.writeHead(204).end() })
    })
    await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    assert.equal((await trader.request('POST', '/v1/subscriptions', { body: { url, filter: { events: ['regulation.changed'], consignment: ref } } })).status, 201)
    const profile = await load('profile.phytosanitary')
    profile.elements.push({ id: 'declared-procedure', type: 'customs.declaration', path: '/procedure', description: 'the customs procedure declared' })
    assert.equal((await sps.request('POST', '/v1/profiles', { body: profile })).status, 201)
    const superseding = await sps.request('POST', '/v1/measures', {
      body: measure({ measure: 'KZ.sps.dried-fruit-export', kind: 'certificate', goods: ['0813'], procedure: SPS, validFrom: '2026-06-01', supersedes: spsMeasure, title: names('Phytosanitary certificate for dried fruit (2026)', 'Фитосанитарный сертификат на сушёные фрукты (2026)', 'Кептірілген жемістерге фитосанитариялық сертификат (2026)') })
    })
    assert.equal(superseding.status, 201, await superseding.clone().text())
    await until(() => notices.some(n => n.supersedes === spsMeasure), 'the trader\'s node to announce the change')
    const notice = notices.find(n => n.supersedes === spsMeasure) as Record<string, unknown>
    assert.equal(notice.change, 'superseded')
    assert.equal(notice.measure, 'KZ.sps.dried-fruit-export')
    assert.deepEqual(notice.consignments, [ref])
    assert.equal(notice.from, '2026-06-01')
    await until(() => posted.some(p => p.data?.supersedes === spsMeasure), 'the webhook to be told')
    const hook = posted.find(p => p.data?.supersedes === spsMeasure)
    assert.equal(hook.event, 'regulation.changed')
    assert.deepEqual(hook.data.consignments, [ref])
    receiver.close()
    await until(async () => need(await procedures(), SPS).requirement.missing.includes('declared-procedure'), 'the new profile to count')
    const view = await procedures()
    assert.equal(need(view, SPS).changedSinceApplication, true)
    assert.deepEqual((await json(await trader.request('GET', '/v1/measures'))).measures.filter((m: any) => m.measure === 'KZ.sps.dried-fruit-export').length, 1, 'the superseded version is gone')
  })

  it('shows both procedures decided once the agencies decide', async () => {
    for (const [agency, procedure, kind] of [[sps, SPS, 'certificate'], [customs, CUSTOMS, 'release']] as const) {
      await until(async () => (await json(await agency.request('GET', '/v1/applications'))).applications.some((a: any) => a.procedure === procedure), `the application to reach ${procedure}`)
      const application = (await json(await agency.request('GET', '/v1/applications'))).applications.find((a: any) => a.procedure === procedure)
      assert.equal((await agency.request('POST', `/v1/applications/${application.id as string}/decision`, { body: { kind, number: `N-${kind}` } })).status, 200)
    }
    await until(async () => (await procedures()).procedures.every((p: any) => p.application?.status === 'decided'), 'both decisions to reach the trader')
    const view = await procedures()
    assert.equal(need(view, SPS).application.decision, 'decision.certificate')
    assert.equal(need(view, CUSTOMS).application.decision, 'decision.release')
    assert.equal(need(view, SPS).changedSinceApplication, undefined, 'a decided application is not asked again')
  })

  it('stops a consignment whose goods a measure prohibits, with its legal basis', async () => {
    assert.equal((await customs.request('POST', '/v1/measures', {
      body: measure({ measure: 'KZ.customs.arms-export-ban', kind: 'prohibition', goods: ['9301'], legalBasis: { act: 'Decision of the EEC Board No. 30 of 21 April 2015', article: 'annex 2.1' }, title: names('Export of military weapons prohibited', 'Запрет вывоза боевого оружия', 'Әскери қаруды әкетуге тыйым') })
    })).status, 201)
    await until(async () => (await json(await trader.request('GET', '/v1/measures'))).measures.length === 3, 'the prohibition to reach the trader')
    const invoice = (await load('trade.invoice')).data
    const record = await json(await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', data: { ...invoice, lines: [{ ...invoice.lines[0], hsCode: '9301100000', description: 'Howitzer' }] } } }))
    const view = await procedures(record.consignment)
    assert.deepEqual(view.procedures, [])
    assert.equal(view.prohibited[0].measure, 'KZ.customs.arms-export-ban')
    assert.equal(view.prohibited[0].legalBasis.act, 'Decision of the EEC Board No. 30 of 21 April 2015')
    const refused = await trader.request('POST', `/v1/consignments/${String(record.consignment)}/applications`, { body: { all: true } })
    assert.equal(refused.status, 409)
    assert.match((await json(refused)).detail, /prohibited: Export of military weapons prohibited \(Decision of the EEC Board No\. 30 of 21 April 2015, art\. annex 2\.1\)/)
  })

  it('finds records and consignments by goods', async () => {
    const consignments = (await json(await trader.request('GET', '/v1/consignments?hsCode=0813'))).consignments
    assert.deepEqual(consignments, [ref])
    const records = (await json(await trader.request('GET', '/v1/records?hsCode=870421'))).records
    assert.deepEqual(records.map((r: any) => r.type).sort(), ['cert.origin', 'trade.invoice', 'transport.waybill'])
    assert.ok(records.every((r: any) => r.consignment === ref))
    assert.deepEqual((await json(await trader.request('GET', '/v1/records?hsCode=870421&type=trade.invoice'))).records.map((r: any) => r.type), ['trade.invoice'])
    assert.equal((await json(await trader.request('GET', '/v1/consignments?hsCode=10'))).consignments.length, 0)
    // Customs holds the copies the applications shared with it, received over the network: indexed by their HS code leaves alone.
    await until(async () => (await json(await customs.request('GET', '/v1/consignments?hsCode=0813'))).consignments.includes(ref), 'customs to index the goods it received')
    const atCustoms = (await json(await customs.request('GET', '/v1/records?hsCode=870421'))).records
    assert.ok(atCustoms.length > 0 && atCustoms.every((r: any) => r.consignment === ref && r.issuer === trader.node.participant))
    assert.equal((await json(await customs.request('GET', '/v1/consignments?hsCode=10'))).consignments.length, 0)
  })
})
