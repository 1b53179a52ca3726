/**
 * Requests to a node's own API over HTTPS. The node says in api.json which
 * certificate it serves; a command trusts exactly that certificate, under
 * whatever name the node listens (0.0.0.0, a LAN address), as well as the
 * public certificate authorities. A self-signed certificate works as one a
 * CA issued.
 */
import { X509Certificate } from 'node:crypto'
import { request } from 'node:https'
import { checkServerIdentity, rootCertificates, type PeerCertificate } from 'node:tls'

export type Fetch = (url: string, init?: { method?: string, headers?: Record<string, string>, body?: string | Uint8Array, signal?: AbortSignal }) => Promise<Response>

/** Statuses whose answers have no body, which `new Response` refuses one for. */
const NO_BODY = new Set([101, 103, 204, 205, 304])

/** A fetch that trusts `certificate` (PEM, the served certificate first, maybe its chain after). */
export function pinnedFetch (certificate: string): Fetch {
  const pinned = new X509Certificate(certificate).fingerprint256
  const trusted = (host: string, cert: PeerCertificate): Error | undefined =>
    cert.fingerprint256 === pinned ? undefined : checkServerIdentity(host, cert)
  return async (url, init = {}) => await new Promise<Response>((resolve, reject) => {
    const sent = request(url, {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      ca: [...rootCertificates, certificate],
      // The certificate itself is trusted even when a CA issued it: its issuer need not be known here.
      allowPartialTrustChain: true,
      checkServerIdentity: trusted,
      ...(init.signal !== undefined && { signal: init.signal })
    }, answer => {
      const parts: Buffer[] = []
      answer.on('data', (part: Buffer) => parts.push(part))
      answer.on('error', reject)
      answer.on('end', () => {
        const headers = new Headers()
        for (const [name, value] of Object.entries(answer.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one)
        }
        const status = answer.statusCode ?? 502
        resolve(new Response(NO_BODY.has(status) ? null : Buffer.concat(parts), { status, statusText: answer.statusMessage ?? '', headers }))
      })
    })
    sent.on('error', reject)
    sent.end(init.body)
  })
}
