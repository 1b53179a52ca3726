/**
 * A licence with quantities on real nodes. The ministry licenses the import of
 * 100 t of wheat; its grant sends its licences to customs. Each release
 * customs signs against the licence writes off the wheat its declaration
 * states and says what is left; a release that would take more than is left
 * is refused, naming what is left; once the ministry suspends the licence,
 * nothing more is released against it.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { repoFile } from '../../../support/repo.js'
import { certify, connect, json, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'

const LICENCE = 'KZ.mti.import-licence'
const IMPORT = 'KZ.customs.import-declaration'
const load = async (path: string): Promise<any> => JSON.parse(await readFile(repoFile(path), 'utf8'))

describe('a licence with quantities', function () {
  this.timeout(90_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let ministry: TempNode
  let licence: string
  /** The consignment the licence was applied for: 60 t. */
  let licensed: string

  const post = async (node: TempNode, path: string, body: unknown, status: number): Promise<any> => {
    const response = await node.request('POST', path, { body })
    const answer = await json(response)
    assert.equal(response.status, status, JSON.stringify(answer))
    return answer
  }
  /** A consignment of `tonnes` of wheat, declared and shared with the ministry and customs. */
  const declare = async (tonnes: number): Promise<string> => {
    const data = {
      ...await load('test/fixtures/records/customs.declaration.json'),
      procedure: 'import',
      items: [{ lineNumber: 1, hsCode: '1001990000', description: 'Wheat', originCountry: 'RU', netMass: `${tonnes * 1000}.000`, itemAmount: `${tonnes * 210}.00` }]
    }
    const record = await post(trader, '/v1/records', { type: 'customs.declaration', data, share: [ministry.node.participant, customs.node.participant] }, 201)
    await until(async () => (await customs.request('GET', `/v1/records/${String(record.id)}`)).status === 200, 'the declaration to reach customs')
    return record.consignment
  }
  /** The trader applies to customs; customs releases against the licence (or answers why not). */
  const release = async (ref: string, status: number): Promise<any> => {
    const application = (await post(trader, `/v1/consignments/${ref}/applications`, { procedure: IMPORT, agency: customs.node.participant }, 201)).application.id
    await until(async () => (await customs.request('GET', `/v1/applications/${String(application)}`)).status === 200, 'the application to reach customs')
    return await post(customs, `/v1/applications/${String(application)}/decision`, { kind: 'release', reliesOn: [application, licence] }, status)
  }

  before(async () => {
    authority = await openTempNode({ p2p: true, handshakeTimeoutMs: 3000, profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader', country: 'KZ', name: 'Kostanay Grain' } })
    customs = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'State Revenue Committee' } })
    ministry = await networkedNode({ profile: { role: 'agency', country: 'KZ', name: 'Ministry of Trade and Integration' } })
    await certify(authority, trader, 'trader')
    await certify(authority, customs, 'agency', { competence: 'customs' })
    await certify(authority, ministry, 'agency', { competence: 'licensing' })
    await connect(trader, customs)
    await connect(trader, ministry)
    await connect(customs, ministry)
    for (const t of [trader, customs, ministry]) await t.node.policy.refreshDirectory()
    const goods = [{ id: 'goods', type: 'customs.declaration', path: '/items/*/hsCode' }]
    await post(ministry, '/v1/profiles', { procedure: LICENCE, title: 'Import licence', elements: goods }, 201)
    await post(customs, '/v1/profiles', { procedure: IMPORT, title: 'Import declaration', elements: goods }, 201)
    await post(ministry, '/v1/policies', { types: ['decision.permit'], to: { competence: 'customs' }, fields: [''], purpose: IMPORT }, 201)
    await until(async () => (await trader.request('GET', `/v1/profiles/${LICENCE}?agency=${ministry.node.participant}`)).status === 200 &&
      (await trader.request('GET', `/v1/profiles/${IMPORT}?agency=${customs.node.participant}`)).status === 200, 'the trader to hold both profiles')

    licensed = await declare(60)
    const applied = (await post(trader, `/v1/consignments/${licensed}/applications`, { procedure: LICENCE, agency: ministry.node.participant }, 201)).application.id
    await until(async () => (await ministry.request('GET', `/v1/applications/${String(applied)}`)).status === 200, 'the application to reach the ministry')
    const decided = await post(ministry, `/v1/applications/${String(applied)}/decision`, {
      kind: 'permit', number: 'KZ-LIC-2026-0042', summary: 'Import of wheat, 100 t in 2026.', quantities: [{ goods: ['1001'], quantity: '100', unit: 'TNE' }]
    }, 200)
    licence = decided.decision.id
    assert.deepEqual(decided.decision.data.quantities, [{ goods: ['1001'], quantity: '100', unit: 'TNE' }])
    await until(async () => (await customs.request('GET', `/v1/records/${licence}`)).status === 200, 'customs to receive the licence')
  })
  after(async () => { for (const t of [trader, customs, ministry, authority]) await t?.close() })

  it('writes off what each release takes, says what is left, and refuses a release that would take more', async () => {
    const first = await release(licensed, 200)
    assert.deepEqual(first.decision.data.writtenOff, [{ licence, goods: ['1001'], quantity: '60', unit: 'TNE', left: '40' }])
    const standing = await json(await customs.request('GET', `/v1/decisions/${licence}/quantities`))
    assert.deepEqual(standing.allowances, [{ goods: ['1001'], quantity: '100', unit: 'TNE', taken: '60', left: '40' }])

    const over = await release(await declare(50), 409)
    assert.match(over.type, /quota-exceeded$/)
    assert.equal(over.detail, `licence ${licence} allows 100 TNE of 1001; 60 TNE are written off, 40 left, and this release needs 50`)

    const rest = await release(await declare(40), 200)
    assert.equal(rest.decision.data.writtenOff[0].left, '0')
    // The trader holds both releases, and sees the licence used up.
    await until(async () => (await json(await trader.request('GET', `/v1/decisions/${licence}/quantities`))).allowances?.[0]?.left === '0', 'the releases to reach the trader')
  })

  it('releases nothing more against a suspended licence', async () => {
    await post(ministry, `/v1/decisions/${licence}/suspend`, { reason: 'Quota under review' }, 200)
    await until(async () => (await json(await customs.request('GET', `/v1/decisions/${licence}`))).status === 'suspended', 'the suspension to reach customs')
    const refused = await release(await declare(1), 409)
    assert.match(refused.type, /not-in-force$/)
    assert.match(refused.detail, /is suspended \(Quota under review\)/)
  })
})
