/**
 * Submit once, reuse many. An agency's requirement profile names the data
 * elements a procedure needs; this service resolves a profile against what a
 * consignment already holds (present, missing, or only in documents whose
 * validity ended) and files applications that share exactly the elements the
 * profile needs and the owner's grants allow — nothing is entered again.
 */
import type { Actor } from '../accounts/account-service.js'
import {
  covers, dataOf, fieldPatterns,
  type FieldPattern, type SignedRecord
} from '../../record/index.js'
import { dataAs, recordInput, RecordTypes, type RequirementProfileData } from '../../record/types/index.js'
import { requirementProfile } from '../../record/types/requirements.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import type { RecordStore, Share } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import { storedRecord } from '../records/stored-record.js'
import { MAX_CONSIGNMENT_RECORDS, type RecordService } from '../records/record-service.js'
import { viewOf, type RecordView } from '../records/record-view.js'
import type { PolicyService } from '../policy/policy-service.js'
import type { TrustService } from '../trust/trust-service.js'

export const PROFILE = RecordTypes.requirementProfile
export const APPLICATION = RecordTypes.applicationSubmission
export const MISSING_DATA_REQUEST = RecordTypes.missingDataRequest

export type ProfileElement = RequirementProfileData['elements'][number]

/** A requirement profile as published: its data, its record and the agency that signed it. */
export type Profile = RequirementProfileData & {
  readonly id: string
  readonly agency: string
  readonly issuedAt: string
}

export type ElementStatus = 'present' | 'missing' | 'expired' | 'not-permitted'

export interface ElementSource {
  readonly record: string
  readonly issuer: string
  /** Fields of that record the element covers. */
  readonly leaves: number
  readonly expired: boolean
  readonly validUntil?: string
}

export interface ResolvedElement extends ProfileElement {
  readonly status: ElementStatus
  readonly sources: readonly ElementSource[]
  /** Why the element is not present, or what to do about it. */
  readonly note?: string
}

export interface Resolution {
  readonly consignment: string
  readonly procedure: string
  readonly profile: string
  readonly agency: string
  readonly elements: readonly ResolvedElement[]
  readonly summary: {
    readonly required: number
    readonly present: number
    readonly missing: number
    readonly expired: number
    readonly notPermitted: number
    /** Share of the profile already available, 0 to 1. */
    readonly coverage: number
  }
}

export interface ApplicationResult {
  readonly application: RecordView
  readonly resolution: Resolution
  /** Records shared with the agency for this application, with the fields of each. */
  readonly shared: ReadonlyArray<{ readonly record: string, readonly fields: readonly string[] }>
  /** Documents whose validity ended and must be renewed before their elements count. */
  readonly renewal: ReadonlyArray<{ readonly element: string, readonly records: readonly string[] }>
}

function profileOf (record: SignedRecord): Profile {
  const data = dataAs(record, requirementProfile)
  return {
    id: record.id,
    agency: record.envelope.issuer,
    procedure: data.procedure,
    ...(data.title !== undefined && { title: data.title }),
    issuedAt: record.envelope.issuedAt,
    elements: data.elements
  }
}

function summarise (elements: readonly ResolvedElement[]): Resolution['summary'] {
  const count = (status: ElementStatus): number => elements.filter(e => e.status === status).length
  const present = count('present')
  return {
    required: elements.length,
    present,
    missing: count('missing'),
    expired: count('expired'),
    notPermitted: count('not-permitted'),
    coverage: elements.length === 0 ? 1 : Math.round(present / elements.length * 10_000) / 10_000
  }
}

export interface RequirementServiceComponents {
  readonly recordStore: RecordStore
  readonly records: RecordService
  readonly trust: TrustService
  readonly policy: PolicyService
  readonly types: TypeRegistry
}

export function requirementService () {
  return (components: RequirementServiceComponents): RequirementService => new RequirementService(components)
}

export class RequirementService {
  private readonly store: RecordStore
  private readonly records: RecordService
  private readonly trust: TrustService
  private readonly policy: PolicyService
  private readonly types: TypeRegistry

  constructor (components: RequirementServiceComponents) {
    this.store = components.recordStore
    this.records = components.records
    this.trust = components.trust
    this.policy = components.policy
    this.types = components.types
  }

  /** Publishes a requirement profile of this node (an agency); it goes to every certified participant. */
  async publish (data: RequirementProfileData): Promise<SignedRecord> {
    const ids = new Set<string>()
    data.elements.forEach((e, i) => {
      if (ids.has(e.id)) throw new ServiceError('invalid-request', `element id ${e.id} appears twice`, [{ path: `/elements/${i}/id`, message: 'must be unique in the profile' }])
      ids.add(e.id)
      if (this.types.get(e.type) === undefined) {
        throw new ServiceError('invalid-request', `element ${e.id} names unregistered type ${e.type}`, [{ path: `/elements/${i}/type`, message: 'must be a registered record type' }])
      }
    })
    const current = await this.profile(data.procedure, this.records.participant).catch(() => undefined)
    const { record } = await this.records.create({
      ...recordInput(requirementProfile, data),
      ...(current !== undefined && { supersedes: current.id })
    })
    return record
  }

  /**
   * The current profile for a procedure: the newest not superseded, published
   * by an agency this node holds a valid certificate of (by `agency` if given).
   */
  async profile (procedure: string, agency?: string): Promise<Profile> {
    const newest = (await this.currentProfiles(agency, procedure))[0]
    if (newest === undefined) {
      throw new ServiceError('not-found', `no requirement profile for procedure ${procedure}${agency !== undefined ? ` published by ${agency}` : ''} is known here`)
    }
    return newest
  }

  /** The current profile of each procedure and agency known here, by procedure. */
  async profiles (): Promise<Profile[]> {
    const seen = new Set<string>()
    return (await this.currentProfiles())
      .filter(p => {
        const key = `${p.agency} ${p.procedure}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      .sort((a, b) => a.procedure < b.procedure ? -1 : a.procedure > b.procedure ? 1 : 0)
  }

  /** Profiles not superseded, of issuers this node holds a valid certificate of (or its own), newest first. */
  private async currentProfiles (agency?: string, procedure?: string): Promise<Profile[]> {
    const candidates: SignedRecord[] = []
    let cursor: string | undefined
    do {
      const page = await this.store.list({ type: PROFILE, ...(agency !== undefined && { issuer: agency }), limit: 500, ...(cursor !== undefined && { cursor }) })
      for (const bytes of page.records) {
        const record = storedRecord(bytes)
        if (record !== undefined && (procedure === undefined || dataOf(record).procedure === procedure)) candidates.push(record)
      }
      cursor = page.next
    } while (cursor !== undefined)
    const current = []
    const valid = new Map<string, boolean>()
    for (const record of candidates) {
      if ((await this.store.supersessorOf(record.id)) !== undefined) continue
      const issuer = record.envelope.issuer
      if (issuer !== this.records.participant) {
        if (!valid.has(issuer)) valid.set(issuer, (await this.trust.status(issuer)).status === 'valid')
        if (valid.get(issuer) !== true) continue
      }
      current.push(record)
    }
    current.sort((a, b) => a.envelope.issuedAt < b.envelope.issuedAt ? 1 : -1)
    return current.map(profileOf)
  }

  /** The current version of every record of a consignment this node holds, verified. */
  private async currentRecords (consignment: string): Promise<SignedRecord[]> {
    const all = (await this.store.consignment(consignment, MAX_CONSIGNMENT_RECORDS)).flatMap(b => storedRecord(b) ?? [])
    const replaced = new Set(all.flatMap(r => r.envelope.supersedes ?? []))
    return all.filter(r => !replaced.has(r.id))
  }

  /**
   * Resolves a profile against a consignment. With `agency`, elements are also
   * checked against this node's grants: present but not allowed to go to the
   * agency is `not-permitted`.
   */
  async resolve (consignment: string, profile: Profile, agency?: string): Promise<Resolution> {
    return this.resolveIn(consignment, await this.currentRecords(consignment), profile, agency)
  }

  /** Each profile resolved against the consignment, for its own agency: the records are read and verified once. */
  async resolveAll (consignment: string, profiles: readonly Profile[]): Promise<Resolution[]> {
    const records = await this.currentRecords(consignment)
    return profiles.map(profile => this.resolveIn(consignment, records, profile, profile.agency))
  }

  private resolveIn (consignment: string, records: readonly SignedRecord[], profile: Profile, agency?: string): Resolution {
    const now = this.records.now()
    const elements = profile.elements.map(element => this.resolveElement(element, records, now, agency))
    return { consignment, procedure: profile.procedure, profile: profile.id, agency: profile.agency, elements, summary: summarise(elements) }
  }

  private resolveElement (element: ProfileElement, records: readonly SignedRecord[], now: string, agency?: string): ResolvedElement {
    const [pattern] = fieldPatterns([element.path]) as [FieldPattern]
    const sources: ElementSource[] = []
    for (const record of records) {
      if (record.envelope.type !== element.type) continue
      const leaves = record.disclosures.filter(d => covers(pattern, d.path)).length
      if (leaves === 0) continue
      const validUntil = record.envelope.validUntil
      sources.push({ record: record.id, issuer: record.envelope.issuer, leaves, expired: validUntil !== undefined && validUntil <= now, ...(validUntil !== undefined && { validUntil }) })
    }
    // A fresh element counts only from a document still within its validity period.
    const usable = sources.filter(s => !(element.fresh === true && s.expired))
    if (sources.length === 0) return { ...element, status: 'missing', sources, note: `no ${element.type} of this consignment holds ${element.path || 'it'}` }
    if (usable.length === 0) {
      return { ...element, status: 'expired', sources, note: `only in documents whose validity ended (${sources.map(s => `${s.record} until ${s.validUntil ?? '?'}`).join(', ')}): renew the ${element.type}` }
    }
    if (agency !== undefined) {
      const shareable = usable.filter(s => this.shareable(records.find(r => r.id === s.record) as SignedRecord, pattern, agency))
      if (shareable.length === 0) {
        const foreign = usable.every(s => s.issuer !== this.records.participant)
        return {
          ...element,
          status: 'not-permitted',
          sources: usable,
          note: foreign ? 'held only in records of other issuers; only a record\'s issuer can share it' : 'no grant of this node lets these fields go to the agency'
        }
      }
      return { ...element, status: 'present', sources: shareable }
    }
    return { ...element, status: 'present', sources: usable }
  }

  /** Whether at least one leaf the pattern covers may go to the agency under this node's grants. */
  private shareable (record: SignedRecord, pattern: FieldPattern, agency: string): boolean {
    if (record.envelope.issuer !== this.records.participant) return false
    const allowance = this.policy.allowance(record.envelope, agency)
    if (allowance === undefined) return false
    const allowed = allowance.fields === undefined ? [[]] : fieldPatterns(allowance.fields)
    return record.disclosures.some(d => covers(pattern, d.path) && allowed.some(p => covers(p, d.path)))
  }

  /**
   * Files an application: resolves the agency's profile, shares with the agency
   * exactly the elements it needs that the grants allow, and signs an
   * application record naming what was shared and what is missing. Filing again
   * for the same consignment, procedure and agency supersedes the earlier one.
   */
  async apply (consignment: string, procedure: string, agency: string, actor?: Actor): Promise<ApplicationResult> {
    const status = await this.trust.status(agency)
    if (status.status !== 'valid') throw new ServiceError('unknown-participant', `agency ${agency} holds no valid certificate here (${status.status}: ${status.reason})`, [{ path: '/agency', message: status.status }])
    if (status.certificate?.role !== 'agency') throw new ServiceError('invalid-request', `${agency} is certified as ${status.certificate?.role ?? '?'}, not as an agency`, [{ path: '/agency', message: 'must be an agency' }])
    const profile = await this.profile(procedure, agency)
    const resolution = await this.resolve(consignment, profile, agency)
    if (resolution.elements.every(e => e.sources.length === 0)) {
      throw new ServiceError('not-found', `consignment ${consignment} holds none of the elements ${procedure} needs`)
    }
    const records = new Map((await this.currentRecords(consignment)).map(r => [r.id, r]))
    const patternsByRecord = new Map<string, Set<string>>()
    for (const element of resolution.elements) {
      if (element.status !== 'present') continue
      for (const source of element.sources) {
        const set = patternsByRecord.get(source.record) ?? new Set()
        set.add(element.path)
        patternsByRecord.set(source.record, set)
      }
    }
    const shares: Share[] = [...patternsByRecord].map(([id, patterns]) => {
      const record = records.get(id) as SignedRecord
      const allowance = this.policy.allowance(record.envelope, agency)
      return {
        recordId: id,
        issuedAt: record.envelope.issuedAt,
        recipient: agency,
        fields: [...patterns],
        grants: allowance?.grants ?? [],
        purpose: procedure
      }
    })
    const previous = await this.currentApplication(consignment, procedure, agency)
    const result = await this.records.create({
      type: APPLICATION,
      consignment,
      data: {
        procedure,
        agency,
        profile: profile.id,
        elements: resolution.elements.map(e => ({ id: e.id, status: e.status, ...(e.status === 'present' && { records: e.sources.map(s => s.record) }) })),
        ...(actor !== undefined && { actor: { ...actor } })
      },
      share: [agency],
      alsoShare: shares,
      ...(previous !== undefined && { supersedes: previous })
    })
    return {
      application: this.records.viewOfCreated(result),
      resolution,
      shared: shares.map(s => ({ record: s.recordId, fields: s.fields ?? [''] })),
      renewal: resolution.elements.filter(e => e.status === 'expired').map(e => ({ element: e.id, records: e.sources.map(s => s.record) }))
    }
  }

  /** This node's current application for a consignment, procedure and agency, if any. */
  private async currentApplication (consignment: string, procedure: string, agency: string): Promise<string | undefined> {
    const mine = (await this.currentRecords(consignment)).filter(r =>
      r.envelope.type === APPLICATION && r.envelope.issuer === this.records.participant)
    const match = mine.find(r => {
      const data = dataOf(r)
      return data.procedure === procedure && data.agency === agency
    })
    return match?.id
  }

  /**
   * On the agency's node: asks the applicant for the elements of an
   * application this node still lacks — the ones named, or else every one
   * missing or expired here — and nothing else.
   */
  async requestMissing (applicationId: string, only?: readonly string[], message?: string, actor?: Actor): Promise<{ request: RecordView, elements: ResolvedElement[] }> {
    const bytes = await this.store.get(applicationId)
    const application = bytes === undefined ? undefined : storedRecord(bytes)
    if (application === undefined || application.envelope.type !== APPLICATION) throw new ServiceError('not-found', `no application ${applicationId} here`)
    const data = dataOf(application)
    if (data.agency !== this.records.participant) throw new ServiceError('not-owner', `application ${applicationId} was made to ${String(data.agency)}, not to this node`)
    const profileBytes = await this.store.get(String(data.profile))
    const profileRecord = profileBytes === undefined ? undefined : storedRecord(profileBytes)
    if (profileRecord === undefined) throw new ServiceError('not-found', `the application's profile ${String(data.profile)} is not held here`)
    const consignment = application.envelope.consignment as string
    const resolution = await this.resolve(consignment, profileOf(profileRecord))
    let wanted: ResolvedElement[]
    if (only !== undefined) {
      wanted = only.map((id, i) => {
        const element = resolution.elements.find(e => e.id === id)
        if (element === undefined) throw new ServiceError('invalid-request', `element ${id} is not in profile ${profileRecord.id}`, [{ path: `/elements/${i}`, message: 'not an element of the profile' }])
        return element
      })
    } else {
      wanted = resolution.elements.filter(e => e.status === 'missing' || e.status === 'expired')
    }
    if (wanted.length === 0) throw new ServiceError('invalid-request', `nothing is missing: every element of ${resolution.procedure} is held here`)
    const result = await this.records.create({
      type: MISSING_DATA_REQUEST,
      consignment,
      data: {
        application: applicationId,
        procedure: resolution.procedure,
        elements: wanted.map(e => ({ id: e.id, type: e.type, path: e.path, ...(e.status === 'expired' ? { reason: 'expired' } : { reason: 'missing' }) })),
        ...(message !== undefined && { message }),
        ...(actor !== undefined && { actor: { ...actor } })
      },
      share: [application.envelope.issuer]
    })
    return { request: this.records.viewOfCreated(result), elements: wanted }
  }

  /** The current applications of a consignment held here, as views. */
  async applications (consignment: string): Promise<RecordView[]> {
    const now = this.records.now()
    return (await this.currentRecords(consignment)).filter(r => r.envelope.type === APPLICATION).map(r => viewOf(r, now))
  }
}
