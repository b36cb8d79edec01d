import { describe, expect, it } from 'vitest'
import {
  canonicalTimeZone,
  describeTimeZone,
  formatDateTime,
  formatDay,
  formatMallDateTimeIn,
  formatTime,
  formatWallClockInput,
  isTimeZone,
  MARKETPLACE_TIME_ZONE,
  parseWallClockInput,
  formatMallDate,
  formatMallDateTime,
  isMallDateTime,
  parseMallDate,
  parseMallDateTime,
} from '#core/datetime.ts'

describe('marketplace date-times (YYYY-MM-DD HH:MM:SS, Europe/Prague)', () => {
  it('uses Europe/Prague', () => {
    expect(MARKETPLACE_TIME_ZONE).toBe('Europe/Prague')
  })

  it.each([
    ['winter (CET, +01:00)', Date.UTC(2024, 0, 15, 8, 30, 15), '2024-01-15 09:30:15'],
    ['summer (CEST, +02:00)', Date.UTC(2024, 6, 1, 12, 0, 0), '2024-07-01 14:00:00'],
    ['the date changes at local midnight', Date.UTC(2024, 11, 31, 23, 0, 0), '2025-01-01 00:00:00'],
    ['summer midnight', Date.UTC(2024, 5, 30, 22, 0, 0), '2024-07-01 00:00:00'],
    ['leap day', Date.UTC(2024, 1, 29, 11, 0, 0), '2024-02-29 12:00:00'],
    ['last second before spring forward', Date.UTC(2024, 2, 31, 0, 59, 59), '2024-03-31 01:59:59'],
    ['first second after spring forward', Date.UTC(2024, 2, 31, 1, 0, 0), '2024-03-31 03:00:00'],
    ['last summer second before fall back', Date.UTC(2024, 9, 27, 0, 59, 59), '2024-10-27 02:59:59'],
    ['first winter second after fall back', Date.UTC(2024, 9, 27, 1, 0, 0), '2024-10-27 02:00:00'],
  ])('formats %s', (_label, instant, text) => {
    expect(formatMallDateTime(instant)).toBe(text)
    expect(formatMallDateTime(new Date(instant))).toBe(text)
  })

  it.each([
    ['winter', '2024-01-15 09:30:15', Date.UTC(2024, 0, 15, 8, 30, 15)],
    ['summer', '2024-07-01 14:00:00', Date.UTC(2024, 6, 1, 12, 0, 0)],
    ['just before spring forward', '2024-03-31 01:59:59', Date.UTC(2024, 2, 31, 0, 59, 59)],
    ['just after spring forward', '2024-03-31 03:00:00', Date.UTC(2024, 2, 31, 1, 0, 0)],
    ['new year', '2025-01-01 00:00:00', Date.UTC(2024, 11, 31, 23, 0, 0)],
    ['leap day', '2024-02-29 00:00:00', Date.UTC(2024, 1, 28, 23, 0, 0)],
    ['MALL sample', '2024-03-14 10:05:00', Date.UTC(2024, 2, 14, 9, 5, 0)],
  ])('parses %s', (_label, text, instant) => {
    expect(parseMallDateTime(text)?.getTime()).toBe(instant)
    expect(parseMallDateTime(text)).toBeInstanceOf(Date)
  })

  it('round-trips format → parse → format over a year, seconds kept', () => {
    const start = Date.UTC(2024, 0, 1, 0, 0, 7)
    for (let hour = 0; hour < 366 * 24; hour += 7) {
      const instant = start + hour * 3600 * 1000
      const text = formatMallDateTime(instant)
      expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
      expect(parseMallDateTime(text)?.getTime()).toBe(instant)
    }
  })

  it('round-trips parse → format for valid texts', () => {
    for (const text of ['2024-01-01 00:00:00', '2024-06-15 23:59:59', '1999-12-31 12:34:56', '2030-10-27 03:00:00']) {
      const parsed = parseMallDateTime(text)
      expect(parsed).not.toBeNull()
      expect(formatMallDateTime(parsed!)).toBe(text)
    }
  })

  it('drops milliseconds when formatting', () => {
    expect(formatMallDateTime(Date.UTC(2024, 0, 15, 8, 30, 15, 999))).toBe('2024-01-15 09:30:15')
  })

  it.each([
    '2024-02-30 10:00:00',
    '2023-02-29 10:00:00',
    '2024-04-31 10:00:00',
    '2024-13-01 10:00:00',
    '2024-00-10 10:00:00',
    '2024-01-00 10:00:00',
    '2024-01-01 24:00:00',
    '2024-01-01 10:60:00',
    '2024-01-01 10:00:60',
    '2024-01-01T10:00:00',
    '2024-01-01T10:00:00Z',
    '2024-01-01T10:00:00.000Z',
    '2024-01-01T10:00:00+01:00',
    '2024-01-01 10:00:00Z',
    '2024-01-01 10:00:00 +01:00',
    '2024-01-01 10:00:00.000',
    '2024-01-01 10:00',
    '2024-01-01',
    '2024-1-1 10:00:00',
    '24-01-01 10:00:00',
    ' 2024-01-01 10:00:00',
    '2024-01-01 10:00:00 ',
    '2024-01-01  10:00:00',
    '01.01.2024 10:00:00',
    '',
    'now',
  ])('refuses %j', (text) => {
    expect(parseMallDateTime(text)).toBeNull()
    expect(isMallDateTime(text)).toBe(false)
  })

  it('isMallDateTime accepts only strings that parse', () => {
    expect(isMallDateTime('2024-03-14 10:05:00')).toBe(true)
    expect(isMallDateTime(Date.UTC(2024, 2, 14))).toBe(false)
    expect(isMallDateTime(new Date())).toBe(false)
    expect(isMallDateTime(null)).toBe(false)
    expect(isMallDateTime(undefined)).toBe(false)
  })
})

describe('marketplace dates (YYYY-MM-DD)', () => {
  it('formats the Prague calendar date', () => {
    expect(formatMallDate(Date.UTC(2024, 5, 30, 22, 30, 0))).toBe('2024-07-01')
    expect(formatMallDate(Date.UTC(2024, 0, 15, 22, 59, 59))).toBe('2024-01-15')
    expect(formatMallDate(Date.UTC(2024, 0, 15, 23, 0, 0))).toBe('2024-01-16')
  })

  it('parses to Prague midnight', () => {
    expect(parseMallDate('2024-07-01')?.getTime()).toBe(Date.UTC(2024, 5, 30, 22, 0, 0))
    expect(parseMallDate('2024-01-16')?.getTime()).toBe(Date.UTC(2024, 0, 15, 23, 0, 0))
  })

  it.each(['2024-02-30', '2024-13-01', '2024-01-01 00:00:00', '2024-1-1', '2024-01-01T00:00:00Z', ''])('refuses %j', (text) => {
    expect(parseMallDate(text)).toBeNull()
  })
})

describe('times people read, on the warehouse’s clock', () => {
  // 2026-11-21 08:01:30 UTC; in summer Prague is two hours ahead.
  const winter = Date.UTC(2026, 10, 21, 8, 1, 30)
  const summer = Date.UTC(2026, 6, 1, 8, 1, 30)

  it('writes an instant in the zone asked for, whatever zone the machine is in', () => {
    expect(formatDateTime(winter, 'Europe/Prague')).toBe('2026-11-21 09:01')
    expect(formatTime(winter, 'Europe/Prague')).toBe('09:01')
    expect(formatTime(summer, 'Europe/Prague')).toBe('10:01')
    expect(formatTime(winter, 'Europe/London')).toBe('08:01')
    expect(formatDay(Date.UTC(2026, 10, 21, 23, 30), 'Europe/Prague')).toBe('2026-11-22')
    expect(formatMallDateTimeIn('2026-11-21 09:01:30', 'Europe/London')).toBe('2026-11-21 08:01')
    expect(formatMallDateTimeIn('not a time', 'Europe/London')).toBe('not a time')
  })

  it('reads a datetime-local value on the warehouse’s clock and writes it back the same', () => {
    expect(parseWallClockInput('2026-11-21T09:01', 'Europe/Prague')?.getTime()).toBe(Date.UTC(2026, 10, 21, 8, 1))
    expect(formatWallClockInput(Date.UTC(2026, 10, 21, 8, 1), 'Europe/Prague')).toBe('2026-11-21T09:01')
    expect(parseWallClockInput('2026-02-30T09:01', 'Europe/Prague')).toBeNull()
  })

  it('knows the zones Intl knows, in their own spelling, and nothing else', () => {
    expect(isTimeZone('Europe/Prague')).toBe(true)
    expect(canonicalTimeZone('utc')).toBe('UTC')
    for (const wrong of ['Europe/Praha', 'Mars/Olympus', '', ' Europe/Prague', 'CET-1CEST', 42, null]) expect(isTimeZone(wrong)).toBe(false)
  })

  it('says the zone with its abbreviation and offset at the instant', () => {
    expect(describeTimeZone('Europe/Prague', winter)).toBe('Europe/Prague (CET, UTC+01:00)')
    expect(describeTimeZone('Europe/Prague', summer)).toBe('Europe/Prague (CEST, UTC+02:00)')
    expect(describeTimeZone('UTC', winter)).toBe('UTC (UTC+00:00)')
  })
})
