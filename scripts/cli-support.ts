/** Shared pieces of the command line: option parsing, errors, output. */
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** An error the user caused: printed as one line, exit code 1, no stack. */
export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const DEFAULT_DATA_DIR = process.env.KERUEN_DATA ?? 'data'

export interface Command {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  run (values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>
}

export function parse (command: Command, args: string[]): { values: Record<string, string | boolean | undefined>, positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
    return { values: values as Record<string, string | boolean | undefined>, positionals }
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0] ?? 'bad arguments'}; see keruen ${command.name} --help`)
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
