/**
 * GET /v1/stream — Server-Sent Events of what happens at this node, for the
 * participant's own systems to react in real time instead of polling.
 */
import { streamSSE } from 'hono/streaming'
import type { NodeEventMap } from '../../node/events.js'
import type { NodeApi } from '../../node/node-api.js'

/** The events a client may follow: all but the node's internal ones. */
type NodeEvents = Omit<NodeEventMap, 'record:stored' | 'trust:list-changed'>
import type { RouteTable } from '../routes.js'

/** Each node event as an SSE event name and a JSON payload. */
const EVENTS: { [K in keyof NodeEvents]: { name: string, payload: (...args: NodeEvents[K]) => Readonly<Record<string, unknown>> } } = {
  'record:received': { name: 'record.received', payload: (sender, recordId) => ({ sender, record: recordId }) },
  'record:delivered': { name: 'receipt.received', payload: (recipient, recordId, receiptId) => ({ receiver: recipient, record: recordId, receipt: receiptId }) },
  'peer:admitted': { name: 'peer.up', payload: (peer, reason) => ({ peer, reason }) },
  'peer:down': { name: 'peer.down', payload: (peer) => ({ peer }) },
  'peer:refused': { name: 'peer.refused', payload: (peer, reason) => ({ peer, reason }) },
  'delivery:refused': { name: 'delivery.refused', payload: (peer, reason) => ({ peer, reason }) },
  'application:changed': { name: 'application.changed', payload: (application, recordId, type) => ({ application, record: recordId, type }) },
  'shipment:event': { name: 'shipment.event', payload: (recordId, consignment, issuer) => ({ record: recordId, consignment, issuer }) },
  'storage:changed': { name: 'storage.changed', payload: (health) => ({ ...health }) },
  'regulation:changed': { name: 'regulation.changed', payload: (notice) => notice }
}

export const KEEPALIVE_MS = 15_000
/**
 * Events a client may fall behind by before it is disconnected. Events are
 * written as they happen, and a client that stops reading would otherwise have
 * them pile up in the node without end: a catch-up alone brings 100 000.
 */
export const MAX_EVENTS_BEHIND = 10_000

export function streamRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/stream',
    operationId: 'stream',
    tag: 'node',
    summary: 'Server-Sent Events: record.received, receipt.received, application.changed, shipment.event, regulation.changed, peer.up, peer.down, peer.refused, delivery.refused',
    description: `Each event carries a JSON object in its data and an id, counting from 1 on each stream. A comment line every 15 s keeps proxies from closing the stream. A client that falls ${MAX_EVENTS_BEHIND} events behind is disconnected.`,
    responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { type: 'string' } } } },
    handler: (c) => streamSSE(c, async (stream) => {
      let sequence = 0
      /** Events written but not yet taken by the client. */
      let behind = 0
      const listeners: Array<() => void> = []
      for (const [event, { name, payload }] of Object.entries(EVENTS) as Array<[keyof NodeEvents, typeof EVENTS[keyof NodeEvents]]>) {
        const listener = (...args: unknown[]): void => {
          if (behind >= MAX_EVENTS_BEHIND) {
            stream.abort()
            return
          }
          const data = JSON.stringify({ ...(payload as (...a: unknown[]) => Record<string, string | boolean>)(...args), at: new Date().toISOString() })
          behind++
          void stream.writeSSE({ event: name, id: String(++sequence), data }).finally(() => { behind-- })
        }
        node.events.on(event, listener as never)
        listeners.push(() => node.events.off(event, listener as never))
      }
      // Listened for first: a client that never reads leaves even the first write pending.
      const gone = new Promise<void>(resolve => stream.onAbort(resolve))
      const keepalive = setInterval(() => { void stream.write(': keepalive\n\n') }, KEEPALIVE_MS)
      await stream.write(': keruen event stream\n\n')
      await gone
      clearInterval(keepalive)
      for (const off of listeners) off()
    })
  })
}
