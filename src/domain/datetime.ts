import { format, isValid, parse } from 'date-fns'
import { tz } from '@date-fns/tz'
import type { MallDate, MallDateTime } from './order'

/** The marketplace writes local Czech time without a zone designator. */
export const MARKETPLACE_TIME_ZONE = 'Europe/Prague'

const inMarketplaceZone = tz(MARKETPLACE_TIME_ZONE)
const DATE_TIME_FORMAT = 'yyyy-MM-dd HH:mm:ss' // for parsing
const DATE_FORMAT = 'yyyy-MM-dd'
const DATE_TIME_SHAPE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/

// Intl formats in a zone much faster than a general formatter; it runs on every status change.
const zoneParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: MARKETPLACE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

export function formatMallDateTime(instant: Date | number): MallDateTime {
  const parts: Record<string, string> = {}
  for (const part of zoneParts.formatToParts(instant)) parts[part.type] = part.value
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

export function formatMallDate(instant: Date | number): MallDate {
  return format(instant, DATE_FORMAT, { in: inMarketplaceZone })
}

/** The instant a marketplace date-time stands for, or null when it is not one (wrong shape, 30 February). */
export function parseMallDateTime(value: string): Date | null {
  if (!DATE_TIME_SHAPE.test(value)) return null
  const parsed = parse(value, DATE_TIME_FORMAT, new Date(0), { in: inMarketplaceZone })
  return isValid(parsed) ? new Date(parsed.getTime()) : null
}

/** Midnight (marketplace time) of a `YYYY-MM-DD` date, or null. */
export function parseMallDate(value: string): Date | null {
  if (!DATE_SHAPE.test(value)) return null
  const parsed = parse(value, DATE_FORMAT, new Date(0), { in: inMarketplaceZone })
  return isValid(parsed) ? new Date(parsed.getTime()) : null
}

export function isMallDateTime(value: unknown): value is MallDateTime {
  return typeof value === 'string' && parseMallDateTime(value) !== null
}
