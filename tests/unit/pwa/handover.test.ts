import { describe, expect, it } from 'vitest'
import { DEFAULT_CARRIERS, trackingFor } from '#core/carriers.ts'
import { carrierOfLink, handoverList, MALL_DELIVERY, OTHER_CARRIER } from '../../../src/services/ship/handover.ts'
import type { Order } from '#core/order.ts'
import { makeOrder } from '../core/fixtures.ts'

const [ppl, dpd] = DEFAULT_CARRIERS as [(typeof DEFAULT_CARRIERS)[number], (typeof DEFAULT_CARRIERS)[number]]

function shippedWith(id: number, carrier: typeof ppl | null, number: string, overrides: Partial<Order> = {}): Order {
  const tracking = carrier ? trackingFor(carrier, number) : { tracking_number: number, tracking_url: `https://elsewhere.example/t/${number}` }
  if ('code' in tracking) throw new Error(tracking.message)
  return makeOrder({ id, status: 'shipped', shipped: '2026-11-22 10:15:00', ...tracking, ...overrides })
}

describe('the hand-over list', () => {
  it('finds the carrier from the tracking link its template made', () => {
    const tracking = trackingFor(dpd, '01234567890123')
    if ('code' in tracking) throw new Error(tracking.message)
    expect(carrierOfLink(tracking.tracking_url, DEFAULT_CARRIERS)?.name).toBe('DPD')
    expect(carrierOfLink('https://elsewhere.example/t/1', DEFAULT_CARRIERS)).toBeNull()
    expect(carrierOfLink(null, DEFAULT_CARRIERS)).toBeNull()
  })

  it('groups today’s shipped parcels by carrier, with the cash each driver collects', () => {
    const orders = [
      shippedWith(1, dpd, 'DPD2', { cod: 500 }),
      shippedWith(2, ppl, 'PPL1'),
      shippedWith(3, dpd, 'DPD1', { cod: 250.5 }),
      shippedWith(4, null, 'X1'),
      makeOrder({ id: 5, status: 'shipped', shipped: '2026-11-22 11:00:00', mdp: true, tracking_number: 'MDP5' }),
      // Not today, not shipped any more: not on today's list.
      shippedWith(6, ppl, 'PPL0', { shipped: '2026-11-21 17:00:00' }),
      shippedWith(7, ppl, 'PPL9', { status: 'delivered' }),
    ]
    const groups = handoverList(orders, DEFAULT_CARRIERS, '2026-11-22')
    expect(groups.map((g) => [g.carrier, g.rows.map((r) => r.tracking_number)])).toEqual([
      ['PPL', ['PPL1']],
      ['DPD', ['DPD1', 'DPD2']],
      [MALL_DELIVERY, ['MDP5']],
      [OTHER_CARRIER, ['X1']],
    ])
    expect(groups.find((g) => g.carrier === 'DPD')?.cod_totals).toEqual({ CZK: 750.5 })
    expect(groups.find((g) => g.carrier === 'PPL')?.cod_totals).toEqual({})
  })
})

describe('the hand-over list’s carriers and day', () => {
  it('lists a parcel whose link fits no template under its delivery method’s carrier', () => {
    const orders = [
      shippedWith(1, null, 'DPD7', { delivery_method: 'dpdCz' }),
      shippedWith(2, null, 'ZAS1', { delivery_method: 'zasilkovnaCz' }),
      shippedWith(3, null, 'GLS1', { delivery_method: 'glsCz' }),
      shippedWith(4, null, 'X1', { delivery_method: '20' }),
    ]
    const withoutGls = DEFAULT_CARRIERS.filter((carrier) => carrier.id !== 'gls')
    expect(handoverList(orders, withoutGls, '2026-11-22').map((g) => [g.carrier, g.rows.map((r) => r.order_id)])).toEqual([
      ['DPD', [1]],
      ['Zásilkovna (Packeta)', [2]],
      // A carrier the station does not list keeps its own name; only an unknown method is "other".
      ['GLS', [3]],
      [OTHER_CARRIER, [4]],
    ])
  })

  it('takes the day on the warehouse’s clock: shipped 00:30 in Prague is the day before in London', () => {
    const order = shippedWith(1, ppl, 'PPL1', { shipped: '2026-11-22 00:30:00' })
    expect(handoverList([order], DEFAULT_CARRIERS, '2026-11-22', 'Europe/Prague')).toHaveLength(1)
    expect(handoverList([order], DEFAULT_CARRIERS, '2026-11-22', 'Europe/London')).toHaveLength(0)
    expect(handoverList([order], DEFAULT_CARRIERS, '2026-11-21', 'Europe/London')).toHaveLength(1)
  })
})
