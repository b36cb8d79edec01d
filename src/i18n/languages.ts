/**
 * The languages the app speaks, how one is chosen and how its plurals are counted. No Vue here:
 * services and the station's papers use it too.
 */

import { type Language, isLanguage } from '#core/languages.ts'
import { pluralRules } from '#core/intl.ts'

export { LANGUAGES, isLanguage, languageFromBrowser, languageOfCountry, type Language } from '#core/languages.ts'

/**
 * English with accents, 40 % longer, in brackets: shows in development where a string was left
 * out of the catalogue, and where a longer language would not fit. Never offered in a build.
 */
export const PSEUDO_LANGUAGE = 'en-XA'
export type ScreenLanguage = Language | typeof PSEUDO_LANGUAGE

/** Each language by its own name, as the language switch offers it. */
export const LANGUAGE_NAMES: Readonly<Record<ScreenLanguage, string>> = {
  en: 'English',
  cs: 'Čeština',
  sk: 'Slovenčina',
  pl: 'Polski',
  hu: 'Magyar',
  sl: 'Slovenščina',
  hr: 'Hrvatski',
  'en-XA': '[Ƥšéûðö]',
}

export function isScreenLanguage(value: unknown): value is ScreenLanguage {
  return isLanguage(value) || value === PSEUDO_LANGUAGE
}

/** The plural categories, in the order a catalogue writes a plural's forms (`a | b | c`). */
const CATEGORY_ORDER: readonly Intl.LDMLPluralRule[] = ['zero', 'one', 'two', 'few', 'many', 'other']

const categoriesCache = new Map<string, readonly Intl.LDMLPluralRule[]>()

/**
 * The plural forms a language uses for whole numbers, in catalogue order: `en` one|other,
 * `cs` one|few|other (1 položka | 2 položky | 5 položek), `pl` one|few|many, `sl` one|two|few|other.
 * Counts of items are whole, so the forms only fractions take (Czech `many`) are left out.
 */
export function pluralCategories(language: string): readonly Intl.LDMLPluralRule[] {
  const cached = categoriesCache.get(language)
  if (cached) return cached
  const rules = pluralRules(language)
  const seen = new Set<Intl.LDMLPluralRule>()
  for (let n = 0; n <= 200; n++) seen.add(rules.select(n))
  const categories = CATEGORY_ORDER.filter((category) => seen.has(category))
  categoriesCache.set(language, categories)
  return categories
}

/**
 * Which of a plural message's forms fits `count` in `language`, from `Intl.PluralRules`. A message
 * with one form more than the language's categories says zero in its first form
 * (`nothing | {n} thing | {n} things`).
 */
export function pluralIndex(language: string, count: number, forms: number): number {
  const categories = pluralCategories(language)
  if (forms === categories.length + 1) return count === 0 ? 0 : 1 + pluralIndex(language, count, forms - 1)
  const index = categories.indexOf(pluralRules(language).select(Math.abs(count)))
  // A fraction's own form (Czech `many`) is not written: it reads as the last, `other`.
  return Math.min(index < 0 ? forms - 1 : index, forms - 1)
}

/** The `Intl` locale numbers, money and dates are written in for a language. */
export function intlLocale(language: ScreenLanguage): string {
  switch (language) {
    case 'en':
    case PSEUDO_LANGUAGE:
      return 'en-GB'
    case 'cs':
      return 'cs-CZ'
    case 'sk':
      return 'sk-SK'
    case 'pl':
      return 'pl-PL'
    case 'hu':
      return 'hu-HU'
    case 'sl':
      return 'sl-SI'
    case 'hr':
      return 'hr-HR'
  }
}
