/**
 * What a node needs to judge participants: the authorities it trusts, and
 * indexes from participants to their certificates and from certificates to
 * their revocations. The records themselves live in the record store.
 */
import { keyPrefixes, type Database, type Sublevel, type WriteOp } from './database.js'

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

  /** Every participant some stored certificate names. */
  async participants (): Promise<string[]> {
    return await keyPrefixes(this.certificates)
  }

  /** Every stored revocation's id. */
  async revocationIds (): Promise<string[]> {
    const keys = await this.revocations.keys().all()
    return keys.map(k => k.slice(k.indexOf(SEP) + 1))
  }

  async revocationsOf (certificateId: string): Promise<string[]> {
    const keys = await this.revocations.keys({ gt: `${certificateId}${SEP}`, lt: `${certificateId}\u0001` }).all()
    return keys.map(k => k.slice(certificateId.length + 1))
  }
}
