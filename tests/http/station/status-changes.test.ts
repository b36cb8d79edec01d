import { describe, expect } from 'vitest'
import { formatMallDateTime } from '#core/datetime.ts'
import { eventually, type RunningStation } from '../../support/station.ts'
import { test } from './fixtures.ts'
import {
  appliedPuts,
  changeStatus,
  expectProblem,
  mallNow,
  marketplaceOrder,
  newOrder,
  simLog,
  stationOrder,
  tracking,
} from './helpers.ts'

/** The steps most tests here take, on the file's station as its picker. */
function stepsOn(running: RunningStation, token: string) {
  /** Changes the order through the station and waits until the marketplace shows it. */
  async function accepted(orderId: number, body: Record<string, unknown>, deviceId?: string) {
    const result = await changeStatus(running, token, orderId, body, { deviceId })
    expect(result.status, result.text).toBe(200)
    expect(result.headers.get('content-type')).toMatch(/^application\/json/)
    await eventually(async () => (await stationOrder(running, token, orderId)).order.synced)
    return result.body
  }

  /** A new own-carrier order brought to `status` through the station, the marketplace agreeing. */
  async function orderIn(status: 'open' | 'shipping' | 'shipped', body: Record<string, unknown> = {}) {
    const order = await newOrder(running, token, body)
    if (status === 'open') return order
    await accepted(order.id, { status: 'shipping', confirmed: true })
    if (status === 'shipping') return (await stationOrder(running, token, order.id)).order
    await accepted(order.id, { status: 'shipped', ...tracking(order.id) })
    return (await stationOrder(running, token, order.id)).order
  }
  return { accepted, orderIn }
}

const it = test
  .extend('accepted', async ({ running, token }) => stepsOn(running, token).accepted)
  .extend('orderIn', async ({ running, token }) => stepsOn(running, token).orderIn)

describe('status changes from a tablet', () => {
  it('takes an order from open to delivered, each change reaching the marketplace once and in order', async ({ running, token, accepted }) => {
    const order = await newOrder(running, token)
    expect(order).toMatchObject({ status: 'open', confirmed: false })

    const confirmed = await accepted(order.id, { confirmed: true }, 'tablet-01')
    expect(confirmed).toMatchObject({ id: order.id, status: 'open', confirmed: true })
    expect(await marketplaceOrder(running, order.id)).toMatchObject({ status: 'open', confirmed: true })

    const shipping = await accepted(order.id, { status: 'shipping' })
    expect(shipping.status).toBe('shipping')
    expect(await marketplaceOrder(running, order.id)).toMatchObject({ status: 'shipping', confirmed: true })

    const parcel = tracking(order.id)
    const shipped = await accepted(order.id, { status: 'shipped', ...parcel })
    expect(shipped).toMatchObject({ status: 'shipped', ...parcel })
    expect(await marketplaceOrder(running, order.id)).toMatchObject({ status: 'shipped', ...parcel })

    const deliveredAt = mallNow()
    const delivered = await accepted(order.id, { status: 'delivered', delivered_at: deliveredAt })
    expect(delivered).toMatchObject({ status: 'delivered', delivered_at: deliveredAt })
    expect(await marketplaceOrder(running, order.id)).toMatchObject({ status: 'delivered', delivered_at: deliveredAt })

    const puts = await appliedPuts(running, order.id)
    expect(puts.map((entry) => entry.body)).toEqual([
      { confirmed: true },
      { status: 'shipping' },
      { status: 'shipped', ...parcel },
      { status: 'delivered', delivered_at: deliveredAt },
    ])
    expect((await simLog(running)).filter((entry) => entry.path === `/v1/orders/${order.id}` && entry.status !== 200)).toEqual([])
  })

  it('confirms and leaves open in one change, ships an own-carrier order straight from open, cancels, and returns', async ({ running, token, accepted, orderIn }) => {
    const packed = await newOrder(running, token)
    await accepted(packed.id, { status: 'shipping', confirmed: true })
    expect(await marketplaceOrder(running, packed.id)).toMatchObject({ status: 'shipping', confirmed: true })

    const direct = await newOrder(running, token)
    await accepted(direct.id, { status: 'shipped', confirmed: true, ...tracking(direct.id) })
    expect(await marketplaceOrder(running, direct.id)).toMatchObject({ status: 'shipped', confirmed: true, ...tracking(direct.id) })

    const cancelled = await newOrder(running, token)
    await accepted(cancelled.id, { status: 'cancelled', confirmed: true })
    expect((await marketplaceOrder(running, cancelled.id)).status).toBe('cancelled')

    const returned = await orderIn('shipped')
    await accepted(returned.id, { status: 'returned' })
    expect((await marketplaceOrder(running, returned.id)).status).toBe('returned')

    const attempted = await orderIn('shipped')
    const firstAttempt = formatMallDateTime(Date.now() - 1000)
    const deliveredAt = mallNow()
    await accepted(attempted.id, { status: 'delivered', delivered_at: deliveredAt, first_delivery_attempt: firstAttempt })
    expect(await marketplaceOrder(running, attempted.id)).toMatchObject({ status: 'delivered', delivered_at: deliveredAt, first_delivery_attempt: firstAttempt })
  })

  it('records each change in the order history: who, when, from which device, and when it reached the marketplace', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const result = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true }, { deviceId: 'packing-desk-3' })
    expect(result.status).toBe(200)
    const entry = await eventually(async () => {
      const found = (await stationOrder(running, token, order.id)).history.find((e) => e.action === 'status')
      return found?.marketplace_state === 'sent' ? found : null
    })
    expect(entry).toMatchObject({ actor: 'user', user: 'picker', device_id: 'packing-desk-3', action: 'status', marketplace_state: 'sent' })
    expect(entry.details).toMatchObject({ from: 'open', to: 'shipping' })
    expect(Math.abs(Date.parse(entry.at) - Date.now())).toBeLessThan(60_000)
  })

  it('refuses every broken rule with 422 and its code, and sends nothing to the marketplace', async ({ running, token, accepted, orderIn }) => {
    const open = await orderIn('open')
    const shipping = await orderIn('shipping')
    const shipped = await orderIn('shipped')
    const mdpOpen = await orderIn('open', { mdp: true })
    const mdpShipping = await orderIn('shipping', { mdp: true })
    const parcel = tracking('X1')
    const cases: [string, { id: number }, Record<string, unknown>][] = [
      ['CONFIRMATION_REQUIRED', open, { status: 'shipping' }],
      ['CONFIRMATION_REQUIRED', open, { status: 'cancelled' }],
      ['TRACKING_REQUIRED', shipping, { status: 'shipped' }],
      ['TRACKING_REQUIRED', shipping, { status: 'shipped', tracking_number: 'DPD1CZ' }],
      ['TRACKING_NUMBER_INVALID', shipping, { status: 'shipped', tracking_number: 'DPD 1/CZ', tracking_url: parcel.tracking_url }],
      ['TRACKING_NUMBER_INVALID', open, { status: 'shipping', confirmed: true, tracking_number: 'DPD 1/CZ', tracking_url: parcel.tracking_url }],
      ['DELIVERED_AT_REQUIRED', shipped, { status: 'delivered' }],
      ['DELIVERED_AT_NOT_ALLOWED', shipping, { status: 'shipped', ...parcel, delivered_at: mallNow() }],
      ['DATETIME_INVALID', shipped, { status: 'delivered', delivered_at: 'yesterday' }],
      ['DELIVERED_AT_NOT_ALLOWED', open, { confirmed: true, delivered_at: mallNow() }],
      ['TRANSITION_NOT_ALLOWED', open, { status: 'delivered', confirmed: true, delivered_at: mallNow() }],
      ['TRANSITION_NOT_ALLOWED', shipped, { status: 'cancelled' }],
      ['STATUS_SET_BY_MARKETPLACE', shipping, { status: 'open' }],
      ['STATUS_SET_BY_MARKETPLACE', shipped, { status: 'lost' }],
      ['STATUS_UNKNOWN', open, { status: 'teleported', confirmed: true }],
      ['MDP_SHIPPING_REQUIRED', mdpOpen, { status: 'shipped', confirmed: true }],
      ['LABELS_REQUIRED', mdpShipping, { status: 'shipped' }],
    ]
    const ids = [open.id, shipping.id, shipped.id, mdpOpen.id, mdpShipping.id]
    const before = new Map<number, { revision: number; history: number }>()
    for (const id of ids) {
      const current = await stationOrder(running, token, id)
      before.set(id, { revision: current.order.revision, history: current.history.length })
    }
    const logBefore = (await simLog(running)).length

    for (const [code, order, body] of cases) {
      const result = await changeStatus(running, token, order.id, body)
      const problem = expectProblem(result, 422, code)
      expect(problem.order?.id, `${code}: the refusal carries the current order`).toBe(order.id)
    }

    // A change accepted after the refusals reaches the marketplace; anything accepted before it would have gone first.
    const sentinel = await newOrder(running, token)
    await accepted(sentinel.id, { confirmed: true })
    const writes = (await simLog(running)).slice(logBefore)
    expect(writes.map((entry) => `${entry.method} ${entry.path}`)).toEqual([`PUT /v1/orders/${sentinel.id}`])
    for (const id of ids) {
      const current = await stationOrder(running, token, id)
      expect(current.order.revision, `order ${id} changed`).toBe(before.get(id)?.revision)
      expect(current.order.pending_changes).toBe(0)
      expect(current.history.length).toBe(before.get(id)?.history)
    }
    expect(await marketplaceOrder(running, open.id)).toMatchObject({ status: 'open', confirmed: false })
    expect((await marketplaceOrder(running, shipping.id)).status).toBe('shipping')
    expect((await marketplaceOrder(running, shipped.id)).status).toBe('shipped')
  })

  // MALL takes these (its own PHP client sends the first); the station is not stricter than MALL.
  it('accepts and forwards what MALL takes: tracking with shipping, a delivery dated before shipping, MALL Delivery shipped with tracking', async ({ running, token, accepted, orderIn }) => {
    const packed = await newOrder(running, token)
    const parcel = { tracking_number: 'ABC123456', tracking_url: 'https://tracking.company.com/id/ABC123456' }
    const shipping = await accepted(packed.id, { status: 'shipping', confirmed: true, ...parcel })
    expect(shipping).toMatchObject({ status: 'shipping', confirmed: true, ...parcel })
    expect(await marketplaceOrder(running, packed.id)).toMatchObject({ status: 'shipping', confirmed: true, ...parcel })
    expect((await appliedPuts(running, packed.id)).map((entry) => entry.body)).toEqual([{ status: 'shipping', confirmed: true, ...parcel }])

    const late = await orderIn('shipped')
    expect(late.shipped! > '2018-02-27 00:00:00').toBe(true)
    const delivered = await accepted(late.id, { status: 'delivered', delivered_at: '2018-02-27 00:00:00' })
    expect(delivered).toMatchObject({ status: 'delivered', delivered_at: '2018-02-27 00:00:00' })
    expect(await marketplaceOrder(running, late.id)).toMatchObject({ status: 'delivered', delivered_at: '2018-02-27 00:00:00' })

    // "Mark delivered" offers the current minute; the order shipped seconds into it.
    const sameMinute = await orderIn('shipped')
    const deliveredAt = `${sameMinute.shipped!.slice(0, 16)}:00`
    await accepted(sameMinute.id, { status: 'delivered', delivered_at: deliveredAt })
    expect(await marketplaceOrder(running, sameMinute.id)).toMatchObject({ status: 'delivered', delivered_at: deliveredAt })

    const mdp = await orderIn('shipping', { mdp: true })
    const labels = await running.api('POST', `/api/orders/${mdp.id}/labels`, { token, body: { parcel_count: 1, labels_type: 'pdf' } })
    expect([200, 202], labels.text).toContain(labels.status)
    const mine = tracking(mdp.id)
    await accepted(mdp.id, { status: 'shipped', ...mine })
    expect((await appliedPuts(running, mdp.id)).at(-1)?.body).toEqual({ status: 'shipped', ...mine })
    const atMall = await marketplaceOrder(running, mdp.id)
    expect(atMall.status).toBe('shipped')
    // MALL fills in MALL Delivery tracking itself: the seller's is not what the order shows.
    expect(atMall.tracking_number).toMatch(/^[0-9A-Za-z_-]+$/)
    expect(atMall.tracking_number).not.toBe(mine.tracking_number)
    await eventually(async () => (await stationOrder(running, token, mdp.id)).order.tracking_number === atMall.tracking_number)
  })

  it('answers a change of a cancelled or blocked order with 409 and the current order', async ({ running, token, accepted }) => {
    const cancelled = await newOrder(running, token)
    await accepted(cancelled.id, { status: 'cancelled', confirmed: true })
    const final = expectProblem(await changeStatus(running, token, cancelled.id, { status: 'shipping', confirmed: true }), 409, 'ORDER_FINAL')
    expect(final.order).toMatchObject({ id: cancelled.id, status: 'cancelled' })

    const blocked = await running.mall('POST', '/_sim/orders', { status: 'blocked', mdp: false })
    const blockedId = blocked.body.data.id as number
    await eventually(async () => (await running.api('GET', `/api/orders/${blockedId}`, { token })).status === 200)
    const waiting = expectProblem(await changeStatus(running, token, blockedId, { status: 'shipping', confirmed: true }), 409, 'ORDER_BLOCKED')
    expect(waiting.order).toMatchObject({ id: blockedId, status: 'blocked' })
    expect(await appliedPuts(running, blockedId)).toEqual([])
  })

  it('answers a change to the status the order already has with the order, sending nothing', async ({ running, token, orderIn }) => {
    const order = await orderIn('shipping')
    const again = await changeStatus(running, token, order.id, { status: 'shipping' })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: order.id, status: 'shipping', revision: order.revision, pending_changes: 0 })
    expect(await appliedPuts(running, order.id)).toHaveLength(1)
  })

  it('answers an unknown order with 404 NOT_FOUND', async ({ running, token }) => {
    expectProblem(await running.api('GET', '/api/orders/999999999', { token }), 404, 'NOT_FOUND')
    expectProblem(await running.api('GET', '/api/orders/not-an-id', { token }), 404, 'NOT_FOUND')
    expectProblem(await changeStatus(running, token, 999999999, { status: 'shipping', confirmed: true }), 404, 'NOT_FOUND')
    expectProblem(await changeStatus(running, token, 'abc', { status: 'shipping', confirmed: true }), 404, 'NOT_FOUND')
    expectProblem(await running.api('DELETE', '/api/orders/999999999/conflict', { token }), 404, 'NOT_FOUND')
    expectProblem(await running.api('POST', '/api/orders/999999999/labels', { token, body: { parcel_count: 1, labels_type: 'pdf' } }), 404, 'NOT_FOUND')
    expectProblem(await running.api('GET', '/api/orders/999999999/labels', { token }), 404, 'NOT_FOUND')
    expectProblem(await running.api('GET', '/api/no-such-call', { token }), 404, 'NOT_FOUND')
    expect((await simLog(running)).filter((entry) => entry.path.includes('999999999'))).toEqual([])
  })
})
