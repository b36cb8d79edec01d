import { describe, expect, it } from 'vitest'
import type { Order, OrderStatus } from '#core/order.ts'
import { MISSING_STATE_DAYS, daysInStatus, isMissingState, statusSince } from '../../../src/services/orders/missing-state.ts'
import { makeOrder } from '../core/fixtures.ts'

const MINUTE = 60 * 1000
const DAY = 24 * 60 * MINUTE

// Shipping entered 2024-06-01 10:00:00 Prague time (summer, +02:00) = 08:00:00 UTC.
const ENTERED_UTC = Date.UTC(2024, 5, 1, 8, 0, 0)

function inStatus(status: OrderStatus, at: string | null): Order {
  return makeOrder({ status, [status]: at } as Partial<Order>)
}

describe('isMissingState', () => {
  const order = inStatus('shipping', '2024-06-01 10:00:00')

  it('uses seven days', () => {
    expect(MISSING_STATE_DAYS).toBe(7)
  })

  it('is false within seven days', () => {
    expect(isMissingState(order, ENTERED_UTC + 3 * DAY)).toBe(false)
  })

  it('is false at exactly seven days', () => {
    expect(isMissingState(order, ENTERED_UTC + 7 * DAY)).toBe(false)
    expect(isMissingState(order, new Date(Date.UTC(2024, 5, 8, 8, 0, 0)))).toBe(false)
  })

  it('is true at seven days and one minute', () => {
    expect(isMissingState(order, ENTERED_UTC + 7 * DAY + MINUTE)).toBe(true)
    expect(isMissingState(order, new Date(Date.UTC(2024, 5, 8, 8, 1, 0)))).toBe(true)
  })

  it('reads the timestamp as Prague time, not UTC', () => {
    // 2024-06-08 09:30 UTC is 7 days 1.5 hours after 08:00 UTC (the true entry time), but only
    // 6 days 23.5 hours after 10:00 UTC (what a UTC misreading of '10:00:00' would give).
    expect(isMissingState(order, Date.UTC(2024, 5, 8, 9, 30, 0))).toBe(true)
  })

  it.each(['open', 'shipping', 'shipped'] as OrderStatus[])('applies to %s', (status) => {
    expect(isMissingState(inStatus(status, '2024-06-01 10:00:00'), ENTERED_UTC + 8 * DAY)).toBe(true)
  })

  it.each(['delivered', 'returned', 'cancelled', 'lost', 'blocked'] as OrderStatus[])('never applies to %s', (status) => {
    expect(isMissingState(inStatus(status, '2024-06-01 10:00:00'), ENTERED_UTC + 30 * DAY)).toBe(false)
  })

  it('is false when the status timestamp is unknown', () => {
    expect(isMissingState(inStatus('shipping', null), ENTERED_UTC + 30 * DAY)).toBe(false)
  })

  it('is false when the status timestamp is not a marketplace date-time', () => {
    expect(isMissingState(inStatus('shipping', '2024-06-01T10:00:00Z'), ENTERED_UTC + 30 * DAY)).toBe(false)
  })

  it('looks at the current status’s own timestamp', () => {
    // Opened long ago but moved to shipping yesterday: not missing.
    const recent = makeOrder({ status: 'shipping', open: '2024-01-01 10:00:00', shipping: '2024-06-08 10:00:00' })
    expect(isMissingState(recent, Date.UTC(2024, 5, 9, 8, 0, 0))).toBe(false)
  })
})

describe('statusSince', () => {
  it('is the instant the current status was entered', () => {
    expect(statusSince(inStatus('shipping', '2024-06-01 10:00:00'))?.getTime()).toBe(ENTERED_UTC)
    expect(statusSince(inStatus('shipping', null))).toBeNull()
  })
})

describe('daysInStatus', () => {
  const order = inStatus('shipping', '2024-06-01 10:00:00')

  it('counts whole days', () => {
    expect(daysInStatus(order, ENTERED_UTC)).toBe(0)
    expect(daysInStatus(order, ENTERED_UTC + DAY - MINUTE)).toBe(0)
    expect(daysInStatus(order, ENTERED_UTC + DAY)).toBe(1)
    expect(daysInStatus(order, ENTERED_UTC + 3.5 * DAY)).toBe(3)
    expect(daysInStatus(order, ENTERED_UTC + 7 * DAY + MINUTE)).toBe(7)
    expect(daysInStatus(order, new Date(ENTERED_UTC + 10 * DAY))).toBe(10)
  })

  it('is 0 when unknown or when the timestamp lies ahead of the clock', () => {
    expect(daysInStatus(inStatus('shipping', null), ENTERED_UTC + 10 * DAY)).toBe(0)
    expect(daysInStatus(order, ENTERED_UTC - 2 * DAY)).toBe(0)
  })
})
