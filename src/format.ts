import { formatMoney } from '#core/cod.ts'
import { formatDateTime, formatTime, parseMallDateTime } from '#core/datetime.ts'
import { dateTimeFormat, numberFormat } from '#core/intl.ts'
import { screenLanguage, t } from '@/i18n'
import { intlLocale, type ScreenLanguage } from '@/i18n/languages'

/**
 * Small formatting helpers for the screens, in the screen's language through `Intl`; times always
 * on the warehouse's clock (`zone`, from the station's settings). English writes dates as
 * `2026-11-26 07:30`; the other languages their own way (`26. 11. 2026 7:30` in Czech).
 */

export function formatAge(since: string | number | null, now: number): string {
  if (since === null) return '—'
  const ms = now - (typeof since === 'number' ? since : Date.parse(since))
  if (!Number.isFinite(ms)) return '—'
  const minutes = Math.max(0, Math.floor(ms / 60_000))
  if (minutes < 60) return t('format.minutes', { n: formatNumber(minutes) })
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return t('format.hours', { n: formatNumber(hours) })
  return t('format.days', { n: formatNumber(Math.floor(hours / 24)) })
}

export function formatNumber(value: number, language: ScreenLanguage = screenLanguage.value): string {
  return numberFormat(intlLocale(language)).format(value)
}

/** An amount in its currency (the order's: CZK, EUR, HUF, PLN), written the reader's way. */
export function money(amount: number, currency: string, language: ScreenLanguage = screenLanguage.value): string {
  return formatMoney(amount, currency, intlLocale(language))
}

/** `HH:MM` of an ISO instant on the warehouse's clock. */
export function formatClock(iso: string | null, zone: string): string {
  if (!iso) return t('format.never')
  const at = Date.parse(iso)
  return Number.isFinite(at) ? formatTime(at, zone) : '—'
}

/** Date and time of an instant on the warehouse's clock, in the reader's language. */
export function formatDateTimeIn(at: Date | number, zone: string, language: ScreenLanguage = screenLanguage.value): string {
  if (language === 'en') return formatDateTime(at, zone)
  return dateTimeFormat(intlLocale(language), {
    timeZone: zone,
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at)
}

/** The day of an instant on the warehouse's clock, in the reader's language. */
export function formatDayIn(at: Date | number, zone: string, language: ScreenLanguage = screenLanguage.value): string {
  if (language === 'en') return dateTimeFormat('en-CA', { timeZone: zone }).format(at)
  return dateTimeFormat(intlLocale(language), { timeZone: zone, day: 'numeric', month: 'numeric', year: 'numeric' }).format(at)
}

/** An ISO instant on the warehouse's clock; what is not an instant shows as it came. */
export function formatInstant(iso: string, zone: string, language: ScreenLanguage = screenLanguage.value): string {
  const at = Date.parse(iso)
  return Number.isFinite(at) ? formatDateTimeIn(at, zone, language) : iso
}

/** A marketplace date-time (Prague time) on the warehouse's clock; what is not one shows as it came. */
export function formatMallInstant(value: string, zone: string, language: ScreenLanguage = screenLanguage.value): string {
  const at = parseMallDateTime(value)
  return at ? formatDateTimeIn(at, zone, language) : value
}
