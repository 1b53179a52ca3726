/**
 * The code lists of record/reference/data/: each file a well-formed list,
 * named in Russian, Kazakh and English throughout, codes unique and sorted,
 * parents in the list; and the Harmonized System extract complete.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { codeListProblems, formatCodeList, LANGUAGES, type CodeList } from '../../../record/reference/shipped-list.js'
import { repoFile } from '../../support/repo.js'

const DATA = repoFile('record/reference/data/')
const files = readdirSync(fileURLToPath(DATA)).filter(name => name.endsWith('.json')).sort()
const texts = new Map(files.map(name => [name, readFileSync(new URL(name, DATA), 'utf8')]))
const lists = new Map(files.map(name => [name.slice(0, -'.json'.length), JSON.parse(texts.get(name) as string) as CodeList]))

const EXPECTED = [
  'customs-offices', 'eaeu-customs-procedures', 'edifact-1001', 'hs-2022', 'iso-3166-1', 'iso-4217',
  'un-locode', 'unece-rec19', 'unece-rec20', 'unece-rec21'
]

function list (id: string): CodeList {
  const found = lists.get(id)
  assert.ok(found, `record/reference/data/${id}.json`)
  return found
}

const codesOf = (id: string): Set<string> => new Set(list(id).entries.map(entry => entry.code))

describe('reference data', () => {
  it('has every list, one file each, named by its id', () => {
    for (const id of EXPECTED) assert.ok(lists.has(id), `${id}.json missing`)
    for (const [id, value] of lists) assert.equal(value.id, id)
  })

  for (const name of files) {
    const id = name.slice(0, -'.json'.length)
    describe(name, () => {
      const value = lists.get(id) as CodeList

      it('has the list fields and a title in three languages', () => {
        assert.deepEqual(Object.keys(value), ['id', 'version', 'validFrom', 'title', 'source', 'entries'])
        assert.equal(typeof value.version, 'string')
        assert.match(value.validFrom, /^\d{4}-\d{2}-\d{2}$/)
        assert.ok(!Number.isNaN(Date.parse(value.validFrom)))
        for (const language of LANGUAGES) assert.ok(value.title[language]?.trim(), `title.${language}`)
        assert.ok(value.source.trim().length > 0)
        assert.ok(Array.isArray(value.entries) && value.entries.length > 0)
      })

      it('names every entry in Russian, Kazakh and English, with string attributes only', () => {
        for (const entry of value.entries) {
          assert.deepEqual(Object.keys(entry.names).sort(), ['en', 'kk', 'ru'], entry.code)
          for (const language of LANGUAGES) {
            const text = entry.names[language]
            assert.ok(typeof text === 'string' && text.trim() !== '' && text === text.trim(), `${entry.code} ${language}`)
          }
          for (const key of Object.keys(entry)) assert.ok(['code', 'names', 'parent', 'attributes'].includes(key), `${entry.code}: ${key}`)
          for (const [key, attribute] of Object.entries(entry.attributes ?? {})) {
            assert.equal(typeof attribute, 'string', `${entry.code} ${key}`)
          }
        }
      })

      it('has unique codes in sorted order', () => {
        const codes = value.entries.map(entry => entry.code)
        assert.equal(new Set(codes).size, codes.length, 'codes repeated')
        assert.deepEqual(codes, [...codes].sort())
        for (const code of codes) assert.match(code, /^\S+$/)
      })

      it('has parents that are codes of the list', () => {
        const codes = new Set(value.entries.map(entry => entry.code))
        for (const entry of value.entries) {
          if (entry.parent !== undefined) assert.ok(codes.has(entry.parent), `${entry.code}: parent ${entry.parent}`)
        }
      })

      it('passes the list check and is laid out one entry a line', () => {
        assert.deepEqual(codeListProblems(value), [])
        assert.equal(texts.get(name), formatCodeList(value))
      })
    })
  }

  describe('hs-2022', () => {
    const entries = (): CodeList['entries'] => list('hs-2022').entries

    it('has the 96 chapters of HS 2022 (77 reserved, left out) and no other two-digit code', () => {
      const chapters = entries().filter(entry => entry.code.length === 2).map(entry => entry.code)
      const expected = Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')).filter(code => code !== '77')
      assert.deepEqual(chapters, expected)
      for (const entry of entries()) assert.match(entry.code, /^(\d{2}|\d{4}|\d{6})$/)
    })

    it('has at least 1 200 headings, each under its chapter', () => {
      const headings = entries().filter(entry => entry.code.length === 4)
      assert.ok(headings.length >= 1200, `${headings.length} headings`)
      for (const heading of headings) assert.equal(heading.parent, heading.code.slice(0, 2), heading.code)
    })

    it('has the headings new in HS 2022', () => {
      const codes = codesOf('hs-2022')
      for (const code of ['8524', '8549', '8806', '8807', '3827', '8485']) assert.ok(codes.has(code), code)
    })

    it('has the subheadings of chapters 08, 10, 12, 44, 84 and 87, each under its heading', () => {
      const codes = codesOf('hs-2022')
      // HS 2022 split coniferous sawn wood 4407.10 by species (4407.11-4407.19).
      assert.ok(!codes.has('440710'))
      for (const code of ['081310', '100199', '120190', '440711', '847130', '870421', '100630', '120510', '847330', '870380']) {
        assert.ok(codes.has(code), code)
      }
      const subheadings = entries().filter(entry => entry.code.length === 6)
      for (const entry of subheadings) {
        assert.ok(['08', '10', '12', '44', '84', '87'].includes(entry.code.slice(0, 2)), entry.code)
        assert.equal(entry.parent, entry.code.slice(0, 4), entry.code)
      }
      for (const chapter of ['08', '10', '12', '44', '84', '87']) {
        const headings = entries().filter(entry => entry.code.length === 4 && entry.code.startsWith(chapter))
        for (const heading of headings) {
          assert.ok(subheadings.some(entry => entry.parent === heading.code), `${heading.code} has no subheading`)
        }
      }
    })

    it('names Kazakhstan\'s main exports in Russian as the EAEU nomenclature does', () => {
      const names = new Map(entries().map(entry => [entry.code, entry.names]))
      assert.match(names.get('1001')?.ru ?? '', /^Пшеница и меслин/)
      assert.match(names.get('2709')?.ru ?? '', /^Нефть сырая/)
      assert.match(names.get('1001')?.en ?? '', /wheat/i)
    })
  })

  describe('the other lists', () => {
    it('iso-3166-1 has Kazakhstan and its neighbours with alpha-3 and numeric codes', () => {
      const kz = list('iso-3166-1').entries.find(entry => entry.code === 'KZ')
      assert.deepEqual(kz?.names, { ru: 'Казахстан', kk: 'Қазақстан', en: 'Kazakhstan' })
      assert.deepEqual(kz?.attributes, { alpha3: 'KAZ', numeric: '398' })
      for (const code of ['RU', 'CN', 'KG', 'UZ', 'TM', 'BY', 'AM']) assert.ok(codesOf('iso-3166-1').has(code), code)
      assert.ok(list('iso-3166-1').entries.length >= 249)
    })

    it('iso-4217 has minor units and the currencies of the region', () => {
      const kzt = list('iso-4217').entries.find(entry => entry.code === 'KZT')
      assert.deepEqual(kzt?.names, { ru: 'Тенге', kk: 'Теңге', en: 'Tenge' })
      assert.equal(kzt?.attributes?.digits, '2')
      for (const code of ['RUB', 'BYN', 'AMD', 'KGS', 'UZS', 'TJS', 'TMT', 'CNY', 'USD', 'EUR']) assert.ok(codesOf('iso-4217').has(code), code)
    })

    it('unece-rec19 has the ten modes of transport', () => {
      assert.deepEqual([...codesOf('unece-rec19')], ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    })

    it('unece-rec20 and unece-rec21 have the units and packages most used in trade', () => {
      for (const code of ['KGM', 'TNE', 'GRM', 'LTR', 'MTQ', 'MTR', 'MTK', 'H87', 'C62', 'NAR', 'PR', 'SET', 'KWH']) assert.ok(codesOf('unece-rec20').has(code), code)
      for (const code of ['BG', 'BX', 'CT', 'CR', 'DR', 'PX', 'BE', 'SA', 'BA', 'CN', 'NE', 'VL', 'VR']) assert.ok(codesOf('unece-rec21').has(code), code)
    })

    it('edifact-1001 has the documents of a consignment', () => {
      for (const code of ['380', '271', '705', '730', '720', '740', '861', '851', '852', '853', '830', '929', '911', '811', '315']) assert.ok(codesOf('edifact-1001').has(code), code)
    })

    it('eaeu-customs-procedures has the procedures of the EAEU Customs Code', () => {
      assert.deepEqual([...codesOf('eaeu-customs-procedures')],
        ['00', '10', '21', '23', '31', '40', '51', '53', '60', '70', '77', '78', '80', '90', '91', '93', '94', '96'])
    })

    it('customs offices and UN/LOCODEs name countries and places that are in the other lists', () => {
      const countries = codesOf('iso-3166-1')
      const places = codesOf('un-locode')
      for (const entry of list('un-locode').entries) {
        assert.match(entry.code, /^[A-Z]{2}[A-Z2-9]{3}$/)
        assert.equal(entry.attributes?.country, entry.code.slice(0, 2))
        assert.ok(countries.has(entry.code.slice(0, 2)), entry.code)
      }
      for (const entry of list('customs-offices').entries) {
        assert.ok(countries.has(entry.attributes?.country ?? ''), entry.code)
        const place = entry.attributes?.unLocode
        if (place !== undefined) assert.ok(places.has(place), `${entry.code}: ${place}`)
      }
    })
  })
})
