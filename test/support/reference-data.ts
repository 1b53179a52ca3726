/**
 * Reference data the tests publish: a small extract of the HS nomenclature
 * (the goods of the fixtures, and enough around them to tell a heading with
 * subheadings from one without), names in the three languages, and customs'
 * sample schedule of rates with the exchange rates of its day.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { repoFile } from './repo.js'
import { json } from './network.js'
import type { TempNode } from './temp-node.js'
import { until } from './until.js'

export const names = (en: string, ru: string, kk: string): { en: string, ru: string, kk: string } => ({ en, ru, kk })

/** Chapters, headings and subheadings of the fixtures' goods; 0813 is subdivided, 0814 is not. */
export const HS_EXTRACT = {
  list: 'hs-2022',
  version: '2022',
  validFrom: '2022-01-01',
  title: names('Harmonized System 2022', 'Гармонизированная система 2022', 'Үйлестірілген жүйе 2022'),
  entries: [
    { code: '08', names: names('Edible fruit and nuts', 'Съедобные фрукты и орехи', 'Жеуге жарамды жемістер мен жаңғақтар') },
    { code: '0813', parent: '08', names: names('Fruit, dried', 'Фрукты сушеные', 'Кептірілген жемістер') },
    { code: '081310', parent: '0813', names: names('Apricots', 'Абрикосы', 'Өріктер') },
    { code: '081330', parent: '0813', names: names('Apples', 'Яблоки', 'Алмалар') },
    { code: '0814', parent: '08', names: names('Peel of citrus fruit or melons', 'Кожура цитрусовых плодов или дынь', 'Цитрус жемістерінің немесе қауынның қабығы') },
    { code: '10', names: names('Cereals', 'Злаки', 'Дәнді дақылдар') },
    { code: '1001', parent: '10', names: names('Wheat and meslin', 'Пшеница и меслин', 'Бидай және меслин') },
    { code: '11', names: names('Products of the milling industry', 'Продукция мукомольно-крупяной промышленности', 'Ұн тарту өнеркәсібінің өнімдері') },
    { code: '1101', parent: '11', names: names('Wheat or meslin flour', 'Мука пшеничная или пшенично-ржаная', 'Бидай немесе бидай-қара бидай ұны') },
    { code: '23', names: names('Residues from the food industries; animal fodder', 'Остатки и отходы пищевой промышленности; готовые корма', 'Тамақ өнеркәсібінің қалдықтары; дайын жемдер') },
    { code: '2302', parent: '23', names: names('Bran, sharps and other residues', 'Отруби, высевки и прочие остатки', 'Кебек, ұнтақ және басқа қалдықтар') },
    { code: '87', names: names('Vehicles other than railway or tramway rolling stock', 'Средства наземного транспорта, кроме железнодорожного', 'Теміржолдан басқа жердегі көлік құралдары') },
    { code: '8704', parent: '87', names: names('Motor vehicles for the transport of goods', 'Моторные транспортные средства для перевозки грузов', 'Жүк тасымалдауға арналған моторлы көлік құралдары') },
    { code: '870421', parent: '8704', names: names('Diesel lorries, g.v.w. not exceeding 5 t', 'Дизельные грузовики массой не более 5 т', 'Жалпы салмағы 5 т-дан аспайтын дизельді жүк көліктері') },
    { code: '93', names: names('Arms and ammunition', 'Оружие и боеприпасы', 'Қару және оқ-дәрілер') },
    { code: '9301', parent: '93', names: names('Military weapons', 'Оружие боевое', 'Әскери қару') }
  ]
}

/** Customs publishes its sample schedule and exchange rates; `holders` wait until they hold both. */
export async function publishRates (customs: TempNode, holders: readonly TempNode[]): Promise<void> {
  for (const type of ['reference.duty-rates', 'reference.exchange-rates']) {
    const data = JSON.parse(await readFile(repoFile(`test/fixtures/records/${type}.json`), 'utf8')) as unknown
    assert.equal((await customs.request('POST', '/v1/records', { body: { type, data } })).status, 201)
  }
  for (const holder of holders) {
    await until(async () => (await json(await holder.request('GET', '/v1/records?type=reference.duty-rates'))).records.length === 1 &&
      (await json(await holder.request('GET', '/v1/records?type=reference.exchange-rates'))).records.length === 1, 'the rates to arrive')
  }
}

/**
 * The import declaration the payment tests pay: a lorry from Germany and
 * dried apricots of Uzbek origin, in euros, with freight and insurance to the
 * border (its hand calculation is in test/unit/node/payments/duty-calculation.test.ts).
 */
export async function lorryAndApricots (): Promise<Record<string, unknown>> {
  return {
    ...JSON.parse(await readFile(repoFile('test/fixtures/records/customs.declaration.json'), 'utf8')) as Record<string, unknown>,
    procedure: 'import',
    date: '2026-11-03',
    currency: 'EUR',
    freight: '1800.00',
    insurance: '200.00',
    items: [
      { lineNumber: 1, hsCode: '8704219000', description: 'Refrigerated lorry', originCountry: 'DE', netMass: '3200.000', itemAmount: '42000.00' },
      { lineNumber: 2, hsCode: '0813100000', description: 'Apricots, dried', originCountry: 'UZ', netMass: '5000.000', itemAmount: '9000.00' }
    ]
  }
}
