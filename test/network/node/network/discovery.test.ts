/**
 * Discovery: a node configured with another's multiaddr as bootstrap finds it,
 * connects and is admitted, with no dial from the test; on a LAN, mDNS finds a
 * participant that a record is shared with by its participant id alone.
 */
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { certify, networkedNode } from '../../../support/network.js'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'
import { until } from '../../../support/until.js'

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

  it('finds a participant by mDNS and delivers to it by participant id alone', async function () {
    // mDNS needs multicast: a private network namespace whose loopback carries
    // it, so that nothing leaves this machine. It takes root (or user
    // namespaces) and iproute2.
    const setup = 'ip link set lo up multicast on && ip route add 224.0.0.0/4 dev lo'
    if (spawnSync('unshare', ['-n', 'sh', '-c', setup]).status !== 0) this.skip()
    const child = spawn('unshare', ['-n', 'sh', '-c', `${setup} && exec "$0" "$1"`, process.execPath, fileURLToPath(new URL('../../../support/mdns-peers.js', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    const code = await new Promise(resolve => child.on('exit', resolve))
    assert.equal(code, 0, output)
    const seen = JSON.parse(output.trim().split('\n').at(-1) as string) as { customs: number, bystander: boolean, pending: string[], listening: string[], found: string[] }
    assert.equal(seen.customs, 1, 'customs received the record and signed a receipt')
    assert.deepEqual(seen.found, seen.listening, "the trader learnt customs' address from mDNS")
    assert.equal(seen.bystander, false, 'a node without mDNS and without bootstrap is not found')
    assert.deepEqual(seen.pending, ['bystander'])
  })
})
