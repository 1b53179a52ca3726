/** Real nodes on 127.0.0.1 for network tests: certified by an authority, connected, admitted. */
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import type { OpenNodeOptions } from '../../node/node.js'
import { openTempNode, type TempNode } from './temp-node.js'
import { until } from './until.js'

/** A node with its libp2p host, quick to give up on silent peers and to retry deliveries. */
export async function networkedNode (options: Partial<OpenNodeOptions> = {}, dir?: string): Promise<TempNode> {
  return await openTempNode({
    p2p: true,
    handshakeTimeoutMs: 3000,
    ...options,
    delivery: { retryMs: 100, maxRetryMs: 500, batchSize: 64, ...options.delivery }
  }, dir)
}

/** Has `authority` certify the participant `body` names (a node or not) through its API, which must answer 201. */
export async function certifyParticipant (authority: TempNode, body: Record<string, unknown>): Promise<{ id: string, record: unknown }> {
  const response = await authority.request('POST', '/v1/trust/certificates', { body })
  const certificate = await response.json() as { id: string, record: unknown }
  assert.equal(response.status, 201, JSON.stringify(certificate))
  return certificate
}

/** Has `authority` certify `t`, installs the certificate on `t`, and makes `t` trust the authority. */
export async function certify (authority: TempNode, t: TempNode, role: string, extra: { name?: string, country?: string, legalId?: string, competence?: string, aeo?: string } = {}): Promise<{ id: string }> {
  const certificate = await certifyParticipant(authority,
    { participant: t.node.participant, role, name: extra.name ?? `${extra.competence ?? role} node`, country: extra.country ?? 'KZ', ...(extra.legalId !== undefined && { legalId: extra.legalId }), ...(extra.competence !== undefined && { competence: extra.competence }), ...(extra.aeo !== undefined && { aeo: extra.aeo }) })
  assert.equal((await t.request('POST', '/v1/records/import', { body: certificate.record })).status, 201)
  assert.equal((await t.request('POST', '/v1/trust/authorities', { body: { participant: authority.node.participant } })).status, 201)
  return certificate
}

/** Dials `to` from `from` and waits until each has admitted the other. */
export async function connect (from: TempNode, to: TempNode): Promise<void> {
  await from.node.p2p?.dial(multiaddr(to.node.addresses()[0] as string))
  await until(() => from.node.handshake?.isAdmitted(to.node.participant) === true && to.node.handshake?.isAdmitted(from.node.participant) === true,
    `${from.node.identity.profile.name} and ${to.node.identity.profile.name} to admit each other`)
}

/** The body of a JSON response; says what came instead when it is not JSON. */
export async function json (response: Response): Promise<any> {
  const text = await response.text()
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`expected JSON, got ${response.status}: ${text.slice(0, 500)}`)
  }
}
