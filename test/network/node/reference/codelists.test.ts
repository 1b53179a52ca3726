/**
 * Code lists between real nodes: the authority publishes versions of lists;
 * every certified participant receives them, a node that was offline when a
 * version came out included; documents a trader signs are checked against the
 * version in force on their date, a wrong code refused with the closest ones;
 * a list is searched by code or by name in any of its three languages.
 */
import assert from 'node:assert/strict'
import { fixture, type TempNode } from '../../../support/temp-node.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'
import { HS_EXTRACT, names } from '../../../support/reference-data.js'

const UNITS_2026_1 = {
  list: 'unece-rec20',
  version: '2026-1',
  validFrom: '2026-01-01',
  title: names('Units of measure', 'Единицы измерения', 'Өлшем бірліктері'),
  source: 'UN/ECE Recommendation 20, extract',
  entries: [
    { code: 'KGM', names: names('kilogram', 'килограмм', 'килограмм'), attributes: { symbol: 'kg' } },
    { code: 'TNE', names: names('tonne (metric ton)', 'тонна', 'тонна'), attributes: { symbol: 't' } },
    { code: 'H87', names: names('piece', 'штука', 'дана') },
    { code: 'NAR', names: names('number of articles', 'количество изделий', 'бұйымдар саны') }
  ]
}
// From July the list no longer holds NAR.
const UNITS_2026_2 = { ...UNITS_2026_1, version: '2026-2', validFrom: '2026-07-01', entries: UNITS_2026_1.entries.filter(e => e.code !== 'NAR') }

describe('code lists between nodes', function () {
  this.timeout(60_000)
  let authority: TempNode
  let trader: TempNode
  let invoice: Record<string, any>

  const lineWith = (unit: string, hsCode: string, date = '2026-11-02'): Record<string, unknown> => ({
    ...invoice, date, lines: [{ ...invoice.lines[0], unit, hsCode }]
  })
  const signInvoice = async (data: Record<string, unknown>): Promise<Response> =>
    await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: '6KZ123456789012-CODES01', data } })

  before(async () => {
    invoice = await fixture('trade.invoice')
    authority = await networkedNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', name: 'Almaty Dried Fruit', country: 'KZ' } })
    await certify(authority, trader, 'trader')
    await connect(authority, trader)
    await authority.node.policy.refreshDirectory()
  })
  after(async () => {
    await trader?.close()
    await authority?.close()
  })

  it('publishes a list at the authority, which every certified participant receives and can search', async () => {
    const published = await authority.request('POST', '/v1/codelists', { body: UNITS_2026_1 })
    assert.equal(published.status, 201, await published.clone().text())
    assert.equal(published.headers.get('location'), '/v1/codelists/unece-rec20?version=2026-1')
    assert.equal((await authority.request('POST', '/v1/codelists', { body: HS_EXTRACT })).status, 201)
    await until(async () => (await json(await trader.request('GET', '/v1/codelists'))).codelists.length === 2, 'the lists to reach the trader')
    const lists = (await json(await trader.request('GET', '/v1/codelists'))).codelists
    const units = lists.find((l: any) => l.list === 'unece-rec20')
    assert.equal(units.inForce, '2026-1')
    assert.equal(units.versions[0].issuer, authority.node.participant)
    assert.equal(units.versions[0].entryCount, 4)
    // By code, and by a name in each language.
    const byCode = await json(await trader.request('GET', '/v1/codelists/hs-2022?q=0813%2010'))
    assert.deepEqual(byCode.entries.map((e: any) => e.code), ['081310'])
    for (const q of ['apric', 'Абрикос', 'Өрік']) {
      const found = await json(await trader.request('GET', `/v1/codelists/hs-2022?q=${encodeURIComponent(q)}`))
      assert.deepEqual(found.entries.map((e: any) => e.code), ['081310'], q)
    }
    assert.equal((await trader.request('GET', '/v1/codelists/unece-rec21')).status, 404)
  })

  it('refuses a coded value the list in force does not hold, naming the field, the list, its version and the closest codes', async () => {
    const refused = await signInvoice(lineWith('KGS', '0813100000'))
    assert.equal(refused.status, 422)
    const problem = await json(refused)
    assert.equal(problem.type.endsWith('code-not-listed'), true, problem.type)
    assert.deepEqual(problem.errors.map((v: any) => v.path), ['/data/lines/0/unit'])
    assert.match(problem.errors[0].message, /"KGS" is not in unece-rec20 version 2026-1 \(in force on 2026-11-02\); did you mean KGM\b/)
    assert.equal((await signInvoice(lineWith('KGM', '0813100000'))).status, 201)
  })

  it('takes an HS code by its longest listed prefix, which must have no subdivisions listed under it', async () => {
    assert.equal((await signInvoice(lineWith('KGM', '0814001000'))).status, 201, 'heading 0814 has no subheadings listed')
    const refused = await signInvoice(lineWith('KGM', '0813900000'))
    assert.equal(refused.status, 422)
    const [violation] = (await json(refused)).errors
    assert.equal(violation.path, '/data/lines/0/hsCode')
    assert.match(violation.message, /not in hs-2022 version 2022/)
  })

  it('checks a document against the version in force on its own date, and a node offline when a version came out catches up', async () => {
    // The trader is away while the authority withdraws NAR from July.
    const dir = trader.dir
    // The node only: the folder stays for its return.
    await trader.node.close()
    assert.equal((await authority.request('POST', '/v1/codelists', { body: UNITS_2026_2 })).status, 201)
    trader = await networkedNode({ profile: { role: 'trader', name: 'Almaty Dried Fruit', country: 'KZ' } }, dir)
    const notices: Array<Record<string, unknown>> = []
    trader.node.events.on('regulation:changed', notice => notices.push(notice))
    await connect(authority, trader)
    await until(async () => (await json(await trader.request('GET', '/v1/codelists'))).codelists.find((l: any) => l.list === 'unece-rec20')?.versions.length === 2, 'the new version to reach the trader after its return')
    // It says what the new version changes: the types whose fields take the list, and the codes withdrawn.
    await until(() => notices.some(n => n.list === 'unece-rec20'), 'the node to announce the new version')
    const notice = notices.find(n => n.list === 'unece-rec20') as Record<string, any>
    assert.equal(notice.change, 'new-version')
    assert.equal(notice.from, '2026-07-01')
    assert.deepEqual(notice.withdrawn, ['NAR'])
    assert.ok(notice.types.includes('trade.invoice') && notice.types.includes('customs.declaration'), notice.types)
    assert.equal((await json(await trader.request('GET', '/v1/codelists/unece-rec20?date=2026-03-01'))).version, '2026-1')
    assert.equal((await json(await trader.request('GET', '/v1/codelists/unece-rec20'))).version, '2026-2')
    assert.equal((await signInvoice(lineWith('NAR', '0813100000', '2026-06-15'))).status, 201, 'dated before the change')
    const after = await signInvoice(lineWith('NAR', '0813100000', '2026-07-02'))
    assert.equal(after.status, 422, 'dated after it')
    assert.match((await json(after)).errors[0].message, /not in unece-rec20 version 2026-2 \(in force on 2026-07-02\)/)
  })

  it('refuses a list from a participant whose role does not publish reference data, and a malformed one', async () => {
    const byTrader = await trader.request('POST', '/v1/codelists', { body: UNITS_2026_1 })
    assert.equal(byTrader.status, 403)
    const twice = await authority.request('POST', '/v1/codelists', { body: { ...UNITS_2026_1, version: 'x', entries: [UNITS_2026_1.entries[0], UNITS_2026_1.entries[0]] } })
    assert.equal(twice.status, 422)
    assert.equal((await json(twice)).errors[0].path, '/entries/1/code')
    const noKazakh = await authority.request('POST', '/v1/codelists', { body: { ...UNITS_2026_1, version: 'y', entries: [{ code: 'KGM', names: { ru: 'килограмм', en: 'kilogram' } }] } })
    assert.equal(noKazakh.status, 422)
    assert.equal((await json(noKazakh)).errors[0].path, '/entries/0/names/kk')
  })
})
