/**
 * The cabinet's words in Russian, Kazakh and English. The language is the
 * one the person chose (a cookie), else the first of the browser's
 * Accept-Language that the cabinet speaks, else Russian.
 */
export const LANGS = ['ru', 'kk', 'en'] as const
export type Lang = typeof LANGS[number]

const en = {
  product: 'keruen — single window',
  langName: 'English',
  skip: 'Skip to content',
  login: 'Sign in',
  loginTitle: 'Sign in to the cabinet',
  loginName: 'Login',
  password: 'Password',
  wrongLogin: 'The login or password is wrong.',
  locked: 'Too many failed attempts. Try again in {minutes} min.',
  logout: 'Sign out',
  signedInAs: 'Signed in as {name} ({role})',
  home: 'Home',
  consignments: 'Consignments',
  noConsignments: 'No consignments yet: documents entered or received appear here.',
  applications: 'Applications',
  noApplications: 'No applications.',
  procedure: 'Procedure',
  status: 'Status',
  consignment: 'Consignment',
  documents: 'Documents',
  document: 'Document',
  type: 'Type',
  issuer: 'Issuer',
  issuedAt: 'Issued',
  verification: 'Verification',
  verified: 'Signature verified',
  notVerified: 'Signature does not verify',
  expired: 'Validity ended',
  versions: 'Earlier versions',
  field: 'Field',
  value: 'Value',
  partial: '{disclosed} of {total} fields disclosed',
  back: 'Back',
  print: 'Print',
  notFound: 'Not found',
  notFoundText: 'There is no such page or document here.',
  csrf: 'The form has expired. Reload the page and send it again.',
  language: 'Language',
  role_admin: 'administrator',
  role_declarant: 'declarant',
  role_officer: 'officer',
  role_viewer: 'viewer',
  state_submitted: 'submitted',
  state_received: 'received',
  'state_under-review': 'under review',
  'state_more-information-requested': 'more data requested',
  state_decided: 'decided'
}

export type MessageKey = keyof typeof en

const ru: Record<MessageKey, string> = {
  product: 'keruen — единое окно',
  langName: 'Русский',
  skip: 'Перейти к содержанию',
  login: 'Войти',
  loginTitle: 'Вход в личный кабинет',
  loginName: 'Логин',
  password: 'Пароль',
  wrongLogin: 'Неверный логин или пароль.',
  locked: 'Слишком много неудачных попыток. Повторите через {minutes} мин.',
  logout: 'Выйти',
  signedInAs: 'Вы вошли как {name} ({role})',
  home: 'Главная',
  consignments: 'Партии товаров',
  noConsignments: 'Партий пока нет: здесь появятся введённые и полученные документы.',
  applications: 'Заявления',
  noApplications: 'Заявлений нет.',
  procedure: 'Процедура',
  status: 'Статус',
  consignment: 'Партия',
  documents: 'Документы',
  document: 'Документ',
  type: 'Вид',
  issuer: 'Выдал',
  issuedAt: 'Дата',
  verification: 'Проверка',
  verified: 'Подпись проверена',
  notVerified: 'Подпись не подтверждается',
  expired: 'Срок действия истёк',
  versions: 'Прежние версии',
  field: 'Поле',
  value: 'Значение',
  partial: 'Раскрыто полей: {disclosed} из {total}',
  back: 'Назад',
  print: 'Печать',
  notFound: 'Не найдено',
  notFoundText: 'Такой страницы или документа здесь нет.',
  csrf: 'Срок формы истёк. Обновите страницу и отправьте снова.',
  language: 'Язык',
  role_admin: 'администратор',
  role_declarant: 'декларант',
  role_officer: 'должностное лицо',
  role_viewer: 'наблюдатель',
  state_submitted: 'подано',
  state_received: 'получено',
  'state_under-review': 'на рассмотрении',
  'state_more-information-requested': 'запрошены сведения',
  state_decided: 'решение принято'
}

const kk: Record<MessageKey, string> = {
  product: 'keruen — бірыңғай терезе',
  langName: 'Қазақша',
  skip: 'Мазмұнға өту',
  login: 'Кіру',
  loginTitle: 'Жеке кабинетке кіру',
  loginName: 'Логин',
  password: 'Құпиясөз',
  wrongLogin: 'Логин немесе құпиясөз қате.',
  locked: 'Сәтсіз әрекеттер тым көп. {minutes} минуттан кейін қайталаңыз.',
  logout: 'Шығу',
  signedInAs: 'Сіз {name} ({role}) ретінде кірдіңіз',
  home: 'Басты бет',
  consignments: 'Тауар партиялары',
  noConsignments: 'Әзірге партиялар жоқ: енгізілген және алынған құжаттар осында көрінеді.',
  applications: 'Өтініштер',
  noApplications: 'Өтініштер жоқ.',
  procedure: 'Рәсім',
  status: 'Мәртебе',
  consignment: 'Партия',
  documents: 'Құжаттар',
  document: 'Құжат',
  type: 'Түрі',
  issuer: 'Берген',
  issuedAt: 'Күні',
  verification: 'Тексеру',
  verified: 'Қолтаңба тексерілді',
  notVerified: 'Қолтаңба расталмайды',
  expired: 'Қолданылу мерзімі өтті',
  versions: 'Бұрынғы нұсқалар',
  field: 'Өріс',
  value: 'Мәні',
  partial: 'Ашылған өрістер: {disclosed} / {total}',
  back: 'Артқа',
  print: 'Басып шығару',
  notFound: 'Табылмады',
  notFoundText: 'Мұнда мұндай бет немесе құжат жоқ.',
  csrf: 'Форманың мерзімі өтті. Бетті жаңартып, қайта жіберіңіз.',
  language: 'Тіл',
  role_admin: 'әкімші',
  role_declarant: 'декларант',
  role_officer: 'лауазымды тұлға',
  role_viewer: 'бақылаушы',
  state_submitted: 'берілді',
  state_received: 'алынды',
  'state_under-review': 'қаралуда',
  'state_more-information-requested': 'мәліметтер сұралды',
  state_decided: 'шешім қабылданды'
}

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { ru, kk, en }

/** The words of `lang`, with `{name}` placeholders filled in. */
export function translator (lang: Lang): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const catalogue = CATALOGUES[lang]
  return (key, vars = {}) => catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`))
}

export function isLang (value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value)
}

/** The language of a request: the chosen one, else the browser's first that is spoken here, else Russian. */
export function pickLang (chosen: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(chosen)) return chosen
  const wanted = (acceptLanguage ?? '').split(',')
    .map(part => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map(p => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(v => v !== undefined)
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q) }
    })
    .filter(w => w.q > 0)
    .sort((a, b) => b.q - a.q)
  return wanted.map(w => w.base).find(isLang) ?? 'ru'
}

/** The locale dates and numbers are written in for `lang`. */
export function localeOf (lang: Lang): string {
  return lang === 'kk' ? 'kk-KZ' : lang === 'ru' ? 'ru-RU' : 'en-GB'
}
