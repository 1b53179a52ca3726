/** The sharing page's words and form: grants told in the reader's language, the add-a-grant form read back, fields in the schema's order. */
import assert from 'node:assert/strict'
import { translator } from '../../../api/cabinet/i18n.js'
import { granteeText, inSchemaOrder, participantChoice, patternLabel, readGrantForm, recipientChoices, roleChoice } from '../../../api/cabinet/sharing.js'

const CUSTOMS = '12D3KooWRzSvKgDsdCL2XF3g5gATgcKQBDCot81xiVLTjjfFhzRV'
const SELF = '12D3KooWEk2eJM1TheTh9VxrHk541AiUrHF7trPKRdaLtLT8aMFh'

describe('the cabinet\'s sharing page', () => {
  const t = translator('en')
  const choices = [participantChoice(CUSTOMS), roleChoice('agency', 'phytosanitary')]
  const options = { t, choices, types: ['trade.invoice', 'trade.packing-list'], today: '2026-12-02' }

  it('offers each certified participant but this node, each role, and each role with a competence someone holds', () => {
    const { participants, roles } = recipientChoices([
      { participant: SELF, certificate: { role: 'trader' } },
      { participant: CUSTOMS, certificate: { role: 'agency', competence: 'customs' } }
    ], SELF)
    assert.deepEqual(participants.map(c => c.value), [`participant:${CUSTOMS}`])
    assert.deepEqual(roles.map(c => c.value), ['role:trader', 'role:carrier', 'role:agency', 'role:agency:customs', 'role:authority', 'role:broker', 'role:bank'])
    assert.deepEqual(roles[3]?.to, { role: 'agency', competence: 'customs' })
  })

  it('tells whom a grant is for in each language, a participant by its certified name', () => {
    const names = new Map([[CUSTOMS, 'State Revenue Committee']])
    assert.equal(granteeText(t, { participant: CUSTOMS }, names), 'State Revenue Committee')
    assert.equal(granteeText(t, { participant: SELF }, names), '12D3KooW…T8aMFh')
    assert.equal(granteeText(translator('ru'), { role: 'agency', competence: 'phytosanitary', country: 'KZ' }, names), 'всем участникам с ролью «государственный орган», компетенция: phytosanitary, страна: KZ')
    assert.equal(granteeText(translator('kk'), { country: 'KZ' }, names), 'барлық сертификатталған қатысушыларға, ел: KZ')
    assert.deepEqual(patternLabel('ru', '/lines/*/hsCode'), { label: 'Строки › Код ТН ВЭД', pattern: '/lines/*/hsCode' })
  })

  it('reads the form into a grant: fields one a line or between commas, a missing slash added, a day meaning through that day', () => {
    const { grant, errors } = readGrantForm({
      recipient: 'role:agency:phytosanitary',
      types: ['trade.invoice', 'trade.invoice', 'trade.packing-list'],
      fields: '/lines/*/hsCode\r\nseller/name, /lines/*/hsCode',
      purpose: 'KZ.sps.phytosanitary-certificate',
      consignment: '',
      until: '2026-12-02'
    }, options)
    assert.deepEqual([...errors], [])
    assert.deepEqual(grant, {
      types: ['trade.invoice', 'trade.packing-list'],
      to: { role: 'agency', competence: 'phytosanitary' },
      fields: ['/lines/*/hsCode', '/seller/name'],
      purpose: 'KZ.sps.phytosanitary-certificate',
      validUntil: '2026-12-02T23:59:59.999Z'
    })
    const whole = readGrantForm({ recipient: `participant:${CUSTOMS}`, types: 'trade.invoice', fields: ' ', purpose: 'KZ.customs.export-declaration', consignment: '6KZ123456789012-0001' }, options)
    assert.deepEqual(whole.grant?.fields, [''], 'no field named is the whole document')
    assert.equal(whole.grant?.consignment, '6KZ123456789012-0001')
    assert.equal(whole.grant?.validUntil, undefined)
  })

  it('marks what is wrong by field, in the person\'s language, and keeps what was sent', () => {
    const { input, grant, errors } = readGrantForm({
      recipient: 'participant:12D3KooWsomeoneunknown', types: ['trust.certificate'], fields: '/seller/~2', purpose: 'KZ', consignment: 'nope', until: '2026-12-01'
    }, { ...options, t: translator('ru') })
    assert.equal(grant, undefined)
    assert.deepEqual(Object.fromEntries(errors), {
      recipient: 'Выберите, кому.',
      types: 'Выберите одно из предложенных значений.',
      fields: 'Это не указатель поля: /seller/~2. Укажите путь от начала документа, например /seller/name.',
      purpose: 'Укажите цель как код страны и названия через точку, например KZ.customs.export-declaration.',
      consignment: 'Это не номер партии (UCR), например 6KZ123456789012-0001.',
      until: 'Этот день уже прошёл: выберите сегодняшний или более поздний.'
    })
    assert.equal(input.purpose, 'KZ')
    assert.deepEqual(Object.fromEntries(readGrantForm({}, options).errors), { recipient: 'Choose to whom.', types: 'Choose at least one document.', purpose: 'Fill this in.' })
    assert.equal(readGrantForm({ until: '2026-02-31' }, options).errors.get('until'), 'Not a date.')
  })

  it('puts a record\'s fields in the order of its schema, those it does not list after', () => {
    const schema = { properties: { number: {}, seller: { properties: { name: {}, country: {} } }, lines: { items: { properties: { hsCode: {}, amount: {} } } } } }
    const data = { extra: 1, lines: [{ amount: '1', hsCode: '0813' }], number: 'A', seller: { country: 'KZ', name: 'X' } }
    assert.deepEqual(JSON.stringify(inSchemaOrder(data, schema)), JSON.stringify({ number: 'A', seller: { name: 'X', country: 'KZ' }, lines: [{ hsCode: '0813', amount: '1' }], extra: 1 }))
  })
})
