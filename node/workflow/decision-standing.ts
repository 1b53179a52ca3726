/**
 * The standing of a decision: whether a permit, certificate or release is in
 * force today, worked out from the records its agency signed about it. A
 * decision is amended by a new version (a decision of the same type whose
 * envelope supersedes it), suspended from a day up to and including a day
 * (or until reinstated), reinstated, or withdrawn; it expires at its
 * validUntil. Only records signed by the decision's own issuer count.
 */
import { dataOf, type SignedRecord } from '../../record/index.js'
import { RecordTypes } from '../../record/types/names.js'
import type { Actor } from '../accounts/account-service.js'

export const DECISION_TYPES: ReadonlySet<string> = new Set([
  RecordTypes.decisionRelease, RecordTypes.decisionPermit, RecordTypes.decisionCertificate, RecordTypes.decisionRefusal
])

/** What each change to a decision does to it. */
export const CHANGE_TYPES = {
  [RecordTypes.decisionSuspension]: 'suspended',
  [RecordTypes.decisionReinstatement]: 'reinstated',
  [RecordTypes.decisionWithdrawal]: 'withdrawn'
} as const

export type ChangeKind = typeof CHANGE_TYPES[keyof typeof CHANGE_TYPES] | 'amended'

/** valid: in force; amended: a newer version is (`current`); suspended, withdrawn, expired: not in force. */
export type DecisionStatus = 'valid' | 'amended' | 'suspended' | 'withdrawn' | 'expired'

export function isDecisionType (type: string): boolean {
  return DECISION_TYPES.has(type)
}

export function isChangeType (type: string): type is keyof typeof CHANGE_TYPES {
  return Object.hasOwn(CHANGE_TYPES, type)
}

/** One change in the life of a decision, as its signed record says. */
export interface DecisionChange {
  readonly record: string
  readonly type: string
  readonly change: ChangeKind
  /** The version it changes (for an amendment: the version it replaces). */
  readonly decision: string
  readonly at: string
  readonly by: string
  readonly actor?: Actor
  readonly reason?: string
  readonly from?: string
  readonly until?: string
}

/** A suspension or withdrawal signed already that takes effect on a later day. */
export interface PendingChange {
  readonly status: 'suspended' | 'withdrawn'
  readonly change: string
  readonly reason?: string
  readonly from: string
  readonly until?: string
}

export interface DecisionStanding {
  /** The decision asked about. */
  readonly record: string
  readonly type: string
  readonly application: string
  readonly issuer: string
  /**
   * Of the version in force; for an earlier version, `amended` — unless the
   * version in force is itself suspended, withdrawn or expired, which is
   * what anything relying on the earlier one needs to know.
   */
  readonly status: DecisionStatus
  /** The version in force (the record asked about, unless amended since). */
  readonly current: string
  /** Every version, oldest first. */
  readonly versions: readonly string[]
  /** The suspension or withdrawal that put the version in force out of force. */
  readonly change?: string
  readonly reason?: string
  readonly from?: string
  readonly until?: string
  /** When it expired or expires (the envelope's validUntil). */
  readonly validUntil?: string
  readonly pending?: PendingChange
  /** Amendments, suspensions, reinstatements and withdrawals, oldest first. */
  readonly changes: readonly DecisionChange[]
}

function text (value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function actorOf (value: unknown): Actor | undefined {
  const actor = value as Partial<Actor> | undefined
  return typeof actor?.user === 'string' && typeof actor.name === 'string' ? { user: actor.user, name: actor.name } : undefined
}

function byTime (a: SignedRecord, b: SignedRecord): number {
  const x = a.envelope.issuedAt
  const y = b.envelope.issuedAt
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The data of a record as far as disclosed; empty when it cannot be read. */
function dataOrEmpty (record: SignedRecord): Record<string, unknown> {
  try {
    return dataOf(record)
  } catch {
    return {}
  }
}

/** The versions of `decision`, oldest first, among `related` (same issuer and type, linked by supersedes). */
export function versionsOf (decision: SignedRecord, related: readonly SignedRecord[]): SignedRecord[] {
  const { issuer, type } = decision.envelope
  const same = related.filter(r => r.envelope.issuer === issuer && r.envelope.type === type)
  const byId = new Map(same.map(r => [r.id, r]))
  byId.set(decision.id, decision)
  // The first successor signed wins, should there ever be two.
  const successor = new Map<string, SignedRecord>()
  for (const r of [...byId.values()].sort(byTime)) {
    const old = r.envelope.supersedes
    if (old !== undefined && !successor.has(old)) successor.set(old, r)
  }
  const chain = [decision]
  const seen = new Set([decision.id])
  for (let r = byId.get(decision.envelope.supersedes ?? ''); r !== undefined && !seen.has(r.id); r = byId.get(r.envelope.supersedes ?? '')) {
    seen.add(r.id)
    chain.unshift(r)
  }
  for (let r = successor.get(decision.id); r !== undefined && !seen.has(r.id); r = successor.get(r.id)) {
    seen.add(r.id)
    chain.push(r)
  }
  return chain
}

/**
 * The standing of `decision` at `now` (a record timestamp), from `related`:
 * the records about its application held here (any order; others' are left out).
 */
export function standingOf (decision: SignedRecord, related: readonly SignedRecord[], now: string): DecisionStanding {
  const issuer = decision.envelope.issuer
  const versions = versionsOf(decision, related)
  const current = versions.at(-1) as SignedRecord
  const versionIds = new Set(versions.map(v => v.id))
  const changes: DecisionChange[] = []
  for (const [i, version] of versions.entries()) {
    if (i === 0) continue
    const data = dataOrEmpty(version)
    const actor = actorOf(data.actor)
    const summary = text(data.summary)
    changes.push({
      record: version.id,
      type: version.envelope.type,
      change: 'amended',
      decision: (versions[i - 1] as SignedRecord).id,
      at: version.envelope.issuedAt,
      by: issuer,
      ...(actor !== undefined && { actor }),
      ...(summary !== undefined && { reason: summary })
    })
  }
  const changeRecords = related
    .filter(r => r.envelope.issuer === issuer && isChangeType(r.envelope.type) && versionIds.has(String(dataOrEmpty(r).decision)))
    .sort(byTime)
  for (const r of changeRecords) {
    const data = dataOrEmpty(r)
    const actor = actorOf(data.actor)
    const reason = text(data.reason)
    const from = text(data.from)
    const until = text(data.until)
    changes.push({
      record: r.id,
      type: r.envelope.type,
      change: CHANGE_TYPES[r.envelope.type as keyof typeof CHANGE_TYPES],
      decision: String(data.decision),
      at: r.envelope.issuedAt,
      by: issuer,
      ...(actor !== undefined && { actor }),
      ...(reason !== undefined && { reason }),
      ...(from !== undefined && { from }),
      ...(until !== undefined && { until })
    })
  }
  changes.sort((a, b) => a.at < b.at ? -1 : a.at > b.at ? 1 : 0)

  const today = now.slice(0, 10)
  const firstDay = (c: DecisionChange): string => c.from ?? c.at.slice(0, 10)
  const own = changes.filter(c => c.decision === current.id && c.change !== 'amended')
  let out: Pick<DecisionStanding, 'status' | 'change' | 'reason' | 'from' | 'until' | 'pending'> = { status: 'valid' }
  // The withdrawal that takes effect first, should there be two.
  const withdrawal = own.filter(c => c.change === 'withdrawn').sort((a, b) => firstDay(a) < firstDay(b) ? -1 : firstDay(a) > firstDay(b) ? 1 : 0)[0]
  // The suspension in effect or to come: the last one signed, unless a reinstatement followed it.
  let suspension: DecisionChange | undefined
  for (const c of own) {
    if (c.change === 'suspended') suspension = c
    else if (c.change === 'reinstated') suspension = undefined
  }
  const validUntil = current.envelope.validUntil
  const detail = (c: DecisionChange): Pick<DecisionStanding, 'change' | 'reason' | 'from' | 'until'> => ({
    change: c.record,
    ...(c.reason !== undefined && { reason: c.reason }),
    from: firstDay(c),
    ...(c.until !== undefined && { until: c.until })
  })
  const pendingOf = (status: PendingChange['status'], c: DecisionChange): PendingChange => ({
    status, change: c.record, from: firstDay(c), ...(c.reason !== undefined && { reason: c.reason }), ...(c.until !== undefined && { until: c.until })
  })
  if (withdrawal !== undefined && firstDay(withdrawal) <= today) {
    out = { status: 'withdrawn', ...detail(withdrawal) }
  } else if (validUntil !== undefined && validUntil <= now) {
    out = { status: 'expired' }
  } else if (suspension !== undefined && firstDay(suspension) <= today && (suspension.until === undefined || today <= suspension.until)) {
    out = { status: 'suspended', ...detail(suspension) }
  }
  if (out.status === 'valid' || out.status === 'suspended') {
    if (withdrawal !== undefined && firstDay(withdrawal) > today) out = { ...out, pending: pendingOf('withdrawn', withdrawal) }
    else if (suspension !== undefined && firstDay(suspension) > today) out = { ...out, pending: pendingOf('suspended', suspension) }
  }
  const status: DecisionStatus = current.id !== decision.id && out.status === 'valid' ? 'amended' : out.status
  return {
    record: decision.id,
    type: decision.envelope.type,
    application: String(dataOrEmpty(decision).application),
    issuer,
    ...out,
    status,
    current: current.id,
    versions: versions.map(v => v.id),
    ...(validUntil !== undefined && { validUntil }),
    changes
  }
}
