/** One entry of the document catalogues: the same words in each language the cabinet speaks. */
import type { Lang } from '../i18n.js'

/** Russian, Kazakh, English, in that order. */
export type Words = readonly [ru: string, kk: string, en: string]

const POSITION: Readonly<Record<Lang, 0 | 1 | 2>> = { ru: 0, kk: 1, en: 2 }

/** The words of `lang` in an entry. */
export function inLang (words: Words, lang: Lang): string {
  return words[POSITION[lang]]
}
