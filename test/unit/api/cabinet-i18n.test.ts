/** The cabinet's language: chosen, else the browser's first spoken here, else Russian. */
import assert from 'node:assert/strict'
import { pickLang, translator } from '../../../api/cabinet/i18n.js'

describe('cabinet languages', () => {
  it('takes the chosen language, then Accept-Language by weight, then Russian', () => {
    assert.equal(pickLang('kk', 'en'), 'kk')
    assert.equal(pickLang('de', 'en-GB,en;q=0.9'), 'en')
    assert.equal(pickLang(undefined, 'de-DE,de;q=0.9,kk;q=0.5,en;q=0.7'), 'en')
    assert.equal(pickLang(undefined, 'de, kk;q=0'), 'ru')
    assert.equal(pickLang(undefined, undefined), 'ru')
    assert.equal(pickLang(undefined, 'KK-kz'), 'kk')
  })

  it('fills placeholders, and leaves an unknown one visible', () => {
    assert.equal(translator('en')('partial', { disclosed: 3, total: 9 }), '3 of 9 fields disclosed')
    assert.equal(translator('ru')('locked', {}), 'Слишком много неудачных попыток. Повторите через {minutes} мин.')
  })
})
