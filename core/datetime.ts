import { dateTimeFormat } from './intl'
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

type WallClock = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>

// Making a formatter costs far more than using one: one per zone, kept.
const zoneFormatters = new Map<string, Intl.DateTimeFormat>()

function zoneParts(zone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(zone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    zoneFormatters.set(zone, formatter)
  }
  return formatter
}

function wallClock(instant: Date | number, zone: string = MARKETPLACE_TIME_ZONE): WallClock {
  const parts: Record<string, string> = {}
  for (const part of zoneParts(zone).formatToParts(instant)) parts[part.type] = part.value
  return parts as WallClock
}

export function formatMallDateTime(instant: Date | number): MallDateTime {
  const p = wallClock(instant)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

export function formatMallDate(instant: Date | number): MallDate {
  const p = wallClock(instant)
  return `${p.year}-${p.month}-${p.day}`
}

/** How far a zone's wall clock is ahead of UTC at an instant (Prague: 1 h in winter, 2 h in summer). */
function zoneOffsetMs(instant: number, zone: string = MARKETPLACE_TIME_ZONE): number {
  const p = wallClock(instant, zone)
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** The instant of a wall-clock time in a zone (Prague unless said); null for a date that does not exist (30 February). */
function fromWallClock(year: number, month: number, day: number, hour: number, minute: number, second: number, zone: string = MARKETPLACE_TIME_ZONE): Date | null {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(asUtc)
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  // The offset depends on the instant itself: guess with the offset at the wall time, then settle.
  const guess = asUtc - zoneOffsetMs(asUtc, zone)
  return new Date(asUtc - zoneOffsetMs(guess, zone))
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

/*
 * Times people read. Every time on a screen or a paper is written in the warehouse's own zone (a
 * station setting), never in the zone the tablet or the printer happens to be set to, so the
 * delivery note and the screen beside it say the same time.
 */

/** The warehouse's zone when the station has none set: the marketplace's. */
export const DEFAULT_TIME_ZONE = MARKETPLACE_TIME_ZONE

/** Whether the platform knows this IANA time zone (`Europe/Prague`; not `CET+1` or a typo). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.trim() === '' || zone !== zone.trim()) return false
  try {
    zoneParts(zone)
    return true
  } catch {
    return false
  }
}

/** The platform's own spelling of a zone it knows (`utc` → `UTC`), or null for one it does not. */
export function canonicalTimeZone(zone: unknown): string | null {
  return isTimeZone(zone) ? zoneParts(zone).resolvedOptions().timeZone : null
}

/** `YYYY-MM-DD HH:MM` on the warehouse's clock. */
export function formatDateTime(instant: Date | number, zone: string): string {
  const p = wallClock(instant, zone)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

/** `HH:MM` on the warehouse's clock. */
export function formatTime(instant: Date | number, zone: string): string {
  const p = wallClock(instant, zone)
  return `${p.hour}:${p.minute}`
}

/** `YYYY-MM-DD`: the warehouse's day at an instant. */
export function formatDay(instant: Date | number, zone: string): string {
  const p = wallClock(instant, zone)
  return `${p.year}-${p.month}-${p.day}`
}

/**
 * A marketplace date-time (Prague time) as the warehouse reads it, `YYYY-MM-DD HH:MM`; a value
 * that is not one is shown as it came.
 */
export function formatMallDateTimeIn(value: string, zone: string): string {
  const at = parseMallDateTime(value)
  return at ? formatDateTime(at, zone) : value
}

/** The warehouse's day (`YYYY-MM-DD`) of a marketplace date-time, or null when it is not one. */
export function mallDateTimeDay(value: string, zone: string): string | null {
  const at = parseMallDateTime(value)
  return at ? formatDay(at, zone) : null
}

/** `YYYY-MM-DDTHH:MM` on the warehouse's clock, as a datetime-local field takes it. */
export function formatWallClockInput(instant: Date | number, zone: string): string {
  const p = wallClock(instant, zone)
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

/** The instant of a datetime-local value (`YYYY-MM-DDTHH:MM`) read on the warehouse's clock, or null. */
export function parseWallClockInput(value: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value)
  if (!m) return null
  return fromWallClock(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), zone)
}

/**
 * The zone as Settings says it: `Europe/Prague (CET, UTC+01:00)`, with the abbreviation and
 * offset in force at the instant given.
 */
export function describeTimeZone(zone: string, instant: Date | number): string {
  const name = (style: 'short' | 'longOffset') =>
    dateTimeFormat('en-GB', { timeZone: zone, timeZoneName: style }).formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? ''
  const offset = name('longOffset').replace(/^GMT$/, 'UTC+00:00').replace(/^GMT/, 'UTC')
  const short = name('short')
  return short && !/^(GMT|UTC)/.test(short) ? `${zone} (${short}, ${offset})` : `${zone} (${offset})`
}
