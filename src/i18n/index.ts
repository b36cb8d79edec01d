import { ref } from 'vue'
import { createI18n } from 'vue-i18n'
import type { Catalogue } from './catalogue'
import type { Translate } from './phrase'
import { LANGUAGES, PSEUDO_LANGUAGE, isScreenLanguage, pluralIndex, type Language, type ScreenLanguage } from './languages'

/**
 * The app's words: vue-i18n in composition mode. Messages are compiled just in time into an AST
 * and interpreted, never into code with `new Function`, so the app's Content-Security-Policy
 * (no string eval) holds. Only the language on screen is loaded (a chunk per language), and a
 * paper's language when a paper is printed in another.
 */

declare module 'vue-i18n' {
  // Every `t('…')` key is checked against the English catalogue by the type checker.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends Catalogue {}
}

const pluralRules = Object.fromEntries(
  [...LANGUAGES, PSEUDO_LANGUAGE].map((language) => [language, (choice: number, forms: number) => pluralIndex(language, choice, forms)]),
)

export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  // Every catalogue has every key (tests/unit/pwa/i18n-catalogues.test.ts): nothing falls back.
  fallbackLocale: false,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
  pluralRules,
  messages: {},
})

const loaders: Record<Language, () => Promise<{ default: Catalogue }>> = {
  en: () => import('./locales/en'),
  cs: () => import('./locales/cs'),
  sk: () => import('./locales/sk'),
  pl: () => import('./locales/pl'),
  hu: () => import('./locales/hu'),
  sl: () => import('./locales/sl'),
  hr: () => import('./locales/hr'),
}

async function catalogueOf(language: ScreenLanguage): Promise<Catalogue> {
  if (language === PSEUDO_LANGUAGE) {
    const [{ pseudoCatalogue }, english] = await Promise.all([import('./pseudo'), loaders.en()])
    return pseudoCatalogue(english.default)
  }
  return (await loaders[language]()).default
}

/** Loads a language's catalogue once (the screen's, or a paper's). */
export async function loadLanguage(language: ScreenLanguage): Promise<void> {
  if (i18n.global.availableLocales.includes(language)) return
  i18n.global.setLocaleMessage(language, await catalogueOf(language))
}

/** The language on screen, for code outside components (formatting, stores). */
export const screenLanguage = ref<ScreenLanguage>('en')

/** Where the device notes the language last on screen: read without waiting, as the app starts. */
const LAST_LANGUAGE_KEY = 'picking-station.screen-language'

/**
 * Starts loading the words of the language last on this device's screen, while the app reads the
 * session and whose language it is from IndexedDB (the language store decides; most often it is
 * this one, already loaded).
 */
export function preloadLastLanguage(): void {
  let last: string | null = null
  try {
    last = globalThis.localStorage?.getItem(LAST_LANGUAGE_KEY) ?? null
  } catch {
    // Storage refused (a locked-down browser): the language store's choice loads it instead.
  }
  if (isScreenLanguage(last)) void loadLanguage(last).catch(() => undefined)
}

/** Puts the screen in `language`, loading its words first. */
export async function showLanguage(language: ScreenLanguage): Promise<void> {
  await loadLanguage(language)
  i18n.global.locale.value = language
  screenLanguage.value = language
  try {
    globalThis.localStorage?.setItem(LAST_LANGUAGE_KEY, language)
  } catch {
    // Only a head start for the next start is lost.
  }
  if (typeof document !== 'undefined') {
    document.documentElement.lang = language
    document.title = i18n.global.t('app.name')
  }
}

/** Translates outside a component (stores, composables, services' phrases), in the screen's language. */
export const t: Translate = (key, params = {}, count) => (count === undefined ? i18n.global.t(key, params) : i18n.global.t(key, params, count))

/** A translator for a paper printed in another language than the screen's (load it first). */
export function translatorFor(language: Language): Translate {
  return (key, params = {}, count) => i18n.global.t(key, params, count === undefined ? { locale: language } : { locale: language, plural: count })
}
