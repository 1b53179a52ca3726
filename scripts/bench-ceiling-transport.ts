/**
 * The transport ceiling: what libp2p over TCP, Noise and Yamux carries between
 * two processes on 127.0.0.1, built with the node's own host options
 * (node/network/p2p.ts), for records of the bench's size sent as the delivery
 * protocol sends them: requests of 256 records, encoded as one CBOR message
 * each, 4 requests in flight, each answered with a few bytes. The receiver
 * (bench-ceiling-receiver.ts) reads each request whole and does nothing with
 * it: no parsing, verifying or storing.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '@libp2p/interface'
import { createP2PHost } from '../node/network/p2p.js'
import { DEFAULT_CONFIG } from '../node/setup/config.js'
import { MAX_BATCH_RECORDS } from '../protocols/deliver.js'
import { readMessage, writeMessage } from '../protocols/stream-io.js'
import { encodeCanonical } from '../record/index.js'

export const CEILING_PROTOCOL = '/keruen-bench/ceiling/1.0.0'
export const TRANSPORT_TIMEOUT_MS = 60_000
/** Requests a sender keeps in flight (node/delivery/outbox.ts). */
const IN_FLIGHT = 4

export interface TransportFigure {
  readonly records: number
  readonly bytes: number
  readonly seconds: number
  /** CPU time of both processes, every thread, in µs. */
  readonly cpu: number
}

/** Sends `requests` requests of MAX_BATCH_RECORDS copies of `record` to a receiver in a child process. */
export async function transportCeiling (record: Uint8Array, requests: number): Promise<TransportFigure> {
  const child = fork(fileURLToPath(new URL('./bench-ceiling-receiver.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  /** The child's reply to `op` ('open': its first message). */
  const call = async (op: string): Promise<Record<string, unknown>> => {
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      const settle = (m: Record<string, unknown> | undefined): void => {
        child.off('message', listener)
        child.off('exit', exited)
        if (m === undefined) reject(new Error('the transport receiver exited'))
        else resolve(m)
      }
      const listener = (m: Record<string, unknown>): void => { if (m.done === op) settle(m) }
      const exited = (): void => { settle(undefined) }
      child.on('message', listener)
      child.on('exit', exited)
    })
    if (op !== 'open') child.send({ op })
    return await reply
  }
  const childCpu = async (): Promise<number> => {
    const { user, system } = await call('cpu') as { user: number, system: number }
    return user + system
  }
  const { address } = await call('open') as { address: string }
  const host = await createP2PHost(randomBytes(32), { ...DEFAULT_CONFIG, p2pPort: 0 }, {})
  try {
    const connection = await host.dial(multiaddr(address))
    const records = Array.from({ length: MAX_BATCH_RECORDS }, () => record)
    const run = async (count: number): Promise<void> => {
      let next = 0
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next++ < count) await request(connection, records)
      }))
    }
    await run(Math.max(4, Math.round(requests / 10)))
    const receiverCpu = await childCpu()
    const senderCpu = process.cpuUsage()
    const started = performance.now()
    await run(requests)
    const seconds = (performance.now() - started) / 1000
    const { user, system } = process.cpuUsage(senderCpu)
    const cpu = user + system + await childCpu() - receiverCpu
    return { records: requests * MAX_BATCH_RECORDS, bytes: requests * MAX_BATCH_RECORDS * record.length, seconds, cpu }
  } finally {
    await host.stop()
    await stop(child, call)
  }
}

/** One request as sendDeliveries sends it: a fresh stream, the records encoded as one message, an answer read whole. */
async function request (connection: Connection, records: Uint8Array[]): Promise<void> {
  const stream = await connection.newStream(CEILING_PROTOCOL, { signal: AbortSignal.timeout(TRANSPORT_TIMEOUT_MS) })
  await writeMessage(stream, encodeCanonical({ v: 1, records }), TRANSPORT_TIMEOUT_MS)
  await readMessage(stream, 1024, TRANSPORT_TIMEOUT_MS)
}

async function stop (child: ChildProcess, call: (op: string) => Promise<unknown>): Promise<void> {
  if (child.exitCode !== null) return
  const exited = once(child, 'exit')
  await call('close').catch(() => {})
  await exited
}
