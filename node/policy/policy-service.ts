/**
 * Access policies of this node's own records. Default deny: a record goes to a
 * participant only under an active policy.grant its issuer — this node — signed,
 * matching the record's type (and consignment, if the grant names one) and the
 * participant's certificate, and then only with the fields the grants list.
 * Grants of other issuers are stored like any record but decide nothing here:
 * only a record's owner can open it to others.
 *
 * Decisions are synchronous (they are taken inside the batch that stores a new
 * record), so grants and the directory of certified participants are kept in
 * memory and refreshed when a policy or trust record is stored.
 */
import {
  covers, fieldPatterns, parseRecord,
  type Envelope, type FieldPattern, type SignedRecord
} from '../../record/index.js'
import { dataAs, recordInput } from '../../record/types/index.js'
import { policyGrant, policyRevoke } from '../../record/types/policy.js'
import type { RecordStore } from '../../storage/index.js'
import { listen, type NodeEvents } from '../events.js'
import type { BackgroundTasks } from '../runtime/background.js'
import { Coalesced } from '../runtime/coalesced.js'
import { ServiceError } from '../errors.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import type { ParticipantStatus, TrustService } from '../trust/trust-service.js'
import { GRANT, GRANT_REVOCATION, grantAllows, grantMatches, grantOf, PUBLIC_TYPES, type Allowance, type Grant, type GrantInput, type GrantStatus, type Way } from './grant.js'
import { syncPolicyFile } from './policy-file.js'

/** Certificates expire without any record arriving: the directory is judged again this often. */
const DIRECTORY_REFRESH_MS = 30_000

/** What the policy service needs of the node. */
export interface PolicyServiceComponents {
  readonly recordStore: RecordStore
  readonly records: RecordService
  readonly trust: Pick<TrustService, 'directory' | 'status'>
  /** Grants are learnt as they are stored ('record:stored'). */
  readonly events: NodeEvents
  readonly background: BackgroundTasks
  /** The data folder whose policies.json the grants follow. */
  readonly dataDir: string
}

export function policyService () {
  return (components: PolicyServiceComponents): PolicyService => new PolicyService(components)
}

export class PolicyService {
  private readonly grants = new Map<string, Grant>()
  private directory = new Map<string, ParticipantStatus>()
  private readonly store: RecordStore
  private readonly records: RecordService
  private readonly trust: Pick<TrustService, 'directory' | 'status'>
  private unlisten: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined

  constructor (private readonly components: PolicyServiceComponents) {
    this.store = components.recordStore
    this.records = components.records
    this.trust = components.trust
  }

  /** Reads the grants and the directory, brings the grants in line with policies.json, and keeps the directory fresh. */
  async start (): Promise<void> {
    this.unlisten = listen(this.components.events, {
      'record:stored': record => { if (record.envelope.type.startsWith('policy.')) this.learn(record) }
    })
    await this.load()
    await syncPolicyFile(this.components.dataDir, this)
    this.timer = setInterval(() => { this.components.background.run(async () => { await this.refreshDirectory() }) }, DIRECTORY_REFRESH_MS).unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.unlisten?.()
    this.unlisten = undefined
  }

  private get self (): string {
    return this.records.participant
  }

  /** Reads this node's grants, their revocations and the directory. */
  async load (): Promise<void> {
    for (const type of [GRANT, GRANT_REVOCATION]) {
      let cursor: string | undefined
      do {
        const page = await this.store.list({ issuer: this.self, type, limit: 500, ...(cursor !== undefined && { cursor }) })
        for (const bytes of page.records) this.learn(parseRecord(bytes))
        cursor = page.next
      } while (cursor !== undefined)
    }
    await this.refreshDirectory()
  }

  /** A record was stored: keep the in-memory view in step. */
  learn (record: SignedRecord): void {
    const { type, issuer } = record.envelope
    if (issuer !== this.self) return
    if (type === GRANT) {
      const grant = grantOf(record)
      const existing = this.grants.get(grant.id)
      if (existing?.revokedBy !== undefined) grant.revokedBy = existing.revokedBy
      this.grants.set(grant.id, grant)
    } else if (type === GRANT_REVOCATION) {
      const grant = this.grants.get(dataAs(record, policyRevoke).grant)
      if (grant !== undefined) grant.revokedBy = record.id
    }
  }

  /**
   * Reloads the certified participants (after a certificate or revocation, and
   * now and then for expiries). A refresh under way may have read the trust
   * store before the change that asks for this one, so one more pass follows
   * it; every ask meanwhile shares that pass, as an authority certifying a
   * thousand participants would otherwise cost a thousand passes over them all.
   */
  async refreshDirectory (): Promise<void> {
    await this.refresh.run()
  }

  private readonly refresh = new Coalesced(async () => {
    this.directory = new Map((await this.trust.directory()).map(s => [s.participant, s]))
  })

  /** Judges one participant again, after a certificate or revocation that concerns it alone; returns its status. */
  async refreshParticipant (participant: string): Promise<ParticipantStatus> {
    const status = await this.trust.status(participant)
    if (status.status === 'valid') this.directory.set(participant, status)
    else this.directory.delete(participant)
    return status
  }

  statusOf (grant: Grant, now: string = this.records.now()): GrantStatus {
    if (grant.revokedBy !== undefined) return 'revoked'
    if (grant.validUntil !== undefined && grant.validUntil <= now) return 'expired'
    return 'active'
  }

  list (): Array<Grant & { status: GrantStatus }> {
    const now = this.records.now()
    return [...this.grants.values()]
      // Issue time, then id: the same order however the grants were loaded.
      .sort((a, b) => a.issuedAt !== b.issuedAt ? (a.issuedAt < b.issuedAt ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      .map(g => ({ ...g, status: this.statusOf(g, now) }))
  }

  get (id: string): (Grant & { status: GrantStatus }) | undefined {
    const grant = this.grants.get(id)
    return grant === undefined ? undefined : { ...grant, status: this.statusOf(grant) }
  }

  /** Active grants of this node that cover a record of ours and let it go by `way`, in the order they were issued. */
  private grantsFor (envelope: Envelope, now: string, way: Way): Grant[] {
    if (envelope.issuer !== this.self) return []
    return [...this.grants.values()].filter(g =>
      this.statusOf(g, now) === 'active' &&
      grantAllows(g, way) &&
      g.types.includes(envelope.type) &&
      (g.consignment === undefined || g.consignment === envelope.consignment))
  }

  /**
   * What `participant` may receive of `record` under this node's grants now,
   * by `way` (any: a disclosure asked for through the API); undefined when nothing.
   */
  allowance (envelope: Envelope, participant: string, now: string = this.records.now(), way: Way = 'any'): Allowance | undefined {
    const status = this.directory.get(participant)
    if (status === undefined || participant === this.self) return undefined
    if (PUBLIC_TYPES.has(envelope.type) && envelope.issuer === this.self) return { grants: [] }
    return combine(this.grantsFor(envelope, now, way).filter(g => grantMatches(g.to, status)))
  }

  /** Everyone who may receive a new record of this node, with what. */
  decide (envelope: Envelope, now: string = this.records.now()): Map<string, Allowance> {
    const out = new Map<string, Allowance>()
    if (envelope.issuer !== this.self) return out
    if (PUBLIC_TYPES.has(envelope.type)) {
      for (const participant of this.directory.keys()) if (participant !== this.self) out.set(participant, { grants: [] })
      return out
    }
    const grants = this.grantsFor(envelope, now, 'push')
    if (grants.length === 0) return out
    for (const [participant, status] of this.directory) {
      if (participant === this.self) continue
      const allowance = combine(grants.filter(g => grantMatches(g.to, status)))
      if (allowance !== undefined) out.set(participant, allowance)
    }
    return out
  }

  /**
   * For a share queued earlier under `grants`: the patterns those grants still
   * allow (undefined: the whole record), or null when none is active any more.
   */
  stillAllowed (grantIds: readonly string[], now: string = this.records.now()): readonly FieldPattern[] | undefined | null {
    const active = grantIds.map(id => this.grants.get(id)).filter((g): g is Grant => g !== undefined && this.statusOf(g, now) === 'active')
    if (active.length === 0) return null
    const patterns = active.flatMap(g => g.patterns)
    return patterns.some(p => p.length === 0) ? undefined : patterns
  }

  /** Who may see which fields of a record, and which grants decided it. */
  access (record: SignedRecord): AccessEntry[] {
    const now = this.records.now()
    const out: AccessEntry[] = []
    for (const [participant, status] of this.directory) {
      if (participant === this.self) continue
      const allowance = this.allowance(record.envelope, participant, now)
      if (allowance === undefined) continue
      const patterns = allowance.fields === undefined ? [[]] : fieldPatterns(allowance.fields)
      const leaves = record.disclosures.filter(d => patterns.some(p => covers(p, d.path))).length
      const c = status.certificate
      out.push({
        participant,
        ...(c !== undefined && { name: c.name, role: c.role, country: c.country, ...(c.competence !== undefined && { competence: c.competence }) }),
        fields: allowance.fields ?? [''],
        leaves,
        grants: allowance.grants.map(id => {
          const g = this.grants.get(id) as Grant
          return { id, purpose: g.purpose, ...(g.name !== undefined && { name: g.name }) }
        }),
        rule: allowance.grants.length === 0 ? 'published to every certified participant' : `granted by ${allowance.grants.join(', ')}`
      })
    }
    return out
  }

  /** Signs a new grant of this node. */
  async grant (input: GrantInput, idempotencyKey?: string): Promise<SignedRecord> {
    const { validUntil, ...data } = input
    const create: CreateRecordInput = { ...recordInput(policyGrant, { ...data, to: { ...data.to } }), ...(validUntil !== undefined && { validUntil }) }
    const { record } = await this.records.create(create, idempotencyKey)
    return record
  }

  /** Signs the revocation of one of this node's grants: nothing more is shared under it. */
  async revoke (id: string, reason?: string): Promise<SignedRecord> {
    const grant = this.grants.get(id)
    if (grant === undefined) throw new ServiceError('not-found', `no grant ${id} of this node`)
    if (grant.revokedBy !== undefined) throw new ServiceError('already-revoked', `grant ${id} was already revoked by ${grant.revokedBy}`)
    const { record } = await this.records.create(recordInput(policyRevoke, { grant: id, ...(reason !== undefined && { reason }) }))
    return record
  }
}

export interface AccessEntry {
  readonly participant: string
  readonly name?: string
  readonly role?: string
  readonly country?: string
  readonly competence?: string
  /** Field patterns the participant may receive ([""]: every field). */
  readonly fields: readonly string[]
  /** How many of the record's fields that is. */
  readonly leaves: number
  readonly grants: ReadonlyArray<{ readonly id: string, readonly purpose: string, readonly name?: string }>
  readonly rule: string
}

/** Several grants for one participant: the union of their fields; the first grant's purpose. */
function combine (grants: readonly Grant[]): Allowance | undefined {
  if (grants.length === 0) return undefined
  const whole = grants.some(g => g.patterns.some(p => p.length === 0))
  const fields = whole ? undefined : [...new Set(grants.flatMap(g => g.fields))]
  return { ...(fields !== undefined && { fields }), grants: grants.map(g => g.id), purpose: (grants[0] as Grant).purpose }
}
