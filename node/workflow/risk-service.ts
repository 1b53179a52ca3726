/**
 * Risk management with automatic processing, on an agency's node. The agency
 * keeps its rules as signed records of its own; on each application made to
 * it and each new fact about its consignment (a payment confirmed, a
 * certificate received) the rules are evaluated against the facts the node
 * holds. The most severe outcome of the rules that match decides: green
 * releases the goods automatically (signed by the node, naming the rules),
 * yellow and red leave the application to the officer with the reasons; no
 * matching rule is yellow. An agency without rules evaluates nothing. Every evaluation is a signed record, kept, so an
 * officer or an auditor sees why. A release is refused while the payments the
 * node works out for the declaration are not confirmed in full, unless it
 * names a guarantee.
 */
import { dataOf, type SignedRecord } from '../../record/index.js'
import { compare, dec, divide, sum, text } from '../../record/money/decimal.js'
import { goodsOf } from '../../record/reference/coded-fields.js'
import { inCountries } from '../../record/reference/country-groups.js'
import { recordInput, RecordTypes, type RiskRuleData } from '../../record/types/index.js'
import { riskEvaluation, riskRule, RISK_OUTCOMES } from '../../record/types/risk.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import type { AEO_TYPES } from '../../record/types/trust-certificate.js'
import type { TrustService } from '../trust/trust-service.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordGuards } from '../records/record-guards.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import type { RecordView } from '../records/record-view.js'
import { heldRecords } from '../records/held-records.js'
import type { BackgroundTasks } from '../runtime/background.js'
import type { Logger } from '../runtime/log.js'
import type { SettlementService } from '../payments/settlement-service.js'
import type { ApplicationService, ApplicationView } from './application-service.js'

export type Outcome = typeof RISK_OUTCOMES[number]

export interface Facts {
  readonly hsCodes: string[]
  readonly origins: string[]
  readonly valuePerKg?: string
  readonly valueCurrency?: string
  readonly documents: string[]
  readonly paymentConfirmed: boolean
  readonly openMissingData: boolean
  /** The type of the applicant's authorised economic operator certificate, when its certificate states one. */
  readonly aeo?: typeof AEO_TYPES[number]
}

export interface Evaluation {
  readonly record: string
  readonly application: string
  readonly at: string
  readonly outcome: Outcome
  readonly rules: ReadonlyArray<{ readonly rule: string, readonly record: string, readonly outcome: Outcome, readonly reason?: string }>
  readonly trigger: string
  readonly facts: Facts
  readonly release?: string
}

type Rule = RiskRuleData & { readonly record: string }

const SEVERITY: Record<Outcome, number> = { green: 0, yellow: 1, red: 2 }
/** The node that releases on its own names itself so in the signed release. */
const AUTOMATIC = { user: 'automatic', name: 'Automatic release (risk rules)' }

export interface RiskServiceComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'create' | 'now' | 'participant' | 'consignment'>
  readonly applications: Pick<ApplicationService, 'view' | 'decide'>
  readonly settlements: Pick<SettlementService, 'settlement'>
  readonly trust: Pick<TrustService, 'status'>
  readonly types: TypeRegistry
  readonly guards: RecordGuards
  readonly events: NodeEvents
  readonly background: BackgroundTasks
  readonly logger: Logger
}

export function riskService () {
  return (components: RiskServiceComponents): RiskService => new RiskService(components)
}

export class RiskService {
  private unlisten: (() => void) | undefined

  constructor (private readonly components: RiskServiceComponents) {}

  start (): void {
    const self = this.components.records.participant
    this.unlisten = listen(this.components.events, {
      'record:stored': record => {
        const { type, consignment, issuer } = record.envelope
        if (consignment === undefined || issuer === self) return
        // A new application to this agency, or a new fact about a consignment it has applications of.
        const trigger = type === RecordTypes.applicationSubmission
          ? 'application received'
          : type === RecordTypes.paymentConfirmation
            ? 'payment confirmed'
            : type.startsWith('cert.') || type === RecordTypes.decisionCertificate || type === RecordTypes.decisionPermit ? `${type} received` : undefined
        if (trigger === undefined) return
        this.components.background.run(async () => { await this.evaluateConsignment(consignment, trigger) })
      }
    })
    this.components.guards.add('release-needs-payment', async input => await this.releaseRefusal(input))
  }

  stop (): void {
    this.components.guards.remove('release-needs-payment')
    this.unlisten?.()
    this.unlisten = undefined
  }

  private async all (type: string, consignment?: string): Promise<SignedRecord[]> {
    return await heldRecords(this.components.recordStore, type, { consignment, current: true })
  }

  /** Publishes a rule of this agency (kept here; `supersedes` the rule it replaces). */
  async publish (data: RiskRuleData, supersedes?: string): Promise<SignedRecord> {
    const { record } = await this.components.records.create({ ...recordInput(riskRule, data), ...(supersedes !== undefined && { supersedes }) })
    return record
  }

  /** The rules in force on `day` (today), lowest priority first. */
  async rules (day = this.components.records.now().slice(0, 10)): Promise<Rule[]> {
    return (await this.all(RecordTypes.riskRule))
      .filter(r => r.envelope.issuer === this.components.records.participant)
      .map(r => ({ ...(dataOf(r) as unknown as RiskRuleData), record: r.id }))
      .filter(r => r.validFrom <= day && (r.validUntil === undefined || r.validUntil >= day))
      .sort((a, b) => a.priority - b.priority || (a.rule < b.rule ? -1 : 1))
  }

  /** What the node holds of an application's consignment that the rules look at. */
  async facts (application: ApplicationView): Promise<Facts> {
    const docs = (await this.components.records.consignment(application.consignment)).map(e => e.current).filter(v => v.verified && !v.expired)
    const hsCodes = new Set<string>()
    const origins = new Set<string>()
    for (const doc of docs) {
      const schema = this.components.types.get(doc.type)?.schema
      for (const { hsCode, origin } of schema === undefined ? [] : goodsOf(schema as Record<string, unknown>, doc.data)) {
        hsCodes.add(hsCode)
        if (origin !== undefined) origins.add(origin)
      }
    }
    const invoice = docs.find(d => d.type === RecordTypes.tradeInvoice)
    const value = valuePerKg(invoice)
    const settlement = await this.components.settlements.settlement(application.consignment)
    const applicant = await this.components.trust.status(application.applicant)
    const aeo = applicant.status === 'valid' ? applicant.certificate?.aeo : undefined
    return {
      hsCodes: [...hsCodes].sort(),
      origins: [...origins].sort(),
      ...(value !== undefined && { valuePerKg: value.perKg, valueCurrency: value.currency }),
      // The documents of the consignment: not the agency's own workings (its evaluations) nor the application's own records.
      documents: [...new Set(docs.map(d => d.type).filter(t => !t.startsWith('risk.') && !t.startsWith('application.')))].sort(),
      paymentConfirmed: settlement.status === 'paid' || settlement.status === 'overpaid',
      openMissingData: application.status === 'more-information-requested',
      ...(aeo !== undefined && { aeo })
    }
  }

  /** Whether a rule's conditions hold for an application and its facts. */
  static matches (rule: Rule, application: ApplicationView, facts: Facts): boolean {
    const w = rule.when
    if (w.procedures !== undefined && !w.procedures.includes(application.procedure)) return false
    if (w.goods !== undefined && !facts.hsCodes.some(code => w.goods?.some(p => code.startsWith(p)) === true && w.exceptGoods?.some(p => code.startsWith(p)) !== true)) return false
    if (w.origins !== undefined && !facts.origins.some(o => inCountries(o, w.origins ?? []))) return false
    if (w.valuePerKgBelow !== undefined || w.valuePerKgAbove !== undefined) {
      if (facts.valuePerKg === undefined || (w.valueCurrency !== undefined && w.valueCurrency !== facts.valueCurrency)) return false
      const perKg = dec(facts.valuePerKg)
      if (w.valuePerKgBelow !== undefined && compare(perKg, dec(w.valuePerKgBelow)) >= 0) return false
      if (w.valuePerKgAbove !== undefined && compare(perKg, dec(w.valuePerKgAbove)) <= 0) return false
    }
    if (w.documentsPresent?.some(t => !facts.documents.includes(t)) === true) return false
    if (w.documentsMissing !== undefined && w.documentsMissing.every(t => facts.documents.includes(t))) return false
    if (w.paymentConfirmed !== undefined && w.paymentConfirmed !== facts.paymentConfirmed) return false
    if (w.openMissingData !== undefined && w.openMissingData !== facts.openMissingData) return false
    if (w.aeo !== undefined && w.aeo !== (facts.aeo !== undefined)) return false
    if (w.aeoTypes !== undefined && (facts.aeo === undefined || !w.aeoTypes.includes(facts.aeo))) return false
    return true
  }

  /** Evaluates every undecided application made to this agency of a consignment. */
  private async evaluateConsignment (consignment: string, trigger: string): Promise<void> {
    for (const record of await this.all(RecordTypes.applicationSubmission, consignment)) {
      if (dataOf(record).agency !== this.components.records.participant) continue
      await this.evaluate(record.id, trigger).catch((err: unknown) => {
        this.components.logger.warn({ err, application: record.id }, 'risk evaluation failed')
      })
    }
  }

  /** Evaluates an application now, records the evaluation, and releases it when the outcome is green. */
  async evaluate (id: string, trigger = 'on request'): Promise<Evaluation | undefined> {
    const application = await this.components.applications.view(id)
    if (application.agency !== this.components.records.participant) throw new ServiceError('not-owner', `application ${id} was made to another agency`)
    if (application.status === 'decided') return undefined
    // An agency that keeps no rules decides everything by hand: nothing to evaluate, nothing to record.
    const rules = await this.rules()
    if (rules.length === 0) return undefined
    const facts = await this.facts(application)
    const matched = rules.filter(rule => RiskService.matches(rule, application, facts))
    const outcome: Outcome = matched.length === 0 ? 'yellow' : matched.reduce<Outcome>((worst, r) => SEVERITY[r.outcome] > SEVERITY[worst] ? r.outcome : worst, 'green')
    let release: string | undefined
    let held: string | undefined
    if (outcome === 'green' && facts.paymentConfirmed) {
      const names = matched.map(r => r.rule).join(', ')
      try {
        const decided = await this.components.applications.decide(id, { kind: 'release', actor: AUTOMATIC, summary: `Released automatically by the risk rules: ${names}.` })
        release = decided.decision?.id
      } catch (err) {
        // Another check of this node holds the release (the declared payments differ, a quota is used up): the evaluation says which.
        if (!(err instanceof ServiceError)) throw err
        held = err.message
      }
    }
    const waiting = outcome === 'green' && !facts.paymentConfirmed ? '; green, waiting for the payments to be confirmed' : held !== undefined ? `; green, not released: ${held}` : ''
    const decisive = matched.map(r => ({ rule: r.rule, record: r.record, outcome: r.outcome, ...(r.reason !== undefined && { reason: r.reason }) }))
    const { record } = await this.components.records.create({
      ...recordInput(riskEvaluation, {
        application: id,
        outcome,
        rules: decisive,
        trigger: `${trigger}${waiting}`.slice(0, 256),
        facts,
        ...(release !== undefined && { release })
      }),
      consignment: application.consignment
    })
    return { record: record.id, application: id, at: record.envelope.issuedAt, outcome, rules: decisive, trigger, facts, ...(release !== undefined && { release }) }
  }

  /** Every evaluation of an application, oldest first. */
  async evaluations (id: string): Promise<Evaluation[]> {
    const application = await this.components.applications.view(id)
    return (await this.all(RecordTypes.riskEvaluation, application.consignment))
      .filter(r => dataOf(r).application === id)
      .map(r => ({ record: r.id, at: r.envelope.issuedAt, ...(dataOf(r) as unknown as Omit<Evaluation, 'record' | 'at'>) }))
      .sort((a, b) => a.at < b.at ? -1 : 1)
  }

  /** Why a release may not be signed: payments this node works out, not confirmed in full, and no guarantee named. */
  private async releaseRefusal (input: CreateRecordInput): Promise<ServiceError | undefined> {
    if (input.type !== RecordTypes.decisionRelease || input.consignment === undefined) return undefined
    if (typeof input.data.guarantee === 'string' && input.data.guarantee !== '') return undefined
    const settlement = await this.components.settlements.settlement(input.consignment)
    if (settlement.status === 'unknown' || settlement.status === 'paid' || settlement.status === 'overpaid') return undefined
    return new ServiceError('payment-not-confirmed',
      `the goods of ${input.consignment} are not released: ${settlement.status === 'unpaid' ? 'no payment of' : `only ${settlement.paid} ${settlement.currency} of`} the ${settlement.due ?? ''} ${settlement.currency} the declaration owes is confirmed by a bank; record a guarantee to release before it is`,
      [{ path: '/guarantee', message: 'required while the payments are not confirmed' }])
  }
}

/** The invoice's value per kilogram of net weight, in its currency. */
function valuePerKg (invoice: RecordView | undefined): { perKg: string, currency: string } | undefined {
  if (invoice === undefined) return undefined
  const data = invoice.data as { currency?: string, totalAmount?: string, totalNetWeight?: string, lines?: Array<{ amount?: string, netWeight?: string }> }
  const lines = data.lines ?? []
  const amount = data.totalAmount ?? (lines.every(l => l.amount !== undefined) ? sum(lines.map(l => dec(l.amount as string))) : undefined)
  const weight = data.totalNetWeight ?? (lines.every(l => l.netWeight !== undefined) ? sum(lines.map(l => dec(l.netWeight as string))) : undefined)
  if (amount === undefined || weight === undefined || data.currency === undefined) return undefined
  const w = typeof weight === 'string' ? dec(weight) : weight
  if (w.units === 0n) return undefined
  return { perKg: text(divide(typeof amount === 'string' ? dec(amount) : amount, w, 2)), currency: data.currency }
}
