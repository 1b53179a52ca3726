/**
 * The lifecycle of an application, as the applicant and the agency both see
 * it: submitted (the trader's signed application) → received (the agency's
 * signed receipt) → under review / more information requested (the agency's
 * signed status records and missing-data requests) → decided (its signed
 * decision). The status is derived from those records, never stored apart.
 * After the decision, its agency may amend, suspend, reinstate or withdraw
 * it (decision-standing.ts): each change goes to everyone that received the
 * decision, and every view shows the decision in force with its standing.
 */
import { dataOf, type SignedRecord } from '../../record/index.js'
import { DECISION_PREFIX as TYPE_PREFIX, RecordTypes } from '../../record/types/names.js'
import type { ApplicationStore, RecordStore, WriteOp } from '../../storage/index.js'
import type { DeliveryService } from '../delivery/delivery-service.js'
import { ServiceError } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { Disclosure } from '../policy/disclosure.js'
import type { RecordGuards } from '../records/record-guards.js'
import type { RecordIndexes } from '../records/record-indexes.js'
import { storedRecord } from '../records/stored-record.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import { viewOf, type RecordView } from '../records/record-view.js'
import { APPLICATION, MISSING_DATA_REQUEST } from './requirement-service.js'
import type { Actor } from '../accounts/account-service.js'
import {
  isChangeType, isDecisionType, standingOf, type ChangeKind, type DecisionStanding, type DecisionStatus
} from './decision-standing.js'

export const STATUS = RecordTypes.applicationStatus
export const DECISION_PREFIX = TYPE_PREFIX
export type ApplicationState = 'submitted' | 'received' | 'under-review' | 'more-information-requested' | 'decided'

export interface HistoryEntry {
  readonly at: string
  /** The application's stage, or what a change did to its decision. */
  readonly status: ApplicationState | ChangeKind
  readonly record: string
  readonly type: string
  readonly by: string
  /** The person at `by` who took the action, as its signed record says. */
  readonly actor?: Actor
  readonly note?: string
}

export interface ApplicationView {
  readonly id: string
  readonly consignment: string
  readonly procedure: string
  readonly applicant: string
  readonly agency: string
  readonly status: ApplicationState
  readonly submittedAt: string
  readonly history: readonly HistoryEntry[]
  /** The decision in force: its latest version. */
  readonly decision?: RecordView
  /** Whether the decision is in force today, and the changes in its life. */
  readonly decisionStatus?: DecisionStanding
  /** The decisions the decision in force relied on that this node holds, each with its standing. */
  readonly reliance?: readonly RelianceEntry[]
  /** Milliseconds from submission to (the first version of) the decision. */
  readonly timeToDecisionMs?: number
  readonly application: RecordView
}

/** A decision relied on, and whether it is still in force. */
export interface RelianceEntry {
  readonly record: string
  readonly type: string
  readonly issuer: string
  readonly status: DecisionStatus
  /** The version in force, when the decision relied on was amended since. */
  readonly current?: string
  readonly reason?: string
  readonly from?: string
  readonly until?: string
  /** The suspension or withdrawal that took it out of force. */
  readonly change?: string
}

/** One decision with its standing: the version in force and what the decision relied on. */
export interface DecisionView extends DecisionStanding {
  /** The version in force, as this node holds it. */
  readonly inForce: RecordView
  readonly reliance: readonly RelianceEntry[]
}

/** A new version of a decision: what changes; the rest is the earlier version's. */
export interface AmendmentInput {
  readonly actor?: Actor
  readonly reliesOn?: readonly string[]
  readonly number?: string
  readonly validFrom?: string
  readonly validUntil?: string
  readonly summary?: string
  readonly reasons?: readonly string[]
}

export interface SuspensionInput {
  readonly reason: string
  /** First day suspended (YYYY-MM-DD); today if absent. */
  readonly from?: string
  /** Last day suspended; until reinstated or withdrawn if absent. */
  readonly until?: string
  readonly actor?: Actor
}

export interface WithdrawalInput {
  readonly reason: string
  /** First day no longer in force; today if absent. */
  readonly from?: string
  readonly actor?: Actor
}

export interface ReinstatementInput {
  readonly reason: string
  readonly actor?: Actor
}

export interface DecisionInput {
  readonly kind: 'release' | 'permit' | 'certificate' | 'refusal'
  /** The officer deciding, recorded in the signed decision. */
  readonly actor?: Actor
  readonly reliesOn?: readonly string[]
  readonly number?: string
  readonly validFrom?: string
  readonly validUntil?: string
  readonly summary?: string
  readonly reasons?: readonly string[]
  /** A release before the payments are confirmed names the guarantee that covers them. */
  readonly guarantee?: string
  /** A licence with quantities: how much of which goods it allows over all releases against it. */
  readonly quantities?: ReadonlyArray<{ readonly goods: readonly string[], readonly quantity: string, readonly unit: string }>
}

const STAGES: ReadonlySet<string> = new Set<ApplicationState>(['submitted', 'received', 'under-review', 'more-information-requested', 'decided'])

function isStage (status: string): status is ApplicationState {
  return STAGES.has(status)
}

function isActor (value: unknown): value is Actor {
  const actor = value as Partial<Actor> | undefined
  return typeof actor?.user === 'string' && typeof actor.name === 'string'
}

/** The application a status, missing-data request or decision is about. */
export function applicationOf (record: SignedRecord): string | undefined {
  const type = record.envelope.type
  if (type !== STATUS && type !== MISSING_DATA_REQUEST && !type.startsWith(DECISION_PREFIX)) return undefined
  try {
    const application = dataOf(record).application
    return typeof application === 'string' ? application : undefined
  } catch {
    return undefined
  }
}

/** Index entries linking status, request and decision records to their application. */
export function applicationIndexer (store: ApplicationStore): (record: SignedRecord) => WriteOp[] {
  return record => {
    const application = applicationOf(record)
    return application === undefined ? [] : store.refOps(application, record.envelope.issuedAt, record.id, record.envelope.type)
  }
}

export interface ApplicationServiceComponents {
  readonly recordStore: RecordStore
  readonly applicationStore: ApplicationStore
  readonly records: Pick<RecordService, 'participant' | 'now' | 'create'>
  readonly delivery: Pick<DeliveryService, 'receipts'>
  /** Who this node's grants send a decision to: a change to it goes to them as well. */
  readonly disclosure: Pick<Disclosure, 'decide'>
  readonly indexes: RecordIndexes
  /** A change to a decision is signed only by the decision's own agency ('decision-change'). */
  readonly guards: RecordGuards
  /** Announces each stored record about an application ('application:changed'). */
  readonly events: NodeEvents
}

export function applicationService () {
  return (components: ApplicationServiceComponents): ApplicationService => new ApplicationService(components)
}

export class ApplicationService {
  private readonly store: RecordStore
  private readonly applications: ApplicationStore
  private readonly records: Pick<RecordService, 'participant' | 'now' | 'create'>
  private readonly delivery: Pick<DeliveryService, 'receipts'>
  private unlisten: (() => void) | undefined

  constructor (private readonly components: ApplicationServiceComponents) {
    this.store = components.recordStore
    this.applications = components.applicationStore
    this.records = components.records
    this.delivery = components.delivery
  }

  start (): void {
    this.components.indexes.add('applications', applicationIndexer(this.applications))
    this.components.guards.add('decision-change', async input => await this.changeRefusal(input))
    const { events } = this.components
    this.unlisten = listen(events, {
      'record:stored': record => {
        const application = applicationOf(record)
        if (application !== undefined) events.emit('application:changed', application, record.id, record.envelope.type)
      }
    })
  }

  stop (): void {
    this.unlisten?.()
    this.unlisten = undefined
    this.components.guards.remove('decision-change')
    this.components.indexes.remove('applications')
  }

  /** Why this node may not sign a change to a decision: only the decision's issuer changes it, and only for that decision's application. */
  private async changeRefusal (input: CreateRecordInput): Promise<ServiceError | undefined> {
    if (!isChangeType(input.type)) return undefined
    const { decision, application } = input.data
    const record = typeof decision === 'string' ? storedRecord(await this.store.get(decision)) : undefined
    if (record === undefined || !isDecisionType(record.envelope.type)) {
      return new ServiceError('not-found', `${input.type} names ${String(decision)}, which is no decision this node holds`, [{ path: '/data/decision', message: 'must be a decision held here' }])
    }
    if (record.envelope.issuer !== this.records.participant) {
      return new ServiceError('not-owner', `decision ${record.id} was issued by ${record.envelope.issuer}; only that agency changes it`)
    }
    if (dataOf(record).application !== application || (input.consignment !== undefined && input.consignment !== record.envelope.consignment)) {
      return new ServiceError('invalid-request', `decision ${record.id} is about application ${String(dataOf(record).application)} of consignment ${String(record.envelope.consignment)}`, [{ path: '/data/application', message: 'must be the decision\'s application' }])
    }
    return undefined
  }

  private async application (id: string): Promise<SignedRecord> {
    const record = storedRecord(await this.store.get(id))
    if (record === undefined || record.envelope.type !== APPLICATION) throw new ServiceError('not-found', `no application ${id} here`)
    return record
  }

  /** The records about an application signed by `issuer`, oldest first, that verify. */
  private async related (application: string, issuer: string): Promise<SignedRecord[]> {
    const out: SignedRecord[] = []
    for (const ref of await this.applications.refsOf(application)) {
      const record = storedRecord(await this.store.get(ref.recordId))
      if (record !== undefined && record.envelope.issuer === issuer) out.push(record)
    }
    return out
  }

  /** The application with its status and full history. */
  async view (id: string): Promise<ApplicationView> {
    const application = await this.application(id)
    const data = dataOf(application)
    const agency = String(data.agency)
    const now = this.records.now()
    const history: HistoryEntry[] = [{ at: application.envelope.issuedAt, status: 'submitted', record: id, type: APPLICATION, by: application.envelope.issuer, ...(isActor(data.actor) && { actor: data.actor }) }]
    // The agency's receipt says it received the application (held by the applicant).
    const receipts = new Set<string>()
    for (const { receiver, receipt } of await this.delivery.receipts(id)) {
      if (receiver !== agency || receipts.has(receipt.id)) continue
      receipts.add(receipt.id)
      history.push({ at: receipt.envelope.issuedAt, status: 'received', record: receipt.id, type: receipt.envelope.type, by: receiver })
    }
    // Only the agency applied to speaks for the application.
    const related = await this.related(id, agency)
    const held = new Set(related.map(r => r.id))
    // The first version of the decision: later ones, and changes, come from its standing.
    const decision = related.find(r => isDecisionType(r.envelope.type) && (r.envelope.supersedes === undefined || !held.has(r.envelope.supersedes)))
    for (const record of related) {
      const type = record.envelope.type
      if (isChangeType(type) || (isDecisionType(type) && record !== decision)) continue
      const recordData = dataOf(record)
      const status: ApplicationState = type === STATUS
        ? recordData.status as ApplicationState
        : type === MISSING_DATA_REQUEST ? 'more-information-requested' : 'decided'
      history.push({
        at: record.envelope.issuedAt,
        status,
        record: record.id,
        type,
        by: agency,
        ...(isActor(recordData.actor) && { actor: recordData.actor }),
        ...(typeof recordData.note === 'string' && { note: recordData.note }),
        ...(typeof recordData.message === 'string' && { note: recordData.message }),
        ...(typeof recordData.summary === 'string' && { note: recordData.summary })
      })
    }
    let inForce: { record: SignedRecord, standing: DecisionStanding } | undefined
    if (decision !== undefined) {
      const current = related.find(r => r.id === standingOf(decision, related, now).current) ?? decision
      const standing = standingOf(current, related, now)
      inForce = { record: current, standing }
      for (const c of standing.changes) {
        history.push({ at: c.at, status: c.change, record: c.record, type: c.type, by: c.by, ...(c.actor !== undefined && { actor: c.actor }), ...(c.reason !== undefined && { note: c.reason }) })
      }
    }
    // On the agency's node there is no receipt of its own: holding the application is having received it.
    if (application.envelope.issuer !== this.records.participant && !history.some(h => h.status === 'received')) {
      history.push({ at: application.envelope.issuedAt, status: 'received', record: id, type: APPLICATION, by: agency })
    }
    history.sort((a, b) => a.at < b.at ? -1 : a.at > b.at ? 1 : 0)
    const stages = history.filter((h): h is HistoryEntry & { status: ApplicationState } => isStage(h.status))
    const status = decision !== undefined ? 'decided' : (stages.at(-1) as HistoryEntry & { status: ApplicationState }).status
    return {
      id,
      consignment: application.envelope.consignment as string,
      procedure: String(data.procedure),
      applicant: application.envelope.issuer,
      agency,
      status,
      submittedAt: application.envelope.issuedAt,
      history,
      ...(decision !== undefined && inForce !== undefined && {
        decision: viewOf(inForce.record, now),
        decisionStatus: inForce.standing,
        reliance: await this.reliance(inForce.record, now),
        timeToDecisionMs: Date.parse(decision.envelope.issuedAt) - Date.parse(application.envelope.issuedAt)
      }),
      application: viewOf(application, now)
    }
  }

  /** The standing of a decision this node holds, with its version in force and what that relied on. */
  async decision (id: string): Promise<DecisionView> {
    const record = storedRecord(await this.store.get(id))
    if (record === undefined || !isDecisionType(record.envelope.type)) throw new ServiceError('not-found', `no decision ${id} here`)
    const now = this.records.now()
    const related = await this.related(String(dataOf(record).application), record.envelope.issuer)
    const standing = standingOf(record, related, now)
    const current = related.find(r => r.id === standing.current) ?? record
    return { ...standing, inForce: viewOf(current, now), reliance: await this.reliance(current, now) }
  }

  /** The decisions `decision` relied on that this node holds, with their standing today. */
  private async reliance (decision: SignedRecord, now: string): Promise<RelianceEntry[]> {
    const reliesOn = dataOf(decision).reliesOn
    const out: RelianceEntry[] = []
    for (const id of Array.isArray(reliesOn) ? reliesOn : []) {
      if (typeof id !== 'string' || id === decision.id) continue
      const record = storedRecord(await this.store.get(id))
      if (record === undefined || !isDecisionType(record.envelope.type)) continue
      const s = standingOf(record, await this.related(String(dataOf(record).application), record.envelope.issuer), now)
      out.push({
        record: id,
        type: s.type,
        issuer: s.issuer,
        status: s.status,
        ...(s.current !== id && { current: s.current }),
        ...(s.reason !== undefined && { reason: s.reason }),
        ...(s.from !== undefined && { from: s.from }),
        ...(s.until !== undefined && { until: s.until }),
        ...(s.change !== undefined && { change: s.change })
      })
    }
    return out
  }

  /** Applications this node holds — made by it, or to it — newest first, optionally by status and by the agency applied to. */
  async list (status?: ApplicationState, limit = 500, agency?: string): Promise<ApplicationView[]> {
    // Newest first, a page of ids at a time, until `limit` match: a view reads
    // the application's history, and an inbox shows a page of them.
    const out: ApplicationView[] = []
    let cursor: string | undefined
    do {
      const page = await this.store.listIds({ type: APPLICATION, limit: 200, newestFirst: true, ...(cursor !== undefined && { cursor }) })
      for (const id of page.ids) {
        if (out.length >= limit) break
        if ((await this.store.supersessorOf(id)) !== undefined) continue
        const view = await this.view(id).catch(() => undefined)
        if (view !== undefined && (status === undefined || view.status === status) && (agency === undefined || view.agency === agency)) out.push(view)
      }
      cursor = page.next
    } while (cursor !== undefined && out.length < limit)
    return out
  }

  private async mustDecideHere (id: string): Promise<SignedRecord> {
    const application = await this.application(id)
    if (dataOf(application).agency !== this.records.participant) {
      throw new ServiceError('not-owner', `application ${id} was made to ${String(dataOf(application).agency)}, not to this node`)
    }
    if ((await this.view(id)).status === 'decided') throw new ServiceError('already-decided', `application ${id} is already decided`)
    return application
  }

  /** The agency reports a stage; the applicant receives the signed status. */
  async setStatus (id: string, status: 'received' | 'under-review' | 'more-information-requested', note?: string, actor?: Actor): Promise<ApplicationView> {
    const application = await this.mustDecideHere(id)
    await this.records.create({
      type: STATUS,
      consignment: application.envelope.consignment as string,
      data: { application: id, status, ...(note !== undefined && { note }), ...(actor !== undefined && { actor: { ...actor } }) },
      share: [application.envelope.issuer]
    })
    return await this.view(id)
  }

  /**
   * The agency decides: a signed decision naming the application and the
   * records it relied on (by default every record the application pointed to
   * that this node holds). It goes to the applicant, and to whoever this
   * node's own grants name for decisions (e.g. customs, for a certificate).
   */
  async decide (id: string, input: DecisionInput): Promise<ApplicationView> {
    const application = await this.mustDecideHere(id)
    const data = dataOf(application)
    let reliesOn = input.reliesOn
    if (reliesOn === undefined) {
      const pointed = new Set<string>([id])
      for (const element of (data.elements ?? []) as Array<{ records?: string[] }>) for (const r of element.records ?? []) pointed.add(r)
      reliesOn = []
      for (const r of pointed) if (await this.store.has(r)) (reliesOn as string[]).push(r)
    }
    if (input.kind === 'refusal' && (input.reasons === undefined || input.reasons.length === 0)) {
      throw new ServiceError('invalid-request', 'a refusal states its reasons', [{ path: '/reasons', message: 'at least one reason' }])
    }
    await this.records.create({
      type: `${DECISION_PREFIX}${input.kind}`,
      consignment: application.envelope.consignment as string,
      data: {
        application: id,
        procedure: String(data.procedure),
        reliesOn: [...reliesOn],
        ...(input.number !== undefined && { number: input.number }),
        ...(input.validFrom !== undefined && { validFrom: input.validFrom }),
        ...(input.summary !== undefined && { summary: input.summary }),
        ...(input.reasons !== undefined && { reasons: [...input.reasons] }),
        ...(input.guarantee !== undefined && { guarantee: input.guarantee }),
        ...(input.quantities !== undefined && { quantities: input.quantities.map(q => ({ ...q, goods: [...q.goods] })) }),
        ...(input.actor !== undefined && { actor: { ...input.actor } })
      },
      ...(input.validUntil !== undefined && { validUntil: input.validUntil }),
      share: [application.envelope.issuer]
    })
    return await this.view(id)
  }

  /**
   * A decision of this node that may still change: held, a permit,
   * certificate or release of this node, its latest version, not withdrawn.
   */
  private async changeable (id: string): Promise<{ record: SignedRecord, application: SignedRecord, related: SignedRecord[], standing: DecisionStanding }> {
    const record = storedRecord(await this.store.get(id))
    if (record === undefined || !isDecisionType(record.envelope.type)) throw new ServiceError('not-found', `no decision ${id} here`)
    if (record.envelope.issuer !== this.records.participant) {
      throw new ServiceError('not-owner', `decision ${id} was issued by ${record.envelope.issuer}; only that agency changes it`)
    }
    if (record.envelope.type === `${DECISION_PREFIX}refusal`) {
      throw new ServiceError('invalid-request', `decision ${id} is a refusal: a refusal is not amended, suspended or withdrawn; the applicant applies again`)
    }
    const application = await this.application(String(dataOf(record).application))
    const related = await this.related(application.id, this.records.participant)
    const standing = standingOf(record, related, this.records.now())
    if (standing.current !== id) throw new ServiceError('already-superseded', `decision ${id} was amended by ${standing.current}; change that version instead`)
    if (standing.status === 'withdrawn') throw new ServiceError('not-in-force', `decision ${id} is withdrawn (${standing.change ?? ''}): it changes no more`)
    return { record, application, related, standing }
  }

  /**
   * Everyone that received a decision: the applicant, every receiver of any
   * version by this node's receipts, and whoever its grants send it to.
   * `grants`: the grants' recipients separately (a new version of the
   * decision reaches them under the grants, with the fields they allow).
   */
  private async holders (versions: readonly string[], related: readonly SignedRecord[], application: SignedRecord): Promise<{ all: string[], grants: Set<string> }> {
    const all = new Set<string>([application.envelope.issuer])
    const grants = new Set<string>()
    for (const id of versions) {
      for (const { receiver } of await this.delivery.receipts(id)) all.add(receiver)
      const version = related.find(r => r.id === id)
      if (version !== undefined) for (const recipient of this.components.disclosure.decide(version.envelope).keys()) grants.add(recipient)
    }
    for (const recipient of grants) all.add(recipient)
    all.delete(this.records.participant)
    return { all: [...all], grants }
  }

  /**
   * A new version of a decision of this node: the earlier version's data with
   * what `input` changes, superseding it. It goes to everyone that received
   * the decision. Returns the decision, in force in its new version.
   */
  async amend (id: string, input: AmendmentInput): Promise<DecisionView> {
    const { record, application, related, standing } = await this.changeable(id)
    const { actor: _earlier, ...data } = dataOf(record)
    const { all, grants } = await this.holders(standing.versions, related, application)
    const validUntil = input.validUntil ?? record.envelope.validUntil
    const { record: amended } = await this.records.create({
      type: record.envelope.type,
      consignment: record.envelope.consignment as string,
      supersedes: id,
      data: {
        ...data,
        ...(input.reliesOn !== undefined && { reliesOn: [...input.reliesOn] }),
        ...(input.number !== undefined && { number: input.number }),
        ...(input.validFrom !== undefined && { validFrom: input.validFrom }),
        ...(input.summary !== undefined && { summary: input.summary }),
        ...(input.reasons !== undefined && { reasons: [...input.reasons] }),
        ...(input.actor !== undefined && { actor: { ...input.actor } })
      },
      ...(validUntil !== undefined && { validUntil }),
      share: all.filter(p => !grants.has(p))
    })
    return await this.decision(amended.id)
  }

  /** Signs a change to a decision of this node and sends it to everyone that received the decision. */
  private async change (type: string, id: string, fields: Record<string, string | undefined>, actor: Actor | undefined,
    check: (standing: DecisionStanding, today: string) => void): Promise<DecisionView> {
    const { record, application, related, standing } = await this.changeable(id)
    check(standing, this.records.now().slice(0, 10))
    const { all } = await this.holders(standing.versions, related, application)
    await this.records.create({
      type,
      consignment: record.envelope.consignment as string,
      data: {
        application: application.id,
        decision: id,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>,
        ...(actor !== undefined && { actor: { ...actor } })
      },
      share: all
    })
    return await this.decision(id)
  }

  /** Suspends a decision of this node, from a day (today) up to and including a day (or until reinstated or withdrawn). */
  async suspend (id: string, input: SuspensionInput): Promise<DecisionView> {
    return await this.change(RecordTypes.decisionSuspension, id, { reason: input.reason, from: input.from, until: input.until }, input.actor, (standing, today) => {
      if (standing.status === 'expired') throw new ServiceError('not-in-force', `decision ${id} expired at ${standing.validUntil ?? ''}: there is nothing to suspend`)
      const from = input.from ?? today
      if (input.until !== undefined && input.until < from) {
        throw new ServiceError('invalid-request', `the suspension would end (${input.until}) before it begins (${from})`, [{ path: '/until', message: 'must not be before the first day suspended' }])
      }
      if (input.until !== undefined && input.until < today) {
        throw new ServiceError('invalid-request', `the suspension would end on ${input.until}, which has passed`, [{ path: '/until', message: 'must be today or later' }])
      }
    })
  }

  /** Ends a suspension of a decision of this node (in effect, or to come) before its last day. */
  async reinstate (id: string, input: ReinstatementInput): Promise<DecisionView> {
    return await this.change(RecordTypes.decisionReinstatement, id, { reason: input.reason }, input.actor, standing => {
      if (standing.status !== 'suspended' && standing.pending?.status !== 'suspended') throw new ServiceError('not-in-force', `decision ${id} is not suspended (${standing.status})`)
    })
  }

  /** Withdraws a decision of this node for good, from a day (today). */
  async withdraw (id: string, input: WithdrawalInput): Promise<DecisionView> {
    return await this.change(RecordTypes.decisionWithdrawal, id, { reason: input.reason, from: input.from }, input.actor, (_standing, today) => {
      if (input.from !== undefined && input.from < today) {
        throw new ServiceError('invalid-request', `a withdrawal takes effect today or later, not on ${input.from}`, [{ path: '/from', message: 'must be today or later' }])
      }
    })
  }

  /** Time from submission to decision, per procedure, over the decided applications held here. */
  async decisionTimes (): Promise<DecisionTimes[]> {
    return decisionTimesOf(await this.list('decided', 100_000))
  }
}

/** Time from submission to decision of the applications of one procedure. */
export interface DecisionTimes {
  readonly procedure: string
  readonly decided: number
  readonly meanMs: number
  readonly medianMs: number
  /** The 90th percentile, nearest rank. */
  readonly p90Ms: number
  readonly maxMs: number
}

/** Decision times per procedure, of the decided applications among `views`. */
export function decisionTimesOf (views: readonly ApplicationView[]): DecisionTimes[] {
  const byProcedure = new Map<string, number[]>()
  for (const view of views) {
    if (view.timeToDecisionMs === undefined) continue
    const times = byProcedure.get(view.procedure) ?? []
    times.push(view.timeToDecisionMs)
    byProcedure.set(view.procedure, times)
  }
  return [...byProcedure].map(([procedure, times]) => {
    const sorted = [...times].sort((a, b) => a - b)
    return {
      procedure,
      decided: sorted.length,
      meanMs: Math.round(sorted.reduce((n, t) => n + t, 0) / sorted.length),
      medianMs: sorted[Math.floor((sorted.length - 1) / 2)] as number,
      p90Ms: sorted[Math.ceil(0.9 * sorted.length) - 1] as number,
      maxMs: sorted.at(-1) as number
    }
  })
}
