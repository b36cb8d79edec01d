import type { MallDate, MallDateTime } from './order'

/**
 * Marketplace date-times: `YYYY-MM-DD HH:MM:SS` in Czech local time, without a zone designator.
 * Converted with the platform's own time-zone data (Intl) rather than a date library: these few
 * functions run on every tablet and every status change, and the app's first load must stay small.
 */

/** The marketplace writes local Czech time without a zone designator. */
export const MARKETPLACE_TIME_ZONE = 'Europe/Prague'

const DATE_TIME_SHAPE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/

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

function wallClock(instant: Date | number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const parts: Record<string, string> = {}
  for (const part of zoneParts.formatToParts(instant)) parts[part.type] = part.value
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>
}

export function formatMallDateTime(instant: Date | number): MallDateTime {
  const p = wallClock(instant)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

export function formatMallDate(instant: Date | number): MallDate {
  const p = wallClock(instant)
  return `${p.year}-${p.month}-${p.day}`
}

/** How far Prague's wall clock is ahead of UTC at an instant (1 h in winter, 2 h in summer). */
function zoneOffsetMs(instant: number): number {
  const p = wallClock(instant)
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** The instant of a Prague wall-clock time; null for a date that does not exist (30 February). */
function fromWallClock(year: number, month: number, day: number, hour: number, minute: number, second: number): Date | null {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(asUtc)
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  // The offset depends on the instant itself: guess with the offset at the wall time, then settle.
  const guess = asUtc - zoneOffsetMs(asUtc)
  return new Date(asUtc - zoneOffsetMs(guess))
}

/** The instant a marketplace date-time stands for, or null when it is not one (wrong shape, 30 February). */
export function parseMallDateTime(value: string): Date | null {
  const m = DATE_TIME_SHAPE.exec(value)
  if (!m) return null
  return fromWallClock(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
}

/** Midnight (marketplace time) of a `YYYY-MM-DD` date, or null. */
export function parseMallDate(value: string): Date | null {
  const m = DATE_SHAPE.exec(value)
  if (!m) return null
  return fromWallClock(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0)
}

export function isMallDateTime(value: unknown): value is MallDateTime {
  return typeof value === 'string' && parseMallDateTime(value) !== null
}
