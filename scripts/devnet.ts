/**
 * A whole keruen network on this machine: one authority and N certified
 * participants, each a real node with its own data folder, API and libp2p host
 * on 127.0.0.1, all trusting the authority and connected to each other.
 */
import type { Logger } from '../node/runtime/log.js'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { startApiServer, type ApiServer } from '../api/server.js'
import { KeruenNode } from '../node/node.js'
import type { ParticipantRole } from '../record/types/trust-certificate.js'
import { repoFile } from '../test/support/repo.js'

export interface DevnetMember {
  readonly name: string
  readonly role: ParticipantRole
  readonly competence?: string
}

/** The default cast: the four sides of an export, and the trader's bank. */
export const DEFAULT_MEMBERS: readonly DevnetMember[] = [
  { name: 'Trader', role: 'trader' },
  { name: 'Carrier', role: 'carrier' },
  { name: 'Customs', role: 'agency', competence: 'customs' },
  { name: 'SPS agency', role: 'agency', competence: 'phytosanitary' },
  { name: 'Bank', role: 'bank' }
]

export interface DevnetNode {
  readonly folder: string
  readonly name: string
  readonly role: ParticipantRole
  readonly node: KeruenNode
  readonly api: ApiServer
  /** The first person of the node's cabinet: made at the node's first start, its password kept in devnet.json. */
  readonly cabinet?: { readonly login: string, readonly password: string }
}

export interface Devnet {
  readonly nodes: DevnetNode[]
  readonly file: string
  stop (): Promise<void>
}

export function membersFor (count: number): DevnetMember[] {
  return Array.from({ length: count }, (_, i) => DEFAULT_MEMBERS[i] ?? { name: `Trader ${i - DEFAULT_MEMBERS.length + 2}`, role: 'trader' as const })
}

const folderOf = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-')

/** The shipped code lists (record/reference/data), each version published once by `node`. */
export async function publishShippedLists (node: KeruenNode): Promise<number> {
  const folder = fileURLToPath(repoFile('record/reference/data'))
  let published = 0
  const files = await readdir(folder).catch(() => [] as string[])
  for (const file of files.filter(f => f.endsWith('.json')).sort()) {
    const list = JSON.parse(await readFile(join(folder, file), 'utf8')) as { id: string, version: string, validFrom: string, title: { ru: string, kk: string, en: string }, source?: string, entries: unknown[] }
    if (node.codelists.find(list.id, { version: list.version }) !== undefined) continue
    await node.codelists.publish({ list: list.id, version: list.version, validFrom: list.validFrom, title: list.title, ...(list.source !== undefined && { source: list.source }), entries: list.entries })
    published++
  }
  return published
}

/** `logger`: where the nodes log, each line with its node's name (default: nowhere). */
export async function startDevnet (dir: string, members: readonly DevnetMember[], country = 'KZ', logger?: Logger): Promise<Devnet> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const file = join(dir, 'devnet.json')
  // A restart keeps each node's accounts: the passwords shown at the first start are read back.
  const earlier = new Map<string, { login: string, password: string }>()
  try {
    for (const n of JSON.parse(await readFile(file, 'utf8')) as Array<{ name: string, cabinet?: { login: string, password: string } }>) {
      if (n.cabinet !== undefined) earlier.set(n.name, n.cabinet)
    }
  } catch {}
  const started: DevnetNode[] = []
  const open = async (name: string, role: ParticipantRole): Promise<DevnetNode> => {
    const folder = join(dir, folderOf(name))
    const node = await KeruenNode.open({
      dataDir: folder,
      profile: { name, role, country },
      config: { apiPort: 0, p2pPort: 0, signingWorkers: 0 },
      ...(logger !== undefined && { logger: logger.child({ node: name }) })
    })
    const api = await startApiServer(node, logger !== undefined ? { logger: logger.child({ node: name }) } : { onInternalError: err => { console.error(`keruen devnet: ${name}:`, err) } })
    let cabinet = earlier.get(name)
    if ((await node.accounts.list()).length === 0) {
      // The person a node of this role has first: an officer at an agency or a bank, an administrator at the authority, a declarant elsewhere.
      const login = role === 'agency' || role === 'bank' ? 'officer' : role === 'authority' ? 'admin' : 'declarant'
      const { password } = await node.accounts.add({ id: login, name: `${name}, ${login}`, role: login })
      cabinet = { login, password }
    }
    const entry = { folder, name, role, node, api, ...(cabinet !== undefined && { cabinet }) }
    started.push(entry)
    return entry
  }
  const stop = async (): Promise<void> => {
    for (const n of started.reverse()) {
      await n.api.close()
      await n.node.close()
    }
  }
  try {
    const authority = await open('Authority', 'authority')
    for (const member of members) {
      const n = await open(member.name, member.role)
      await n.node.trust.addAuthority(authority.node.participant, { name: 'Authority', country })
      const status = await n.node.trust.status(n.node.participant)
      if (status.status !== 'valid') {
        const certificate = await authority.node.trust.certify({
          participant: n.node.participant,
          role: member.role,
          name: member.name,
          country,
          ...(member.competence !== undefined && { competence: member.competence })
        })
        await n.node.records.import(certificate.bytes)
      }
    }
    // Everyone dials everyone once; the handshake admits them to each other.
    for (let i = 0; i < started.length; i++) {
      for (let j = i + 1; j < started.length; j++) {
        await (started[i] as DevnetNode).node.p2p?.dial(multiaddr((started[j] as DevnetNode).node.addresses()[0] as string))
      }
    }
    // The authority publishes the reference data keruen ships, once: every certified node receives it.
    await authority.node.policy.refreshDirectory()
    await publishShippedLists(authority.node)
    await writeFile(file, `${JSON.stringify(started.map(n => ({
      name: n.name,
      role: n.role,
      participant: n.node.participant,
      api: n.api.url,
      token: n.node.identity.apiToken,
      p2p: n.node.addresses()[0],
      data: n.folder,
      ...(n.cabinet !== undefined && { cabinet: { url: `${n.api.url}/`, ...n.cabinet } })
    })), null, 2)}\n`, { mode: 0o600 })
    return { nodes: [...started], file, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
