/**
 * What the node and its operator must know of the database: data LevelDB
 * dropped when it opened (logged), and writes refused after a failed write or
 * taken again (logged, and announced as `storage:changed`).
 */
import type { Database } from '../../storage/index.js'
import type { NodeEvents } from '../events.js'
import type { Logger } from './log.js'

export interface StorageWatchComponents {
  readonly db: Database
  readonly events: NodeEvents
  readonly logger: Logger
}

export class StorageWatch {
  private unwatch: (() => void) | undefined

  constructor (private readonly components: StorageWatchComponents) {}

  start (): void {
    const { db, events, logger } = this.components
    if (db.dropped !== undefined) {
      logger.warn({ folder: db.location, bytes: db.dropped.bytes, reports: db.dropped.reports },
        `LevelDB dropped ${db.dropped.bytes} bytes of its log when it opened ${db.location} (a write torn by a crash or a full disk); stop the node and run "keruen doctor" to check every record and index`)
    }
    this.unwatch = db.watch(health => {
      if (health.writable) {
        logger.info({ folder: db.location }, 'the database is sound again and takes writes')
      } else {
        logger.error({ folder: db.location, reason: health.reason }, `writes are refused: ${health.reason}; the node reopens the database and takes writes again once a test write succeeds`)
      }
      events.emit('storage:changed', health)
    })
  }

  stop (): void {
    this.unwatch?.()
    this.unwatch = undefined
  }
}
