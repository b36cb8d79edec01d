import { describe, expect } from 'vitest'
import { eventually } from '../../support/station.ts'
import { test as it } from './fixtures.ts'
import {
  appliedPuts,
  changeStatus,
  health,
  marketplaceOrder,
  newOrders,
  outage,
  pullAll,
  putsOf,
  simLog,
  stationOrder,
  tracking,
} from './helpers.ts'

describe('while the marketplace is down', () => {
  it('accepts every change at once through 503s and a hang, then delivers each exactly once and in order', async ({ running, token }) => {
    const orders = await newOrders(running, token, 5)
    const { cursor } = await pullAll(running, token, null)
    try {
      await outage(running, '503')
      const packing = await Promise.all(orders.map((order) => changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })))
      for (const answer of packing) {
        expect(answer.status, answer.text).toBe(200)
        expect(answer.body).toMatchObject({ status: 'shipping', synced: false })
      }
      // The station tried and the marketplace refused service.
      await eventually(async () => (await putsOf(running, orders[0]?.id as number)).some((entry) => entry.status === 503))
      const down = await eventually(async () => {
        const now = await health(running)
        return now.marketplace.reachable === false ? now : null
      })
      expect(down.marketplace.last_error).toBeTypeOf('string')

      await outage(running, 'hang')
      const started = Date.now()
      const shipping = await Promise.all(
        orders.map((order) => changeStatus(running, token, order.id, { status: 'shipped', ...tracking(order.id) }, { deviceId: `tablet-${order.id % 7}` })),
      )
      // Answered on the LAN without waiting for the marketplace (which would take its 1.5 s time-out).
      expect(Date.now() - started).toBeLessThan(1500)
      for (const answer of shipping) {
        expect(answer.status, answer.text).toBe(200)
        expect(answer.body).toMatchObject({ status: 'shipped', synced: false, pending_changes: 2 })
      }
      // The station sent a change into the hang: it never got an answer.
      await eventually(async () => (await simLog(running)).some((entry) => entry.method === 'PUT' && entry.status === null), 8000)
      const waiting = await health(running)
      expect(waiting.outbox.waiting).toBe(10)
      expect(Number.isNaN(Date.parse(waiting.outbox.oldest_waiting_since))).toBe(false)
      expect(waiting.outbox.last_error).toBeTypeOf('string')
      const pulled = await pullAll(running, token, cursor)
      for (const order of orders) {
        expect(pulled.orders.find((o) => o.id === order.id)).toMatchObject({ status: 'shipped', synced: false, pending_changes: 2 })
      }
      // Nothing has been applied at the marketplace yet (its orders API itself hangs now; its log does not).
      for (const order of orders) expect(await appliedPuts(running, order.id)).toEqual([])
    } finally {
      await outage(running, 'off')
    }

    const back = await eventually(async () => {
      const now = await health(running)
      return now.outbox.waiting === 0 ? now : null
    }, 20_000)
    expect(back.outbox.last_sent_at).toBeTypeOf('string')
    for (const order of orders) {
      const parcel = tracking(order.id)
      // Every PUT answered 200 counts; a 503 or a hang was not applied.
      const applied = await appliedPuts(running, order.id)
      expect(applied.map((entry) => entry.body), `order ${order.id}`).toEqual([
        { status: 'shipping', confirmed: true },
        { status: 'shipped', ...parcel },
      ])
      expect(await marketplaceOrder(running, order.id)).toMatchObject({ status: 'shipped', confirmed: true, ...parcel })
      const station = await stationOrder(running, token, order.id)
      expect(station.order).toMatchObject({ status: 'shipped', synced: true, pending_changes: 0, conflict: null })
      expect(station.history.filter((entry) => entry.action === 'status').map((entry) => entry.marketplace_state)).toEqual(['sent', 'sent'])
    }
    const log = await simLog(running)
    const ours = log.filter((entry) => orders.some((order) => entry.path === `/v1/orders/${order.id}`))
    expect(ours.some((entry) => entry.status === 503)).toBe(true)
    expect(ours.some((entry) => entry.status === null)).toBe(true)
    await eventually(async () => (await health(running)).marketplace.reachable === true)
  }, 45_000)

  it('waits as long as a 429 asks, then sends the change once', async ({ running, token }) => {
    const [order] = await newOrders(running, token, 1)
    const id = order?.id as number
    try {
      await outage(running, '429')
      const answer = await changeStatus(running, token, id, { status: 'cancelled', confirmed: true })
      expect(answer.status).toBe(200)
      await eventually(async () => (await putsOf(running, id)).some((entry) => entry.status === 429))
      expect((await health(running)).outbox.waiting).toBe(1)
    } finally {
      await outage(running, 'off')
    }
    await eventually(async () => (await stationOrder(running, token, id)).order.synced, 10_000)
    expect((await appliedPuts(running, id)).map((entry) => entry.body)).toEqual([{ status: 'cancelled', confirmed: true }])
    expect((await marketplaceOrder(running, id)).status).toBe('cancelled')
  })
})
