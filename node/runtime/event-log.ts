/**
 * What an operator reads of the node's life: peers admitted, refused and
 * gone, records received and delivered, refusals, as log entries.
 */
import { listen, type NodeEvents } from '../events.js'
import type { Logger } from './log.js'

export interface EventLogComponents {
  readonly events: NodeEvents
  readonly logger: Logger
}

export class EventLog {
  private unlisten: (() => void) | undefined

  constructor (private readonly components: EventLogComponents) {}

  start (): void {
    const log = this.components.logger
    this.unlisten = listen(this.components.events, {
      'peer:admitted': (peer, reason) => { log.info({ peer, reason }, 'peer admitted') },
      'peer:refused': (peer, reason) => { log.warn({ peer, reason }, 'peer refused') },
      'peer:down': peer => { log.debug({ peer }, 'peer disconnected') },
      'record:received': (sender, record) => { log.debug({ sender, record }, 'record received') },
      'record:delivered': (recipient, record, receipt) => { log.debug({ recipient, record, receipt }, 'record delivered') },
      'delivery:refused': (peer, reason) => { log.warn({ peer, reason }, 'delivery refused') },
      'trust:list-changed': () => { log.info('trust list changed') }
    })
  }

  stop (): void {
    this.unlisten?.()
    this.unlisten = undefined
  }
}
