/**
 * What the cabinet gathers to show a consignment's payments: the payments the
 * node works out (or why it cannot), where they stand, and the banks and
 * agencies a pay form offers; and which nodes show them at all.
 */
import type { NodeApi } from '../../node/node-api.js'
import { ServiceError } from '../../node/errors.js'
import type { PaymentsShown } from './pages/payments-section.js'
import { isCustoms, type PayChoice } from './payment-forms.js'

/** Whether this node pays declarations (a trader, a broker) or is paid them (an agency certified for customs). */
export async function paysHere (node: NodeApi): Promise<boolean> {
  const role = node.profile.role
  if (role === 'trader' || role === 'broker') return true
  if (role !== 'agency') return false
  const own = (await node.trust.status(node.participant)).certificate
  return own !== undefined && isCustoms({ participant: node.participant, name: own.name, competence: own.competence })
}

/** The payments of a consignment as this node works them out, or the node's reason why it cannot, and where they stand. */
export async function paymentsShown (node: NodeApi, ref: string): Promise<PaymentsShown> {
  const [calculated, settlement] = await Promise.all([
    node.payments.payments(ref).then(calculation => ({ calculation }), (err: unknown) => {
      // No declaration, no rates, a rate the goods lack: said plainly; anything else is the node's fault and goes up.
      if (err instanceof ServiceError) return { unavailable: err.message }
      throw err
    }),
    node.settlements.settlement(ref)
  ])
  return { ...calculated, settlement }
}

/** The certified banks a payment order may go to, and the agencies its payee may be, customs first. */
export async function payChoices (node: NodeApi): Promise<{ banks: PayChoice[], agencies: PayChoice[] }> {
  const valid = (await node.trust.directory()).filter(p => p.status === 'valid' && p.certificate !== undefined && p.participant !== node.participant)
  const choice = (p: typeof valid[number]): PayChoice => ({ participant: p.participant, name: p.certificate?.name ?? '', ...(p.certificate?.competence !== undefined && { competence: p.certificate.competence }) })
  const agencies = valid.filter(p => p.certificate?.role === 'agency').map(choice)
  return {
    banks: valid.filter(p => p.certificate?.role === 'bank').map(choice),
    agencies: [...agencies.filter(isCustoms), ...agencies.filter(a => !isCustoms(a))]
  }
}
