/**
 * Writes the code lists of record/reference/data/ that are built rather than
 * kept by hand, then checks every list there.
 *
 *   node dist/scripts/reference-data.js [--deps DIR] [LIST ...]
 *
 * - iso-3166-1 from the npm package i18n-iso-countries (names in ru, kk, en,
 *   alpha-3 and numeric codes), with the corrections of
 *   record/reference/sources/iso-3166-1-names.tsv;
 * - iso-4217 from the npm package currency-codes (codes, numbers, English
 *   names, minor units), with the Russian and Kazakh names of
 *   record/reference/sources/iso-4217-names.tsv;
 * - hs-2022 from record/reference/sources/hs-2022/: en.tsv has the codes and
 *   English names, the other files the Russian and Kazakh names.
 *
 * The two npm packages are not dependencies of keruen: install them anywhere
 * (`npm install --prefix /tmp/refdata-deps i18n-iso-countries currency-codes`)
 * and give their node_modules folder with --deps or REFERENCE_DATA_DEPS. The
 * versions used are recorded in record/reference/data/SOURCES.md. Without
 * LIST, builds the lists whose inputs are there. A Kazakh name of "=" in a
 * source file stands for the Russian one.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { codeListProblems, formatCodeList, type CodeList, type CodeListEntry, type Names } from '../record/reference/shipped-list.js'
import { repoFile } from '../test/support/repo.js'

const DATA = fileURLToPath(repoFile('record/reference/data/'))
const SOURCES = fileURLToPath(repoFile('record/reference/sources/'))
const VERSION = '2026-1'
const VALID_FROM = '2026-01-01'
const SAME_AS_RUSSIAN = '='

/** Rows of a tab-separated source file; lines starting with # are comments. */
function readTsv (path: string, columns: number): string[][] {
  const rows: string[][] = []
  for (const [i, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue
    const cells = line.split('\t').map(cell => cell.trim())
    if (cells.length < columns || cells.slice(0, columns).some(cell => cell === '')) {
      throw new Error(`${path}:${i + 1}: ${columns} columns expected`)
    }
    rows.push(cells)
  }
  return rows
}

/** code → [ru, kk] from files of rows code, ru, kk. */
function readNames (paths: string[]): Map<string, [string, string]> {
  const names = new Map<string, [string, string]>()
  for (const path of paths) {
    for (const [code, ru, kk] of readTsv(path, 3) as Array<[string, string, string]>) {
      if (names.has(code)) throw new Error(`${path}: ${code} named twice`)
      names.set(code, [ru, kk === SAME_AS_RUSSIAN ? ru : kk])
    }
  }
  return names
}

interface Build {
  list: CodeList
  notes: string[]
}

function countries (deps: string): Build {
  const dir = join(deps, 'i18n-iso-countries')
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
  const codes = JSON.parse(readFileSync(join(dir, 'codes.json'), 'utf8')) as Array<[string, string, string]>
  const lang = (language: string): Record<string, string | string[]> =>
    (JSON.parse(readFileSync(join(dir, 'langs', `${language}.json`), 'utf8')) as { countries: Record<string, string | string[]> }).countries
  const names = { ru: lang('ru'), kk: lang('kk'), en: lang('en') }
  const corrections = new Map(readTsv(join(SOURCES, 'iso-3166-1-names.tsv'), 4).map(([code, ...rest]) => [code as string, rest]))
  const first = (value: string | string[] | undefined): string | undefined => Array.isArray(value) ? value[0] : value
  const entries: CodeListEntry[] = []
  // XK (Kosovo) is a user-assigned code, not one of ISO 3166-1.
  for (const [alpha2, alpha3, numeric] of codes.filter(([code]) => code !== 'XK')) {
    const fix = corrections.get(alpha2) ?? ['-', '-', '-']
    const pick = (i: number, value: string | undefined): string => {
      const corrected = fix[i]
      const name = corrected !== undefined && corrected !== '-' ? corrected : value
      if (name === undefined) throw new Error(`i18n-iso-countries: no name of ${alpha2}`)
      return name
    }
    entries.push({
      code: alpha2,
      names: { ru: pick(0, first(names.ru[alpha2])), kk: pick(1, first(names.kk[alpha2])), en: pick(2, first(names.en[alpha2])) },
      attributes: { alpha3, numeric }
    })
  }
  return {
    list: {
      id: 'iso-3166-1',
      version: VERSION,
      validFrom: VALID_FROM,
      title: { ru: 'Коды стран (ISO 3166-1 альфа-2)', kk: 'Елдер кодтары (ISO 3166-1 альфа-2)', en: 'Country codes (ISO 3166-1 alpha-2)' },
      source: `ISO 3166-1; names from i18n-iso-countries ${version} (MIT)`,
      entries
    },
    notes: [`i18n-iso-countries ${version}`, `${corrections.size} names corrected`]
  }
}

function currencies (deps: string): Build {
  const dir = join(deps, 'currency-codes')
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
  const data = createRequire(join(dir, 'package.json'))('./data.js') as Array<{ code: string, number?: string, digits: number, currency: string }>
  // The package gives 0 minor units where ISO 4217 has none ("N.A."); its copy of the ISO list says which.
  const listOne = readFileSync(join(dir, 'iso-4217-list-one.xml'), 'utf8')
  const noMinorUnit = new Set([...listOne.matchAll(/<Ccy>([A-Z]{3})<\/Ccy>\s*<CcyNbr>\d+<\/CcyNbr>\s*<CcyMnrUnts>N\.A\.<\/CcyMnrUnts>/g)].map(m => m[1] as string))
  const published = /Pblshd="([0-9-]+)"/.exec(listOne)?.[1] ?? 'unknown'
  const translated = readNames([join(SOURCES, 'iso-4217-names.tsv')])
  const untranslated: string[] = []
  const entries = data.map(c => {
    const en = c.currency.trim()
    const [ru, kk] = translated.get(c.code) ?? [en, en]
    if (!translated.has(c.code)) untranslated.push(c.code)
    const attributes: Record<string, string> = { digits: noMinorUnit.has(c.code) ? 'N.A.' : String(c.digits) }
    if (c.number !== undefined) attributes.numeric = c.number
    return { code: c.code, names: { ru, kk, en }, attributes }
  })
  for (const code of translated.keys()) if (!data.some(c => c.code === code)) throw new Error(`iso-4217-names.tsv: ${code} is not in currency-codes`)
  return {
    list: {
      id: 'iso-4217',
      version: VERSION,
      validFrom: VALID_FROM,
      title: { ru: 'Коды валют (ISO 4217)', kk: 'Валюталар кодтары (ISO 4217)', en: 'Currency codes (ISO 4217)' },
      source: `ISO 4217 list one of ${published}, from currency-codes ${version} (MIT); Russian and Kazakh names keruen's`,
      entries
    },
    notes: [`currency-codes ${version}, ISO list of ${published}`, `English name kept in ru and kk: ${untranslated.length === 0 ? 'none' : untranslated.join(' ')}`]
  }
}

function harmonizedSystem (): Build {
  const dir = join(SOURCES, 'hs-2022')
  const english = readTsv(join(dir, 'en.tsv'), 2)
  const files = readdirSync(dir).filter(name => name.startsWith('names-') && name.endsWith('.tsv')).sort()
  const names = readNames(files.map(name => join(dir, name)))
  const missing: string[] = []
  let kazakhAsRussian = 0
  const entries: CodeListEntry[] = []
  for (const [code, en, section] of english as Array<[string, string, string | undefined]>) {
    if (!/^(\d{2}|\d{4}|\d{6})$/.test(code)) throw new Error(`hs-2022/en.tsv: bad code ${code}`)
    const named = names.get(code)
    if (named === undefined) { missing.push(code); continue }
    const [ru, kk] = named
    if (kk === ru) kazakhAsRussian++
    entries.push(code.length === 2
      ? { code, names: { ru, kk, en }, attributes: { level: 'chapter', ...(section !== undefined ? { section } : {}) } }
      : { code, names: { ru, kk, en }, parent: code.slice(0, code.length - 2), attributes: { level: code.length === 4 ? 'heading' : 'subheading' } })
  }
  if (missing.length > 0) throw new Error(`hs-2022: no Russian or Kazakh name of ${missing.length} codes: ${missing.slice(0, 40).join(' ')}`)
  const extra = [...names.keys()].filter(code => !english.some(([c]) => c === code))
  if (extra.length > 0) throw new Error(`hs-2022: names of codes not in en.tsv: ${extra.join(' ')}`)
  const title: Names = {
    ru: 'Гармонизированная система 2022 / ТН ВЭД ЕАЭС: группы, товарные позиции, субпозиции групп 08, 10, 12, 44, 84, 87',
    kk: 'Үйлестірілген жүйе 2022 / ЕАЭО СЭҚ ТН: топтар, тауар позициялары, 08, 10, 12, 44, 84, 87 топтарының субпозициялары',
    en: 'Harmonized System 2022 / EAEU CN FEA: chapters, headings, subheadings of chapters 08, 10, 12, 44, 84, 87'
  }
  return {
    list: {
      id: 'hs-2022',
      version: VERSION,
      validFrom: VALID_FROM,
      title,
      source: 'WCO Harmonized System 2022 nomenclature; EAEU CN FEA, Decision of the EEC Council No. 80 of 14 September 2021',
      entries
    },
    notes: [`Kazakh name given as the Russian one: ${kazakhAsRussian} of ${entries.length}`]
  }
}

function main (): void {
  const args = process.argv.slice(2)
  let deps = process.env.REFERENCE_DATA_DEPS
  const wanted: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--deps') deps = args[++i]
    else wanted.push(args[i] as string)
  }
  const haveDeps = deps !== undefined && existsSync(join(deps, 'i18n-iso-countries')) && existsSync(join(deps, 'currency-codes'))
  const builders: Record<string, () => Build> = {
    'iso-3166-1': () => countries(deps as string),
    'iso-4217': () => currencies(deps as string),
    'hs-2022': harmonizedSystem
  }
  const npmLists = new Set(['iso-3166-1', 'iso-4217'])
  const ids = wanted.length > 0 ? wanted : Object.keys(builders).filter(id => haveDeps || !npmLists.has(id))
  for (const id of ids) {
    const build = builders[id]
    if (build === undefined) throw new Error(`no list ${id} is built; built are ${Object.keys(builders).join(', ')}`)
    if (npmLists.has(id) && !haveDeps) throw new Error(`${id} needs --deps DIR, a node_modules with i18n-iso-countries and currency-codes`)
    const { list, notes } = build()
    const problems = codeListProblems(JSON.parse(formatCodeList(list)))
    if (problems.length > 0) throw new Error(`${id}: ${problems.slice(0, 20).join('; ')}`)
    writeFileSync(join(DATA, `${id}.json`), formatCodeList(list))
    console.log(`${id}: ${list.entries.length} entries written; ${notes.join('; ')}`)
  }
  let failed = false
  for (const name of readdirSync(DATA).filter(name => name.endsWith('.json')).sort()) {
    const text = readFileSync(join(DATA, name), 'utf8')
    const list = JSON.parse(text) as CodeList
    const problems = codeListProblems(list)
    if (`${list.id}.json` !== name) problems.push(`id ${list.id} in ${name}`)
    if (problems.length === 0 && formatCodeList(list) !== text) problems.push('not in the canonical layout: one entry a line, sorted, keys in order')
    if (problems.length > 0) failed = true
    console.log(`${name}: ${list.entries?.length ?? 0} entries${problems.length > 0 ? `; ${problems.slice(0, 20).join('; ')}` : ''}`)
  }
  if (failed) process.exitCode = 1
}

main()
