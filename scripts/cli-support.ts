/** Shared pieces of the command line: option parsing, errors, output. */
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** An error the user caused: printed as one line, exit code 1, no stack. */
export class UsageError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'UsageError'
  }
}

export const DEFAULT_DATA_DIR = process.env.KERUEN_DATA ?? 'data'

/** Where a running node tells other keruen commands how to reach its API. */
export const RUNTIME_FILE = 'api.json'

export type CommandValues = Record<string, string | boolean | undefined>

/** What a command does: a module of its own, loaded when the command runs. */
export interface CommandModule {
  run (values: CommandValues, positionals: string[]): Promise<void>
}

/** A command as the command line lists and parses it; `load` brings its implementation. */
export interface Command {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  load (): Promise<CommandModule>
}

export function parse (command: Command, args: string[]): { values: CommandValues, positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
    return { values: values as CommandValues, positionals }
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0] ?? 'bad arguments'}; see keruen ${command.name} --help`, { cause: err })
  }
}

export function portOption (value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const port = Number(value)
  if (typeof value !== 'string' || !/^\d+$/.test(value) || port > 65535) throw new UsageError(`--${name} must be a port number from 0 to 65535`)
  return port
}

export function stringOption (value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function printJson (value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}
