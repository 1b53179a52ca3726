/**
 * The node's log (pino): JSON lines for a collector when the output is not a
 * terminal, one readable line per entry when it is. The level comes from the
 * caller, else KERUEN_LOG, else `info`. A node opened as a library logs
 * nothing unless given a logger.
 */
import { pino, type DestinationStream, type Logger } from 'pino'

export type { Logger } from 'pino'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

export class LogLevelError extends Error {
  readonly code = 'invalid-log-level'
  constructor (level: string) {
    super(`log level ${JSON.stringify(level)} is not one of ${LOG_LEVELS.join(', ')}: pass --log-level or set KERUEN_LOG`)
    this.name = 'LogLevelError'
  }
}

export function isLogLevel (level: string): level is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(level)
}

export interface LogInit {
  readonly level?: string
  /** Readable lines instead of JSON (default: when the output is a terminal). */
  readonly pretty?: boolean
  /** Where lines go (default standard output). */
  readonly output?: NodeJS.WritableStream & { isTTY?: boolean }
}

export function createLogger (init: LogInit = {}): Logger {
  // An empty KERUEN_LOG counts as unset, as a shell's `KERUEN_LOG=` means.
  const level = init.level ?? (process.env.KERUEN_LOG !== undefined && process.env.KERUEN_LOG !== '' ? process.env.KERUEN_LOG : 'info')
  if (!isLogLevel(level)) throw new LogLevelError(level)
  const output = init.output ?? process.stdout
  const pretty = init.pretty ?? output.isTTY === true
  const destination: DestinationStream = pretty ? readableLines(output) : { write: line => { output.write(line) } }
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination)
}

/** A logger that drops everything: a node opened without one. */
export function silentLogger (): Logger {
  return pino({ level: 'silent' })
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
/** Fields every entry has, shown in the line's head rather than as key=value. */
const HEAD = new Set(['level', 'time', 'msg', 'node', 'pid', 'hostname'])

/** One line per entry: time, level, [node], message, then the other fields as key=value. */
export function formatLine (entry: Record<string, unknown>): string {
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : ''
  const level = (LEVEL_NAMES[Number(entry.level)] ?? String(entry.level)).padEnd(5)
  const node = typeof entry.node === 'string' ? `[${entry.node}] ` : ''
  const fields = Object.entries(entry)
    .filter(([key]) => !HEAD.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`)
  return `${time} ${level} ${node}${String(entry.msg ?? '')}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}\n`
}

function readableLines (output: NodeJS.WritableStream): DestinationStream {
  return {
    write: (line: string) => {
      try {
        output.write(formatLine(JSON.parse(line) as Record<string, unknown>))
      } catch {
        output.write(line)
      }
    }
  }
}
