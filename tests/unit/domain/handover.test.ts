import { describe, expect, it } from 'vitest'
import { DEFAULT_CARRIERS, trackingFor } from '../../../src/domain/carriers.ts'
import { carrierOfLink, handoverList, MALL_DELIVERY, OTHER_CARRIER } from '../../../src/domain/handover.ts'
import type { Order } from '../../../src/domain/order.ts'
import { makeOrder } from './fixtures.ts'

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
