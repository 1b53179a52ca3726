/**
 * Discovery: a node configured with another's multiaddr as bootstrap finds it,
 * connects and is admitted, with no dial from the test.
 */
import assert from 'node:assert/strict'
import { certify, networkedNode } from './support/network.js'
import { openTempNode, type TempNode } from './support/temp-node.js'
import { until } from './support/until.js'

describe('discovery', function () {
  this.timeout(60_000)
  const opened: TempNode[] = []
  after(async () => { for (const t of opened) await t.close() })

  it('connects to its bootstrap peers and admits them', async () => {
    const authority = await openTempNode({ profile: { role: 'authority', name: 'authority', country: 'KZ' } })
    opened.push(authority)
    const first = await networkedNode({ profile: { role: 'agency', name: 'customs' } })
    opened.push(first)
    await certify(authority, first, 'agency', { competence: 'customs' })
    const address = first.node.addresses()[0] as string
    // The trader is certified before it starts, so that its first connection is admitted.
    const offline = await openTempNode({ profile: { role: 'trader', name: 'trader' } })
    await certify(authority, offline, 'trader')
    await offline.node.close()
    const second = await networkedNode({ config: { bootstrap: [address] } }, offline.dir)
    opened.push(second)
    await until(() => second.node.handshake?.isAdmitted(first.node.participant) === true && first.node.handshake?.isAdmitted(second.node.participant) === true,
      'the bootstrap peer to be dialled and admitted', 20_000)
    assert.ok((second.node.p2p?.getConnections() ?? []).some(c => c.remotePeer.toString() === first.node.participant))
  })
})
