/**
 * A crowd of idle TCP sockets and half-finished handshakes does not lock a
 * certified peer out of a node's p2p port.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import net from 'node:net'
import { fixture, openTempNode, type TempNode } from '../../../support/temp-node.js'
import { certify, connect, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'

describe('p2p port under idle sockets', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  const sockets: net.Socket[] = []

  before(async () => {
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({ profile: { role: 'trader' } })
    customs = await networkedNode({ profile: { role: 'agency' } })
    await certify(authority, trader, 'trader')
    await certify(authority, customs, 'agency')
  })
  after(async () => {
    for (const socket of sockets) socket.destroy()
    for (const t of [authority, trader, customs]) await t.close()
  })

  it('lets a certified peer connect and deliver while 200 idle sockets and 20 half-finished handshakes from ten hosts hold the port', async () => {
    const port = Number((customs.node.addresses()[0] as string).split('/')[4])
    // From ten hosts of the loopback network (127.0.0.10-19), each within its own share of the pending places.
    let n = 0
    const opened = async (first?: string): Promise<void> => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${10 + (n++ % 10)}` })
      socket.on('error', () => {})
      sockets.push(socket)
      await once(socket, 'connect')
      // Half a multistream-select header, and then nothing.
      if (first !== undefined) socket.write(first)
    }
    for (let i = 0; i < 200; i++) await opened()
    for (let i = 0; i < 20; i++) await opened('\u0013/multistream/1.')
    await connect(trader, customs)
    const received = once(customs.node.events, 'record:received')
    const response = await trader.request('POST', '/v1/records', {
      body: { type: 'trade.invoice', consignment: '6KZ123456789012-IDLE1', data: await fixture('trade.invoice'), share: [customs.node.participant] }
    })
    assert.equal(response.status, 201)
    const [sender] = await received as [string]
    assert.equal(sender, trader.node.participant)
  })
  it('holds one host to its share of the pending places while it keeps reopening 400 idle sockets, so another host\'s peer gets in', async () => {
    const sps = await networkedNode({ profile: { role: 'agency' } })
    await certify(authority, sps, 'agency')
    const port = Number((sps.node.addresses()[0] as string).split('/')[4])
    let closedByNode = 0
    let stopped = false
    // Another host on the loopback network: 127.0.0.2, while the peers dial from 127.0.0.1.
    const hold = (): void => {
      if (stopped) return
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' })
      socket.on('error', () => {})
      socket.on('close', () => {
        closedByNode++
        setTimeout(hold, 50)
      })
      sockets.push(socket)
    }
    try {
      for (let i = 0; i < 400; i++) hold()
      // However slow the machine, the node refuses what is beyond the host's share; the peer's check below is what tells.
      await until(() => closedByNode >= 300, 'the node to close the sockets beyond the host\'s share', 30_000)
      assert.ok(closedByNode >= 300, `the node closed ${closedByNode} of the sockets of one host`)
      await connect(trader, sps)
      const received = once(sps.node.events, 'record:received')
      const response = await trader.request('POST', '/v1/records', {
        body: { type: 'trade.invoice', consignment: '6KZ123456789012-IDLE2', data: await fixture('trade.invoice'), share: [sps.node.participant] }
      })
      assert.equal(response.status, 201)
      assert.equal((await received as [string])[0], trader.node.participant)
    } finally {
      stopped = true
      for (const socket of sockets) socket.destroy()
      await sps.close()
    }
  })
})
