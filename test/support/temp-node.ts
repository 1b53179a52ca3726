/** A node in a temporary data folder, with its API, for tests. */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { createApi } from '../../api/app.js'
import { KeruenNode, type OpenNodeOptions } from '../../node/node.js'
import type { DataObject } from '../../record/index.js'
import { repoFile } from './repo.js'

export interface TempNode {
  readonly dir: string
  readonly node: KeruenNode
  readonly api: Hono
  /** Calls the API in process, with the node's token unless `auth` is given. */
  request (method: string, path: string, init?: { body?: unknown, headers?: Record<string, string>, auth?: string | null }): Promise<Response>
  /** Closes the node and opens it again on the same folder (which the new one then owns). */
  reopen (): Promise<TempNode>
  close (): Promise<void>
}

export async function tempDir (): Promise<string> {
  return await mkdtemp(join(tmpdir(), 'keruen-test-'))
}

export async function openTempNode (options: Partial<OpenNodeOptions> = {}, dir?: string): Promise<TempNode> {
  const dataDir = dir ?? await tempDir()
  return await openIn(dataDir, options)
}

async function openIn (dataDir: string, options: Partial<OpenNodeOptions>): Promise<TempNode> {
  // Tests need no durability across power loss; skip fsync to keep them fast.
  const node = await KeruenNode.open({ p2p: false, defaultPolicies: false, ...options, dataDir, config: { durable: false, apiPort: 0, p2pPort: 0, signingWorkers: 0, ...options.config } })
  const api = createApi(node, { onInternalError: err => { throw err } })
  const self: TempNode = {
    dir: dataDir,
    node,
    api,
    async request (method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers }
      const auth = init.auth === undefined ? node.identity.apiToken : init.auth
      if (auth !== null) headers.authorization ??= `Bearer ${auth}`
      let body: RequestInit['body']
      if (init.body instanceof Uint8Array) {
        body = init.body as Uint8Array<ArrayBuffer>
      } else if (typeof init.body === 'string') {
        body = init.body
      } else if (init.body !== undefined) {
        body = JSON.stringify(init.body)
        headers['content-type'] ??= 'application/json'
      }
      return await api.request(path, { method, headers, ...(body !== undefined && { body }) })
    },
    async reopen () {
      await node.close()
      return await openIn(dataDir, options)
    },
    async close () {
      await node.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  return self
}

export async function fixture (type: string): Promise<DataObject> {
  return JSON.parse(await readFile(repoFile(`test/fixtures/records/${type}.json`), 'utf8')) as DataObject
}
