/**
 * The languages the app, its papers and the station's setup page speak, and the customer's
 * language from an order's country. The PWA's catalogues are in src/i18n/locales/.
 */

/** Every language with a full catalogue in src/i18n/locales/. */
export const LANGUAGES = ['en', 'cs', 'sk', 'pl', 'hu', 'sl', 'hr'] as const
export type Language = (typeof LANGUAGES)[number]

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/** The customer's language from the order's country (ISO 3166 alpha-2): papers are printed in it. */
const COUNTRY_LANGUAGES: Readonly<Record<string, Language>> = { CZ: 'cs', SK: 'sk', PL: 'pl', HU: 'hu', SI: 'sl', HR: 'hr' }

export function languageOfCountry(country: string | null | undefined): Language {
  return COUNTRY_LANGUAGES[(country ?? '').trim().toUpperCase()] ?? 'en'
}

/** The first of the languages a browser asks for (`Accept-Language`, `navigator.languages`) that is spoken here. */
export function languageFromBrowser(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.trim().toLowerCase().split(/[-_;]/)[0] ?? ''
    if (isLanguage(base)) return base
  }
  return 'en'
}
