import { describe, expect, it } from 'vitest'
import { applyStatusChange } from '#core/status.ts'
import { makeOrder } from './fixtures.ts'

// 2024-07-15 08:00:00 UTC is 10:00:00 in Prague (summer time, +02:00).
const SUMMER = Date.UTC(2024, 6, 15, 8, 0, 0)
// 2024-01-15 08:00:00 UTC is 09:00:00 in Prague (winter time, +01:00).
const WINTER = new Date(Date.UTC(2024, 0, 15, 8, 0, 0))

describe('applyStatusChange', () => {
  it('sets the status and its entry time in marketplace time (summer)', () => {
    const next = applyStatusChange(makeOrder({ confirmed: true }), { status: 'shipping' }, 'seller', SUMMER)
    expect(next.status).toBe('shipping')
    expect(next.shipping).toBe('2024-07-15 10:00:00')
  })

  it('sets the entry time in marketplace time (winter, Date argument)', () => {
    const next = applyStatusChange(makeOrder({ confirmed: true }), { status: 'cancelled' }, 'seller', WINTER)
    expect(next.status).toBe('cancelled')
    expect(next.cancelled).toBe('2024-01-15 09:00:00')
  })

  it('keeps the earlier timestamps', () => {
    const order = makeOrder({ status: 'shipping', confirmed: true, shipping: '2024-03-11 08:00:00' })
    const next = applyStatusChange(
      order,
      { status: 'shipped', tracking_number: 'ABC123', tracking_url: 'https://c.example/ABC123' },
      'seller',
      SUMMER,
    )
    expect(next.blocked).toBe('2024-03-10 09:00:00')
    expect(next.open).toBe('2024-03-10 09:10:00')
    expect(next.shipping).toBe('2024-03-11 08:00:00')
    expect(next.shipped).toBe('2024-07-15 10:00:00')
    expect(next.delivered).toBeNull()
  })

  it('does not restamp a repeated status', () => {
    const order = makeOrder({ status: 'shipping', confirmed: true, shipping: '2024-03-11 08:00:00' })
    const next = applyStatusChange(order, { status: 'shipping' }, 'seller', SUMMER)
    expect(next.status).toBe('shipping')
    expect(next.shipping).toBe('2024-03-11 08:00:00')
  })

  it('sets confirmed when the seller sends it, with or without a status', () => {
    expect(applyStatusChange(makeOrder({ confirmed: false }), { confirmed: true }, 'seller', SUMMER).confirmed).toBe(true)
    const moved = applyStatusChange(makeOrder({ confirmed: false }), { status: 'shipping', confirmed: true }, 'seller', SUMMER)
    expect(moved.confirmed).toBe(true)
    expect(moved.status).toBe('shipping')
  })

  it('leaves confirmed as it was when the seller does not send it', () => {
    expect(applyStatusChange(makeOrder({ status: 'shipping', confirmed: true }), { status: 'cancelled' }, 'seller', SUMMER).confirmed).toBe(
      true,
    )
    expect(applyStatusChange(makeOrder({ status: 'shipping', confirmed: false }), { status: 'cancelled' }, 'seller', SUMMER).confirmed).toBe(
      false,
    )
  })

  it('only confirming leaves the status and its timestamps alone', () => {
    const order = makeOrder({ confirmed: false })
    const next = applyStatusChange(order, { confirmed: true }, 'seller', SUMMER)
    expect(next.status).toBe('open')
    expect(next.open).toBe('2024-03-10 09:10:00')
    expect(next.shipping).toBeNull()
  })

  it.each([
    ['blocked → open', { status: 'blocked' as const }, { status: 'open' }],
    ['open → cancelled', { status: 'open' as const }, { status: 'cancelled' }],
    ['shipping → shipped (MDP)', { status: 'shipping' as const, mdp: true }, { status: 'shipped' }],
    ['shipped → lost (MDP)', { status: 'shipped' as const, mdp: true }, { status: 'lost' }],
    ['even with confirmed: true in the change', { status: 'open' as const }, { status: 'cancelled', confirmed: true }],
  ])('resets confirmed to false on a marketplace change: %s', (_label, from, change) => {
    const next = applyStatusChange(makeOrder({ ...from, confirmed: true }), change, 'marketplace', SUMMER)
    expect(next.confirmed).toBe(false)
    expect(next.status).toBe(change.status)
  })

  it('stores tracking on shipped', () => {
    const next = applyStatusChange(
      makeOrder({ status: 'shipping', confirmed: true }),
      { status: 'shipped', tracking_number: 'DPD-1234_56', tracking_url: 'https://tracking.dpd.cz/DPD-1234_56' },
      'seller',
      SUMMER,
    )
    expect(next.tracking_number).toBe('DPD-1234_56')
    expect(next.tracking_url).toBe('https://tracking.dpd.cz/DPD-1234_56')
    expect(next.delivered_at).toBeNull()
  })

  it('does not invent tracking for other statuses', () => {
    const next = applyStatusChange(makeOrder({ confirmed: true }), { status: 'shipping' }, 'seller', SUMMER)
    expect(next.tracking_number).toBeNull()
    expect(next.tracking_url).toBeNull()
  })

  it('keeps tracking sent with shipping, as MALL’s PHP client example sends it', () => {
    const next = applyStatusChange(
      makeOrder({ confirmed: false }),
      { status: 'shipping', confirmed: true, tracking_number: 'ABC123456', tracking_url: 'https://tracking.company.com/id/ABC123456' },
      'seller',
      SUMMER,
    )
    expect(next).toMatchObject({ status: 'shipping', confirmed: true, tracking_number: 'ABC123456', tracking_url: 'https://tracking.company.com/id/ABC123456' })
  })

  it('replaces only the tracking fields sent with a later change', () => {
    const order = makeOrder({ status: 'shipped', tracking_number: 'OLD1', tracking_url: 'https://c.example/OLD1' })
    const next = applyStatusChange(order, { status: 'shipped', tracking_number: 'NEW1' }, 'seller', SUMMER)
    expect(next).toMatchObject({ tracking_number: 'NEW1', tracking_url: 'https://c.example/OLD1' })
  })

  it('does not keep the seller’s tracking of a MALL Delivery order: MALL fills it in', () => {
    const order = makeOrder({ status: 'shipping', mdp: true, confirmed: true })
    const next = applyStatusChange(order, { status: 'shipped', tracking_number: 'MINE1', tracking_url: 'https://c.example/MINE1' }, 'seller', SUMMER)
    expect(next).toMatchObject({ status: 'shipped', tracking_number: null, tracking_url: null })
  })

  it('ignores confirmed: false from the seller', () => {
    expect(applyStatusChange(makeOrder({ confirmed: true }), { confirmed: false }, 'seller', SUMMER).confirmed).toBe(true)
  })

  it('leaves a delivered order as it was when the seller sends delivered again', () => {
    const order = makeOrder({ status: 'delivered', delivered: '2024-07-14 16:00:00', delivered_at: '2024-07-14 15:30:00' })
    const next = applyStatusChange(order, { status: 'delivered', delivered_at: '2018-02-27 00:00:00' }, 'seller', SUMMER)
    expect(next).toEqual(order)
  })

  it('keeps MALL’s tracking of a MALL Delivery order when the marketplace ships it', () => {
    const order = makeOrder({ status: 'shipping', mdp: true, tracking_number: 'MALL123', tracking_url: 'https://mall.example/t/MALL123' })
    const next = applyStatusChange(order, { status: 'shipped' }, 'marketplace', SUMMER)
    expect(next.status).toBe('shipped')
    expect(next.tracking_number).toBe('MALL123')
    expect(next.tracking_url).toBe('https://mall.example/t/MALL123')
  })

  it('stores delivered_at and first_delivery_attempt on delivered', () => {
    const order = makeOrder({ status: 'shipped', confirmed: true, tracking_number: 'ABC', tracking_url: 'https://c.example/ABC' })
    const next = applyStatusChange(
      order,
      { status: 'delivered', delivered_at: '2024-07-14 15:30:00', first_delivery_attempt: '2024-07-13 11:00:00' },
      'seller',
      SUMMER,
    )
    expect(next.status).toBe('delivered')
    expect(next.delivered).toBe('2024-07-15 10:00:00')
    expect(next.delivered_at).toBe('2024-07-14 15:30:00')
    expect(next.first_delivery_attempt).toBe('2024-07-13 11:00:00')
    expect(next.tracking_number).toBe('ABC')
  })

  it('leaves first_delivery_attempt empty when not given', () => {
    const next = applyStatusChange(
      makeOrder({ status: 'shipped' }),
      { status: 'delivered', delivered_at: '2024-07-14 15:30:00' },
      'seller',
      SUMMER,
    )
    expect(next.first_delivery_attempt).toBeNull()
  })

  it('uses the change time as delivered_at when the marketplace delivers without one', () => {
    const next = applyStatusChange(makeOrder({ status: 'shipped', mdp: true }), { status: 'delivered' }, 'marketplace', SUMMER)
    expect(next.delivered_at).toBe('2024-07-15 10:00:00')
  })

  it('does not mutate its input', () => {
    const order = makeOrder({ status: 'shipping', confirmed: false })
    const snapshot = structuredClone(order)
    Object.freeze(order)
    const next = applyStatusChange(
      order,
      { status: 'shipped', confirmed: true, tracking_number: 'ABC123', tracking_url: 'https://c.example/ABC123' },
      'seller',
      SUMMER,
    )
    expect(order).toEqual(snapshot)
    expect(next).not.toBe(order)
    expect(next.status).toBe('shipped')
    expect(next.confirmed).toBe(true)
  })

  it('keeps the rest of the order as it was', () => {
    const order = makeOrder({ confirmed: true })
    const next = applyStatusChange(order, { status: 'shipping' }, 'seller', SUMMER)
    expect({ ...next, status: order.status, shipping: order.shipping }).toEqual(order)
  })
})
