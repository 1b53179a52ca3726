/**
 * The integrated tariff's costs with the full HS nomenclature loaded: tariff
 * lookups per second, the check of a document's coded fields against the
 * lists in force (per coded field), and the memory the loaded lists hold.
 * The nomenclature is the one keruen ships (record/reference/data/hs-2022.json)
 * when it is there, else one of the same shape made up for the run.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KeruenNode } from '../node/node.js'
import type { CodeListEntry } from '../record/reference/codelist.js'
import { codedFields, codedValues } from '../record/reference/coded-fields.js'
import type { DataObject } from '../record/index.js'
import type { RegulationMeasureData } from '../record/types/index.js'
import { RecordTypes } from '../record/types/names.js'
import { repoFile } from '../test/support/repo.js'
import { calculatePayments } from '../node/payments/duty-calculation.js'
import { RiskService } from '../node/workflow/risk-service.js'
import type { ApplicationView } from '../node/workflow/application-service.js'
import type { CustomsDeclarationData, DutyRatesData, ExchangeRatesData, RiskRuleData } from '../record/types/index.js'

export interface TariffFigure {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly target?: { readonly value: number, readonly lowerIsBetter: boolean }
  readonly detail?: string
}

const names = (en: string): { ru: string, kk: string, en: string } => ({ ru: en, kk: en, en })

/** A nomenclature of the HS's shape: 97 chapters, their headings, six subheadings under each. */
function madeUpNomenclature (): CodeListEntry[] {
  const out: CodeListEntry[] = []
  for (let c = 1; c <= 97; c++) {
    const chapter = String(c).padStart(2, '0')
    out.push({ code: chapter, names: names(`Chapter ${chapter}`) })
    for (let h = 1; h <= 13; h++) {
      const heading = `${chapter}${String(h).padStart(2, '0')}`
      out.push({ code: heading, parent: chapter, names: names(`Heading ${heading}`) })
      for (let s = 1; s <= 6; s++) out.push({ code: `${heading}${s}0`, parent: heading, names: names(`Subheading ${heading}${s}0`) })
    }
  }
  return out
}

async function nomenclature (): Promise<{ entries: CodeListEntry[], source: string }> {
  const shipped = repoFile('record/reference/data/hs-2022.json')
  if (existsSync(shipped)) {
    const list = JSON.parse(await readFile(shipped, 'utf8')) as { entries: CodeListEntry[] }
    return { entries: list.entries, source: 'the shipped HS 2022 extract' }
  }
  return { entries: madeUpNomenclature(), source: 'a made-up nomenclature of the HS\'s shape' }
}

async function timedLoop (count: number, op: (i: number) => void): Promise<number> {
  for (let i = 0; i < Math.min(1000, count); i++) op(i)
  const started = performance.now()
  for (let i = 0; i < count; i++) op(i)
  return (performance.now() - started) / 1000
}

export async function tariffBench (invoice: DataObject, scale: number): Promise<TariffFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'keruen-bench-tariff-'))
  const node = await KeruenNode.open({ dataDir: dir, p2p: false, profile: { role: 'agency', country: 'KZ' }, config: { apiPort: 0, durable: false } })
  try {
    const { entries, source } = await nomenclature()
    const heap = (): number => { (globalThis as { gc?: () => void }).gc?.(); return process.memoryUsage().heapUsed }
    const before = heap()
    await node.codelists.publish({ list: 'hs-2022', version: '2022', validFrom: '2022-01-01', title: names('HS 2022'), entries })
    const units = ['KGM', 'TNE', 'GRM', 'LTR', 'MTQ', 'H87', 'C62', 'NAR', 'PR', 'SET'].map(code => ({ code, names: names(code) }))
    await node.codelists.publish({ list: 'unece-rec20', version: '2026', validFrom: '2026-01-01', title: names('Units'), entries: units })
    const countries = ['KZ', 'DE', 'UZ', 'RU', 'CN', 'KG', 'BY', 'AM', 'TR', 'US'].map(code => ({ code, names: names(code) }))
    await node.codelists.publish({ list: 'iso-3166-1', version: '2026', validFrom: '2026-01-01', title: names('Countries'), entries: countries })
    await node.codelists.publish({ list: 'iso-4217', version: '2026', validFrom: '2026-01-01', title: names('Currencies'), entries: ['EUR', 'KZT', 'USD', 'RUB', 'CNY'].map(code => ({ code, names: names(code) })) })
    const listsBytes = heap() - before

    // Measures as a country publishes them: some by chapter, most by heading or subheading, a few for all goods.
    const headings = entries.filter(e => e.code.length === 4).map(e => e.code)
    const subheadings = entries.filter(e => e.code.length === 6).map(e => e.code)
    const MEASURES = 300
    for (let i = 0; i < MEASURES; i++) {
      const goods = i % 50 === 0 ? undefined : i % 3 === 0 ? [headings[(i * 7) % headings.length] as string] : i % 3 === 1 ? [subheadings[(i * 11) % subheadings.length] as string] : [(headings[(i * 13) % headings.length] as string).slice(0, 2)]
      const data: RegulationMeasureData = {
        measure: `KZ.bench.m${i}`,
        kind: i % 10 === 0 ? 'licence' : 'certificate',
        title: names(`Measure ${i}`),
        ...(goods !== undefined && { goods }),
        directions: [i % 2 === 0 ? 'export' : 'import'],
        ...(i % 5 === 0 && { destinations: ['EU'] }),
        procedure: `KZ.bench.procedure-${i % 40}`,
        legalBasis: { act: `Order No. ${i}` },
        validFrom: '2026-01-01'
      }
      await node.measures.publish(data)
    }

    // Lookups of 10-digit codes under the listed subheadings and headings, the ways a broker asks.
    const codes = [...subheadings.map(s => `${s}0000`), ...headings.map(h => `${h}000000`)]
    const lookups = Math.max(20_000, Math.round(100_000 * scale))
    let found = 0
    const seconds = await timedLoop(lookups, i => {
      found += node.measures.lookup({ hsCode: codes[i % codes.length] as string, direction: i % 2 === 0 ? 'export' : 'import', origin: 'KZ', destination: i % 3 === 0 ? 'DE' : 'UZ' }).length
    })

    // The check of an invoice's coded fields, as the guard runs it before signing.
    const fields = codedFields(node.types.get(RecordTypes.tradeInvoice)?.schema as Record<string, unknown>)
    const coded = fields.reduce((n, f) => n + codedValues(invoice, f.steps).length, 0)
    const checks = Math.max(5_000, Math.round(20_000 * scale))
    let faults = 0
    const checkSeconds = await timedLoop(checks, () => { faults += node.codelists.violations(RecordTypes.tradeInvoice, invoice, '2026-11-02').length })
    if (faults !== 0) throw new Error(`the bench invoice does not pass its own code lists: ${faults} faults`)
    const perField = checkSeconds / checks / coded * 1e6

    // Payments of a declaration of ten items against the sample schedule, as GET …/payments works them out.
    const fixtureOf = async <T>(type: string): Promise<T> => JSON.parse(await readFile(repoFile(`test/fixtures/records/${type}.json`), 'utf8')) as T
    const schedule = await fixtureOf<DutyRatesData>('reference.duty-rates')
    const exchange = await fixtureOf<ExchangeRatesData>('reference.exchange-rates')
    const base = await fixtureOf<CustomsDeclarationData>('customs.declaration')
    const declaration: CustomsDeclarationData = {
      ...base,
      procedure: 'import',
      currency: 'EUR',
      freight: '1800.00',
      insurance: '200.00',
      items: Array.from({ length: 10 }, (_, i) => ({ lineNumber: i + 1, hsCode: i % 2 === 0 ? '0813100000' : '8704219000', description: `item ${i}`, originCountry: i % 3 === 0 ? 'UZ' : 'DE', netMass: `${1000 + i}.000`, itemAmount: `${9000 + i * 100}.00` }))
    }
    const calculations = Math.max(10_000, Math.round(50_000 * scale))
    const paySeconds = await timedLoop(calculations, () => { calculatePayments({ declaration, schedule, exchange, certifiedOrigins: new Set(['UZ']) }) })

    // 500 risk rules against one application's facts, as the agency's node evaluates them.
    const rules = Array.from({ length: 500 }, (_, i): RiskRuleData & { record: string } => ({
      rule: `r${i}`,
      title: `rule ${i}`,
      priority: i,
      when: {
        ...(i % 4 === 0 && { goods: [headings[(i * 7) % headings.length] as string] }),
        ...(i % 4 === 1 && { origins: ['EU', 'CN'] }),
        ...(i % 4 === 2 && { valuePerKgBelow: '1.50', valueCurrency: 'EUR' }),
        ...(i % 4 === 3 && { documentsPresent: ['decision.certificate'], paymentConfirmed: true })
      },
      outcome: i % 3 === 0 ? 'red' : i % 3 === 1 ? 'yellow' : 'green',
      validFrom: '2026-01-01',
      record: 'bench'
    }))
    const application = { procedure: 'KZ.customs.import-declaration', status: 'received' } as unknown as ApplicationView
    const facts = { hsCodes: ['0813100000', '8704219000', '1001990000'], origins: ['UZ', 'DE'], valuePerKg: '3.15', valueCurrency: 'EUR', documents: ['trade.invoice', 'decision.certificate'], paymentConfirmed: true, openMissingData: false }
    const evaluations = Math.max(2_000, Math.round(10_000 * scale))
    let matched = 0
    const ruleSeconds = await timedLoop(evaluations, () => { matched += rules.filter(r => RiskService.matches(r, application, facts)).length })

    return [
      { name: 'payments: calculation of a declaration', value: calculations / paySeconds, unit: 'decl/s', target: { value: 10_000, lowerIsBetter: false }, detail: '10 items, ad valorem, higher-of and preferential rates, VAT, a fee; exact decimals' },
      { name: 'risk: 500 rules against an application', value: ruleSeconds / evaluations * 1000, unit: 'ms', target: { value: 1, lowerIsBetter: true }, detail: `${(matched / evaluations).toFixed(0)} rules match; the matching alone (the evaluation record and the facts' reads come beside it)` },
      { name: 'tariff: lookups, 300 measures', value: lookups / seconds, unit: 'lookups/s', target: { value: 20_000, lowerIsBetter: false }, detail: `${entries.length} HS entries from ${source}; ${(found / lookups).toFixed(1)} measures per answer` },
      { name: 'tariff: coded-field check of an invoice', value: perField, unit: 'µs/field', target: { value: 20, lowerIsBetter: true }, detail: `${coded} coded fields per invoice, ${(checkSeconds / checks * 1e6).toFixed(1)} µs per invoice` },
      { name: 'tariff: memory of the loaded lists', value: listsBytes / 1024 / 1024, unit: 'MiB', detail: `heap grown by loading ${entries.length + 35} entries in 4 lists${(globalThis as { gc?: unknown }).gc === undefined ? ' (without --expose-gc: rough)' : ''}` }
    ]
  } finally {
    await node.close()
    await rm(dir, { recursive: true, force: true })
  }
}
