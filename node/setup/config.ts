/**
 * Node settings: built-in defaults, overridden by DIR/config.json, overridden by
 * command-line options. Every value is checked before the node starts.
 */
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { boolean, describe, integer, object, string } from '../../record/types/common.js'
import { compileSchema, violationsOf } from '../../record/types/validator.js'
import { CONFIG_FILE } from './data-dir.js'

const port = integer({ minimum: 0, maximum: 65535 })
const host = string({ minLength: 1 })
const workers = integer({ minimum: 0, maximum: 64 })
const filePath = string({ minLength: 1 })
const peerLimits = (what: string) => object({
  perSecond: integer({ minimum: 1, maximum: 100_000, description: `${what} a second, sustained` }),
  concurrent: integer({ minimum: 1, maximum: 1000, description: `${what} served at once` }),
  bytesPerMinute: integer({ minimum: 1024, maximum: 1024 ** 4, description: 'bytes a minute, asked and answered' })
}, ['perSecond', 'concurrent', 'bytesPerMinute'], `what one peer may ask of this node: ${what} a second, at once, and bytes a minute; over them it is told to slow down`)

const settings = {
  apiHost: describe(host, 'address the local API binds to; loopback unless deliberately opened'),
  apiPort: port,
  p2pHost: host,
  p2pPort: port,
  bootstrap: Type.Array(string({ pattern: '^/' }), { description: 'multiaddrs of peers to dial at start' }),
  mdns: boolean('discover peers on the local network with mDNS'),
  maxBodyBytes: integer({ minimum: 1024, maximum: 64 * 1024 * 1024, description: 'largest request body the API accepts, in bytes' }),
  durable: boolean('sync every write to disk before acknowledging it'),
  signingWorkers: describe(workers, 'worker threads that sign records; 0 signs on the main thread'),
  verifyWorkers: describe(workers, 'worker threads that verify the records of deliveries received; 0 verifies on the main thread'),
  attachmentMaxBytes: integer({ minimum: 1024, maximum: 1024 * 1024 * 1024, description: 'largest file an attachment may be, in bytes' }),
  attachmentTypes: Type.Array(string({ pattern: '^[a-z]+/[a-z0-9.+-]+$', maxLength: 100 }), { minItems: 1, maxItems: 50, description: 'media types attachments may have' }),
  tlsCert: describe(filePath, 'PEM certificate (or chain) the API and cabinet serve over HTTPS; with tlsKey'),
  tlsKey: describe(filePath, 'PEM private key of tlsCert'),
  queryLimits: peerLimits('queries'),
  deliveryLimits: peerLimits('delivery requests')
}

/** Every setting, as the node runs with them; tlsCert and tlsKey are both set or neither. */
export const nodeConfig = object(settings, ['apiHost', 'apiPort', 'p2pHost', 'p2pPort', 'bootstrap', 'mdns', 'maxBodyBytes', 'durable', 'signingWorkers', 'verifyWorkers', 'queryLimits', 'deliveryLimits', 'attachmentMaxBytes', 'attachmentTypes'])
/** Some settings, as config.json or the command line give them. */
const configOverrides = object(settings, [])

export type NodeConfig = Static<typeof nodeConfig>

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
  verifyWorkers: Math.min(4, availableParallelism() - 1),
  // A keruen node asks a peer a few things a second at most; ten leave room for an integration that pages
  // through a year (500 records an answer), while one peer's share of the holder's disk syncs stays small.
  queryLimits: { perSecond: 10, concurrent: 4, bytesPerMinute: 512 * 1024 * 1024 },
  // A sender keeps 4 requests of up to 16 MiB in flight; a backlog of small records goes at hundreds of requests a second.
  deliveryLimits: { perSecond: 500, concurrent: 8, bytesPerMinute: 8 * 1024 ** 3 },
  attachmentMaxBytes: 25 * 1024 * 1024,
  attachmentTypes: ['application/pdf', 'image/jpeg', 'image/png', 'application/xml', 'text/xml']
}

export class ConfigError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ConfigError'
  }
}

const validateOverrides = compileSchema(configOverrides)

/** Checks a partial configuration; throws ConfigError naming every bad setting. */
export function checkConfig (partial: Record<string, unknown>, source: string): Partial<NodeConfig> {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined))
  if (validateOverrides(given)) return given
  const problems = new Map<string, string>()
  for (const v of violationsOf(validateOverrides.errors)) {
    const key = v.path.split('/')[1] ?? ''
    if (problems.has(key)) continue
    problems.set(key, v.message === 'is not a known field'
      ? `unknown setting "${key}"`
      : `"${key}" has an invalid value ${JSON.stringify(given[key])} (${v.message})`)
  }
  throw new ConfigError(`${source}: ${[...problems.values()].join('; ')}`)
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
  const config: NodeConfig = {
    ...DEFAULT_CONFIG,
    ...withFilesIn(dir, checkConfig(file, path)),
    ...checkConfig(overrides as Record<string, unknown>, 'option')
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    const [set, unset] = config.tlsCert !== undefined ? ['tlsCert', 'tlsKey'] : ['tlsKey', 'tlsCert']
    throw new ConfigError(`${set} is set but ${unset} is not: give both (--tls-cert FILE --tls-key FILE, or tlsCert and tlsKey in ${path}) or neither`)
  }
  return config
}

/** The files config.json names, relative to the data folder it is in. */
function withFilesIn (dir: string, settings: Partial<NodeConfig>): Partial<NodeConfig> {
  return {
    ...settings,
    ...(settings.tlsCert !== undefined && { tlsCert: resolve(dir, settings.tlsCert) }),
    ...(settings.tlsKey !== undefined && { tlsKey: resolve(dir, settings.tlsKey) })
  }
}
