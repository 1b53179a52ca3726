/** Serves a node's API over HTTP with @hono/node-server. */
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { NodeApi } from '../node/node-api.js'
import type { NodeConfig } from '../node/setup/config.js'
import { createApi, type ApiOptions } from './app.js'

export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:7447 */
  readonly url: string
  readonly port: number
  close (): Promise<void>
}

/** Serves the API of `node` where its settings say. */
export async function startApiServer (node: NodeApi & { readonly config: Pick<NodeConfig, 'apiHost' | 'apiPort'> }, options: ApiOptions = {}): Promise<ApiServer> {
  const app = createApi(node, options)
  const { apiHost, apiPort } = node.config
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: apiHost, port: apiPort }, () => resolve(s))
    s.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const host = apiHost.includes(':') ? `[${apiHost}]` : apiHost
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close(err => err != null ? reject(err) : resolve()))
      // Keep-alive connections would otherwise hold the server open.
      if ('closeAllConnections' in server) server.closeAllConnections()
      await closed
    }
  }
}
