/**
 * What a node needs to judge participants: the authorities it trusts, and
 * indexes from participants to their certificates and from certificates to
 * their revocations. The records themselves live in the record store.
 */
import { type Database, type Sublevel, type WriteOp } from './database.js'

const SEP = '\u0000'

export interface TrustedAuthority {
  readonly participant: string
  readonly name?: string
  readonly country?: string
  readonly addedAt: string
}

export class TrustStore {
  private readonly authorities: Sublevel<TrustedAuthority>
  private readonly certificates: Sublevel<string>
  private readonly revocations: Sublevel<string>

  constructor (private readonly db: Database) {
    this.authorities = db.sublevel<TrustedAuthority>('trusted-authorities', 'json')
    this.certificates = db.sublevel<string>('certificates-by-participant', 'utf8')
    this.revocations = db.sublevel<string>('revocations-by-certificate', 'utf8')
  }

  async addAuthority (authority: TrustedAuthority): Promise<void> {
    await this.db.commit([{ type: 'put', sublevel: this.authorities, key: authority.participant, value: authority } as WriteOp])
  }

  async removeAuthority (participant: string): Promise<boolean> {
    if ((await this.authorities.get(participant)) === undefined) return false
    await this.db.commit([{ type: 'del', sublevel: this.authorities, key: participant } as WriteOp])
    return true
  }

  async authority (participant: string): Promise<TrustedAuthority | undefined> {
    return await this.authorities.get(participant)
  }

  async listAuthorities (): Promise<TrustedAuthority[]> {
    return await this.authorities.values().all()
  }

  /** Index entry for a certificate naming `participant`, to go in the certificate's batch. */
  certificateOps (participant: string, certificateId: string): WriteOp[] {
    return [{ type: 'put', sublevel: this.certificates, key: `${participant}${SEP}${certificateId}`, value: '' } as WriteOp]
  }

  /** Index entry for a revocation of `certificateId`, to go in the revocation's batch. */
  revocationOps (certificateId: string, revocationId: string): WriteOp[] {
    return [{ type: 'put', sublevel: this.revocations, key: `${certificateId}${SEP}${revocationId}`, value: '' } as WriteOp]
  }

  async certificatesOf (participant: string): Promise<string[]> {
    const keys = await this.certificates.keys({ gt: `${participant}${SEP}`, lt: `${participant}\u0001` }).all()
    return keys.map(k => k.slice(participant.length + 1))
  }

  /** Every certificate's id by the participant it names, in one pass. */
  async certificatesByParticipant (): Promise<Map<string, string[]>> {
    return groupKeys(await this.certificates.keys().all())
  }

  /** Every revocation's id by the certificate it revokes, in one pass. */
  async revocationsByCertificate (): Promise<Map<string, string[]>> {
    return groupKeys(await this.revocations.keys().all())
  }

  async revocationsOf (certificateId: string): Promise<string[]> {
    const keys = await this.revocations.keys({ gt: `${certificateId}${SEP}`, lt: `${certificateId}\u0001` }).all()
    return keys.map(k => k.slice(certificateId.length + 1))
  }
}

/** Index keys `a␀b` as a → [b, …]. */
function groupKeys (keys: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const key of keys) {
    const at = key.indexOf(SEP)
    const group = key.slice(0, at)
    const list = groups.get(group)
    if (list === undefined) groups.set(group, [key.slice(at + 1)])
    else list.push(key.slice(at + 1))
  }
  return groups
}
