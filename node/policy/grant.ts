/**
 * A grant as this node keeps it: what a policy.grant record says, read once,
 * with its field patterns parsed, and whether a participant matches it.
 */
import { fieldPatterns, type FieldPattern, type SignedRecord } from '../../record/index.js'
import { dataAs, RecordTypes, type PolicyGrantData } from '../../record/types/index.js'
import { policyGrant, type Grantee } from '../../record/types/policy.js'
import type { ParticipantStatus } from '../trust/trust-service.js'

export const GRANT = RecordTypes.policyGrant
export const GRANT_REVOCATION = RecordTypes.policyRevoke
/** Types every certified participant receives whole: they are published for all. */
export const PUBLIC_TYPES: ReadonlySet<string> = new Set([RecordTypes.requirementProfile, RecordTypes.referenceCodelist, RecordTypes.regulationMeasure, RecordTypes.referenceDutyRates, RecordTypes.referenceExchangeRates])

export type { Grantee }

/** A grant's data, and until when it holds (the envelope's validUntil). */
export type GrantInput = PolicyGrantData & { readonly validUntil?: string }

export interface Grant extends Omit<GrantInput, 'validUntil'> {
  readonly id: string
  readonly issuedAt: string
  readonly validUntil?: string
  readonly patterns: readonly FieldPattern[]
  revokedBy?: string
}

export type GrantStatus = 'active' | 'revoked' | 'expired'

/** What one recipient may receive of one record, and which grants say so. */
export interface Allowance {
  /** Field patterns; undefined means the whole record. */
  readonly fields?: readonly string[]
  readonly grants: readonly string[]
  readonly purpose?: string
}

export function grantOf (record: SignedRecord): Grant {
  const data = dataAs(record, policyGrant)
  return {
    id: record.id,
    issuedAt: record.envelope.issuedAt,
    ...(record.envelope.validUntil !== undefined && { validUntil: record.envelope.validUntil }),
    types: data.types,
    ...(data.consignment !== undefined && { consignment: data.consignment }),
    to: data.to,
    fields: data.fields,
    purpose: data.purpose,
    ...(data.name !== undefined && { name: data.name }),
    ...(data.mode !== undefined && { mode: data.mode }),
    patterns: fieldPatterns(data.fields)
  }
}

/** The path a record leaves by: sent as it is made, answered to a query, or any (a disclosure asked for through the API). */
export type Way = 'push' | 'pull' | 'any'

/** Whether a grant lets records go by `way`: a grant without a mode lets them go both ways. */
export function grantAllows (grant: Pick<Grant, 'mode'>, way: Way): boolean {
  return way === 'any' || grant.mode === undefined || grant.mode === 'both' || grant.mode === way
}

export function grantMatches (to: Grantee, status: ParticipantStatus): boolean {
  const c = status.certificate
  if (c === undefined) return false
  return (to.participant === undefined || to.participant === status.participant) &&
    (to.role === undefined || to.role === c.role) &&
    (to.country === undefined || to.country === c.country) &&
    (to.competence === undefined || to.competence.toLowerCase() === c.competence?.toLowerCase())
}
