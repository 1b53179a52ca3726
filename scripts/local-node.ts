/**
 * How a one-shot command reaches a node: through the API of the node running on
 * the data folder if there is one (it holds the database lock; over HTTPS, with
 * the certificate it serves trusted), or else by opening the folder and calling
 * the same API in process. Either way the command speaks HTTP semantics and
 * gets the same answers.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApi } from '../api/app.js'
import { loadDataDir } from '../node/setup/data-dir.js'
import { KeruenNode } from '../node/node.js'
import { RUNTIME_FILE, UsageError } from './cli-support.js'
import { pinnedFetch, type Fetch } from './pinned-fetch.js'

export type ApiCall = (method: string, path: string, options?: { body?: unknown, accept?: string }) => Promise<Response>

/** The API of the node running on `dataDir`, if one answers: its address and how to reach it. */
async function runningApi (dataDir: string): Promise<{ url: string, send: Fetch } | undefined> {
  try {
    const { url, certificate } = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8')) as { url: string, certificate?: string }
    const send: Fetch = certificate !== undefined ? pinnedFetch(certificate) : fetch
    const health = await send(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
    return health.ok ? { url, send } : undefined
  } catch {
    return undefined
  }
}

/** Turns a problem+json answer into a one-line error for the terminal. */
export async function refusal (response: Response): Promise<UsageError> {
  const body = await response.json().catch(() => ({})) as { detail?: string, errors?: Array<{ path: string, message: string }> }
  const errors = (body.errors ?? []).map(e => `${e.path} ${e.message}`).join('; ')
  return new UsageError(`${response.status}: ${body.detail ?? response.statusText}${errors !== '' ? ` (${errors})` : ''}`)
}

/** Calls `work` with a function that performs API requests on the node of `dataDir`; non-2xx answers throw. */
export async function withApi<T> (dataDir: string, work: (call: ApiCall) => Promise<T>): Promise<T> {
  const checked = (send: (path: string, init: { method: string, headers: Record<string, string>, body?: string }) => Promise<Response>): ApiCall => async (method, path, options = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (options.accept !== undefined) headers.accept = options.accept
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    const response = await send(path, { method, headers, ...(options.body !== undefined && { body: JSON.stringify(options.body) }) })
    if (!response.ok) throw await refusal(response)
    return response
  }
  const { apiToken: token } = await loadDataDir(dataDir)
  const running = await runningApi(dataDir)
  if (running !== undefined) {
    return await work(checked(async (path, init) => await running.send(`${running.url}${path}`, init)))
  }
  const node = await KeruenNode.open({ dataDir, p2p: false })
  try {
    const app = createApi(node)
    return await work(checked(async (path, init) => await app.request(path, init)))
  } finally {
    await node.close()
  }
}
