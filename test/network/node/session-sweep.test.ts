/**
 * Expired cabinet sessions leave the database: a sweep deletes those past
 * their expiry and keeps the live ones, and a node sweeps when it starts. An
 * expired session is refused before any sweep.
 */
import assert from 'node:assert/strict'
import { SESSION_MS } from '../../../node/accounts/account-service.js'
import { FakeClock } from '../../unit/support/fakes.js'
import { openTempNode, type TempNode } from '../../support/temp-node.js'

describe('cabinet sessions past their expiry', function () {
  this.timeout(60_000)
  const clock = new FakeClock()
  const password = 'aigerim password 1'
  let t: TempNode

  beforeEach(async () => {
    t = await openTempNode({ clock: clock.now })
    await t.node.accounts.add({ id: 'aigerim', role: 'declarant', password })
  })
  afterEach(async () => { await t.close() })

  const login = async (): Promise<string> => {
    const result = await t.node.accounts.login('aigerim', password, '198.51.100.7')
    assert.ok('token' in result)
    return result.token
  }

  it('are refused at once, and a sweep deletes them and keeps the live ones', async () => {
    const old = [await login(), await login()]
    clock.advance(SESSION_MS - 1000)
    const late = await login()
    assert.equal(await t.node.accounts.sweepSessions(), 0, 'nothing has expired yet')
    clock.advance(1000)
    const fresh = await login()
    assert.equal(await t.node.accounts.session(old[0] as string), undefined, 'an expired session is refused before any sweep')
    assert.equal(await t.node.accounts.sweepSessions(), 1, 'the other expired one is deleted')
    assert.equal(await t.node.accounts.sweepSessions(), 0)
    for (const token of [late, fresh]) assert.equal((await t.node.accounts.session(token))?.account.id, 'aigerim', 'live sessions stay')
    clock.advance(SESSION_MS)
    assert.equal(await t.node.accounts.sweepSessions(), 2)
  })

  it('are deleted when the node starts', async () => {
    await login()
    await login()
    clock.advance(SESSION_MS)
    const live = await login()
    t = await t.reopen()
    assert.equal(await t.node.accounts.sweepSessions(), 0, 'the start swept them')
    assert.equal((await t.node.accounts.session(live))?.account.id, 'aigerim')
  })
})
