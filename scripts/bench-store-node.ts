/**
 * The node of the store bench, in a process of its own so that its memory is
 * the node's alone, not the bench's. Driven over IPC by bench-store.ts: it
 * fills itself with records, then serves its API for the bench to list, and
 * reports the largest RSS and heap it had since it was last asked.
 */
import { subscribe } from 'node:diagnostics_channel'
import { readFileSync } from 'node:fs'
import { startApiServer, type ApiServer } from '../api/server.js'
import { KeruenNode } from '../node/node.js'
import { steadyHeapGrowth } from '../node/runtime/heap-growth.js'
import type { CreateRecordInput } from '../node/records/record-service.js'
import { consignmentRef } from './bench-support.js'

type Command =
  | { op: 'fill', dataDir: string, count: number, perConsignment: number, inFlight: number, template: CreateRecordInput }
  | { op: 'settle', maxSeconds: number }
  | { op: 'memory' }
  | { op: 'timing', on: boolean }
  | { op: 'close' }

// A node's process, as keruen start makes it (heap-growth.ts).
steadyHeapGrowth()

const send = (message: unknown): void => { process.send?.(message) }

let node: KeruenNode | undefined
let api: ApiServer | undefined
/** How much of the RSS is mapped files (LevelDB's tables), in bytes; 0 where /proc does not say. */
function fileRss (): number {
  try {
    const kb = /^RssFile:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    return kb === undefined ? 0 : Number(kb) * 1024
  } catch {
    return 0
  }
}

interface Memory { rss: number, heap: number, files: number }
/** The largest RSS (with the mapped files in it at that moment) and heap seen since the bench last asked, sampled every second. */
let largest: Memory = { rss: 0, heap: 0, files: 0 }
const sample = (): void => {
  const m = process.memoryUsage()
  if (m.rss > largest.rss) largest = { ...largest, rss: m.rss, files: fileRss() }
  largest.heap = Math.max(largest.heap, m.heapUsed)
}
setInterval(sample, 1000).unref()
const taken = (): Memory => {
  sample()
  const seen = largest
  largest = { rss: 0, heap: 0, files: 0 }
  return seen
}

/**
 * The node's own time for each request, from its arrival to the last byte of
 * the answer handed to the socket, while the bench asks: the part of a
 * listing's latency that is the node's, not the client's or the transfer's.
 */
const serverTimes: number[] = []
let timing = false
const arrived = new WeakMap<object, number>()
subscribe('http.server.request.start', message => {
  if (timing) arrived.set((message as { request: object }).request, performance.now())
})
subscribe('http.server.response.finish', message => {
  const started = arrived.get((message as { request: object }).request)
  if (started !== undefined) serverTimes.push(performance.now() - started)
})

process.on('message', (command: Command) => {
  void (async () => {
    switch (command.op) {
      case 'fill': {
        node = await KeruenNode.open({ dataDir: command.dataDir, p2p: false, config: { apiPort: 0 } })
        const { count, template } = command
        const consignments = Math.max(1, Math.floor(count / command.perConsignment))
        let next = 0
        const started = performance.now()
        taken()
        await Promise.all(Array.from({ length: command.inFlight }, async () => {
          for (let i = next++; i < count; i = next++) {
            await (node as KeruenNode).records.create({ ...template, consignment: consignmentRef(i % consignments) })
            if ((i + 1) % 100_000 === 0) send({ event: 'progress', line: `  ${i + 1} records stored, ${((i + 1) / ((performance.now() - started) / 1000)).toFixed(0)}/s, RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB` })
          }
        }))
        const seconds = (performance.now() - started) / 1000
        const memory = taken()
        api = await startApiServer(node)
        send({ done: 'fill', seconds, consignments, ...memory, url: api.url, token: node.identity.apiToken })
        return
      }
      case 'settle': {
        // LevelDB compacts what a bulk load wrote on threads of its own, long
        // after the last write: wait until the whole process is idle.
        const started = performance.now()
        let idle = 0
        while (idle < 2 && performance.now() - started < command.maxSeconds * 1000) {
          const before = process.cpuUsage()
          await new Promise(resolve => setTimeout(resolve, 1000))
          const used = process.cpuUsage(before)
          idle = (used.user + used.system) / 1e6 < 0.05 ? idle + 1 : 0
        }
        send({ done: 'settle', seconds: (performance.now() - started) / 1000, idle: idle >= 2 })
        return
      }
      case 'memory':
        send({ done: 'memory', ...taken() })
        return
      case 'timing':
        timing = command.on
        send({ done: 'timing', times: serverTimes.splice(0) })
        return
      case 'close': {
        globalThis.gc?.()
        const m = process.memoryUsage()
        await api?.close()
        await node?.close()
        send({ done: 'close', rss: m.rss, files: fileRss(), heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external })
        process.exit(0)
      }
    }
  })().catch((err: Error) => { send({ error: err.message }) })
})
