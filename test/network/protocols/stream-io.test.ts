/**
 * Whole-message reads and writes over real libp2p streams on 127.0.0.1: a
 * message goes across whole, and a remote that stops taking data cannot hold
 * the writer past its deadline.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { DEFAULT_CONFIG } from '../../../node/setup/config.js'
import { createP2PHost, type P2PHost } from '../../../node/network/p2p.js'
import { FrameError, readMessage, writeMessage } from '../../../protocols/stream-io.js'

const ECHO = '/keruen-test/echo/1.0.0'
const STALL = '/keruen-test/stall/1.0.0'

describe('stream messages', function () {
  this.timeout(30_000)
  let reader: P2PHost
  let writer: P2PHost
  const stalled: Stream[] = []

  before(async () => {
    reader = await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
    writer = await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
    await reader.handle(ECHO, async (stream: Stream) => {
      await writeMessage(stream, await readMessage(stream, 4 * 1024 * 1024, 5_000))
    })
    // Takes nothing: the remote is told to pause once its window is full.
    await reader.handle(STALL, (stream: Stream) => {
      stream.pause()
      stalled.push(stream)
    })
  })
  after(async () => {
    for (const stream of stalled) stream.abort(new Error('test over'))
    await writer.stop()
    await reader.stop()
  })

  const open = async (protocol: string): Promise<Stream> =>
    await writer.dialProtocol(multiaddr(reader.getMultiaddrs()[0]?.toString() as string), protocol)

  it('carries a message of several megabytes whole, both ways', async () => {
    const message = randomBytes(3 * 1024 * 1024)
    const stream = await open(ECHO)
    await writeMessage(stream, message, 5_000)
    assert.deepEqual(Buffer.from(await readMessage(stream, 4 * 1024 * 1024, 5_000)), message)
  })

  it('aborts a write the remote does not take within the deadline', async () => {
    const stream = await open(STALL)
    const started = Date.now()
    await assert.rejects(writeMessage(stream, new Uint8Array(8 * 1024 * 1024), 500), (err: Error) =>
      err instanceof FrameError && err.message === 'message not taken within 500 ms')
    assert.ok(Date.now() - started < 5_000, 'gave up near the deadline')
    assert.equal(stream.status, 'aborted')
  })
})
