/**
 * npm run demo — one export consignment through a local single window.
 *
 * Starts an authority, a trader, a carrier, customs, an SPS agency and the
 * trader's bank on 127.0.0.1 and plays the story over their HTTP APIs: the
 * agencies publish what they need, customs its rates and its risk rules; the
 * trader enters each document once and applies to both agencies; customs asks
 * for the one missing element; the SPS agency issues the phytosanitary
 * certificate, which customs reuses; the carrier reports the truck from
 * loading to the border; the trader orders its bank to pay what the
 * declaration owes, the bank confirms, and customs' node, on the
 * confirmation, releases the goods by its rules. Prints the timeline, the
 * payments, the reuse figures, the time to each decision and from the
 * application and the payment to the release, and exits 0 only if every step
 * verified.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordTypes } from '../record/types/names.js'
import { DEFAULT_MEMBERS, startDevnet, type Devnet, type DevnetNode } from './devnet.js'
import { repoFile } from '../test/support/repo.js'

const FIXTURES = repoFile('test/fixtures/consignment/')
const DOCUMENTS = [RecordTypes.tradeContract, RecordTypes.tradeInvoice, RecordTypes.tradePackingList, RecordTypes.certOrigin, RecordTypes.transportWaybill, RecordTypes.customsDeclaration]
const CUSTOMS = 'KZ.customs.export-declaration'
const SPS = 'KZ.sps.phytosanitary-certificate'
/** The goods of the story: milling wheat, wheat flour, wheat bran. */
const GRAIN = ['1001', '1101', '2302']
/** Customs' rule that releases the story's consignment, and one that stays out of it. */
const GREEN_RULE = 'grain-export'
const RED_RULE = 'grain-overvalued'
/** How soon after the bank's confirmation the release should be signed. */
const RELEASE_TARGET_MS = 1000

export interface DemoStep {
  readonly at: string
  readonly who: string
  readonly what: string
  readonly ok: boolean
}

export interface DemoResult {
  readonly ok: boolean
  readonly steps: DemoStep[]
  readonly consignment?: string
  readonly reuse?: { entered: number, usesByAuthorities: number, reuseRatio: number }
  readonly decisionTimes: Array<{ agency: string, procedure: string, ms: number }>
  /** What the export declaration owes, as the trader's node works it out. */
  readonly payments?: { currency: string, total: string, lines: Array<{ what: string, amount: string }> }
  /** The release customs' node signed on its own: the rules it names, and how long it took. */
  readonly automaticRelease?: {
    rules: string[]
    /** From the trader's first application for the export declaration to the release. */
    applicationToReleaseMs: number
    /** From the bank's signed confirmation to the release. */
    confirmationToReleaseMs: number
  }
}

class DemoFailure extends Error {}

async function fixture (name: string): Promise<any> {
  return JSON.parse(await readFile(new URL(`${name}.json`, FIXTURES), 'utf8'))
}

/** 2558290.00 → 2 558 290.00 */
const amount = (value: string): string => value.replace(/^(\d+)/, digits => digits.replace(/\B(?=(\d{3})+$)/g, ' '))
const elapsed = (from: string, to: string): number => Date.parse(to) - Date.parse(from)

/** A participant's API, with its token. */
function client (n: DevnetNode): { call: (method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>, id: string, name: string } {
  return {
    id: n.node.participant,
    name: n.name,
    async call (method, path, body) {
      const response = await fetch(`${n.api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${n.node.identity.apiToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) })
      })
      const text = await response.text()
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
    }
  }
}

async function eventually (condition: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > ms) throw new DemoFailure(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** Plays the story on a fresh network in `dir`; never throws for a failed step, reports it. */
export async function runDemo (dir: string, log: (line: string) => void = () => {}): Promise<DemoResult> {
  const steps: DemoStep[] = []
  const decisionTimes: DemoResult['decisionTimes'] = []
  let consignment: string | undefined
  let reuse: DemoResult['reuse']
  let payments: DemoResult['payments']
  let automaticRelease: DemoResult['automaticRelease']
  let net: Devnet | undefined
  const step = (who: string, what: string, ok = true): void => {
    const entry = { at: new Date().toISOString(), who, what, ok }
    steps.push(entry)
    log(`${entry.at.slice(11, 23)}  ${ok ? '✔' : '✘'} ${who.padEnd(11)} ${what}`)
    if (!ok) throw new DemoFailure(`${who}: ${what}`)
  }
  const expect = (who: string, what: string, response: { status: number, body: any }, status: number): any => {
    step(who, response.status === status ? what : `${what} — answered ${response.status}: ${JSON.stringify(response.body)}`, response.status === status)
    return response.body
  }
  try {
    net = await startDevnet(dir, DEFAULT_MEMBERS)
    const byName = (name: string): ReturnType<typeof client> => client(net?.nodes.find(n => n.name === name) as DevnetNode)
    const trader = byName('Trader')
    const carrier = byName('Carrier')
    const customs = byName('Customs')
    const sps = byName('SPS agency')
    const bank = byName('Bank')
    const parties = [trader, carrier, customs, sps, bank]
    await eventually(async () => {
      for (const p of parties) {
        const peers = (await p.call('GET', '/v1/peers')).body as Array<{ participant: string, admitted: boolean }>
        if (parties.filter(q => q !== p).some(q => !peers.some(peer => peer.participant === q.id && peer.admitted))) return false
      }
      return true
    }, 'every participant to admit every other')
    step('Network', 'authority, trader, carrier, customs, SPS agency and bank certified and connected over Noise-encrypted libp2p')

    expect('Customs', 'publishes its requirement profile for the export declaration', await customs.call('POST', '/v1/profiles', await fixture('profile.customs-export')), 201)
    expect('SPS agency', 'publishes its requirement profile for the phytosanitary certificate', await sps.call('POST', '/v1/profiles', await fixture('profile.phytosanitary')), 201)
    expect('SPS agency', 'lets customs reuse the phytosanitary certificates it issues', await sps.call('POST', '/v1/policies', {
      types: [RecordTypes.decisionCertificate], to: { competence: 'customs' }, fields: [''], purpose: CUSTOMS
    }), 201)
    await eventually(async () => (await trader.call('GET', `/v1/profiles/${CUSTOMS}`)).status === 200 && (await trader.call('GET', `/v1/profiles/${SPS}`)).status === 200, 'the profiles to reach the trader')

    const schedule = await fixture(RecordTypes.referenceDutyRates)
    const exchange = JSON.parse(await readFile(repoFile(`test/fixtures/records/${RecordTypes.referenceExchangeRates}.json`), 'utf8'))
    const exportFee = (schedule.data.fees as Array<{ direction: string, amount: string }>).find(f => f.direction === 'export')
    expect('Customs', `publishes its schedule of rates ${String(schedule.data.schedule)} ${String(schedule.data.version)} (export: no duty on grain, customs fee ${amount(exportFee?.amount ?? '?')} KZT per declaration)`,
      await customs.call('POST', '/v1/records', { type: RecordTypes.referenceDutyRates, data: schedule.data }), 201)
    expect('Customs', `publishes the exchange rates of ${String(exchange.date)} (${String(exchange.source)})`, await customs.call('POST', '/v1/records', { type: RecordTypes.referenceExchangeRates, data: exchange }), 201)
    const today = new Date().toISOString().slice(0, 10)
    expect('Customs', `keeps a green risk rule on its node: ${GREEN_RULE} — grain for export, SPS certificate held, paid, nothing asked → release automatically`, await customs.call('POST', '/v1/risk-rules', {
      rule: GREEN_RULE,
      title: 'Grain and milling products for export, certified and paid',
      priority: 100,
      when: { procedures: [CUSTOMS], goods: GRAIN, documentsPresent: [RecordTypes.decisionCertificate], paymentConfirmed: true, openMissingData: false },
      outcome: 'green',
      reason: 'Regular goods on a regular route: phytosanitary certificate held, payments confirmed by the bank',
      validFrom: today
    }), 201)
    expect('Customs', `keeps a red risk rule: ${RED_RULE} — grain invoiced above 1.00 USD/kg → inspection`, await customs.call('POST', '/v1/risk-rules', {
      rule: RED_RULE,
      title: 'Grain invoiced far above its market price',
      priority: 10,
      when: { procedures: [CUSTOMS], goods: GRAIN, valuePerKgAbove: '1.00', valueCurrency: 'USD' },
      outcome: 'red',
      reason: 'Possible overvaluation to claim a VAT refund: check the contract price and inspect the goods',
      validFrom: today
    }), 201)
    await eventually(async () => (await trader.call('GET', `/v1/records?type=${RecordTypes.referenceDutyRates}`)).body.records.length > 0 &&
      (await trader.call('GET', `/v1/records?type=${RecordTypes.referenceExchangeRates}`)).body.records.length > 0, 'the rates to reach the trader')

    const ids = new Map<string, string>()
    for (const type of DOCUMENTS) {
      const doc = await fixture(type)
      const created = expect('Trader', `enters the ${type} once (signed, stored, shared per its grants)`, await trader.call('POST', '/v1/records', {
        type, data: doc.data, ...(consignment !== undefined && { consignment }), ...(doc.validUntil !== undefined && { validUntil: doc.validUntil })
      }), 201)
      consignment ??= created.consignment
      ids.set(type, created.id)
    }
    const ref = consignment as string

    const toSps = expect('Trader', 'applies for a phytosanitary certificate — no data typed again', await trader.call('POST', `/v1/consignments/${ref}/applications`, { procedure: SPS, agency: sps.id }), 201)
    step('Trader', `… ${Math.round(toSps.resolution.summary.coverage * 100)} % of the SPS profile found in the documents already submitted`, toSps.resolution.summary.coverage >= 0.95)
    const toCustoms = expect('Trader', 'applies for the export declaration', await trader.call('POST', `/v1/consignments/${ref}/applications`, { procedure: CUSTOMS, agency: customs.id }), 201)
    const summary = toCustoms.resolution.summary
    step('Trader', `… ${Math.round(summary.coverage * 100)} % of the customs profile found; missing: ${toCustoms.resolution.elements.filter((e: any) => e.status === 'missing').map((e: any) => e.id).join(', ')}`, summary.coverage >= 0.95)

    await eventually(async () => (await customs.call('GET', `/v1/applications/${toCustoms.application.id as string}`)).status === 200, 'the application to reach customs')
    const request = expect('Customs', 'asks for the missing elements, and only those', await customs.call('POST', `/v1/applications/${toCustoms.application.id as string}/missing-data`, { message: 'Seal numbers are needed for the declaration.' }), 201)
    await eventually(async () => (await trader.call('GET', `/v1/records/${request.request.id as string}`)).status === 200, 'the request to reach the trader')
    const answer = await fixture('answer')
    expect('Trader', `answers with a new version of the ${answer.type} carrying ${request.elements.map((e: any) => e.id).join(', ')}`, await trader.call('POST', '/v1/records', {
      type: answer.type, consignment: ref, data: answer.data, supersedes: ids.get(answer.type)
    }), 201)
    const again = expect('Trader', 'completes the application', await trader.call('POST', `/v1/consignments/${ref}/applications`, { procedure: CUSTOMS, agency: customs.id }), 201)
    step('Trader', `… customs profile now ${Math.round(again.resolution.summary.coverage * 100)} % covered`, again.resolution.summary.coverage === 1)
    await eventually(async () => (await customs.call('GET', `/v1/applications/${again.application.id as string}`)).status === 200, 'the completed application to reach customs')

    await eventually(async () => (await sps.call('GET', `/v1/applications/${toSps.application.id as string}`)).status === 200, 'the application to reach the SPS agency')
    expect('SPS agency', 'takes the application under review', await sps.call('POST', `/v1/applications/${toSps.application.id as string}/status`, { status: 'under-review', note: 'Sampling at the elevator.' }), 200)
    const certificate = expect('SPS agency', 'issues the phytosanitary certificate (signed decision)', await sps.call('POST', `/v1/applications/${toSps.application.id as string}/decision`, {
      kind: 'certificate', number: 'KZ-PC-2026-004512', summary: 'Free from quarantine pests; meets the phytosanitary requirements of Uzbekistan.'
    }), 200)
    const certificateId = certificate.decision.id as string
    await eventually(async () => (await customs.call('GET', `/v1/records/${certificateId}`)).status === 200, 'the certificate to reach customs')
    const atCustoms = (await customs.call('GET', `/v1/records/${certificateId}`)).body
    step('Customs', 'holds the SPS agency\'s certificate, verified — the trader is not asked for it', atCustoms.verified === true && atCustoms.issuer === sps.id)

    const events = [
      ['loading', 'in_progress', 'Kostanay grain terminal, loading bay 3', 'KZKSN', '2026-11-24T08:30:00.000+06:00'],
      ['departing', 'in_transit', 'Kostanay grain terminal gate', 'KZKSN', '2026-11-24T10:05:00.000+06:00'],
      ['arriving', 'in_transit', 'Zhibek Zholy border crossing point', 'KZZHZ', '2026-11-26T07:40:00.000+05:00']
    ] as const
    const eventList = events.map(([bizStep, disposition, place, locode, eventTime]) => ({
      type: 'ObjectEvent',
      eventID: `urn:uuid:${crypto.randomUUID()}`,
      eventTime,
      eventTimeZoneOffset: eventTime.slice(-6),
      epcList: ['urn:epc:id:giai:4870204.TRUCK123ABC10'],
      action: 'OBSERVE',
      bizStep,
      disposition,
      readPoint: { id: `urn:epc:id:sgln:4870204.${locode}.0`, 'example:name': place },
      bizTransactionList: [
        { type: 'bol', bizTransaction: `urn:epcglobal:cbv:bt:4870204000007:${(answer.data as { number: string }).number}` },
        { bizTransaction: `urn:keruen:consignment:${ref}` }
      ],
      sensorElementList: [{ sensorReport: [{ type: 'gs1:Temperature', value: 4.5, uom: 'CEL' }] }]
    }))
    const captured = expect('Carrier', `captures ${events.map(e => e[0]).join(', ')} as EPCIS 2.0 events (signed, shared with trader and customs)`, await carrier.call('POST', `/v1/epcis/capture?share=${trader.id},${customs.id}`, {
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { example: 'https://ns.example.com/epcis/' }],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList }
    }), 201)
    step('Carrier', `… ${String(captured.captured.length)} events linked to consignment ${ref}`, captured.captured.every((c: any) => c.consignment === ref))
    await eventually(async () => {
      const held = (await customs.call('GET', `/v1/epcis/events?consignment=${ref}`)).body
      return held.epcisBody.queryResults.resultsBody.eventList.length === events.length
    }, 'the carrier\'s events to reach customs')
    step('Customs', `queries the truck's ${events.length} movement events at the border (EPCIS query), signed by the carrier`)

    const current = (await customs.call('GET', '/v1/applications')).body.applications.find((a: any) => a.procedure === CUSTOMS && a.consignment === ref)
    step('Customs', 'holds the completed export declaration', current?.id === again.application.id)
    const evaluations = async (): Promise<any[]> => (await customs.call('GET', `/v1/applications/${current.id as string}/evaluations`)).body?.evaluations ?? []
    await eventually(async () => (await evaluations()).some(e => e.facts.documents.includes(RecordTypes.decisionCertificate)), 'customs\' node to evaluate the declaration with the certificate')
    const unpaid = await evaluations()
    step('Customs', `… its node evaluated the declaration by its rules: ${unpaid.map(e => `${String(e.outcome)} (${String(e.trigger)})`).join(', ')} — unpaid, no rule releases it`,
      unpaid.every(e => e.release === undefined && e.facts.paymentConfirmed === false))

    const owed = expect('Trader', 'works out what the export declaration owes from customs\' published rates', await trader.call('GET', `/v1/consignments/${ref}/payments`), 200)
    const lines: Array<{ what: string, amount: string }> = []
    for (const item of owed.items) {
      const value = `${amount(item.customsValue.declared)} ${String(item.customsValue.currency)} = ${amount(item.customsValue.national)} ${String(owed.currency)}`
      for (const p of item.payments) lines.push({ what: `item ${String(item.lineNumber)} ${String(item.hsCode)}, ${value}: export ${String(p.tax)} ${String(p.rate)}`, amount: p.amount })
      if (item.payments.length === 0) lines.push({ what: `item ${String(item.lineNumber)} ${String(item.hsCode)}: customs value ${value}, nothing owed`, amount: '0.00' })
    }
    for (const fee of owed.fees) lines.push({ what: `${String(fee.title.en)} (${String(fee.legalBasis.act)}${fee.legalBasis.article !== undefined ? `, art. ${String(fee.legalBasis.article)}` : ''})`, amount: fee.amount })
    for (const line of lines) step('Trader', `… ${line.what} → ${amount(line.amount)} ${String(owed.currency)}`)
    payments = { currency: owed.currency, total: owed.totals.total, lines }
    const rate = owed.exchangeRate === undefined ? '' : `, ${String(owed.exchangeRate.currency)} at ${String(owed.exchangeRate.rate)} of ${String(owed.exchangeRate.date)}`
    step('Trader', `… total due ${amount(owed.totals.total)} ${String(owed.currency)} (schedule ${String(owed.schedule.schedule)} ${String(owed.schedule.version)}${rate})`, Number(owed.totals.total) > 0 && owed.schedule.issuer === customs.id)
    await eventually(async () => (await customs.call('GET', `/v1/records/${ids.get(RecordTypes.customsDeclaration) as string}`)).status === 200, 'the declaration to reach customs')
    const owedAtCustoms = (await customs.call('GET', `/v1/consignments/${ref}/payments`)).body
    step('Customs', `works out the same ${amount(owed.totals.total)} ${String(owed.currency)} from the declaration it holds`, owedAtCustoms?.totals?.total === owed.totals.total)

    const ordered = expect('Trader', `orders the Bank to pay ${amount(owed.totals.total)} ${String(owed.currency)} to customs (signed payment order)`, await trader.call('POST', `/v1/consignments/${ref}/payment-orders`, {
      bank: bank.id,
      payer: { name: 'Kostanay Grain Export LLP', account: 'KZ86125KZT5004100100', bic: 'HSBKKZKX', legalId: '180940012345' },
      payee: { name: 'State Revenue Department for Kostanay Region', account: 'KZ24070105KSN0000000', bic: 'KKMFKZ2A', participant: customs.id },
      reference: 'Customs fee, export declaration KGE-EXP-2026-0417'
    }), 201)
    const pending = async (): Promise<any> => ((await bank.call('GET', '/v1/payment-orders?status=pending')).body.orders as any[]).find(o => o.id === ordered.id)
    await eventually(async () => (await pending()) !== undefined, 'the payment order to reach the bank')
    const listed = await pending()
    step('Bank', `core system lists the pending order: ${amount(listed.order.total)} ${String(listed.order.currency)} from ${String(listed.order.payer.name)} (${String(listed.order.payer.account)}), signed by the trader`,
      listed.order.total === owed.totals.total && listed.issuer === trader.id)
    const confirmation = expect('Bank', 'confirms the payment: a signed confirmation to the trader and to customs', await bank.call('POST', `/v1/payment-orders/${String(listed.id)}/confirm`, { bankReference: 'HSBK-2026-1124-000317' }), 201)
    const confirmationId = confirmation.id as string
    await eventually(async () => (await customs.call('GET', `/v1/records/${confirmationId}`)).status === 200, 'the bank\'s confirmation to reach customs')
    const confirmedAtCustoms = (await customs.call('GET', `/v1/records/${confirmationId}`)).body
    const settled = (await customs.call('GET', `/v1/consignments/${ref}/settlement`)).body
    step('Customs', `receives the bank's confirmation, verified: ${amount(settled.paid)} ${String(settled.currency)} paid, balance ${amount(settled.balance ?? '?')}`,
      confirmedAtCustoms.verified === true && confirmedAtCustoms.issuer === bank.id && settled.status === 'paid')

    await eventually(async () => (await trader.call('GET', `/v1/applications/${current.id as string}`)).body.status === 'decided', 'the automatic release to reach the trader')
    const released = (await trader.call('GET', `/v1/applications/${current.id as string}`)).body
    // The node signs the release, then the evaluation that issued it.
    await eventually(async () => (await evaluations()).some(e => e.release !== undefined), 'customs\' node to record the evaluation that released the goods')
    const releasing = (await evaluations()).find(e => e.release !== undefined)
    const rules = (releasing?.rules ?? []).map((r: any) => r.rule as string)
    step('Customs', `… its node releases the goods on its own: green by rule ${rules.join(', ')}, on the bank's confirmation`,
      releasing?.outcome === 'green' && releasing.trigger === 'payment confirmed' && releasing.release === released.decision.id && rules.includes(GREEN_RULE) && !rules.includes(RED_RULE))
    step('Trader', `receives the release, signed by customs' node: "${String(released.decision.data.summary)}"`,
      released.decision.type === RecordTypes.decisionRelease && released.decision.verified === true && released.decision.issuer === customs.id &&
      released.decision.data.actor?.user === 'automatic' && String(released.decision.data.summary).includes(GREEN_RULE))
    automaticRelease = {
      rules,
      applicationToReleaseMs: elapsed(toCustoms.application.issuedAt, released.decision.issuedAt),
      confirmationToReleaseMs: elapsed(confirmation.issuedAt, released.decision.issuedAt)
    }
    step('Customs', `… released ${(automaticRelease.applicationToReleaseMs / 1000).toFixed(2)} s after the first application, ${String(automaticRelease.confirmationToReleaseMs)} ms after the bank's confirmation (target ${RELEASE_TARGET_MS / 1000} s${automaticRelease.confirmationToReleaseMs <= RELEASE_TARGET_MS ? '' : ' — missed'})`,
      automaticRelease.confirmationToReleaseMs >= 0)

    for (const [agency, id] of [[sps, toSps.application.id], [customs, current.id]] as const) {
      await eventually(async () => (await trader.call('GET', `/v1/applications/${id as string}`)).body.status === 'decided', `the decision of ${agency.name} to reach the trader`)
      const view = (await trader.call('GET', `/v1/applications/${id as string}`)).body
      step('Trader', `sees ${view.procedure}: ${view.history.map((h: any) => h.status).join(' → ')} (${view.decision.type}, verified ${String(view.decision.verified)})`, view.decision.verified === true)
      decisionTimes.push({ agency: agency.name, procedure: view.procedure, ms: view.timeToDecisionMs })
    }

    await eventually(async () => (await trader.call('GET', '/v1/outbox')).body.count === 0, 'every delivery to be receipted')
    const ledger = (await trader.call('GET', `/v1/consignments/${ref}/reuse`)).body
    reuse = { entered: ledger.entered, usesByAuthorities: ledger.usesByAuthorities, reuseRatio: ledger.reuseRatio }
    step('Trader', `reuse ledger: ${ledger.entered} data elements entered once, used ${ledger.usesByAuthorities} times by state bodies (ratio ${ledger.reuseRatio}), ${ledger.entries.length} signed receipts`, ledger.usesByAuthorities > 0)
    return { ok: true, steps, consignment: ref, ...(reuse !== undefined && { reuse }), decisionTimes, ...(payments !== undefined && { payments }), ...(automaticRelease !== undefined && { automaticRelease }) }
  } catch (err) {
    if (!(err instanceof DemoFailure)) steps.push({ at: new Date().toISOString(), who: 'Demo', what: (err as Error).message, ok: false })
    log(`✘ ${(err as Error).message}`)
    return {
      ok: false,
      steps,
      ...(consignment !== undefined && { consignment }),
      ...(reuse !== undefined && { reuse }),
      decisionTimes,
      ...(payments !== undefined && { payments }),
      ...(automaticRelease !== undefined && { automaticRelease })
    }
  } finally {
    await net?.stop()
  }
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-demo-'))
  process.stdout.write('keruen demo — one export consignment, Kostanay → Tashkent, through a local single window\n\n')
  try {
    const result = await runDemo(dir, line => process.stdout.write(`${line}\n`))
    process.stdout.write('\n')
    if (result.reuse !== undefined) {
      process.stdout.write(`reuse: ${result.reuse.entered} elements entered once, ${result.reuse.usesByAuthorities} uses by state bodies (×${result.reuse.reuseRatio})\n`)
    }
    if (result.payments !== undefined) process.stdout.write(`payments due: ${amount(result.payments.total)} ${result.payments.currency} (${result.payments.lines.length} lines)\n`)
    for (const t of result.decisionTimes) process.stdout.write(`time to decision: ${t.agency.padEnd(10)} ${t.procedure.padEnd(34)} ${(t.ms / 1000).toFixed(2)} s\n`)
    const r = result.automaticRelease
    if (r !== undefined) {
      process.stdout.write(`automatic release (rule ${r.rules.join(', ')}): ${(r.applicationToReleaseMs / 1000).toFixed(2)} s from the first application, ` +
        `${(r.confirmationToReleaseMs / 1000).toFixed(3)} s from the bank's confirmation (target ${RELEASE_TARGET_MS / 1000} s: ${r.confirmationToReleaseMs <= RELEASE_TARGET_MS ? 'met' : 'missed'})\n`)
    }
    process.stdout.write(result.ok ? `\nevery step verified (${result.steps.length} steps)\n` : '\nthe demo FAILED\n')
    process.exitCode = result.ok ? 0 : 1
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main()
