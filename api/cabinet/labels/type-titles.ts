/**
 * The titles of the record types in Russian, Kazakh and English. Keyed by
 * every built-in type name, so a type added to record/types/names.ts does not
 * compile until it has a title here; the English titles are the schemas' own.
 */
import type { RecordTypeName } from '../../../record/types/names.js'
import type { Words } from './words.js'

export const TYPE_TITLES: Readonly<Record<RecordTypeName, Words>> = {
  'trade.contract': ['Внешнеторговый контракт', 'Сыртқы сауда келісімшарты', 'Sales contract'],
  'trade.invoice': ['Счёт-фактура (инвойс)', 'Инвойс', 'Commercial invoice'],
  'trade.packing-list': ['Упаковочный лист', 'Орау парағы', 'Packing list'],
  'customs.declaration': ['Декларация на товары', 'Тауарларға арналған декларация', 'Goods declaration'],
  'transport.waybill': ['Транспортная накладная', 'Көліктік жүкқұжат', 'Waybill'],
  'cert.origin': ['Сертификат о происхождении товара', 'Тауардың шығарылған елі туралы сертификат', 'Certificate of origin'],
  'cert.phytosanitary': ['Фитосанитарный сертификат', 'Фитосанитариялық сертификат', 'Phytosanitary certificate'],
  'event.shipment': ['Событие перевозки', 'Тасымалдау оқиғасы', 'Shipment event'],
  'trust.certificate': ['Сертификат участника', 'Қатысушы сертификаты', 'Participant certificate'],
  'trust.revocation': ['Отзыв сертификата', 'Сертификатты кері қайтарып алу', 'Certificate revocation'],
  'delivery.receipt': ['Подтверждение получения', 'Алу туралы түбіртек', 'Delivery receipt'],
  'policy.grant': ['Разрешение на доступ', 'Қолжетімділікке рұқсат', 'Access grant'],
  'policy.revoke': ['Отзыв разрешения на доступ', 'Қолжетімділікке рұқсатты кері қайтарып алу', 'Grant revocation'],
  'requirement.profile': ['Перечень требуемых сведений', 'Талап етілетін мәліметтер тізбесі', 'Requirement profile'],
  'application.submission': ['Заявление', 'Өтініш', 'Application'],
  'request.missing-data': ['Запрос недостающих сведений', 'Жетіспейтін мәліметтерді сұрау', 'Missing-data request'],
  'application.status': ['Статус заявления', 'Өтініш мәртебесі', 'Application status'],
  'decision.release': ['Решение о выпуске товаров', 'Тауарларды шығару туралы шешім', 'Release decision'],
  'decision.permit': ['Разрешение', 'Рұқсат', 'Permit'],
  'decision.certificate': ['Решение о выдаче сертификата', 'Сертификат беру туралы шешім', 'Certificate decision'],
  'decision.refusal': ['Отказ', 'Бас тарту', 'Refusal'],
  'decision.suspension': ['Приостановление действия решения', 'Шешімнің қолданылуын тоқтата тұру', 'Suspension of a decision'],
  'decision.reinstatement': ['Возобновление действия решения', 'Шешімнің қолданылуын қайта жаңарту', 'Reinstatement of a decision'],
  'decision.withdrawal': ['Отзыв решения', 'Шешімді кері қайтарып алу', 'Withdrawal of a decision'],
  'epcis.event': ['Событие EPCIS', 'EPCIS оқиғасы', 'EPCIS event'],
  'reference.codelist': ['Справочник (классификатор)', 'Анықтамалық (жіктеуіш)', 'Code list'],
  'regulation.measure': ['Мера регулирования', 'Реттеу шарасы', 'Regulatory measure'],
  'reference.duty-rates': ['Ставки пошлин и налогов', 'Баждар мен салықтардың мөлшерлемелері', 'Duty and tax rates'],
  'reference.exchange-rates': ['Курсы валют', 'Валюта бағамдары', 'Exchange rates'],
  'payment.order': ['Платёжное поручение', 'Төлем тапсырмасы', 'Payment order'],
  'payment.confirmation': ['Подтверждение оплаты', 'Төлемді растау', 'Payment confirmation'],
  'payment.refusal': ['Отказ в оплате', 'Төлемнен бас тарту', 'Payment refusal'],
  'payment.refund': ['Возврат платежей', 'Төлемдерді қайтару', 'Refund'],
  'query.request': ['Запрос сведений', 'Мәліметтер сұрауы', 'Query'],
  'query.answer': ['Ответ на запрос', 'Сұрауға жауап', 'Query answer'],
  'risk.rule': ['Правило управления рисками', 'Тәуекелдерді басқару ережесі', 'Risk rule'],
  'risk.evaluation': ['Оценка рисков', 'Тәуекелдерді бағалау', 'Risk evaluation'],
  'foreign.document': ['Иностранный документ', 'Шетелдік құжат', 'Foreign document'],
  'foreign.verification': ['Проверка иностранного документа', 'Шетелдік құжатты тексеру', 'Verification of a foreign document']
}
