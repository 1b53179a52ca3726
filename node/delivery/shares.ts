/**
 * Who receives a new record of this node, and what of it: everyone the
 * owner's grants let in (with the fields they allow), everyone the request
 * names in `share` (the whole record, by the owner's own decision), and the
 * shares of other records the request carries (an application's).
 */
import { isParticipantId, type Envelope, type SignedRecord } from '../../record/index.js'
import type { Share } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import type { Allowance } from '../policy/grant.js'
import type { CreateRecordInput } from '../records/record-service.js'

export const MAX_SHARE = 100

export interface ShareDecider {
  decide: (envelope: Envelope) => Map<string, Allowance>
}

/** The participants a request names in `share`: they receive the whole record. */
export function explicitRecipients (input: CreateRecordInput, self: string): string[] {
  const share = input.share ?? []
  if (share.length > MAX_SHARE) throw new ServiceError('invalid-request', `share names more than ${MAX_SHARE} participants`, [{ path: '/share', message: `at most ${MAX_SHARE}` }])
  share.forEach((id, i) => {
    if (!isParticipantId(id)) throw new ServiceError('invalid-request', `share[${i}] is not a participant id`, [{ path: `/share/${i}`, message: 'must be a participant id' }])
  })
  return [...new Set(share)].filter(id => id !== self)
}

export function sharesOf (decider: ShareDecider, record: SignedRecord, input: CreateRecordInput, self: string): Share[] {
  const base = { recordId: record.id, issuedAt: record.envelope.issuedAt }
  const shares = new Map<string, Share>()
  for (const [recipient, allowance] of decider.decide(record.envelope)) {
    shares.set(recipient, {
      ...base,
      recipient,
      ...(allowance.fields !== undefined && { fields: allowance.fields }),
      ...(allowance.grants.length > 0 && { grants: allowance.grants }),
      ...(allowance.purpose !== undefined && { purpose: allowance.purpose })
    })
  }
  for (const recipient of explicitRecipients(input, self)) shares.set(recipient, { ...base, recipient })
  return [...shares.values(), ...(input.alsoShare ?? [])]
}
