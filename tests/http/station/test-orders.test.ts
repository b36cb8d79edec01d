import { describe, expect } from 'vitest'
import { test } from './fixtures.ts'
import { expectProblem, pullAll } from './helpers.ts'

/** "Place test order" in demo mode: a lead asks, the demo marketplace makes one marked test. */

describe('test orders', () => {
  test('a lead places one; it is marked test, in the history and off the floor’s working set', async ({ running, token, lead }) => {
    const placed = await running.api('POST', '/api/test-orders', { token: lead })
    expect(placed.status, placed.text.slice(0, 300)).toBe(201)
    expect(placed.body.order).toMatchObject({ id: placed.body.order_id, test: true, status: 'open' })
    expect((await running.mall('GET', `/v1/orders/${placed.body.order_id}`)).body.data.test).toBe(true)

    const floor = (await pullAll(running, token, null)).orders.map((order) => order.id)
    expect(floor).not.toContain(placed.body.order_id)
    const history = await running.api('GET', '/api/orders/history?limit=5000', { token })
    expect(history.body.orders.find((order: { id: number }) => order.id === placed.body.order_id)).toMatchObject({ test: true })
  })

  test('a picker may not place one', async ({ running, token }) => {
    expect(expectProblem(await running.api('POST', '/api/test-orders', { token }), 403, 'FORBIDDEN').detail).toBe('Only a team lead can place a test order.')
  })
})
