/**
 * A declaration carries its payments, and customs checks them, on real
 * nodes. The trader's node fills in what the declaration owes when it signs
 * it; customs, working the payments out from its own schedule, finds them
 * equal. A declaration stating less duty than is due is refused by customs'
 * node on its own, the refusal naming the line, both amounts, the rate and
 * its legal basis; no release of those goods is signed meanwhile.
 */
import assert from 'node:assert/strict'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'
import { lorryAndApricots, publishRates } from '../../../support/reference-data.js'
import { ServiceError } from '../../../../node/errors.js'
import { dec, sub, text } from '../../../../record/money/decimal.js'

const IMPORT = 'KZ.customs.import-declaration'

describe('the payments a declaration states, checked by customs', function () {
  this.timeout(90_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let base: any

  const declare = async (extra: Record<string, unknown> = {}): Promise<{ ref: string, declaration: any }> => {
    const created = await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', data: { ...base, ...extra }, share: [customs.node.participant] } })
    assert.equal(created.status, 201)
    const record = await json(created)
    await until(async () => (await customs.request('GET', `/v1/records/${String(record.id)}`)).status === 200, 'the declaration to reach customs')
    return { ref: record.consignment, declaration: record }
  }
  const apply = async (ref: string): Promise<string> =>
    (await json(await trader.request('POST', `/v1/consignments/${ref}/applications`, { body: { procedure: IMPORT, agency: customs.node.participant } }))).application.id

  before(async () => {
    authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    await certify(authority, trader, 'trader')
    await certify(authority, customs, 'agency', { competence: 'customs' })
    await connect(trader, customs)
    for (const t of [trader, customs]) await t.node.policy.refreshDirectory()
    await publishRates(customs, [trader])
    assert.equal((await customs.request('POST', '/v1/profiles', {
      body: { procedure: IMPORT, title: 'Import declaration', elements: [{ id: 'goods', type: 'customs.declaration', path: '/items/*/hsCode' }] }
    })).status, 201)
    // The lorry and the apricots, without freight and insurance to the border.
    const { freight: _freight, insurance: _insurance, ...goods } = await lorryAndApricots()
    base = goods
  })
  after(async () => { for (const t of [trader, customs, authority]) await t?.close() })

  it('fills in the payments when the trader\'s node signs the declaration, and customs finds them equal to its own', async () => {
    const { ref, declaration } = await declare()
    const payments = declaration.data.payments
    assert.ok(payments !== undefined, 'the signed declaration states its payments')
    const own = await json(await trader.request('GET', `/v1/consignments/${ref}/payments`))
    assert.equal(payments.total, own.totals.total)
    assert.deepEqual(payments.lines.map((l: any) => `${l.item ?? '-'} ${l.tax} ${l.amount}`), [
      ...own.items.flatMap((i: any) => i.payments.map((p: any) => `${i.lineNumber} ${p.tax} ${p.amount}`)),
      `- fee ${own.totals.fees}`
    ])
    const atCustoms = await json(await customs.request('GET', `/v1/consignments/${ref}/payments`))
    assert.deepEqual(atCustoms.declared, payments)
    assert.deepEqual(atCustoms.mismatches, [])
    const application = await apply(ref)
    await until(async () => (await customs.request('GET', `/v1/applications/${application}`)).status === 200, 'the application to reach customs')
    // Nothing to refuse: the application waits for the officer.
    await new Promise(resolve => setTimeout(resolve, 300))
    assert.notEqual((await json(await customs.request('GET', `/v1/applications/${application}`))).status, 'decided')
  })

  it('refuses on its own a declaration stating less duty than is due, naming the line, and signs no release of its goods', async () => {
    const { declaration: honest } = await declare()
    const stated = honest.data.payments
    const dutyLine = stated.lines.find((l: any) => l.item === 1 && l.tax === 'duty')
    const lines = stated.lines.map((l: any) => l === dutyLine ? { ...l, amount: '1000.00' } : l)
    // The total adds up the lines as stated: the sum is right, the duty is not.
    const total = text(sub(dec(stated.total), sub(dec(dutyLine.amount), dec('1000.00'))))
    const { ref, declaration } = await declare({ payments: { ...stated, lines, total } })
    assert.equal(declaration.data.payments.lines[0].amount, '1000.00', 'the trader\'s own figures are signed as given')
    const application = await apply(ref)
    await until(async () => (await json(await trader.request('GET', `/v1/applications/${application}`))).status === 'decided', 'customs\' refusal to reach the trader')
    const decided = await json(await trader.request('GET', `/v1/applications/${application}`))
    assert.equal(decided.decision.type, 'decision.refusal')
    assert.equal(decided.decision.issuer, customs.node.participant)
    assert.deepEqual(decided.decision.data.actor, { user: 'automatic', name: 'Automatic check of the declared payments' })
    assert.ok(decided.decision.data.reliesOn.includes(declaration.id))
    const [line, totalLine] = decided.decision.data.reasons
    assert.match(line, new RegExp(`^item 1 duty: declared 1000\\.00 KZT, calculated ${String(dutyLine.amount).replace('.', '\\.')} KZT \\(`))
    assert.match(line, /Customs Tariff|Tariff|Code|Decision/i, 'names the legal basis')
    assert.equal(totalLine, `total: declared ${total} KZT, calculated ${String(stated.total)} KZT`)

    const findings = await customs.node.declarationCheck.findings(ref)
    assert.equal(findings?.mismatches.length, 2)
    await assert.rejects(customs.node.records.create({ type: 'decision.release', consignment: ref, data: { application, procedure: IMPORT, reliesOn: [application] } }),
      (err: unknown) => err instanceof ServiceError && err.code === 'payments-mismatch' && err.violations[0]?.message === line)
  })
})
