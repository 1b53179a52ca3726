/**
 * Systems' API tokens with scopes, and the audit log: a token does what its
 * scopes allow and nothing else, a revoked one nothing; changes made with a
 * token, logins and failed logins are in the log.
 */
import assert from 'node:assert/strict'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

describe('API tokens with scopes, and the audit log', function () {
  this.timeout(60_000)
  let t: TempNode
  before(async () => { t = await openTempNode() })
  after(async () => { await t.close() })

  const make = async (name: string, scopes: string[]): Promise<string> => {
    const response = await t.request('POST', '/v1/tokens', { body: { name, scopes } })
    assert.equal(response.status, 201)
    return ((await response.json()) as { secret: string }).secret
  }

  it('lets each token do what its scopes allow, and nothing more', async () => {
    const reader = await make('dashboard', ['read'])
    const erp = await make('erp', ['write'])
    const invoice = { type: 'trade.invoice', consignment: '6KZ123456789012-TOK0001', data: await fixture('trade.invoice') }
    assert.equal((await t.request('GET', '/v1/records', { auth: reader })).status, 200)
    const refused = await t.request('POST', '/v1/records', { auth: reader, body: invoice })
    assert.equal(refused.status, 403)
    const problem = await refused.json() as { type: string, detail: string }
    assert.equal(problem.type, 'urn:keruen:problem:insufficient-scope')
    assert.match(problem.detail, /do not include write, which POST \/v1\/records needs/)
    assert.equal((await t.request('POST', '/v1/records', { auth: erp, body: invoice })).status, 201)
    assert.equal((await t.request('GET', '/v1/records', { auth: erp })).status, 200, 'write may read')
    assert.equal((await t.request('POST', '/v1/applications/bciqnone/decision', { auth: erp, body: { kind: 'release' } })).status, 403, 'deciding needs decide')
    assert.equal((await t.request('GET', '/v1/users', { auth: erp })).status, 403, 'accounts need admin')
    assert.equal((await t.request('POST', '/v1/tokens', { auth: erp, body: { name: 'x', scopes: ['admin'] } })).status, 403, 'a token cannot make itself a stronger one')
    assert.equal((await t.request('GET', '/v1/records', { auth: 'kt_madeup' })).status, 401)

    const tokens = await (await t.request('GET', '/v1/tokens')).json() as Array<Record<string, unknown>>
    assert.deepEqual(tokens.map(k => [k.name, k.scopes]).sort(), [['dashboard', ['read']], ['erp', ['write']]])
    assert.ok(tokens.every(k => !JSON.stringify(k).includes('kt_')), 'no token leaves the node again')
    const id = tokens.find(k => k.name === 'erp')?.id as string
    assert.equal((await t.request('POST', `/v1/tokens/${id}/revoke`)).status, 200)
    assert.equal((await t.request('GET', '/v1/records', { auth: erp })).status, 401, 'a revoked token is refused')
  })

  it('logs changes made with a token, logins and failed logins, newest first', async () => {
    await t.request('POST', '/v1/users', { body: { id: 'aigerim', role: 'declarant', password: 'aigerim password 1' } })
    await t.node.accounts.login('aigerim', 'wrong password!!', '198.51.100.7')
    await t.node.accounts.login('aigerim', 'aigerim password 1', '198.51.100.7')
    const log = await (await t.request('GET', '/v1/audit')).json() as Array<{ who: string, action: string, detail?: string, from?: string }>
    assert.deepEqual(log.slice(0, 2).map(e => [e.who, e.action, e.from]), [['user:aigerim', 'login', '198.51.100.7'], ['user:aigerim', 'login failed', '198.51.100.7']])
    assert.ok(log.some(e => e.who === 'token:erp' && e.action === 'POST /v1/records' && e.detail === '201'), JSON.stringify(log))
    assert.ok(!log.some(e => e.who === 'token:dashboard'), 'reading is not logged; a refused change is not a change')
  })
})
