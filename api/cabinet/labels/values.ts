/**
 * Names of the coded values a form offers in a list, where the code has a
 * natural name (modes of transport, customs procedures, kinds of charge).
 * Codes that are themselves the names people use stay as they are
 * (KEPT_CODES: Incoterms rules, GS1 EPCIS event types and actions).
 */
import type { Words } from './words.js'

export const VALUE_NAMES: Readonly<Record<string, Words>> = {
  road: ['Автомобильный', 'Автомобиль көлігі', 'Road'],
  rail: ['Железнодорожный', 'Темір жол көлігі', 'Rail'],
  air: ['Воздушный', 'Әуе көлігі', 'Air'],
  sea: ['Морской', 'Теңіз көлігі', 'Sea'],
  inlandWaterway: ['Внутренний водный', 'Ішкі су көлігі', 'Inland waterway'],
  multimodal: ['Мультимодальный', 'Мультимодальды', 'Multimodal'],
  export: ['Экспорт', 'Экспорт', 'Export'],
  import: ['Импорт', 'Импорт', 'Import'],
  transit: ['Транзит', 'Транзит', 'Transit'],
  freight: ['Фрахт', 'Фрахт', 'Freight'],
  insurance: ['Страхование', 'Сақтандыру', 'Insurance'],
  packing: ['Упаковка', 'Қаптама', 'Packing'],
  handling: ['Погрузочно-разгрузочные работы', 'Тиеу-түсіру жұмыстары', 'Handling'],
  discount: ['Скидка', 'Жеңілдік', 'Discount'],
  other: ['Прочее', 'Басқа', 'Other'],
  duty: ['Таможенная пошлина', 'Кедендік баж', 'Customs duty'],
  excise: ['Акциз', 'Акциз', 'Excise'],
  vat: ['НДС', 'ҚҚС', 'VAT'],
  fee: ['Таможенный сбор', 'Кедендік алым', 'Customs fee'],
  certificateOfOrigin: ['Сертификат о происхождении', 'Шығарылған елі туралы сертификат', 'Certificate of origin'],
  phytosanitary: ['Фитосанитарный сертификат', 'Фитосанитариялық сертификат', 'Phytosanitary certificate'],
  veterinary: ['Ветеринарный сертификат', 'Ветеринариялық сертификат', 'Veterinary certificate'],
  conformity: ['Сертификат соответствия', 'Сәйкестік сертификаты', 'Certificate of conformity'],
  permit: ['Разрешение', 'Рұқсат', 'Permit'],
  licence: ['Лицензия', 'Лицензия', 'Licence'],
  issuingBody: ['Подтверждено органом, выдавшим документ', 'Құжатты берген органмен расталды', 'Checked with the issuing body'],
  originalSeen: ['Предъявлен оригинал', 'Түпнұсқа көрсетілді', 'Original seen'],
  electronic: ['Электронная проверка', 'Электрондық тексеру', 'Electronic verification'],
  verified: ['Подтверждён', 'Расталды', 'Verified'],
  notVerified: ['Не подтверждён', 'Расталмады', 'Not verified']
}

/** Properties whose values are shown as their codes. */
export const KEPT_CODES: ReadonlySet<string> = new Set(['code', 'eventType', 'action'])
