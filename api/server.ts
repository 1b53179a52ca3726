/**
 * Serves a node's API over HTTP, or HTTPS when given a certificate and key,
 * with @hono/node-server. The port is taken before the node opens
 * (`listenApi`), so that a port in use stops a start before anything is
 * written; until the API is attached, requests get 503.
 */
import { serve, type ServerType } from '@hono/node-server'
import type { Hono } from 'hono'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { StartError } from '../node/errors.js'
import type { NodeApi } from '../node/node-api.js'
import type { NodeConfig } from '../node/setup/config.js'
import { readTlsFiles, type TlsMaterial } from '../node/setup/tls-files.js'
import { createApi, type ApiOptions } from './app.js'
import { acceptedHostnames } from './host-check.js'
import { problemHttp, problemResponse } from './problem.js'

export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:7447, or https://… when served over TLS */
  readonly url: string
  readonly port: number
  /** The certificate (chain) served, PEM; absent over plain HTTP. */
  readonly certificate?: string
  close (): Promise<void>
}

export interface ApiListener extends ApiServer {
  /** Answers requests with `app` from now on. */
  attach (app: Hono): void
}

export interface ListenOptions {
  /** Serve HTTPS with this certificate and key (see readTlsFiles); plain HTTP without. */
  readonly tls?: TlsMaterial
}

/** Listens on `host:port` (0: any free port); a port in use is a StartError naming the option to change. */
export async function listenApi (host: string, port: number, options: ListenOptions = {}): Promise<ApiListener> {
  const { tls } = options
  let app: Hono | undefined
  const fetch = async (request: Request): Promise<Response> => app !== undefined
    ? await app.fetch(request)
    : problemResponse('starting', 'the node is still starting; try again in a moment', { 'retry-after': '1' })
  let server: ServerType
  try {
    server = await new Promise((resolve, reject) => {
      const s = tls === undefined
        ? serve({ fetch, hostname: host, port }, () => resolve(s))
        : serve({ fetch, hostname: host, port, createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key } }, () => resolve(s))
      s.once('error', reject)
    })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartError('api-port-in-use', `API port ${port} on ${host} is in use: pass --api-port (or set apiPort in config.json)`, err)
    }
    throw err
  }
  // Node's parser refuses some requests before any route sees them (a bad
  // header character, a request line or headers over its limit): they get a
  // problem too, not a bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (err as { bytesParsed?: number }).bytesParsed === undefined) {
      socket.destroy()
      return
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW' || err.code === 'HPE_URI_TOO_LONG'
    socket.end(tooLarge
      ? problemHttp('headers-too-large', 'the request line or its headers are larger than this server reads')
      : problemHttp('malformed-request', `the request is not valid HTTP/1.1 (${err.code ?? err.message})`))
  })
  const bound = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `${tls === undefined ? 'http' : 'https'}://${urlHost}:${bound}`,
    port: bound,
    ...(tls !== undefined && { certificate: tls.cert }),
    attach: (next) => { app = next },
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close(err => err != null ? reject(err) : resolve()))
      // Keep-alive connections would otherwise hold the server open.
      if ('closeAllConnections' in server) server.closeAllConnections()
      await closed
    }
  }
}

/** The API of `node` as served on `apiHost`: answering only to the names it listens on there. */
export function servedApi (node: NodeApi, apiHost: string, options: ApiOptions = {}): Hono {
  const hostnames = acceptedHostnames(apiHost)
  return createApi(node, { ...(hostnames !== undefined && { hostnames }), ...options })
}

/** The certificate and key the settings name, read and checked; undefined when they name none. */
export async function tlsOf (config: Pick<NodeConfig, 'tlsCert' | 'tlsKey'>): Promise<TlsMaterial | undefined> {
  return config.tlsCert !== undefined && config.tlsKey !== undefined ? await readTlsFiles(config.tlsCert, config.tlsKey) : undefined
}

/** Serves the API of `node` where its settings say, over HTTPS when they name a certificate and key. */
export async function startApiServer (node: NodeApi & { readonly config: Pick<NodeConfig, 'apiHost' | 'apiPort' | 'tlsCert' | 'tlsKey'> }, options: ApiOptions = {}): Promise<ApiServer> {
  const tls = await tlsOf(node.config)
  const listener = await listenApi(node.config.apiHost, node.config.apiPort, { ...(tls !== undefined && { tls }) })
  listener.attach(servedApi(node, node.config.apiHost, options))
  return listener
}
