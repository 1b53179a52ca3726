/**
 * How a one-shot command reaches a node's records: through the API of the node
 * running on the data folder if there is one (it holds the database lock), or
 * else by opening the folder itself.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadDataDir } from '../node/data-dir.js'
import { ServiceError } from '../node/errors.js'
import { KeruenNode } from '../node/node.js'
import type { CreateRecordInput } from '../node/record-service.js'
import { UsageError } from './cli-support.js'
import { RUNTIME_FILE } from './commands/start.js'

export interface RecordClient {
  create (input: CreateRecordInput): Promise<unknown>
  get (id: string): Promise<unknown>
  getBytes (id: string): Promise<Uint8Array>
}

async function runningApi (dataDir: string): Promise<string | undefined> {
  try {
    const { url } = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8')) as { url: string }
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
    return health.ok ? url : undefined
  } catch {
    return undefined
  }
}

async function problemOf (response: Response): Promise<UsageError> {
  const body = await response.json().catch(() => ({})) as { detail?: string, errors?: Array<{ path: string, message: string }> }
  const errors = (body.errors ?? []).map(e => `${e.path} ${e.message}`).join('; ')
  return new UsageError(`${response.status}: ${body.detail ?? response.statusText}${errors !== '' ? ` (${errors})` : ''}`)
}

function refusal (err: unknown): never {
  if (err instanceof ServiceError) {
    const errors = err.violations.map(v => `${v.path} ${v.message}`).join('; ')
    throw new UsageError(`${err.message}${errors !== '' ? ` (${errors})` : ''}`)
  }
  throw err
}

export async function withRecords<T> (dataDir: string, work: (client: RecordClient) => Promise<T>): Promise<T> {
  const url = await runningApi(dataDir)
  if (url !== undefined) {
    const { apiToken } = await loadDataDir(dataDir)
    const auth = { authorization: `Bearer ${apiToken}` }
    const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
      const response = await fetch(`${url}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } })
      if (!response.ok) throw await problemOf(response)
      return response
    }
    return await work({
      create: async input => await (await call('/v1/records', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).json(),
      get: async id => await (await call(`/v1/records/${encodeURIComponent(id)}`)).json(),
      getBytes: async id => new Uint8Array(await (await call(`/v1/records/${encodeURIComponent(id)}`, { headers: { accept: 'application/cbor' } })).arrayBuffer())
    })
  }
  const node = await KeruenNode.open({ dataDir, p2p: false })
  try {
    return await work({
      create: async input => {
        const { record } = await node.records.create(input).catch(refusal)
        return await node.records.get(record.id)
      },
      get: async id => (await node.records.get(id)) ?? refusal(new ServiceError('not-found', `no record ${id}`)),
      getBytes: async id => (await node.records.getBytes(id)) ?? refusal(new ServiceError('not-found', `no record ${id}`))
    })
  } finally {
    await node.close()
  }
}
