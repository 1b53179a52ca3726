/**
 * A crowd of idle TCP sockets and half-finished handshakes does not lock a
 * certified peer out of a node's p2p port.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import net from 'node:net'
import { fixture, openTempNode, type TempNode } from '../../../support/temp-node.js'
import { certify, connect, networkedNode } from '../../../support/network.js'

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

  it('lets a certified peer connect and deliver while 200 idle sockets and 20 half-finished handshakes hold the port', async () => {
    const port = Number((customs.node.addresses()[0] as string).split('/')[4])
    const opened = async (first?: string): Promise<void> => {
      const socket = net.connect(port, '127.0.0.1')
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
})
