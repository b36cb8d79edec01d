import { describe, expect } from 'vitest'
import { eventually } from '../../support/station.ts'
import { onDevice } from './fixtures.ts'
import { appliedPuts, expectProblem, newKey, newOrders, stationOrder } from './helpers.ts'

/**
 * `POST /api/changes`: the tablet's outbox sends up to 100 status changes in one request. Each has
 * its own key and gets its own answer, exactly as `POST /api/orders/:id/status` would give it; a
 * batch sent again is answered from the record, and the marketplace gets each change once.
 */

interface BatchResult {
  key: string
  order_id: number
  status: number
  body: Record<string, unknown> & { code?: string; status?: string }
}

/** The tablet sends a batch as the outbox does: its answers, one a change. */
type Send = (changes: unknown[]) => Promise<BatchResult[]>

const it = onDevice('tablet-batch').extend<{ send: Send }>({
  send: async ({ running, token, device }, use) => {
    await use(async (changes) => {
      const answer = await running.api('POST', '/api/changes', { token, body: { changes }, headers: { 'x-device-id': device } })
      expect(answer.status, answer.text).toBe(200)
      return answer.body.results as BatchResult[]
    })
  },
})

describe('a batch of changes', () => {
  it('answers each change on its own, and a retry of the whole batch changes nothing twice', async ({ running, token, send }) => {
    const orders = await newOrders(running, token, 3)
    const changes = orders.map((order) => ({ order_id: order.id, key: newKey('batch'), body: { status: 'shipping', confirmed: true } }))
    const first = await send(changes)
    expect(first.map((r) => [r.key, r.order_id, r.status, r.body.status])).toEqual(changes.map((c) => [c.key, c.order_id, 200, 'shipping']))

    // The answer was lost: the tablet sends the same batch again, with the same keys.
    const again = await send(changes)
    expect(again).toEqual(first)
    for (const order of orders) {
      const view = await stationOrder(running, token, order.id as number)
      expect(view.history.filter((entry) => entry.action === 'status')).toHaveLength(1)
      expect(view.history[0]).toMatchObject({ user: 'picker', device_id: 'tablet-batch' })
      const applied = await eventually(async () => {
        const puts = await appliedPuts(running, order.id as number)
        return puts.length === 1 ? puts : null
      })
      expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
    }
  })

  it('gives each change the answer the single call would: done, refused, conflict, unknown order, key reused', async ({ running, token, send }) => {
    const [good, cancelled] = await newOrders(running, token, 2)
    const cancel = await running.mall('POST', `/_sim/orders/${cancelled?.id}/cancel`)
    expect(cancel.status, cancel.text).toBe(200)
    await eventually(async () => (await stationOrder(running, token, cancelled?.id as number)).order.status === 'cancelled')
    const usedKey = newKey('used')
    await send([{ order_id: good?.id, key: usedKey, body: { status: 'shipping', confirmed: true } }])

    const results = await send([
      { order_id: cancelled?.id, key: newKey('final'), body: { status: 'shipping', confirmed: true } },
      { order_id: good?.id, key: newKey('rule'), body: { status: 'delivered' } },
      { order_id: 99999999999, key: newKey('unknown'), body: { status: 'shipping', confirmed: true } },
      { order_id: good?.id, key: usedKey, body: { status: 'cancelled' } },
    ])
    expect(results.map((r) => [r.status, r.body.code])).toEqual([
      [409, 'ORDER_FINAL'],
      [422, expect.any(String)],
      [404, 'NOT_FOUND'],
      [422, 'IDEMPOTENCY_KEY_REUSED'],
    ])
    // The conflict carries the order as the station has it, as the single call's does.
    expect(results[0]?.body.order).toMatchObject({ id: cancelled?.id, status: 'cancelled' })
  })

  it('refuses a batch it cannot read as a whole, with a sentence', async ({ running, token }) => {
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ order_id: i + 1, key: newKey('many'), body: {} }))
    expectProblem(await running.api('POST', '/api/changes', { token, body: { changes: tooMany } }), 422, 'VALIDATION_FAILED')
    expectProblem(await running.api('POST', '/api/changes', { token, body: { changes: [{ order_id: 1, key: 'short', body: {} }] } }), 422, 'VALIDATION_FAILED')
    expectProblem(await running.api('POST', '/api/changes', { token, body: [] }), 422, 'VALIDATION_FAILED')
    expectProblem(await running.api('POST', '/api/changes', { body: { changes: [] } }), 401, 'UNAUTHENTICATED')
  })
})
