/**
 * What a participant may see of this node's records: the one place that turns
 * grants into fields, for every path a record leaves by — a copy queued for
 * delivery, a disclosure asked for through the API, an SD-JWT. A leaf goes
 * only if every set of patterns that applies covers it.
 */
import {
  coversAny, fieldPatterns, pathText, parseRecord, withDisclosures,
  type Envelope, type FieldPattern, type LeafPath, type SignedRecord, type Signer
} from '../../record/index.js'
import { toSdJwt } from '../../record/sd-jwt.js'
import { ServiceError } from '../errors.js'
import type { Allowance } from './grant.js'
import type { PolicyService } from './policy-service.js'

/** A queued copy: the fields asked for and the grants it was queued under (both absent: the whole record). */
export interface QueuedCopy {
  readonly fields?: readonly string[]
  readonly grants?: readonly string[]
}

export interface DisclosureComponents {
  readonly policy: Pick<PolicyService, 'decide' | 'allowance' | 'stillAllowed'>
  readonly signer: Signer
}

/** Keeps a leaf when every pattern set given covers it; an absent set allows everything. */
function leafFilter (...sets: ReadonlyArray<readonly FieldPattern[] | undefined>): (path: LeafPath) => boolean {
  const present = sets.filter((s): s is readonly FieldPattern[] => s !== undefined)
  return path => present.every(set => coversAny(set, path))
}

export class Disclosure {
  constructor (private readonly components: DisclosureComponents) {}

  /** Who the grants let receive a new record of this node, and what of it. */
  decide (envelope: Envelope): Map<string, Allowance> {
    return this.components.policy.decide(envelope)
  }

  /**
   * The copy a queued share sends now: the whole record, or only the leaves
   * its fields cover and its grants still allow. Undefined when every grant it
   * was queued under has been revoked or has expired since.
   */
  outgoing (copy: QueuedCopy, bytes: Uint8Array): { bytes: Uint8Array, record?: SignedRecord } | undefined {
    if (copy.fields === undefined && copy.grants === undefined) return { bytes }
    let allowed: readonly FieldPattern[] | undefined
    if (copy.grants !== undefined && copy.grants.length > 0) {
      // null: every grant is gone; undefined: one still allows the whole record.
      const still = this.components.policy.stillAllowed(copy.grants)
      if (still === null) return undefined
      allowed = still
    }
    const record = parseRecord(bytes)
    const partial = withDisclosures(record, leafFilter(copy.fields === undefined ? undefined : fieldPatterns(copy.fields), allowed))
    return partial.disclosures.length === record.disclosures.length ? { bytes, record } : { bytes: partial.bytes, record: partial }
  }

  /**
   * Which leaves of one of this node's records `participant` may be shown,
   * narrowed to `requested`. Refuses a record of another issuer, a participant
   * no grant lets in, and a request for fields outside every grant (naming them).
   */
  allowedFor (record: SignedRecord, participant: string, requested?: readonly FieldPattern[]): (path: LeafPath) => boolean {
    const { id, envelope } = record
    if (envelope.issuer !== this.components.signer.participant) throw new ServiceError('not-owner', `record ${id} was issued by ${envelope.issuer}; only its issuer discloses it`)
    const allowance = this.components.policy.allowance(envelope, participant)
    if (allowance === undefined) throw new ServiceError('not-permitted', `no grant of this node lets ${participant} receive anything of record ${id}`)
    const granted = allowance.fields === undefined ? undefined : fieldPatterns(allowance.fields)
    const grantedFilter = leafFilter(granted)
    const refused = requested === undefined ? [] : record.disclosures.filter(d => coversAny(requested, d.path) && !grantedFilter(d.path))
    if (refused.length > 0) {
      throw new ServiceError('not-permitted', `no grant lets ${participant} receive ${refused.length} of the fields asked for`,
        refused.map(d => pathText(d.path)).sort().slice(0, 100).map(path => ({ path, message: 'outside every grant for this participant' })))
    }
    return leafFilter(granted, requested)
  }

  /** The partial record `participant` may be shown (see allowedFor). */
  partialFor (record: SignedRecord, participant: string, requested?: readonly FieldPattern[]): SignedRecord {
    return withDisclosures(record, this.allowedFor(record, participant, requested))
  }

  /** What a query of `participant` is answered of `record`: the partial record its pull grants allow, or undefined when none does. */
  pulledBy (record: SignedRecord, participant: string): SignedRecord | undefined {
    if (record.envelope.issuer !== this.components.signer.participant) return undefined
    const allowance = this.components.policy.allowance(record.envelope, participant, undefined, 'pull')
    if (allowance === undefined) return undefined
    if (allowance.fields === undefined) return record
    const partial = withDisclosures(record, leafFilter(fieldPatterns(allowance.fields)))
    return partial.disclosures.length === record.disclosures.length ? record : partial
  }

  /** The same disclosure as an SD-JWT signed by this node. */
  sdJwtFor (record: SignedRecord, participant: string, requested?: readonly FieldPattern[]): string {
    return toSdJwt(record, this.components.signer, this.allowedFor(record, participant, requested))
  }
}
