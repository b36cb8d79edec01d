import { describe, expect } from 'vitest'
import type { RunningStation } from '../../support/station.ts'
import { test as it } from './fixtures.ts'
import { expectProblem, newOrder, pullAll, stationOrder } from './helpers.ts'

/** Starting an order claims it, so a second tablet sees it taken. */
describe('claims', () => {
  const claim = (running: RunningStation, token: string, id: number, device: string) =>
    running.api('POST', `/api/orders/${id}/claim`, { token, body: {}, headers: { 'x-device-id': device } })

  it('gives the order to the first packer, tells the second who has it, and shows it in the pull', async ({ running, token: picker, lead }) => {
    const order = await newOrder(running, picker)
    const { cursor } = await pullAll(running, lead, null)
    const first = await claim(running, picker, order.id, 'tablet-1')
    expect(first.status).toBe(200)
    expect(first.body.claim).toMatchObject({ user: 'picker', device_id: 'tablet-1' })
    expect(Date.parse(first.body.claim.until)).toBeGreaterThan(Date.now() + 25 * 60_000)

    const second = await claim(running, lead, order.id, 'tablet-2')
    const problem = expectProblem(second, 409, 'ORDER_CLAIMED')
    expect(problem.detail).toMatch(/already being packed by picker on tablet-1/)
    expect(problem.order.claim.user).toBe('picker')

    // The other tablet learns of the claim in its next pull.
    const delta = await pullAll(running, lead, cursor)
    expect((delta.orders as { id: number; claim: unknown }[]).find((o) => o.id === order.id)?.claim).toMatchObject({ user: 'picker', device_id: 'tablet-1' })
    const { history } = await stationOrder(running, picker, order.id)
    expect((history as { action: string; user: string }[]).filter((h) => h.action === 'claim').map((h) => h.user)).toEqual(['picker'])
  })

  it('renews the same packer’s claim, and lets its holder or a lead release it', async ({ running, token: picker, lead }) => {
    const order = await newOrder(running, picker)
    expect((await claim(running, picker, order.id, 'tablet-1')).status).toBe(200)
    expect((await claim(running, picker, order.id, 'tablet-1')).status).toBe(200)
    // The same person on another tablet is a second packer.
    expectProblem(await claim(running, picker, order.id, 'tablet-9'), 409, 'ORDER_CLAIMED')
    const released = await running.api('DELETE', `/api/orders/${order.id}/claim`, { token: lead })
    expect(released.status).toBe(200)
    expect(released.body.claim).toBeNull()
    expect((await claim(running, lead, order.id, 'tablet-2')).status).toBe(200)
    expectProblem(await running.api('DELETE', `/api/orders/${order.id}/claim`, { token: picker }), 403, 'NOT_YOUR_CLAIM')
  })

  it('answers an unknown order with 404', async ({ running, token: picker }) => {
    expectProblem(await claim(running, picker, 999999999, 'tablet-1'), 404, 'NOT_FOUND')
  })
})
