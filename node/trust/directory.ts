/**
 * The participant directory: every participant this node holds a certificate
 * of — certificates spread through the network by trust gossip — with what
 * the certificate says, its status here, and the authority that issued it;
 * and one participant's whole profile: every certificate, current and past,
 * with their revocations, where it listens and whether it is connected.
 */
import type { AddressStore } from '../../storage/index.js'
import type { ParticipantRole } from '../../record/types/trust-certificate.js'
import { ServiceError } from '../errors.js'
import { legalIdKey, type CertificateStatus, type CertifiedParticipant, type HeldCertificate, type TrustService } from './trust-service.js'

/** The statuses a participant of the directory can have: it holds a certificate, so never `absent`. */
export type DirectoryStatus = Exclude<CertificateStatus, 'absent'>

/** The authority that issued a certificate: its name from this node's trust list, or from the authority's own certificate. */
export interface IssuingAuthority {
  readonly participant: string
  readonly name?: string
}

/** A participant as the directory lists it, by the certificate that decides its status. */
export interface DirectoryEntry {
  readonly participant: string
  readonly name: string
  readonly legalId?: string
  readonly country: string
  readonly role: ParticipantRole
  readonly competence?: string
  readonly aeo?: string
  readonly status: DirectoryStatus
  /** Why the participant is not valid, or which authority certified it. */
  readonly reason: string
  /** The certificate the entry is read from: the valid one that speaks, or the one the reason names. */
  readonly certificate: string
  /** The certificate's issuedAt. */
  readonly validFrom: string
  readonly validUntil?: string
  readonly authority: IssuingAuthority
}

export interface DirectoryQuery {
  readonly role?: ParticipantRole
  readonly country?: string
  /** Matched whole, in any case. */
  readonly competence?: string
  /** Part of the name or of the legal id, in any case (white space in a legal id ignored). */
  readonly q?: string
  readonly status?: DirectoryStatus
  readonly limit: number
}

export interface DirectoryPage {
  readonly participants: DirectoryEntry[]
  /** How many participants matched; more than listed when `more`. */
  readonly matched: number
  readonly more: boolean
}

/** A certificate of a participant's profile, with its own status and its issuer's revocations. */
export interface ProfileCertificate {
  readonly id: string
  readonly status: DirectoryStatus
  readonly reason: string
  readonly role: ParticipantRole
  readonly name: string
  readonly country: string
  readonly legalId?: string
  readonly competence?: string
  readonly aeo?: string
  readonly validFrom: string
  readonly validUntil?: string
  readonly authority: IssuingAuthority
  readonly revocations: HeldCertificate['revocations']
}

export interface ParticipantProfile extends DirectoryEntry {
  /** Every certificate of the participant this node holds, newest first. */
  readonly certificates: ProfileCertificate[]
  /** Where the participant said it listens, as this node keeps it (after it admitted the participant once). */
  readonly addresses: string[]
  /** Whether a connection to it is open now. */
  readonly connected: boolean
}

export interface ParticipantDirectoryComponents {
  readonly trust: TrustService
  readonly addressStore: AddressStore
  /** Absent on a node off the network; read when asked, as the node builds it after this. */
  readonly network?: { connectedPeers: () => string[] }
}

export function participantDirectory () {
  return (components: ParticipantDirectoryComponents): ParticipantDirectory => new ParticipantDirectory(components)
}

/** Names are sorted the same on every machine, whatever its locale. */
const collator = new Intl.Collator('en', { sensitivity: 'base' })

export class ParticipantDirectory {
  constructor (private readonly components: ParticipantDirectoryComponents) {}

  /** The participants matching `query`, sorted by name, at most `limit` of them. */
  async list (query: DirectoryQuery): Promise<DirectoryPage> {
    const held = await this.components.trust.certifiedParticipants()
    const names = await this.authorityNames(held)
    const competence = query.competence?.trim().toLowerCase()
    const q = query.q?.trim().toLowerCase()
    const qKey = q === undefined ? undefined : legalIdKey(q)
    const matching = held.map(p => entryOf(p, names)).filter(e =>
      (query.role === undefined || e.role === query.role) &&
      (query.country === undefined || e.country === query.country) &&
      (query.status === undefined || e.status === query.status) &&
      (competence === undefined || e.competence?.trim().toLowerCase() === competence) &&
      (q === undefined || q === '' || e.name.toLowerCase().includes(q) ||
        (e.legalId !== undefined && qKey !== undefined && qKey !== '' && legalIdKey(e.legalId).includes(qKey))))
    matching.sort((a, b) => collator.compare(a.name, b.name) || (a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : 0))
    return { participants: matching.slice(0, query.limit), matched: matching.length, more: matching.length > query.limit }
  }

  /** One participant's profile; not-found when this node holds no certificate of it. */
  async profile (participant: string): Promise<ParticipantProfile> {
    const held = await this.components.trust.certifiedParticipant(participant)
    if (held === undefined) throw new ServiceError('not-found', `this node holds no certificate of participant ${participant}`)
    const names = await this.authorityNames([held])
    const certificates = held.certificates.map(c => ({
      id: c.id,
      status: c.status,
      reason: c.reason,
      ...certified(c, names),
      revocations: c.revocations
    }))
    return {
      ...entryOf(held, names),
      certificates,
      addresses: await this.components.addressStore.get(participant) ?? [],
      connected: this.components.network?.connectedPeers().includes(participant) ?? false
    }
  }

  /**
   * The names of the authorities that issued `held`'s certificates: as this
   * node's trust list labels them, or else as their own certificates say.
   */
  private async authorityNames (held: readonly CertifiedParticipant[]): Promise<Map<string, string>> {
    const trust = this.components.trust
    const names = new Map<string, string>()
    for (const p of held) if (p.decisive.data.role === 'authority') names.set(p.status.participant, p.decisive.data.name)
    const issuers = new Set(held.flatMap(p => p.certificates.map(c => c.issuer)))
    for (const issuer of issuers) {
      if (names.has(issuer)) continue
      const own = await trust.certifiedParticipant(issuer)
      if (own !== undefined) names.set(issuer, own.decisive.data.name)
    }
    for (const authority of await trust.authorities()) if (authority.name !== undefined) names.set(authority.participant, authority.name)
    return names
  }
}

/** What a certificate says of its participant, its validity and its issuer. */
function certified (c: HeldCertificate, names: ReadonlyMap<string, string>): Omit<ProfileCertificate, 'id' | 'status' | 'reason' | 'revocations'> {
  const { role, name, country, legalId, competence, aeo } = c.data
  const authorityName = names.get(c.issuer)
  return {
    role,
    name,
    country,
    ...(legalId !== undefined && { legalId }),
    ...(competence !== undefined && { competence }),
    ...(aeo !== undefined && { aeo }),
    validFrom: c.issuedAt,
    ...(c.validUntil !== undefined && { validUntil: c.validUntil }),
    authority: { participant: c.issuer, ...(authorityName !== undefined && { name: authorityName }) }
  }
}

function entryOf (held: CertifiedParticipant, names: ReadonlyMap<string, string>): DirectoryEntry {
  const { status, reason, participant } = held.status
  return {
    participant,
    ...certified(held.decisive, names),
    // A participant judged absent has no complete certificate, and is not listed.
    status: status as DirectoryStatus,
    reason,
    certificate: held.decisive.id
  }
}
