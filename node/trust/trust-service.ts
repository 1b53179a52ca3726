/**
 * The cross-border trust space, as one node sees it: the authorities it
 * accepts (one or more per state), the certificates they issue to participants,
 * and their revocations. A participant's role, name and country come from a
 * valid certificate of a trusted authority, never from its own claims.
 */
import { dataOf, isComplete, isParticipantId, isRecordId, parseRecord, verifyRecord, RecordError, type SignedRecord } from '../../record/index.js'
import type { RecordStore, TrustedAuthority, TrustStore, WriteOp } from '../../storage/index.js'
import { dataAs, RecordTypes, type TrustCertificateData } from '../../record/types/index.js'
import { trustCertificate, type ParticipantRole } from '../../record/types/trust-certificate.js'
import { ServiceError } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordIndexes } from '../records/record-indexes.js'
import type { RecordGuards } from '../records/record-guards.js'
import { issuerRule, issuingRefusal } from './issuers.js'
import type { RecordService } from '../records/record-service.js'

export const CERTIFICATE = RecordTypes.trustCertificate
export const REVOCATION = RecordTypes.trustRevocation

export type CertificateStatus = 'valid' | 'absent' | 'expired' | 'revoked' | 'untrusted'

/** What a certificate says of its participant. */
export type Certification = TrustCertificateData

export interface ParticipantStatus {
  readonly participant: string
  readonly status: CertificateStatus
  /** Why the participant is not valid, or which certificate makes it valid. */
  readonly reason: string
  readonly certificate?: { readonly id: string, readonly issuer: string, readonly validUntil?: string } & Certification
}

/** Index entries that let a node find certificates by participant and revocations by certificate. */
export function trustIndexer (trust: TrustStore): (record: SignedRecord) => WriteOp[] {
  return (record) => {
    const type = record.envelope.type
    if (type !== CERTIFICATE && type !== REVOCATION) return []
    let data: Record<string, unknown>
    try {
      data = dataOf(record)
    } catch {
      return []
    }
    if (type === CERTIFICATE && isParticipantId(data.participant)) return trust.certificateOps(data.participant, record.id)
    if (type === REVOCATION && isRecordId(data.certificate)) return trust.revocationOps(data.certificate, record.id)
    return []
  }
}

// Worst first: the status reported when no certificate is valid.
const SEVERITY: Record<Exclude<CertificateStatus, 'valid'>, number> = { absent: 0, untrusted: 1, expired: 2, revoked: 3 }

/** What the trust service needs of the node. */
export interface TrustServiceComponents {
  readonly trustStore: TrustStore
  readonly recordStore: RecordStore
  readonly records: RecordService
  readonly indexes: RecordIndexes
  /** Where the check that this node may issue a type is added (issuers.ts). */
  readonly guards: RecordGuards
  /** Told when the trust list changes ('trust:list-changed'): every judgement made under the old one may be wrong now. */
  readonly events: NodeEvents
  /** This node's own profile: only an authority issues certificates (an authority's profile names its country). */
  readonly profile: { readonly participant: string, readonly role: ParticipantRole, readonly name: string, readonly country?: string }
}

export function trustService () {
  return (components: TrustServiceComponents): TrustService => new TrustService(components)
}

const TRUST_RECORD_TYPES: ReadonlySet<string> = new Set([RecordTypes.trustCertificate, RecordTypes.trustRevocation])

/** How long this node's own role is taken as read (ownRole). */
const OWN_ROLE_TTL_MS = 60_000

export class TrustService {
  private readonly trust: TrustStore
  private readonly store: RecordStore
  private readonly records: RecordService
  private readonly role: ParticipantRole

  constructor (private readonly components: TrustServiceComponents) {
    this.trust = components.trustStore
    this.store = components.recordStore
    this.records = components.records
    this.role = components.profile.role
  }

  /**
   * Indexes trust records as they are stored, and refuses to sign a type this
   * node's role may not issue; an authority makes sure it trusts and certifies itself.
   */
  async start (): Promise<void> {
    this.components.indexes.add('trust', trustIndexer(this.trust))
    this.components.guards.add('issuer', async input => {
      const rule = issuerRule(input.type)
      if (rule === undefined || rule.roles === 'any') return undefined
      const refusal = issuingRefusal(input.type, await this.ownRole())
      return refusal === undefined ? undefined : new ServiceError('not-permitted', `this node may not sign it: ${refusal}`, [{ path: '/type', message: refusal }])
    })
    this.unlisten = listen(this.components.events, {
      'record:stored': record => { if (TRUST_RECORD_TYPES.has(record.envelope.type)) this.forgetOwnRole() },
      'trust:list-changed': () => { this.forgetOwnRole() }
    })
    if (this.role === 'authority') await this.becomeAuthority()
  }

  private unlisten: (() => void) | undefined

  stop (): void {
    this.components.indexes.remove('trust')
    this.components.guards.remove('issuer')
    this.unlisten?.()
    this.unlisten = undefined
  }

  /** This node's role and when it was read: judging it reads the store, and a record signed on the API's hot path should not. */
  private own: { role: ParticipantRole, until: number } | undefined

  /**
   * The role this node issues records as: its certificate's while one is
   * valid here, its profile's before. Read again after a minute (a certificate
   * expires) and after any trust record or trust list change.
   */
  private async ownRole (): Promise<ParticipantRole> {
    const now = Date.now()
    if (this.own !== undefined && now < this.own.until) return this.own.role
    const status = await this.status(this.components.profile.participant)
    const role = status.status === 'valid' && status.certificate !== undefined ? status.certificate.role : this.role
    this.own = { role, until: now + OWN_ROLE_TTL_MS }
    return role
  }

  /** Forgets this node's role: a certificate or revocation was stored, or the trust list changed. */
  private forgetOwnRole (): void {
    this.own = undefined
  }

  /**
   * An authority trusts itself and holds a certificate of its own, so that the
   * nodes that trust it admit it like any other participant.
   */
  private async becomeAuthority (): Promise<void> {
    const { participant, name, country = '' } = this.components.profile
    if ((await this.authorities()).every(a => a.participant !== participant)) await this.addAuthority(participant, { name, country })
    if ((await this.certificatesOf(participant)).length === 0) await this.certify({ participant, role: 'authority', name, country })
  }

  async addAuthority (participant: string, label: { name?: string, country?: string } = {}): Promise<TrustedAuthority> {
    if (!isParticipantId(participant)) throw new ServiceError('invalid-request', `${participant} is not a participant id`, [{ path: '/participant', message: 'must be a participant id' }])
    // Added again, it keeps what it had of the label and its date unless told otherwise.
    const earlier = (await this.trust.listAuthorities()).find(a => a.participant === participant)
    const authority: TrustedAuthority = {
      participant,
      ...((label.name ?? earlier?.name) !== undefined && { name: label.name ?? earlier?.name }),
      ...((label.country ?? earlier?.country) !== undefined && { country: label.country ?? earlier?.country }),
      addedAt: earlier?.addedAt ?? this.records.now()
    }
    await this.trust.addAuthority(authority)
    this.components.events.emit('trust:list-changed')
    return authority
  }

  async removeAuthority (participant: string): Promise<void> {
    if (!(await this.trust.removeAuthority(participant))) throw new ServiceError('not-found', `${participant} is not a trusted authority`)
    this.components.events.emit('trust:list-changed')
  }

  /**
   * Of trust records from the network, those issued by an authority this node
   * trusts: only they bear on its judgements. Keeping the rest would let anyone
   * fill every node's store, as each node passes new trust records on.
   */
  async fromTrustedAuthorities (records: readonly SignedRecord[]): Promise<SignedRecord[]> {
    const trusted = await this.trustedAuthorities()
    return records.filter(r => trusted.has(r.envelope.issuer))
  }

  async authorities (): Promise<TrustedAuthority[]> {
    return await this.trust.listAuthorities()
  }

  /** Issues a certificate as this node, which must be an authority. */
  async certify (certification: Certification, validUntil?: string): Promise<SignedRecord> {
    if (this.role !== 'authority') throw new ServiceError('invalid-request', `this node is a ${this.role}; only an authority issues certificates`)
    const { record } = await this.records.create({ type: CERTIFICATE, data: { ...certification }, ...(validUntil !== undefined && { validUntil }) })
    return record
  }

  /** Revokes a certificate this node issued. */
  async revoke (certificateId: string, reason: string): Promise<SignedRecord> {
    const bytes = isRecordId(certificateId) ? await this.store.get(certificateId) : undefined
    if (bytes === undefined) throw new ServiceError('not-found', `no certificate ${certificateId}`)
    const certificate = parseRecord(bytes)
    if (certificate.envelope.type !== CERTIFICATE) throw new ServiceError('invalid-request', `record ${certificateId} is a ${certificate.envelope.type}, not a certificate`)
    if (certificate.envelope.issuer !== this.records.participant) {
      throw new ServiceError('invalid-request', `certificate ${certificateId} was issued by ${certificate.envelope.issuer}; only its issuer can revoke it`)
    }
    const participant = dataOf(certificate).participant as string
    const { record } = await this.records.create({ type: REVOCATION, data: { certificate: certificateId, participant, reason } })
    return record
  }

  /**
   * The certificates of `participant` it presents in a handshake: those not
   * expired, as many as one handshake carries — each authority's newest first,
   * so that a peer trusting any one of them finds its certificate, then the
   * rest, newest first. Renewals and certificates of several authorities add up
   * over the years, and a handshake carrying more would be refused by every peer.
   */
  async certificatesToPresent (participant: string, max: number, maxBytes: number): Promise<Uint8Array[]> {
    const now = this.records.now()
    const current = (await this.certificatesOf(participant))
      .map(bytes => parseRecord(bytes))
      .filter(c => c.envelope.validUntil === undefined || c.envelope.validUntil > now)
      .sort((a, b) => a.envelope.issuedAt < b.envelope.issuedAt ? 1 : a.envelope.issuedAt > b.envelope.issuedAt ? -1 : 0)
    const newestOfEach: SignedRecord[] = []
    const issuers = new Set<string>()
    for (const certificate of current) {
      if (issuers.has(certificate.envelope.issuer)) continue
      issuers.add(certificate.envelope.issuer)
      newestOfEach.push(certificate)
    }
    const presented: Uint8Array[] = []
    let bytes = 0
    for (const certificate of new Set([...newestOfEach, ...current])) {
      if (presented.length >= max || bytes + certificate.bytes.length > maxBytes) break
      presented.push(certificate.bytes)
      bytes += certificate.bytes.length
    }
    return presented
  }

  /** The wire bytes of every certificate this node holds for `participant`. */
  async certificatesOf (participant: string): Promise<Uint8Array[]> {
    const bytes = await this.store.getMany(await this.trust.certificatesOf(participant))
    return bytes.filter((b): b is Uint8Array => b !== undefined)
  }

  /**
   * The participant a certificate or revocation concerns: the one a revocation
   * names comes from the certificate it revokes, where this node holds it, as
   * that is what judging goes by.
   */
  async subjectOf (record: SignedRecord): Promise<string | undefined> {
    let data: Record<string, unknown>
    try {
      data = dataOf(record)
    } catch {
      return undefined
    }
    if (record.envelope.type === REVOCATION && isRecordId(data.certificate)) {
      const revoked = (await this.verifiedMany([data.certificate], CERTIFICATE)).get(data.certificate)
      if (revoked !== undefined) return dataOf(revoked).participant as string
    }
    return isParticipantId(data.participant) ? data.participant : undefined
  }

  /** Whether this node holds the record already. */
  async holds (id: string): Promise<boolean> {
    return await this.store.has(id)
  }

  /**
   * The wire bytes of every revocation this node holds from an authority it
   * trusts, for a peer just admitted: one offline when a revocation spread would
   * otherwise never learn of it, and keep admitting whom it revoked.
   */
  async revocationsToShare (): Promise<Uint8Array[]> {
    const stored = await this.store.getMany([...(await this.trust.revocationsByCertificate()).values()].flat())
    const revocations = stored.filter((b): b is Uint8Array => b !== undefined).map(b => parseRecord(b))
    return (await this.fromTrustedAuthorities(revocations)).map(r => r.bytes)
  }

  /**
   * Every participant holding a valid certificate, as this node judges them
   * now. Read in a few passes over the store, not a few reads per participant:
   * it is judged again after every trust record.
   */
  async directory (): Promise<ParticipantStatus[]> {
    const [byParticipant, byCertificate, trusted] = await Promise.all([
      this.trust.certificatesByParticipant(), this.trust.revocationsByCertificate(), this.trustedAuthorities()
    ])
    const now = this.records.now()
    const out: ParticipantStatus[] = []
    const participants = [...byParticipant]
    for (let i = 0; i < participants.length; i += DIRECTORY_CHUNK) {
      const chunk = participants.slice(i, i + DIRECTORY_CHUNK)
      const certificates = await this.verifiedMany(chunk.flatMap(([, ids]) => ids), CERTIFICATE)
      const revocations = await this.verifiedMany([...certificates.keys()].flatMap(id => byCertificate.get(id) ?? []), REVOCATION)
      const revocationsOf = (id: string): SignedRecord[] => (byCertificate.get(id) ?? []).flatMap(r => revocations.get(r) ?? [])
      for (const [participant, ids] of chunk) {
        const status = judge(participant, ids.flatMap(id => certificates.get(id) ?? []), revocationsOf, trusted, now)
        if (status.status === 'valid') out.push(status)
      }
    }
    return out
  }

  /**
   * Judges a participant by the certificates this node holds for it, and by
   * any it `presents` that are not kept (those of untrusted authorities), so
   * that the reason it is refused names them.
   */
  async status (participant: string, presented: readonly SignedRecord[] = []): Promise<ParticipantStatus> {
    const ids = await this.trust.certificatesOf(participant)
    const certificates = [
      ...(await this.verifiedMany(ids, CERTIFICATE)).values(),
      ...presented.filter(c => c.envelope.type === CERTIFICATE && !ids.includes(c.id))
    ]
    const revocations = new Map<string, SignedRecord[]>()
    for (const certificate of certificates) {
      revocations.set(certificate.id, [...(await this.verifiedMany(await this.trust.revocationsOf(certificate.id), REVOCATION)).values()])
    }
    return judge(participant, certificates, id => revocations.get(id) ?? [], await this.trustedAuthorities(), this.records.now())
  }

  private async trustedAuthorities (): Promise<Set<string>> {
    return new Set((await this.trust.listAuthorities()).map(a => a.participant))
  }

  /**
   * Stored trust records whose signature this process has checked. Judging a
   * participant reads its certificates and their revocations every time, and
   * the directory judges every participant after each trust record: checking
   * each signature again made that a millisecond per participant.
   */
  private readonly checked = new Set<string>()

  /** The stored records of `type` among `ids` that still verify, by id: a damaged record counts for nothing. */
  private async verifiedMany (ids: readonly string[], type: string): Promise<Map<string, SignedRecord>> {
    const out = new Map<string, SignedRecord>()
    const stored = await this.store.getMany(ids)
    ids.forEach((id, i) => {
      const bytes = stored[i]
      if (bytes === undefined) return
      try {
        const record = parseRecord(bytes)
        // A record's id is the digest of its envelope: bytes read back under another id are damaged.
        if (record.id !== id || record.envelope.type !== type) return
        if (!this.checked.has(id)) {
          verifyRecord(record)
          this.checked.add(id)
        }
        out.set(id, record)
      } catch (err) {
        if (!(err instanceof RecordError)) throw err
      }
    })
    return out
  }
}

/** Participants judged per read of their certificates and revocations. */
const DIRECTORY_CHUNK = 512

/**
 * A participant's status by its certificates: the newest valid one speaks;
 * with none valid, the worst reason why. Only a certificate's own issuer can
 * revoke it.
 */
function judge (participant: string, certificates: readonly SignedRecord[], revocationsOf: (certificateId: string) => readonly SignedRecord[], trusted: ReadonlySet<string>, now: string): ParticipantStatus {
  let worst: { status: Exclude<CertificateStatus, 'valid'>, reason: string } = { status: 'absent', reason: 'no certificate of this participant is known' }
  const note = (status: Exclude<CertificateStatus, 'valid'>, reason: string): void => {
    if (SEVERITY[status] > SEVERITY[worst.status]) worst = { status, reason }
  }
  let best: ParticipantStatus | undefined
  let bestIssuedAt = ''
  for (const certificate of certificates) {
    const id = certificate.id
    // A certificate disclosed in part was never checked against its schema: it certifies nothing.
    if (!isComplete(certificate)) continue
    const data = dataAs(certificate, trustCertificate)
    const { issuer, validUntil } = certificate.envelope
    if (data.participant !== participant) continue
    if (!trusted.has(issuer)) {
      note('untrusted', `certificate ${id} was issued by ${issuer}, which is not a trusted authority`)
      continue
    }
    if (revocationsOf(id).some(r => r.envelope.issuer === issuer)) {
      note('revoked', `certificate ${id} was revoked by its issuer`)
      continue
    }
    if (validUntil !== undefined && validUntil <= now) {
      note('expired', `certificate ${id} expired at ${validUntil}`)
      continue
    }
    // Of several valid certificates, the newest speaks.
    if (certificate.envelope.issuedAt > bestIssuedAt) {
      bestIssuedAt = certificate.envelope.issuedAt
      best = { participant, status: 'valid', reason: `certified by ${issuer}`, certificate: { id, issuer, ...(validUntil !== undefined && { validUntil }), ...data } }
    }
  }
  return best ?? { participant, ...worst }
}
