/**
 * Paying a declaration on real nodes: the trader orders its bank to pay what
 * the declaration owes; the bank's node lists the order, confirms part of it,
 * then the rest; customs, the payee, receives the confirmations; both sides
 * see the balance reach nought. A refusal reaches the trader with its reason.
 * A confirmation signed by a participant that is not a bank is refused at
 * customs with the reason, and counts for nothing.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRecord, timestamp } from '../../../../record/index.js'
import { repoFile } from '../../../support/repo.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'
import { lorryAndApricots, publishRates } from '../../../support/reference-data.js'

const load = async (path: string): Promise<any> => JSON.parse(await readFile(repoFile(path), 'utf8'))

describe('paying a declaration through a bank', function () {
  this.timeout(90_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let bank: TempNode
  let ref: string

  const order = async (): Promise<any> => await json(await trader.request('POST', `/v1/consignments/${ref}/payment-orders`, {
    body: {
      bank: bank.node.participant,
      payer: { name: 'Almaty Dried Fruit LLP', account: 'KZ86125KZT5004100100', bic: 'HSBKKZKX', legalId: '180540012345' },
      payee: { name: 'State Revenue Committee', account: 'KZ24070105KSN0000000', participant: customs.node.participant },
      reference: 'Import declaration, lorry and apricots'
    }
  }))

  before(async () => {
    authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Almaty Dried Fruit' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    bank = await networkedNode({ profile: { role: 'bank', country: 'KZ', name: 'Halyk Bank' } })
    await certify(authority, trader, 'trader')
    await certify(authority, customs, 'agency', { competence: 'customs' })
    await certify(authority, bank, 'bank', { name: 'Halyk Bank' })
    await connect(trader, customs)
    await connect(trader, bank)
    await connect(bank, customs)
    for (const t of [trader, customs, bank]) await t.node.policy.refreshDirectory()
    await publishRates(customs, [trader])
    const declaration = await lorryAndApricots()
    ref = (await json(await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', data: declaration, share: [customs.node.participant] } }))).consignment
  })
  after(async () => { for (const t of [trader, customs, bank, authority]) await t?.close() })

  it('orders the bank to pay the exact amounts due, and the bank lists the order as pending', async () => {
    const made = await order()
    assert.equal(made.type, 'payment.order')
    assert.deepEqual(made.data.amounts, [{ tax: 'duty', amount: '4295455.22' }, { tax: 'vat', amount: '4410000.62' }, { tax: 'fee', amount: '20000.00' }])
    assert.equal(made.data.total, '8725455.84')
    await until(async () => (await json(await bank.request('GET', '/v1/payment-orders?status=pending'))).orders.length === 1, 'the order to reach the bank')
    const settlement = await json(await trader.request('GET', `/v1/consignments/${ref}/settlement`))
    assert.deepEqual([settlement.status, settlement.due, settlement.paid, settlement.balance], ['unpaid', '8725455.84', '0.00', '-8725455.84'])
  })

  it('confirms part of the order, then the rest: the trader and customs see the balance reach nought', async () => {
    const [pending] = (await json(await bank.request('GET', '/v1/payment-orders?status=pending'))).orders
    const part = await json(await bank.request('POST', `/v1/payment-orders/${String(pending.id)}/confirm`, { body: { total: '5000000.00', bankReference: 'HSBK-1' } }))
    assert.deepEqual(part.data.amounts, [{ tax: 'duty', amount: '4295455.22' }, { tax: 'vat', amount: '704544.78' }], 'a part pays the amounts in order')
    await until(async () => (await json(await trader.request('GET', `/v1/consignments/${ref}/settlement`))).status === 'partly-paid', 'the part to reach the trader')
    assert.equal((await json(await bank.request('GET', '/v1/payment-orders?status=partly-paid'))).orders.length, 1)
    const tooMuch = await bank.request('POST', `/v1/payment-orders/${String(pending.id)}/confirm`, { body: { total: '3725455.85' } })
    assert.equal(tooMuch.status, 400, 'no more than what is left of the order')
    const rest = await json(await bank.request('POST', `/v1/payment-orders/${String(pending.id)}/confirm`, { body: { bankReference: 'HSBK-2' } }))
    assert.equal(rest.data.total, '3725455.84', 'the rest of the order')
    assert.deepEqual(rest.data.amounts, [{ tax: 'vat', amount: '3705455.84' }, { tax: 'fee', amount: '20000.00' }], 'the kinds of payment still unpaid')
    for (const side of [trader, customs]) {
      await until(async () => (await json(await side.request('GET', `/v1/consignments/${ref}/settlement`))).status === 'paid', 'both confirmations to arrive')
    }
    const atCustoms = await json(await customs.request('GET', `/v1/consignments/${ref}/settlement`))
    assert.deepEqual([atCustoms.due, atCustoms.paid, atCustoms.balance], ['8725455.84', '8725455.84', '0.00'])
    const again = await bank.request('POST', `/v1/payment-orders/${String(pending.id)}/confirm`, { body: {} })
    assert.equal(again.status, 409, 'a paid order is not paid twice')
  })

  it('sends a refusal with its reason to the trader', async () => {
    const made = await order()
    await until(async () => (await json(await bank.request('GET', '/v1/payment-orders?status=pending'))).orders.length === 1, 'the second order to reach the bank')
    assert.equal((await bank.request('POST', `/v1/payment-orders/${String(made.id)}/refuse`, { body: { reason: 'Insufficient funds' } })).status, 201)
    await until(async () => (await json(await trader.request('GET', '/v1/payment-orders?status=refused'))).orders.length === 1, 'the refusal to reach the trader')
    const [refused] = (await json(await trader.request('GET', '/v1/payment-orders?status=refused'))).orders
    assert.equal(refused.refusal.reason, 'Insufficient funds')
  })

  it('refuses at customs a confirmation signed by a participant that is not a bank, and counts it for nothing', async () => {
    const before = await json(await customs.request('GET', `/v1/consignments/${ref}/settlement`))
    const [paidOrder] = (await json(await trader.request('GET', '/v1/payment-orders?status=paid'))).orders
    // The trader signs a "confirmation" itself and sends it to customs as a delivery.
    const forged = createRecord(trader.node.identity.signer, {
      type: 'payment.confirmation',
      consignment: ref,
      issuedAt: timestamp(),
      data: { order: paidOrder.id, declaration: paidOrder.order.declaration, currency: 'KZT', amounts: [{ tax: 'duty', amount: '1000000.00' }], total: '1000000.00', paidAt: '2026-11-03T10:00:00.000Z' }
    })
    const [answer] = await customs.node.delivery.accept(trader.node.participant, [{ record: forged.bytes }])
    assert.ok(answer !== undefined && 'refused' in answer, JSON.stringify(answer))
    assert.match(String(answer.refused), /payment\.confirmation .* is not taken from .*: payment\.confirmation is issued by bank participants, not by a trader/)
    assert.equal((await customs.request('GET', `/v1/records/${forged.id}`)).status, 404)
    assert.equal((await json(await customs.request('GET', `/v1/consignments/${ref}/settlement`))).paid, before.paid)
  })

  it('refunds at customs what a new version of the declaration no longer owes, and the trader\'s payments balance', async () => {
    // A certificate of origin arrives after payment: the apricots' preference applies, and the declaration is declared again.
    const certificate = { ...(await load('test/fixtures/records/cert.origin.json')), originCountry: 'UZ' }
    const cert = await json(await trader.request('POST', '/v1/records', { body: { type: 'cert.origin', consignment: ref, data: certificate, share: [customs.node.participant] } }))
    await until(async () => (await customs.request('GET', `/v1/records/${String(cert.id)}`)).status === 200, 'the certificate to reach customs')
    const [declaration] = (await json(await trader.request('GET', `/v1/records?type=customs.declaration&consignment=${ref}`))).records
    const { payments: _, ...data } = declaration.data
    const amended = await trader.request('POST', '/v1/records', { body: { type: 'customs.declaration', consignment: ref, supersedes: declaration.id, data, share: [customs.node.participant] } })
    assert.equal(amended.status, 201)
    assert.equal((await json(amended)).data.payments.total, '8404728.57', 'the new version states the preferential payments')
    for (const side of [trader, customs]) {
      await until(async () => (await json(await side.request('GET', `/v1/consignments/${ref}/settlement`))).status === 'overpaid', 'the new version to arrive')
    }
    assert.equal((await json(await customs.request('GET', `/v1/consignments/${ref}/settlement`))).balance, '320727.27')

    assert.equal((await trader.request('POST', `/v1/consignments/${ref}/refunds`, { body: { reason: 'mine' } })).status, 403, 'a trader signs no refund')
    const tooMuch = await customs.request('POST', `/v1/consignments/${ref}/refunds`, { body: { total: '320727.28', reason: 'Preference proven after payment' } })
    assert.equal(tooMuch.status, 400)
    assert.equal((await json(tooMuch)).errors[0].path, '/total')
    const refund = await json(await customs.request('POST', `/v1/consignments/${ref}/refunds`, {
      body: { reason: 'CIS free-trade preference proven by a certificate of origin after payment', account: { name: 'Almaty Dried Fruit LLP', account: 'KZ86125KZT5004100100', bic: 'HSBKKZKX' } }
    }))
    assert.equal(refund.type, 'payment.refund')
    assert.equal(refund.data.total, '320727.27')
    assert.deepEqual(refund.data.amounts.map((a: any) => a.tax), ['duty', 'vat'], 'what went back was paid as duty and VAT')
    await until(async () => (await json(await trader.request('GET', `/v1/consignments/${ref}/settlement`))).status === 'paid', 'the refund to reach the trader')
    const settled = await json(await trader.request('GET', `/v1/consignments/${ref}/settlement`))
    assert.deepEqual([settled.due, settled.paid, settled.refunded, settled.balance], ['8404728.57', '8725455.84', '320727.27', '0.00'])
    assert.equal(settled.refunds[0].reason, 'CIS free-trade preference proven by a certificate of origin after payment')
    await until(async () => (await bank.request('GET', `/v1/records/${String(refund.id)}`)).status === 200, 'the bank that paid to receive the refund')
    const again = await customs.request('POST', `/v1/consignments/${ref}/refunds`, { body: { reason: 'twice' } })
    assert.equal(again.status, 400, 'nothing is left to refund')
  })
})
