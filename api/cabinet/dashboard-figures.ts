/**
 * The figures of the reports page, read from the node: applications by
 * status and their decision times (of the newest 1 000), missing-data
 * requests per procedure (every request held, those about applications since
 * superseded too), what was entered against what state bodies received (the
 * newest 50 consignments), how many of their documents came signed from
 * another participant rather than entered here, and the outbox.
 */
import type { NodeApi } from '../../node/node-api.js'
import { decisionTimesOf } from '../../node/workflow/application-service.js'
import { RecordTypes } from '../../record/types/names.js'
import type { DashboardFigures } from './pages/dashboard.js'
import { INBOX_STATES } from './pages/inbox.js'
import type { MessageKey } from './i18n.js'

/** Documents, as against what the node records of the process (applications, statuses, receipts, events). */
const isDocument = (type: string): boolean => /^(trade|transport|cert|customs|decision)\./.test(type)

export async function dashboardFigures (node: NodeApi, t: (key: MessageKey) => string): Promise<DashboardFigures> {
  const applications = await node.applications.list(undefined, 1000)
  const missing = new Map<string, number>()
  let cursor: string | undefined
  do {
    const page = await node.records.list({ type: RecordTypes.missingDataRequest, limit: 500, ...(cursor !== undefined && { cursor }) })
    for (const request of page.records) {
      const procedure = String(request.data.procedure)
      missing.set(procedure, (missing.get(procedure) ?? 0) + 1)
    }
    cursor = page.next
  } while (cursor !== undefined)
  let entered = 0
  let uses = 0
  const documents = { total: 0, received: 0 }
  for (const ref of await node.records.consignments(50)) {
    const reuse = await node.reuse.ofConsignment(ref)
    entered += reuse.entered
    uses += reuse.usesByAuthorities
    for (const { current } of await node.records.consignment(ref)) {
      if (!isDocument(current.type)) continue
      documents.total++
      if (current.issuer !== node.participant) documents.received++
    }
  }
  const outbox = await node.delivery.outbox(10_000)
  return {
    byStatus: INBOX_STATES.map(state => ({ label: t(`state_${state}`), value: applications.filter(a => a.status === state).length })),
    decisionTimes: decisionTimesOf(applications),
    missingRequests: [...missing].map(([procedure, count]) => ({ label: procedure, value: count })),
    entered,
    usesByAuthorities: uses,
    deliveriesPending: outbox.length,
    deliveriesFailing: outbox.filter(o => o.lastError !== undefined).length,
    documents
  }
}
