/**
 * Documents in the cabinet's three languages: every record type has a title,
 * every property name of every schema a label, every description of a
 * document a person enters a hint, and every listed value a name or a reason
 * to stay a code, so a new field cannot reach the cabinet untranslated.
 */
import assert from 'node:assert/strict'
import { builtinTypes } from '../../../record/types/index.js'
import { ENTERED_TYPES } from '../../../api/cabinet/cabinet.js'
import { LANGS } from '../../../api/cabinet/i18n.js'
import { fieldHint, fieldLabel, humanise, labelAt, pathLabel, pointerSteps, typeTitle, valueName } from '../../../api/cabinet/document-labels.js'
import { FIELD_LABELS, FIELD_LABELS_IN } from '../../../api/cabinet/labels/field-labels.js'
import { HINTS } from '../../../api/cabinet/labels/hints.js'
import { KEPT_CODES, VALUE_NAMES } from '../../../api/cabinet/labels/values.js'
import { leaves } from '../../../api/cabinet/pages/format.js'

interface Node {
  readonly 'x-derived'?: boolean
  readonly description?: string
  readonly enum?: readonly string[]
  readonly properties?: Readonly<Record<string, Node>>
  readonly items?: Node
}

interface Property {
  readonly type: string
  readonly name: string
  /** The property (or list) that holds the object the property is in; undefined at the top. */
  readonly parent: string | undefined
  readonly schema: Node
}

/** Every property of a schema, however deep, inside objects and lists. */
function properties (type: string, schema: Node, parent?: string): Property[] {
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, child]) => [
    { type, name, parent, schema: child },
    ...properties(type, child, name)
  ])
  return schema.items !== undefined ? [...own, ...properties(type, schema.items, parent)] : own
}

/** Every description under a schema's top (the record's own description is not shown), but of what the node works out: no one types it. */
function descriptions (schema: Node): string[] {
  const inside = [...Object.values(schema.properties ?? {}), ...(schema.items !== undefined ? [schema.items] : [])].filter(child => child['x-derived'] !== true)
  return inside.flatMap(child => [...(child.description !== undefined ? [child.description] : []), ...descriptions(child)])
}

const all = builtinTypes.flatMap(d => properties(d.type, d.schema as Node))
const entered = builtinTypes.filter(d => ENTERED_TYPES.includes(d.type))

describe('document labels', () => {
  it('titles every record type in every language, the English title being the schema\'s', () => {
    for (const definition of builtinTypes) {
      for (const lang of LANGS) assert.notEqual(typeTitle(lang, definition.type, '\u0000'), '\u0000', `${definition.type} has no ${lang} title`)
      assert.equal(typeTitle('en', definition.type), definition.title)
    }
    assert.equal(entered.length, ENTERED_TYPES.length, 'every type the cabinet offers is built in')
  })

  it('labels every property name of every schema in Russian, Kazakh and English', () => {
    const missing = [...new Set(all.filter(p => !Object.hasOwn(FIELD_LABELS, p.name)).map(p => `${p.type}: ${p.name}`))]
    assert.deepEqual(missing, [], 'property names without a label')
    for (const [name, words] of [...Object.entries(FIELD_LABELS), ...Object.entries(FIELD_LABELS_IN)]) {
      assert.equal(words.length, 3, name)
      for (const w of words) assert.ok(w.trim() !== '', `${name} has an empty label`)
    }
  })

  it('labels a property in a particular object only where a schema has it there', () => {
    const places = new Set(all.map(p => `${p.parent ?? ''}/${p.name}`))
    assert.deepEqual(Object.keys(FIELD_LABELS_IN).filter(key => !places.has(key)), [])
  })

  it('translates every description of the documents a person enters, and only those of some schema', () => {
    const used = new Set(entered.flatMap(d => descriptions(d.schema as Node)))
    assert.deepEqual([...used].filter(d => !Object.hasOwn(HINTS, d)), [], 'descriptions without a hint')
    assert.deepEqual(Object.keys(HINTS).filter(d => !used.has(d)), [], 'hints no schema uses')
    for (const [d, words] of Object.entries(HINTS)) for (const w of words) assert.ok(w.trim() !== '', d)
  })

  it('names every value a document\'s form lists, unless its codes are the names people use', () => {
    const listed = entered.flatMap(d => properties(d.type, d.schema as Node)).filter(p => p.schema.enum !== undefined && !KEPT_CODES.has(p.name))
    assert.ok(listed.length > 0)
    const unnamed = listed.flatMap(p => (p.schema.enum ?? []).filter(v => !Object.hasOwn(VALUE_NAMES, v)).map(v => `${p.type}: ${p.name}=${v}`))
    assert.deepEqual(unnamed, [])
    assert.equal(valueName('ru', 'mode', 'rail'), 'Железнодорожный')
    assert.equal(valueName('kk', 'code', 'FOB'), 'FOB')
  })

  it('labels a path step by step, in the context of the property above', () => {
    assert.equal(pathLabel('ru', ['lines', 0, 'quantity']), 'Строки › 1 › Количество')
    assert.equal(pathLabel('kk', ['lines', 1, 'hsCode']), 'Жолдар › 2 › СЭҚ ТН коды')
    assert.equal(pathLabel('en', ['seller', 'address', 'country']), 'Seller › Address › Country')
    assert.equal(labelAt('ru', ['signatories', 0, 'name']), 'ФИО')
    assert.equal(labelAt('ru', ['seller', 'name']), 'Наименование')
    assert.equal(labelAt('ru', []), '')
    assert.deepEqual(pointerSteps('/lines/*/hsCode'), ['lines', 'hsCode'])
    assert.deepEqual(pointerSteps('/packages/12/lines/0/a~1b'), ['packages', 12, 'lines', 0, 'a/b'])
    assert.deepEqual(pointerSteps(''), [])
  })

  it('falls back to what the schema says when a catalogue lacks something', () => {
    assert.equal(typeTitle('ru', 'vendor.thing', 'Vendor thing'), 'Vendor thing')
    assert.equal(typeTitle('kk', 'vendor.thing'), 'vendor.thing')
    assert.equal(fieldLabel('ru', 'palletFootprint'), 'Pallet footprint')
    assert.equal(fieldLabel('kk', 'constructor'), 'Constructor')
    assert.equal(humanise('grossWeight'), 'Gross weight')
    assert.equal(fieldHint('ru', 'something new'), 'something new')
    assert.equal(fieldHint('en', 'invoice number'), 'invoice number')
    assert.equal(fieldHint('ru', 'invoice number'), 'Номер инвойса')
    assert.equal(valueName('ru', 'mode', 'hyperloop'), 'hyperloop')
  })

  it('gives each leaf of a document its steps, its path as read and its JSON Pointer', () => {
    assert.deepEqual(leaves({ lines: [{ quantity: '1' }, { 'a/b~': true }] }), [
      { steps: ['lines', 0, 'quantity'], path: 'lines › 1 › quantity', pointer: '/lines/0/quantity', value: '1' },
      { steps: ['lines', 1, 'a/b~'], path: 'lines › 2 › a/b~', pointer: '/lines/1/a~1b~0', value: 'true' }
    ])
  })
})
