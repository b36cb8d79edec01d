/**
 * `Intl` formatters, made once per locale and options and kept: making one costs far more than
 * using it (a list of 40 orders formats a hundred amounts and dates per render).
 */

const kept = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>()

function keep<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let made = kept.get(key) as T | undefined
  if (!made) {
    made = make()
    kept.set(key, made)
  }
  return made
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return keep(`number|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options))
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return keep(`date|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options))
}

export function pluralRules(locale: string): Intl.PluralRules {
  return keep(`plural|${locale}`, () => new Intl.PluralRules(locale))
}
