/**
 * Customs checks the payments a declaration states. On each application made
 * to this agency, and each new version of a declaration of a consignment it
 * has applications of, customs' node works out what the declaration owes
 * from its own schedule and compares: a declaration whose payments differ is
 * refused, the refusal naming each line (declared, calculated, rate and legal
 * basis). Until they match, no release of the goods is signed here. Only the
 * node whose schedule the calculation used checks: that is customs.
 */
import { dataOf } from '../../record/index.js'
import { RecordTypes } from '../../record/types/index.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordGuards } from '../records/record-guards.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import { heldRecords } from '../records/held-records.js'
import type { BackgroundTasks } from '../runtime/background.js'
import type { Logger } from '../runtime/log.js'
import type { ApplicationService } from '../workflow/application-service.js'
import { mismatchText, type PaymentMismatch } from './declared-payments.js'
import type { PaymentService } from './payment-service.js'

/** The node refuses on its own, and says so in the signed refusal. */
const AUTOMATIC = { user: 'automatic', name: 'Automatic check of the declared payments' }

export interface DeclarationCheckComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'participant'>
  readonly applications: Pick<ApplicationService, 'view' | 'decide'>
  readonly payments: Pick<PaymentService, 'payments'>
  readonly guards: RecordGuards
  readonly events: NodeEvents
  readonly background: BackgroundTasks
  readonly logger: Logger
}

export interface DeclarationFindings {
  readonly declaration: string
  readonly currency: string
  readonly mismatches: readonly PaymentMismatch[]
  /** Each mismatch as a sentence. */
  readonly reasons: readonly string[]
}

export function declarationCheck () {
  return (components: DeclarationCheckComponents): DeclarationCheck => new DeclarationCheck(components)
}

export class DeclarationCheck {
  private unlisten: (() => void) | undefined
  /** One check at a time per consignment: two triggers must not refuse an application twice. */
  private readonly running = new Map<string, Promise<void>>()

  constructor (private readonly components: DeclarationCheckComponents) {}

  start (): void {
    const self = this.components.records.participant
    this.unlisten = listen(this.components.events, {
      'record:stored': record => {
        const { type, consignment, issuer } = record.envelope
        if (consignment === undefined || issuer === self) return
        if (type === RecordTypes.applicationSubmission && dataOf(record).agency !== self) return
        if (type !== RecordTypes.applicationSubmission && type !== RecordTypes.customsDeclaration) return
        this.components.background.run(async () => { await this.checkConsignment(consignment) })
      }
    })
    this.components.guards.add('release-needs-matching-payments', async input => await this.releaseRefusal(input))
  }

  stop (): void {
    this.components.guards.remove('release-needs-matching-payments')
    this.unlisten?.()
    this.unlisten = undefined
  }

  /**
   * How the payments the consignment's declaration states compare with this
   * node's calculation; undefined when this node is not the customs whose
   * schedule applies, or the declaration states none.
   */
  async findings (ref: string): Promise<DeclarationFindings | undefined> {
    let calculated
    try {
      calculated = await this.components.payments.payments(ref)
    } catch (err) {
      if (err instanceof ServiceError) return undefined
      throw err
    }
    const mismatches = calculated.mismatches
    if (calculated.schedule.issuer !== this.components.records.participant || mismatches === undefined) return undefined
    return { declaration: calculated.declaration, currency: calculated.currency, mismatches, reasons: mismatches.map(m => mismatchText(m, calculated.currency)) }
  }

  private async checkConsignment (ref: string): Promise<void> {
    const before = this.running.get(ref) ?? Promise.resolve()
    const next = before.then(async () => { await this.refuseMismatched(ref) })
    this.running.set(ref, next)
    try {
      await next
    } finally {
      if (this.running.get(ref) === next) this.running.delete(ref)
    }
  }

  /** Refuses every undecided application to this agency of a consignment whose declared payments differ. */
  private async refuseMismatched (ref: string): Promise<void> {
    const findings = await this.findings(ref)
    if (findings === undefined || findings.mismatches.length === 0) return
    const self = this.components.records.participant
    for (const record of await heldRecords(this.components.recordStore, RecordTypes.applicationSubmission, { consignment: ref, current: true })) {
      if (dataOf(record).agency !== self) continue
      if ((await this.components.applications.view(record.id)).status === 'decided') continue
      await this.components.applications.decide(record.id, {
        kind: 'refusal',
        actor: AUTOMATIC,
        reliesOn: [record.id, findings.declaration],
        summary: 'The payments the declaration states do not match customs\' calculation.',
        reasons: [...findings.reasons]
      }).catch((err: unknown) => {
        this.components.logger.warn({ err, application: record.id }, 'refusing a declaration whose payments differ failed')
      })
    }
  }

  /** A release is not signed while the declaration's payments differ from this node's calculation. */
  private async releaseRefusal (input: CreateRecordInput): Promise<ServiceError | undefined> {
    if (input.type !== RecordTypes.decisionRelease || input.consignment === undefined) return undefined
    const findings = await this.findings(input.consignment)
    if (findings === undefined || findings.mismatches.length === 0) return undefined
    return new ServiceError('payments-mismatch',
      `the goods of ${input.consignment} are not released: the payments declaration ${findings.declaration} states do not match customs' calculation`,
      findings.reasons.map((message, i) => ({ path: `/declaration/payments${findings.mismatches[i]?.item !== undefined ? `/item/${String(findings.mismatches[i]?.item)}` : ''}`, message })))
  }
}
