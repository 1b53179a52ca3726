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
import type { CreateRecordInput } from '../records/record-service.js'
import type { RecordCompletions } from '../records/record-completions.js'
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

/** A certificate this node holds, judged now. */
export interface HeldCertificate {
  readonly id: string
  readonly issuer: string
  readonly issuedAt: string
  readonly validUntil?: string
  readonly data: Certification
  /** `valid`, or why it is not. */
  readonly status: Exclude<CertificateStatus, 'absent'>
  readonly reason: string
  /** Its revocations by its issuer, the only ones that count, oldest first; `reason` unless it was withheld. */
  readonly revocations: ReadonlyArray<{ readonly id: string, readonly issuedAt: string, readonly reason?: string }>
}

/** A participant this node holds a certificate of: its status, the certificate that decides it, and every certificate of it, newest first. */
export interface CertifiedParticipant {
  readonly status: ParticipantStatus
  /** The valid certificate that speaks, or the one the reason for the status names. */
  readonly decisive: HeldCertificate
  readonly certificates: readonly HeldCertificate[]
}

/** A legal id as it is compared: letters in capitals, without white space ("180 540 012345" is "180540012345"). */
export function legalIdKey (legalId: string): string {
  return legalId.replace(/\s+/g, '').toUpperCase()
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
  /** Where the check that an authority certifies no legal id twice is added: it holds a lock from the check to the storing. */
  readonly completions: RecordCompletions
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
    this.components.completions.add('legal-id', async input => await this.checkLegalId(input), {
      lock: input => input.type === CERTIFICATE ? 'legal-id' : undefined
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
    this.components.completions.remove('legal-id')
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

  /**
   * Refuses a certificate of this node for a legal id that a certificate it
   * issued, still valid, gives to another participant in the same country:
   * one registration, one key. The same participant may be certified again (a
   * renewal), and another once the first certificate is revoked or expired.
   * Certificates are checked and stored one at a time (the completion's lock),
   * so that two at once cannot both pass.
   */
  private async checkLegalId (input: CreateRecordInput): Promise<CreateRecordInput> {
    if (input.type !== CERTIFICATE) return input
    const { participant, country, legalId } = input.data
    if (typeof legalId !== 'string' || typeof country !== 'string' || typeof participant !== 'string') return input
    const holder = await this.legalIdHolder(legalId, country, participant)
    if (holder !== undefined) {
      throw new ServiceError('legal-id-taken', `legal id ${JSON.stringify(legalId)} in ${country} is certified to ${holder.participant} by certificate ${holder.certificate}, which is still valid; ` +
        `revoke that certificate first (POST /v1/trust/revocations, keruen authority revoke) to certify ${participant} under it`)
    }
    return input
  }

  /** The participant other than `participant` that a certificate of this node, still valid, gives `legalId` in `country` to, and that certificate. */
  private async legalIdHolder (legalId: string, country: string, participant: string): Promise<{ participant: string, certificate: string } | undefined> {
    const self = this.records.participant
    const key = legalIdKey(legalId)
    const now = this.records.now()
    let cursor: string | undefined
    do {
      const page = await this.store.listIds({ issuer: self, type: CERTIFICATE, limit: 500, ...(cursor !== undefined && { cursor }) })
      for (const certificate of (await this.verifiedMany(page.ids, CERTIFICATE)).values()) {
        if (!isComplete(certificate)) continue
        const data = dataAs(certificate, trustCertificate)
        if (data.participant === participant || data.country !== country || data.legalId === undefined || legalIdKey(data.legalId) !== key) continue
        const { validUntil } = certificate.envelope
        if (validUntil !== undefined && validUntil <= now) continue
        const revocations = await this.verifiedMany(await this.trust.revocationsOf(certificate.id), REVOCATION)
        if ([...revocations.values()].some(r => r.envelope.issuer === self)) continue
        return { participant: data.participant, certificate: certificate.id }
      }
      cursor = page.next
    } while (cursor !== undefined)
    return undefined
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
    const out: ParticipantStatus[] = []
    await this.eachParticipant((participant, certificates, revocationsOf, trusted, now) => {
      const { status } = judge(participant, certificates, revocationsOf, trusted, now)
      if (status.status === 'valid') out.push(status)
    })
    return out
  }

  /**
   * Every participant this node holds a complete certificate of, whatever its
   * status, with each of its certificates judged: the participant directory.
   */
  async certifiedParticipants (): Promise<CertifiedParticipant[]> {
    const out: CertifiedParticipant[] = []
    await this.eachParticipant((participant, certificates, revocationsOf, trusted, now) => {
      const certified = judgeAll(participant, certificates, revocationsOf, trusted, now)
      if (certified !== undefined) out.push(certified)
    })
    return out
  }

  /** One participant as certifiedParticipants() tells it; undefined when this node holds no complete certificate of it. */
  async certifiedParticipant (participant: string): Promise<CertifiedParticipant | undefined> {
    const certificates = [...(await this.verifiedMany(await this.trust.certificatesOf(participant), CERTIFICATE)).values()]
    const revocations = new Map<string, SignedRecord[]>()
    for (const certificate of certificates) {
      revocations.set(certificate.id, [...(await this.verifiedMany(await this.trust.revocationsOf(certificate.id), REVOCATION)).values()])
    }
    return judgeAll(participant, certificates, id => revocations.get(id) ?? [], await this.trustedAuthorities(), this.records.now())
  }

  /** Calls `each` with every participant's certificates and their revocations, read a chunk of participants at a time. */
  private async eachParticipant (each: (participant: string, certificates: readonly SignedRecord[], revocationsOf: (certificateId: string) => readonly SignedRecord[], trusted: ReadonlySet<string>, now: string) => void): Promise<void> {
    const [byParticipant, byCertificate, trusted] = await Promise.all([
      this.trust.certificatesByParticipant(), this.trust.revocationsByCertificate(), this.trustedAuthorities()
    ])
    const now = this.records.now()
    const participants = [...byParticipant]
    for (let i = 0; i < participants.length; i += DIRECTORY_CHUNK) {
      const chunk = participants.slice(i, i + DIRECTORY_CHUNK)
      const certificates = await this.verifiedMany(chunk.flatMap(([, ids]) => ids), CERTIFICATE)
      const revocations = await this.verifiedMany([...certificates.keys()].flatMap(id => byCertificate.get(id) ?? []), REVOCATION)
      const revocationsOf = (id: string): SignedRecord[] => (byCertificate.get(id) ?? []).flatMap(r => revocations.get(r) ?? [])
      for (const [participant, ids] of chunk) each(participant, ids.flatMap(id => certificates.get(id) ?? []), revocationsOf, trusted, now)
    }
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
    return judge(participant, certificates, id => revocations.get(id) ?? [], await this.trustedAuthorities(), this.records.now()).status
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

interface Judgement { readonly status: Exclude<CertificateStatus, 'absent'>, readonly reason: string }

/** One certificate's standing: untrusted, revoked by its issuer, expired, or valid. */
function judgeCertificate (certificate: SignedRecord, revocationsOf: (certificateId: string) => readonly SignedRecord[], trusted: ReadonlySet<string>, now: string): Judgement {
  const { id } = certificate
  const { issuer, validUntil } = certificate.envelope
  if (!trusted.has(issuer)) return { status: 'untrusted', reason: `certificate ${id} was issued by ${issuer}, which is not a trusted authority` }
  if (revocationsOf(id).some(r => r.envelope.issuer === issuer)) return { status: 'revoked', reason: `certificate ${id} was revoked by its issuer` }
  if (validUntil !== undefined && validUntil <= now) return { status: 'expired', reason: `certificate ${id} expired at ${validUntil}` }
  return { status: 'valid', reason: `certified by ${issuer}` }
}

/**
 * A participant's status by its certificates: the newest valid one speaks;
 * with none valid, the worst reason why (of equally bad ones, the newest
 * certificate's). Only a certificate's own issuer can revoke it. `decisive`
 * is the certificate that decided, when one did.
 */
function judge (participant: string, certificates: readonly SignedRecord[], revocationsOf: (certificateId: string) => readonly SignedRecord[], trusted: ReadonlySet<string>, now: string): { status: ParticipantStatus, decisive?: SignedRecord } {
  let worst: { status: Exclude<CertificateStatus, 'valid'>, reason: string, certificate?: SignedRecord } = { status: 'absent', reason: 'no certificate of this participant is known' }
  let best: { status: ParticipantStatus, decisive: SignedRecord } | undefined
  for (const certificate of certificates) {
    // A certificate disclosed in part was never checked against its schema: it certifies nothing.
    if (!isComplete(certificate)) continue
    const data = dataAs(certificate, trustCertificate)
    if (data.participant !== participant) continue
    const { issuer, issuedAt, validUntil } = certificate.envelope
    const judgement = judgeCertificate(certificate, revocationsOf, trusted, now)
    const { status, reason } = judgement
    if (status !== 'valid') {
      const severity = SEVERITY[status] - SEVERITY[worst.status]
      if (severity > 0 || (severity === 0 && issuedAt > (worst.certificate?.envelope.issuedAt ?? ''))) worst = { status, reason, certificate }
      continue
    }
    // Of several valid certificates, the newest speaks.
    if (best === undefined || issuedAt > best.decisive.envelope.issuedAt) {
      best = {
        status: { participant, status: 'valid', reason, certificate: { id: certificate.id, issuer, ...(validUntil !== undefined && { validUntil }), ...data } },
        decisive: certificate
      }
    }
  }
  if (best !== undefined) return best
  return { status: { participant, status: worst.status, reason: worst.reason }, ...(worst.certificate !== undefined && { decisive: worst.certificate }) }
}

/** A participant with every complete certificate of it judged; undefined when it has none. */
function judgeAll (participant: string, certificates: readonly SignedRecord[], revocationsOf: (certificateId: string) => readonly SignedRecord[], trusted: ReadonlySet<string>, now: string): CertifiedParticipant | undefined {
  const { status, decisive } = judge(participant, certificates, revocationsOf, trusted, now)
  if (decisive === undefined) return undefined
  const held = certificates
    .filter(c => isComplete(c) && dataAs(c, trustCertificate).participant === participant)
    .sort((a, b) => a.envelope.issuedAt < b.envelope.issuedAt ? 1 : a.envelope.issuedAt > b.envelope.issuedAt ? -1 : 0)
    .map(c => heldCertificate(c, revocationsOf, trusted, now))
  return { status, decisive: held.find(c => c.id === decisive.id) ?? heldCertificate(decisive, revocationsOf, trusted, now), certificates: held }
}

function heldCertificate (certificate: SignedRecord, revocationsOf: (certificateId: string) => readonly SignedRecord[], trusted: ReadonlySet<string>, now: string): HeldCertificate {
  const { issuer, issuedAt, validUntil } = certificate.envelope
  const revocations = revocationsOf(certificate.id)
    .filter(r => r.envelope.issuer === issuer)
    .sort((a, b) => a.envelope.issuedAt < b.envelope.issuedAt ? -1 : a.envelope.issuedAt > b.envelope.issuedAt ? 1 : 0)
    .map(r => {
      const reason = dataOf(r).reason
      return { id: r.id, issuedAt: r.envelope.issuedAt, ...(typeof reason === 'string' && { reason }) }
    })
  return {
    id: certificate.id,
    issuer,
    issuedAt,
    ...(validUntil !== undefined && { validUntil }),
    data: dataAs(certificate, trustCertificate),
    ...judgeCertificate(certificate, revocationsOf, trusted, now),
    revocations
  }
}
