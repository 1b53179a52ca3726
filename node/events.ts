/**
 * What happens in a node, as typed events on one bus: components announce on
 * it and listen to each other through it, and the API's event stream and the
 * operator's log read it. A listener added in a component's start() is
 * removed in its stop().
 */
import { EventEmitter } from 'node:events'
import type { SignedRecord } from '../record/index.js'
import type { StorageHealth } from '../storage/index.js'

export interface NodeEventMap {
  /** A record new to this node is on disk (its own, imported or received). */
  'record:stored': [record: SignedRecord]
  'peer:admitted': [peer: string, reason: string]
  'peer:refused': [peer: string, reason: string]
  'peer:down': [peer: string]
  'record:delivered': [recipient: string, recordId: string, receiptId: string]
  /** A record delivered to this node was stored: who sent it, its id, and the record as it came. */
  'record:received': [sender: string, recordId: string, record: SignedRecord]
  'delivery:refused': [peer: string, reason: string]
  /** A status change, missing-data request or decision about an application was stored here. */
  'application:changed': [applicationId: string, recordId: string, type: string]
  /** A shipment event (EPCIS or event.shipment) was stored here. */
  'shipment:event': [recordId: string, consignment: string, issuer: string]
  /** A regulatory measure or a code list changed: what, whom it concerns here, from when. */
  'regulation:changed': [notice: Readonly<Record<string, unknown>>]
  /** The authorities this node trusts changed. */
  'trust:list-changed': []
  /** The database stopped taking writes after a failed one, or takes them again. */
  'storage:changed': [health: StorageHealth]
}

export class NodeEvents extends EventEmitter<NodeEventMap> {
  constructor () {
    super({ captureRejections: false })
    // Each event-stream client listens to every event; the stream caps clients, not this.
    this.setMaxListeners(0)
  }
}

/** Adds listeners and returns one function that removes them all: what a component's stop() calls. */
export function listen<K extends keyof NodeEventMap> (
  events: NodeEvents,
  listeners: { [E in K]: (...args: NodeEventMap[E]) => void }
): () => void {
  const added = Object.entries(listeners) as Array<[K, (...args: unknown[]) => void]>
  for (const [event, listener] of added) events.on(event, listener as never)
  return () => { for (const [event, listener] of added) events.off(event, listener as never) }
}
