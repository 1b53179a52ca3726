/**
 * Risk rules and automatic release on real nodes. Customs keeps two rules:
 * dried fruit, paid, no open request: green; lorries: red. The apricots'
 * application waits for its payment (no rule decides it yet) — a release by
 * hand is refused until then — and is released by customs' node on its own
 * once the bank's confirmation arrives, naming the rule. The lorry's lands in the
 * officer's inbox with the red rule's reason, and an officer may release it
 * by hand only against a guarantee. Every evaluation is kept.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { repoFile } from '../../../support/repo.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'
import { publishRates } from '../../../support/reference-data.js'

const IMPORT = 'KZ.customs.import-declaration'
const load = async (path: string): Promise<any> => JSON.parse(await readFile(repoFile(path), 'utf8'))

describe('risk rules and automatic release', function () {
  this.timeout(90_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let bank: TempNode

  const declare = async (item: Record<string, unknown>): Promise<{ ref: string, application: string }> => {
    const data = { ...await load('test/fixtures/records/customs.declaration.json'), procedure: 'import', date: '2026-11-03', currency: 'EUR', items: [{ lineNumber: 1, ...item }] }
    const ref = (await json(await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', data, share: [customs.node.participant] } }))).consignment as string
    const applied = await json(await trader.request('POST', `/v1/consignments/${ref}/applications`, { body: { procedure: IMPORT, agency: customs.node.participant } }))
    return { ref, application: applied.application.id }
  }
  const evaluations = async (id: string): Promise<any[]> => (await json(await customs.request('GET', `/v1/applications/${id}/evaluations`))).evaluations

  before(async () => {
    authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    bank = await networkedNode({ profile: { role: 'bank', country: 'KZ', name: 'Halyk Bank' } })
    await certify(authority, trader, 'trader', { aeo: '2' })
    await certify(authority, customs, 'agency', { competence: 'customs' })
    await certify(authority, bank, 'bank')
    await connect(trader, customs)
    await connect(trader, bank)
    await connect(bank, customs)
    for (const t of [trader, customs, bank]) await t.node.policy.refreshDirectory()
    await publishRates(customs, [trader])
    assert.equal((await customs.request('POST', '/v1/profiles', {
      body: { procedure: IMPORT, title: 'Import declaration', elements: [{ id: 'goods', type: 'customs.declaration', path: '/items/*/hsCode' }, { id: 'importer', type: 'customs.declaration', path: '/importer/name' }] }
    })).status, 201)
    const rule = (over: Record<string, unknown>): Record<string, unknown> => ({ priority: 100, validFrom: '2026-01-01', ...over })
    assert.equal((await customs.request('POST', '/v1/risk-rules', { body: rule({ rule: 'dried-fruit', title: 'Dried fruit, paid', when: { procedures: [IMPORT], goods: ['0813'], paymentConfirmed: true, openMissingData: false }, outcome: 'green', reason: 'Regular goods, paid' }) })).status, 201)
    assert.equal((await customs.request('POST', '/v1/risk-rules', { body: rule({ rule: 'lorries', title: 'Lorries', priority: 10, when: { goods: ['870421'] }, outcome: 'red', reason: 'Inspect the vehicle identification number against the papers' }) })).status, 201)
    assert.equal((await trader.request('POST', '/v1/risk-rules', { body: rule({ rule: 'x', title: 'x', when: {}, outcome: 'green' }) })).status, 403, 'a trader keeps no rules')
  })
  after(async () => { for (const t of [trader, customs, bank, authority]) await t?.close() })

  it('holds an application until it is paid, refuses a release by hand meanwhile, and releases it on its own once the bank confirms', async () => {
    const { ref, application } = await declare({ hsCode: '0813100000', description: 'Apricots, dried', originCountry: 'UZ', netMass: '5000.000', itemAmount: '9000.00' })
    await until(async () => (await customs.request('GET', `/v1/applications/${application}/evaluations`)).status === 200 && (await evaluations(application)).length > 0, 'customs to evaluate the application')
    // Unpaid, the green rule does not match yet: no rule decides, and the application waits, yellow.
    const [first] = await evaluations(application)
    assert.equal(first.outcome, 'yellow')
    assert.deepEqual(first.rules, [])
    assert.equal(first.trigger, 'application received')
    assert.equal(first.facts.paymentConfirmed, false)
    assert.equal(first.facts.aeo, '2', 'the applicant\'s certificate makes it an authorised economic operator of the second type')
    assert.deepEqual(first.facts.hsCodes, ['0813100000'])
    assert.equal(first.release, undefined)
    const byHand = await customs.request('POST', `/v1/applications/${application}/decision`, { body: { kind: 'release' } })
    assert.equal(byHand.status, 409)
    assert.match((await json(byHand)).detail, /not released: no payment of the 989962\.40 KZT the declaration owes is confirmed by a bank/)

    const order = await json(await trader.request('POST', `/v1/consignments/${ref}/payment-orders`, {
      body: { bank: bank.node.participant, payer: { name: 'Almaty Dried Fruit LLP', account: 'KZ86125KZT5004100100' }, payee: { name: 'State Revenue Committee', account: 'KZ24070105KSN0000000', participant: customs.node.participant } }
    }))
    await until(async () => (await json(await bank.request('GET', '/v1/payment-orders?status=pending'))).orders.some((o: any) => o.id === order.id), 'the order to reach the bank')
    assert.equal((await bank.request('POST', `/v1/payment-orders/${String(order.id)}/confirm`, { body: { bankReference: 'HSBK-9' } })).status, 201)
    await until(async () => (await json(await trader.request('GET', `/v1/applications/${application}`))).status === 'decided', 'the automatic release to reach the trader')
    const decided = await json(await trader.request('GET', `/v1/applications/${application}`))
    assert.equal(decided.decision.type, 'decision.release')
    assert.equal(decided.decision.issuer, customs.node.participant)
    assert.equal(decided.decision.verified, true)
    assert.deepEqual(decided.decision.data.actor, { user: 'automatic', name: 'Automatic release (risk rules)' })
    assert.equal(decided.decision.data.summary, 'Released automatically by the risk rules: dried-fruit.')
    const last = (await evaluations(application)).at(-1)
    assert.equal(last.outcome, 'green')
    assert.equal(last.trigger, 'payment confirmed')
    assert.equal(last.release, decided.decision.id)
    assert.deepEqual(last.rules.map((r: any) => r.rule), ['dried-fruit'])
  })

  it('leaves a red application to the officer with the rule\'s reason, and releases it by hand only against a guarantee', async () => {
    const { application } = await declare({ hsCode: '8704219000', description: 'Refrigerated lorry', originCountry: 'DE', netMass: '3200.000', itemAmount: '42000.00' })
    await until(async () => (await customs.request('GET', `/v1/applications/${application}/evaluations`)).status === 200 && (await evaluations(application)).length > 0, 'customs to evaluate the application')
    const [evaluation] = await evaluations(application)
    assert.equal(evaluation.outcome, 'red')
    assert.deepEqual(evaluation.rules.map((r: any) => [r.rule, r.outcome, r.reason]), [['lorries', 'red', 'Inspect the vehicle identification number against the papers']])
    const inbox = (await json(await customs.request('GET', '/v1/applications'))).applications
    assert.ok(inbox.some((a: any) => a.id === application && a.status !== 'decided'), 'in the officer\'s inbox, undecided')
    assert.equal((await customs.request('POST', `/v1/applications/${application}/decision`, { body: { kind: 'release' } })).status, 409)
    const guaranteed = await customs.request('POST', `/v1/applications/${application}/decision`, { body: { kind: 'release', guarantee: 'Bank guarantee HSBK-G-2026-0042 for 11 000 000.00 KZT' } })
    assert.equal(guaranteed.status, 200)
    assert.equal((await json(guaranteed)).decision.data.guarantee, 'Bank guarantee HSBK-G-2026-0042 for 11 000 000.00 KZT')
  })
})
