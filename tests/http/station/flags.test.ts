import { describe, expect } from 'vitest'
import { test as it } from './fixtures.ts'
import { expectProblem, newOrder, pullAll, stationOrder } from './helpers.ts'

/** A short pick keeps the order open and flags it with a reason every tablet sees. */
describe('problems reported on an order', () => {
  it('flags the order with the reason, keeps it open, shows it in the pull, and clears it', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const { cursor } = await pullAll(running, token, null)
    const flagged = await running.api('POST', `/api/orders/${order.id}/flag`, {
      token,
      body: { reason: 'out_of_stock', sku: order.items[0].id, note: 'shelf empty' },
      headers: { 'x-device-id': 'tablet-1' },
    })
    expect(flagged.status).toBe(200)
    expect(flagged.body).toMatchObject({ status: 'open', flag: { reason: 'out_of_stock', sku: order.items[0].id, note: 'shelf empty', user: 'picker', device_id: 'tablet-1' } })
    const delta = await pullAll(running, token, cursor)
    expect((delta.orders as { id: number; flag: unknown }[]).find((o) => o.id === order.id)?.flag).toMatchObject({ reason: 'out_of_stock' })
    const { history } = await stationOrder(running, token, order.id)
    expect((history as { action: string }[]).map((h) => h.action)).toContain('flag')

    const cleared = await running.api('DELETE', `/api/orders/${order.id}/flag`, { token })
    expect(cleared.status).toBe(200)
    expect(cleared.body.flag).toBeNull()
  })

  it('refuses a reason it does not know, saying which it takes', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const problem = expectProblem(await running.api('POST', `/api/orders/${order.id}/flag`, { token, body: { reason: 'lazy' } }), 422, 'VALIDATION_FAILED')
    expect(problem.detail).toMatch(/out_of_stock, damaged, wrong_location/)
  })
})
