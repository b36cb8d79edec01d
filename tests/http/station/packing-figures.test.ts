import { describe, expect } from 'vitest'
import { test } from './fixtures.ts'
import { changeStatus, expectProblem, newOrders } from './helpers.ts'

/** "Today at a glance" per packer, from the packing evidence the station keeps. */

describe('packing figures', () => {
  test('orders packed, items scanned, wrong scans and the median time per order, per packer, since the start of the day', async ({ running, token, lead }) => {
    const since = new Date(Date.now() - 60_000).toISOString()
    const [first, second, third] = await newOrders(running, token, 3)
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString()
    const scan = (units: number, secondsAgo: number, source = 'wedge') => ({ sku: 'SKU-1', units, code: source === 'manual' ? null : '8590000000001', at: at(secondsAgo), source, ...(source === 'manual' ? { reason: 'label torn' } : {}) })
    expect((await changeStatus(running, token, first?.id, { status: 'shipping', confirmed: true, packing: { scans: [scan(2, 60), scan(1, 50)], wrong_scans: 2 } })).status).toBe(200)
    expect((await changeStatus(running, token, second?.id, { status: 'shipping', confirmed: true, packing: { scans: [scan(1, 120), scan(1, 100, 'manual')], wrong_scans: 1 } })).status).toBe(200)
    expect((await changeStatus(running, lead, third?.id, { status: 'shipping', confirmed: true, packing: { scans: [], unscanned_reason: 'scanner broken' } })).status).toBe(200)

    const figures = await running.api('GET', `/api/figures/packers?since=${encodeURIComponent(since)}`, { token })
    expect(figures.status, figures.text.slice(0, 300)).toBe(200)
    const [picker, leads] = figures.body.packers
    expect(picker).toMatchObject({ user: 'picker', orders_packed: 2, items_scanned: 4, wrong_scans: 3 })
    // Median of about 60 s and 120 s from the first scan to the packing.
    expect(picker.median_seconds_per_order).toBeGreaterThan(85)
    expect(picker.median_seconds_per_order).toBeLessThan(100)
    // A tablet older than the count sends none: nothing wrong is counted.
    expect(leads).toEqual({ user: 'lead', orders_packed: 1, items_scanned: 0, wrong_scans: 0, median_seconds_per_order: null })

    // The count is kept in the order's history with the rest of the evidence.
    const history = (await running.api('GET', `/api/orders/${first?.id}`, { token })).body.history as { details: { packing?: { wrong_scans?: number } } }[]
    expect(history.some((entry) => entry.details.packing?.wrong_scans === 2)).toBe(true)

    const later = await running.api('GET', `/api/figures/packers?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { token })
    expect(later.body.packers).toEqual([])
    expectProblem(await running.api('GET', '/api/figures/packers?since=yesterday', { token }), 422, 'VALIDATION_FAILED')
  })

  test('a count of wrong scans that is not a whole number of 0 or more is refused with the field named', async ({ running, token }) => {
    const [order] = await newOrders(running, token, 1)
    const scans = [{ sku: 'SKU-1', units: 1, code: '8590000000001', at: new Date().toISOString(), source: 'wedge' }]
    for (const wrong_scans of [-1, 1.5, 'two']) {
      const refused = await changeStatus(running, token, order?.id, { status: 'shipping', confirmed: true, packing: { scans, wrong_scans } })
      expectProblem(refused, 422, 'VALIDATION_FAILED')
      expect(refused.body.detail).toContain('packing.wrong_scans')
    }
  })
})
