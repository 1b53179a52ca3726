/**
 * Node settings: built-in defaults, overridden by DIR/config.json, overridden by
 * command-line options. Every value is checked before the node starts.
 */
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { CONFIG_FILE } from './data-dir.js'

export interface NodeConfig {
  /** Address the local API binds to; loopback unless deliberately opened. */
  readonly apiHost: string
  readonly apiPort: number
  readonly p2pHost: string
  readonly p2pPort: number
  /** Multiaddrs of peers to dial at start. */
  readonly bootstrap: readonly string[]
  /** Discover peers on the local network with mDNS. */
  readonly mdns: boolean
  /** Largest request body the API accepts, in bytes. */
  readonly maxBodyBytes: number
  /** Sync every write to disk before acknowledging it. */
  readonly durable: boolean
  /** Worker threads that sign records; 0 signs on the main thread. */
  readonly signingWorkers: number
  /** Worker threads that verify the records of deliveries received; 0 verifies on the main thread. */
  readonly verifyWorkers: number
}

export const DEFAULT_CONFIG: NodeConfig = {
  apiHost: '127.0.0.1',
  apiPort: 7447,
  p2pHost: '127.0.0.1',
  p2pPort: 7448,
  bootstrap: [],
  mdns: false,
  maxBodyBytes: 2 * 1024 * 1024,
  durable: true,
  // The event loop (API, storage, network) and LevelDB's own thread take two
  // cores. Handing a record to a worker costs about 100 µs of CPU (copying the
  // draft, waking both threads, reading the record back), which pays only where
  // the worker gets a core of its own.
  signingWorkers: availableParallelism() >= 4 ? Math.min(4, availableParallelism() - 2) : 0,
  // A delivery is verified in one hand-off per request of up to 256 records, so
  // a worker pays for itself as soon as there is a second core.
  verifyWorkers: Math.min(4, availableParallelism() - 1)
}

export class ConfigError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ConfigError'
  }
}

const checks: { [K in keyof NodeConfig]: (value: unknown) => boolean } = {
  apiHost: v => typeof v === 'string' && v.length > 0,
  apiPort: v => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535,
  p2pHost: v => typeof v === 'string' && v.length > 0,
  p2pPort: v => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535,
  bootstrap: v => Array.isArray(v) && v.every(a => typeof a === 'string' && a.startsWith('/')),
  mdns: v => typeof v === 'boolean',
  maxBodyBytes: v => Number.isInteger(v) && (v as number) >= 1024 && (v as number) <= 64 * 1024 * 1024,
  durable: v => typeof v === 'boolean',
  signingWorkers: v => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 64,
  verifyWorkers: v => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 64
}

/** Checks a partial configuration; throws ConfigError naming the first bad setting. */
export function checkConfig (partial: Record<string, unknown>, source: string): Partial<NodeConfig> {
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue
    const check = checks[key as keyof NodeConfig]
    if (check === undefined) throw new ConfigError(`${source}: unknown setting "${key}"`)
    if (!check(value)) throw new ConfigError(`${source}: "${key}" has an invalid value ${JSON.stringify(value)}`)
  }
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<NodeConfig>
}

export async function loadConfig (dir: string, overrides: Partial<NodeConfig> = {}): Promise<NodeConfig> {
  let file: Record<string, unknown> = {}
  const path = join(dir, CONFIG_FILE)
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'))
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${path}: not a JSON object`)
    file = parsed as Record<string, unknown>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err instanceof ConfigError ? err : new ConfigError(`${path}: ${(err as Error).message}`, { cause: err })
    }
  }
  return {
    ...DEFAULT_CONFIG,
    ...checkConfig(file, path),
    ...checkConfig(overrides as Record<string, unknown>, 'option')
  }
}
