/**
 * What needs a person's attention, for the home page: an agency asking for
 * more data, a refusal, a decision suspended or withdrawn, a document whose
 * validity ended, applications waiting for an officer, deliveries not yet
 * receipted. Each item says what and links to where it is dealt with.
 */
import type { NodeApi } from '../../node/node-api.js'
import type { ApplicationView } from '../../node/workflow/application-service.js'
import { DECISION_PREFIX } from '../../record/types/names.js'
import { translator, type Lang, type MessageKey } from './i18n.js'
import { typeTitle } from './document-labels.js'
import { isMovement } from './shipment-events.js'

export interface AttentionItem {
  readonly message: MessageKey
  readonly vars: Readonly<Record<string, string | number>>
  readonly href?: string
}

/** Consignments searched for expired documents: the newest ones a home page is about. */
const CONSIGNMENTS_SEARCHED = 50

export async function attentionItems (node: NodeApi, lang: Lang, applications: readonly ApplicationView[], officer: boolean): Promise<AttentionItem[]> {
  const items: AttentionItem[] = []
  for (const a of applications) {
    const href = `/applications/${a.id}`
    if (a.applicant === node.participant && a.status === 'more-information-requested') {
      items.push({ message: 'attentionMissing', vars: { procedure: a.procedure, consignment: a.consignment }, href })
    }
    if (a.applicant === node.participant && a.decision?.type === `${DECISION_PREFIX}refusal`) {
      items.push({ message: 'attentionRefused', vars: { procedure: a.procedure, consignment: a.consignment }, href })
    }
    const standing = a.decisionStatus?.status
    if (a.applicant === node.participant && (standing === 'suspended' || standing === 'withdrawn')) {
      items.push({ message: 'attentionDecisionChanged', vars: { procedure: a.procedure, consignment: a.consignment, status: translator(lang)(`standing_${standing}`) }, href })
    }
  }
  if (officer) {
    const waiting = applications.filter(a => a.agency === node.participant && (a.status === 'submitted' || a.status === 'received')).length
    if (waiting > 0) items.push({ message: 'attentionWaiting', vars: { n: waiting }, href: '/inbox' })
  }
  for (const ref of (await node.records.consignments(CONSIGNMENTS_SEARCHED))) {
    for (const { current } of await node.records.consignment(ref)) {
      if (current.expired && !isMovement(current.type)) {
        items.push({ message: 'attentionExpired', vars: { title: typeTitle(lang, current.type, node.types.get(current.type)?.title), consignment: ref }, href: `/documents/${current.id}` })
      }
    }
  }
  const outbox = await node.delivery.outbox(10_000)
  const failing = outbox.filter(o => o.lastError !== undefined).length
  if (failing > 0) items.push({ message: 'attentionFailing', vars: { n: failing }, href: '/dashboard' })
  else if (outbox.length > 0) items.push({ message: 'attentionPending', vars: { n: outbox.length }, href: '/dashboard' })
  return items
}
