/**
 * The lifecycle of an application, as the applicant and the agency both see
 * it: submitted (the trader's signed application) → received (the agency's
 * signed receipt) → under review / more information requested (the agency's
 * signed status records and missing-data requests) → decided (its signed
 * decision). The status is derived from those records, never stored apart.
 */
import { dataOf, type SignedRecord } from '../../record/index.js'
import { DECISION_PREFIX as TYPE_PREFIX, RecordTypes } from '../../record/types/names.js'
import type { ApplicationStore, RecordStore, WriteOp } from '../../storage/index.js'
import type { DeliveryService } from '../delivery/delivery-service.js'
import { ServiceError } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordIndexes } from '../records/record-indexes.js'
import { verifiedRecord } from '../records/verified-record.js'
import type { RecordService } from '../records/record-service.js'
import { viewOf, type RecordView } from '../records/record-view.js'
import { APPLICATION, MISSING_DATA_REQUEST } from './requirement-service.js'
import type { Actor } from '../accounts/account-service.js'

export const STATUS = RecordTypes.applicationStatus
export const DECISION_PREFIX = TYPE_PREFIX
export type ApplicationState = 'submitted' | 'received' | 'under-review' | 'more-information-requested' | 'decided'

export interface HistoryEntry {
  readonly at: string
  readonly status: ApplicationState
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
  readonly decision?: RecordView
  /** Milliseconds from submission to decision. */
  readonly timeToDecisionMs?: number
  readonly application: RecordView
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
  readonly indexes: RecordIndexes
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
    this.components.indexes.remove('applications')
  }

  private async application (id: string): Promise<SignedRecord> {
    const record = verifiedRecord(await this.store.get(id))
    if (record === undefined || record.envelope.type !== APPLICATION) throw new ServiceError('not-found', `no application ${id} here`)
    return record
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
    let decision: SignedRecord | undefined
    for (const ref of await this.applications.refsOf(id)) {
      const record = verifiedRecord(await this.store.get(ref.recordId))
      // Only the agency applied to speaks for the application.
      if (record === undefined || record.envelope.issuer !== agency) continue
      const recordData = dataOf(record)
      const type = record.envelope.type
      const status: ApplicationState = type === STATUS
        ? recordData.status as ApplicationState
        : type === MISSING_DATA_REQUEST ? 'more-information-requested' : 'decided'
      if (status === 'decided') decision ??= record
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
    // On the agency's node there is no receipt of its own: holding the application is having received it.
    if (application.envelope.issuer !== this.records.participant && !history.some(h => h.status === 'received')) {
      history.push({ at: application.envelope.issuedAt, status: 'received', record: id, type: APPLICATION, by: agency })
    }
    history.sort((a, b) => a.at < b.at ? -1 : a.at > b.at ? 1 : 0)
    const status = decision !== undefined ? 'decided' : (history.at(-1) as HistoryEntry).status
    return {
      id,
      consignment: application.envelope.consignment as string,
      procedure: String(data.procedure),
      applicant: application.envelope.issuer,
      agency,
      status,
      submittedAt: application.envelope.issuedAt,
      history,
      ...(decision !== undefined && {
        decision: viewOf(decision, now),
        timeToDecisionMs: Date.parse(decision.envelope.issuedAt) - Date.parse(application.envelope.issuedAt)
      }),
      application: viewOf(application, now)
    }
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
        ...(input.actor !== undefined && { actor: { ...input.actor } })
      },
      ...(input.validUntil !== undefined && { validUntil: input.validUntil }),
      share: [application.envelope.issuer]
    })
    return await this.view(id)
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
