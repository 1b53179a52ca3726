/**
 * The API and the cabinet over HTTPS, as a browser or an ERP on another
 * machine reaches a node started with a certificate: the address is https://,
 * a client that trusts the certificate gets answers, the session cookie is
 * Secure, plain HTTP gets nothing, and the Host check holds.
 */
import assert from 'node:assert/strict'
import { readFile, rm } from 'node:fs/promises'
import https from 'node:https'
import { checkServerIdentity } from 'node:tls'
import type { IncomingHttpHeaders } from 'node:http'
import { listenApi, startApiServer, type ApiServer } from '../../../api/server.js'
import { readTlsFiles } from '../../../node/setup/tls-files.js'
import { pinnedFetch } from '../../../scripts/pinned-fetch.js'
import { certificateOrSkip } from '../../support/tls-cert.js'
import { openTempNode, tempDir, type TempNode } from '../../support/temp-node.js'

interface Answer { readonly status: number, readonly headers: IncomingHttpHeaders, readonly body: string }

describe('API and cabinet over HTTPS', function () {
  this.timeout(60_000)
  let dir: string
  let ca: string
  let t: TempNode
  let server: ApiServer
  const password = 'aigerim password 1'

  before(async function () {
    dir = await tempDir()
    const { certFile, keyFile } = await certificateOrSkip(this, dir)
    ca = await readFile(certFile, 'utf8')
    t = await openTempNode({ config: { tlsCert: certFile, tlsKey: keyFile } })
    server = await startApiServer(t.node)
    await t.node.accounts.add({ id: 'aigerim', name: 'Aigerim Seitkali', role: 'declarant', password })
  })
  after(async () => {
    await server?.close()
    await t?.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** A request over HTTPS with the test certificate trusted, to 127.0.0.1 under the Host `host`. */
  const send = async (method: string, path: string, init: { headers?: Record<string, string>, body?: string, host?: string, trust?: boolean } = {}): Promise<Answer> =>
    await new Promise((resolve, reject) => {
      const url = new URL(path, server.url)
      const request = https.request(url, {
        method,
        headers: { ...(init.host !== undefined && { host: init.host }), ...init.headers },
        ...(init.trust !== false && { ca }),
        // The certificate is checked against the address dialled, whatever the Host header says.
        checkServerIdentity: (_, cert) => checkServerIdentity(url.hostname, cert)
      }, response => {
        let body = ''
        response.on('data', (chunk: Buffer) => { body += chunk.toString() })
        response.on('end', () => { resolve({ status: response.statusCode ?? 0, headers: response.headers, body }) })
      })
      request.on('error', reject)
      request.end(init.body)
    })

  it('listens at an https:// address and answers a client that trusts its certificate', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(server.certificate, ca)
    assert.equal((await send('GET', '/healthz')).status, 200)
    const node = await send('GET', '/v1/node', { headers: { authorization: `Bearer ${t.node.identity.apiToken}` } })
    assert.equal(node.status, 200)
    assert.equal((JSON.parse(node.body) as { participant: string }).participant, t.node.participant)
    await assert.rejects(send('GET', '/healthz', { trust: false }), /self[- ]signed certificate/, 'a client that does not trust the certificate gets no answer')
  })

  it('signs a person in with a Secure, HttpOnly, SameSite=Strict session cookie that opens the cabinet', async () => {
    const form = new URLSearchParams({ login: 'aigerim', password, next: '/' }).toString()
    const login = await send('POST', '/login', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
    assert.equal(login.status, 303, login.body)
    const setCookie = login.headers['set-cookie']?.find(c => c.startsWith('keruen_session=')) ?? ''
    assert.match(setCookie, /;\s*Secure(;|$)/)
    assert.match(setCookie, /;\s*HttpOnly(;|$)/)
    assert.match(setCookie, /;\s*SameSite=Strict(;|$)/)
    const home = await send('GET', '/', { headers: { cookie: setCookie.split(';')[0] as string } })
    assert.equal(home.status, 200)
    assert.match(home.body, /Aigerim Seitkali/)
  })

  it('answers nothing over plain HTTP on its port', async () => {
    const plain = server.url.replace(/^https:/, 'http:')
    await assert.rejects(fetch(`${plain}/healthz`, { signal: AbortSignal.timeout(10_000) }), (err: Error) => err.name === 'TypeError' || err.name === 'TimeoutError')
  })

  it('keeps the Host check: a rebound hostname gets 421', async () => {
    const port = new URL(server.url).port
    assert.equal((await send('GET', '/healthz', { host: `localhost:${port}` })).status, 200)
    assert.equal((await send('GET', '/healthz', { host: `attacker.example:${port}` })).status, 421)
    assert.equal((await send('GET', '/login', { host: 'attacker.example' })).status, 421)
  })

  it('lets the keruen commands trust exactly the certificate the node serves, under whatever name it listens', async function () {
    // A certificate for another name than the address dialled, as on a node listening on 0.0.0.0.
    const elsewhere = await certificateOrSkip(this, dir, 'elsewhere', 'DNS:node.example')
    const other = await listenApi('127.0.0.1', 0, { tls: await readTlsFiles(elsewhere.certFile, elsewhere.keyFile) })
    try {
      const pem = await readFile(elsewhere.certFile, 'utf8')
      assert.equal((await pinnedFetch(pem)(`${other.url}/healthz`)).status, 503, 'answered, by a listener with no API yet')
      await assert.rejects(pinnedFetch(ca)(`${other.url}/healthz`), /altnames|self[- ]signed/, 'another certificate is not trusted')
      await assert.rejects(pinnedFetch(pem)(`${server.url}/healthz`), /self[- ]signed/, 'nor is the node\'s own by a command told of another')
      const answer = await pinnedFetch(ca)(`${server.url}/v1/node`, { headers: { authorization: `Bearer ${t.node.identity.apiToken}` } })
      assert.equal(answer.status, 200)
      assert.equal(((await answer.json()) as { participant: string }).participant, t.node.participant)
    } finally {
      await other.close()
    }
  })
})
