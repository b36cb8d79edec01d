/**
 * `Intl` formatters, made once per locale and options and kept: making one costs far more than
 * using it (a list of 40 orders formats a hundred amounts and dates per render).
 */

const numberFormats = new Map<string, Intl.NumberFormat>()
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
const pluralRulesByLocale = new Map<string, Intl.PluralRules>()

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, options)
    numberFormats.set(key, format)
  }
  return format
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let format = dateTimeFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options)
    dateTimeFormats.set(key, format)
  }
  return format
}

export function pluralRules(locale: string): Intl.PluralRules {
  let rules = pluralRulesByLocale.get(locale)
  if (!rules) {
    rules = new Intl.PluralRules(locale)
    pluralRulesByLocale.set(locale, rules)
  }
  return rules
}
