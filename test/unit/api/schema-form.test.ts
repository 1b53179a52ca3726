/**
 * A document's form and page in the reader's language: the invoice's fields
 * labelled and explained in Russian, its lists offering named values, the
 * node's objections still shown beside their fields; the document page
 * labelling each field's path, with the data's own path kept beneath it.
 */
import assert from 'node:assert/strict'
import { tradeInvoice } from '../../../record/types/trade-invoice.js'
import { transportWaybill } from '../../../record/types/transport-waybill.js'
import { translator, type Lang } from '../../../api/cabinet/i18n.js'
import { errorsByField, SchemaFields, type FormState } from '../../../api/cabinet/schema-form.js'
import { DocumentPage } from '../../../api/cabinet/pages/document.js'
import type { JsonSchema } from '../../../record/types/definition.js'
import type { RecordView } from '../../../node/records/record-view.js'

const empty: FormState = { values: new Map(), counts: new Map(), errors: new Map() }

const form = (schema: JsonSchema, lang: Lang, state: FormState = empty): string =>
  String(SchemaFields({ schema, state, t: translator(lang), lang }))

describe('document forms and pages in the reader\'s language', () => {
  it('labels the invoice\'s fields in Russian when the reader reads Russian', () => {
    const html = form(tradeInvoice.schema, 'ru')
    assert.match(html, /<legend>Продавец<span class="req" aria-hidden="true"> \*<\/span><\/legend>/)
    assert.match(html, /<label for="f-lines-0-hsCode">Код ТН ВЭД<\/label>/)
    assert.match(html, /<label for="f-lines-0-grossWeight">Вес брутто, кг<\/label>/)
    assert.match(html, /<label for="f-lines-0-originCountry">Страна происхождения<\/label>/)
    assert.match(html, /<label for="f-lines-0-unitPrice">Цена за единицу<span/)
    assert.match(html, /<p class="hint" id="f-lines-0-hsCode-hint">Код по Гармонизированной системе/)
    assert.match(html, /aria-label="Строки: Добавить строку"/)
    assert.match(html, /<summary>Грузополучатель<\/summary>/)
    assert.doesNotMatch(html, /Gross weight|Hs code|Harmonized System/)
  })

  it('keeps the English labels the cabinet had, and names listed values', () => {
    const html = form(tradeInvoice.schema, 'en')
    assert.match(html, /aria-label="Lines: Add a line"/)
    assert.match(html, /<label for="f-currency">Currency<span/)
    assert.match(html, /<p class="hint" id="f-lines-0-hsCode-hint">Harmonized System code/)
    assert.match(html, /<option value="FOB">FOB<\/option>/)
    const waybill = form(transportWaybill.schema, 'kk')
    assert.match(waybill, /<option value="road">Автомобиль көлігі<\/option>/)
    assert.match(waybill, /<label for="f-goods-0-grossWeight">Брутто салмағы, кг<span/)
  })

  it('still shows the node\'s objections beside their fields, in the reader\'s language', () => {
    const t = translator('ru')
    const errors = errorsByField(t, [
      { path: '/data/currency', message: 'must match pattern "^[A-Z]{3}$"' },
      { path: '/data/lines/0/quantity', message: 'is required' }
    ])
    const html = form(tradeInvoice.schema, 'ru', { values: new Map([['/currency', 'euro']]), counts: new Map(), errors })
    assert.match(html, /<p class="field-error" id="f-currency-error">Не в ожидаемом виде\.<\/p>/)
    assert.match(html, /<p class="field-error" id="f-lines-0-quantity-error">Заполните это поле\.<\/p>/)
    assert.match(html, /id="f-currency" name="d\/currency" aria-describedby="f-currency-hint f-currency-error" aria-invalid="true"/)
  })

  it('labels a document\'s fields by their path, keeping the data\'s own path', () => {
    const view = {
      id: 'bciqexample',
      type: 'trade.invoice',
      issuer: '12D3KooWexample',
      issuedAt: '2026-12-01T10:00:00Z',
      data: { number: 'INV-1', lines: [{ description: 'Apricots, dried', quantity: '100' }] },
      complete: true,
      fields: { disclosed: 3, total: 3 },
      verified: true,
      expired: false
    } as unknown as RecordView
    const account = { id: 'aigerim', name: 'Aigerim', role: 'declarant' as const, disabled: false, createdAt: '2026-01-01T00:00:00Z' }
    const html = String(DocumentPage({ lang: 'ru', account, csrf: 'x', view, title: 'Счёт-фактура (инвойс)', correctable: false }))
    assert.match(html, /<th scope="row" title="\/lines\/0\/quantity">Строки › 1 › Количество<small class="muted mono path">lines › 1 › quantity<\/small><\/th><td>100<\/td>/)
    assert.match(html, /<th scope="row" title="\/number">Номер<small class="muted mono path">number<\/small><\/th>/)
  })
})
