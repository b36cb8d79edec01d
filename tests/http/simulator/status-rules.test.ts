import { describe, expect } from 'vitest'
import type { Order } from '#core/order.ts'
import { test } from './fixtures.ts'
import {
  createOrder,
  DATETIME,
  expectError,
  expectOk,
  expectPutOk,
  expectRefusal,
  getOrder,
  mallNow,
  put,
  requestLabels,
  shippedOrder,
  toShipping,
  trackingFor,
} from './helpers.ts'

interface OrderSteps {
  /** Sends the change, expects the refusal, and checks the order did not move. */
  refused: (order: Order, change: Record<string, unknown>, code: string, hasLabels?: boolean) => Promise<void>
  ownCarrier: () => Promise<Order>
  mallDelivery: () => Promise<Order>
}

const it = test.extend<OrderSteps>({
  refused: async ({ sim }, use) => {
    await use(async (order, change, code, hasLabels = false) => {
      expectRefusal(await put(sim, order.id, change), code, order, change, hasLabels)
      const after = await getOrder(sim, order.id)
      expect(after).toEqual(order)
    })
  },
  ownCarrier: async ({ sim }, use) => {
    await use(() => createOrder(sim, { mdp: false, pickup_point: false }))
  },
  mallDelivery: async ({ sim }, use) => {
    await use(() => createOrder(sim, { mdp: true, pickup_point: false }))
  },
})

describe('leaving open', () => {
  it('needs the order confirmed: CONFIRMATION_REQUIRED', async ({ refused, ownCarrier }) => {
    const order = await ownCarrier()
    expect(order).toMatchObject({ status: 'open', confirmed: false })
    await refused(order, { status: 'shipping' }, 'CONFIRMATION_REQUIRED')
    await refused(order, { status: 'cancelled' }, 'CONFIRMATION_REQUIRED')
  })

  it('confirmed: true in the same request is enough; the shipping time is set', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    expectPutOk(await put(sim, order.id, { confirmed: true, status: 'shipping' }))
    const after = await getOrder(sim, order.id)
    expect(after).toMatchObject({ status: 'shipping', confirmed: true, open: order.open, shipped: null })
    expect(after.shipping).toMatch(DATETIME)
    expect(after.shipping! >= order.open!).toBe(true)
    expect(after.shipping! <= mallNow(1000)).toBe(true)
  })

  it('an order confirmed earlier may leave open without repeating it', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    expectPutOk(await put(sim, order.id, { confirmed: true }))
    expectPutOk(await put(sim, order.id, { status: 'shipping' }))
    expect(await getOrder(sim, order.id)).toMatchObject({ status: 'shipping', confirmed: true })
  })
})

describe('confirming', () => {
  it('{confirmed: true} alone confirms and leaves the status', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    const before = expectOk(await sim.call('GET', '/v1/orders/unconfirmed', { query: { page_size: 1000 } })) as number[]
    expect(before).toContain(order.id)
    expectPutOk(await put(sim, order.id, { confirmed: true }))
    expect(await getOrder(sim, order.id)).toEqual({ ...order, confirmed: true })
    const after = expectOk(await sim.call('GET', '/v1/orders/unconfirmed', { query: { page_size: 1000 } })) as number[]
    expect(after).not.toContain(order.id)
  })

  it('confirmed: false is taken and changes nothing: only MALL un-confirms', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    expectPutOk(await put(sim, order.id, { confirmed: false }))
    expect(await getOrder(sim, order.id)).toEqual(order)
    expectPutOk(await put(sim, order.id, { confirmed: true }))
    expectPutOk(await put(sim, order.id, { confirmed: false }))
    expect(await getOrder(sim, order.id)).toEqual({ ...order, confirmed: true })
  })

  it.for([
    ['confirmed as a word', { confirmed: 'yes' }],
    ['confirmed as a number', { confirmed: 1 }],
    ['status as a number', { status: 3, confirmed: true }],
    ['tracking_number as a number', { status: 'shipped', confirmed: true, tracking_number: 123, tracking_url: 'https://t.example/123' }],
    ['an array for a body', [{ confirmed: true }]],
    ['a string for a body', 'confirmed'],
  ] as [string, unknown][])('wrong types are refused with 400 VALIDATION_FAILED: %s', async ([_what, body], { sim, ownCarrier }) => {
    const order = await ownCarrier()
    expectError(await put(sim, order.id, body), 400, 'VALIDATION_FAILED')
    expect(await getOrder(sim, order.id)).toEqual(order)
  })

  it('a change that says nothing is taken and changes nothing', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    expectPutOk(await put(sim, order.id, {}))
    expect(await getOrder(sim, order.id)).toEqual(order)
  })

  // What MALL's own PHP client sends in its example/Order.php (StatusRequest shipping + setTracking).
  it('shipping with confirmed and tracking in one request is taken, and the tracking is kept', async ({ sim, refused, ownCarrier }) => {
    const order = await ownCarrier()
    const tracking = { tracking_number: 'ABC123456', tracking_url: 'https://tracking.company.com/id/ABC123456' }
    expectPutOk(await put(sim, order.id, { status: 'shipping', confirmed: true, ...tracking }))
    const after = await getOrder(sim, order.id)
    expect(after).toMatchObject({ status: 'shipping', confirmed: true, ...tracking, shipped: null })
    const [listed] = expectOk(await sim.call('GET', '/v1/orders', { query: { id: order.id } }))
    expect(listed).toMatchObject({ status: 'shipping', ...tracking })
    // shipped still needs its tracking, sent with it.
    await refused(after, { status: 'shipped' }, 'TRACKING_REQUIRED')
    expectPutOk(await put(sim, order.id, { status: 'shipped', ...tracking }))
    expect(await getOrder(sim, order.id)).toMatchObject({ status: 'shipped', ...tracking })
  })

  it('tracking sent with shipping still has MALL’s characters only: TRACKING_NUMBER_INVALID', async ({ refused, ownCarrier }) => {
    const order = await ownCarrier()
    await refused(order, { status: 'shipping', confirmed: true, tracking_number: 'ABC 123', tracking_url: 'https://t.example/1' }, 'TRACKING_NUMBER_INVALID')
  })

  it('shipped sent again with new tracking replaces the tracking', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    expectPutOk(await put(sim, shipped.id, { status: 'shipped', tracking_number: 'NEW1', tracking_url: 'https://t.example/NEW1' }))
    expect(await getOrder(sim, shipped.id)).toEqual({ ...shipped, tracking_number: 'NEW1', tracking_url: 'https://t.example/NEW1' })
  })

  it('an unknown status is refused: STATUS_UNKNOWN', async ({ refused, ownCarrier }) => {
    const order = await ownCarrier()
    await refused(order, { status: 'packed', confirmed: true }, 'STATUS_UNKNOWN')
  })

  it('a blocked order cannot be changed at all: ORDER_BLOCKED', async ({ sim, refused }) => {
    const order = await createOrder(sim, { status: 'blocked' })
    expect(order.status).toBe('blocked')
    await refused(order, { confirmed: true, status: 'shipping' }, 'ORDER_BLOCKED')
    await refused(order, { confirmed: true, status: 'cancelled' }, 'ORDER_BLOCKED')
    await refused(order, { confirmed: true }, 'ORDER_BLOCKED')
  })

  it('the seller cannot move an order back to open or on to lost: STATUS_SET_BY_MARKETPLACE', async ({ sim, refused, ownCarrier }) => {
    const order = await ownCarrier()
    await toShipping(sim, order.id)
    const shipping = await getOrder(sim, order.id)
    await refused(shipping, { status: 'open' }, 'STATUS_SET_BY_MARKETPLACE')
    await refused(shipping, { status: 'blocked' }, 'STATUS_SET_BY_MARKETPLACE')
    await refused(shipping, { status: 'lost' }, 'STATUS_SET_BY_MARKETPLACE')
  })

  it('steps the table does not have are refused: TRANSITION_NOT_ALLOWED', async ({ sim, refused, ownCarrier }) => {
    const order = await ownCarrier()
    await refused(order, { status: 'delivered', confirmed: true, delivered_at: mallNow() }, 'TRANSITION_NOT_ALLOWED')
    const shipped = await shippedOrder(sim, { mdp: false })
    await refused(shipped, { status: 'shipping' }, 'TRANSITION_NOT_ALLOWED')
    await refused(shipped, { status: 'cancelled' }, 'TRANSITION_NOT_ALLOWED')
  })
})

describe('shipped with the seller’s own carrier', () => {
  it('needs a tracking number and link: TRACKING_REQUIRED', async ({ refused, ownCarrier }) => {
    const order = await ownCarrier()
    await refused(order, { status: 'shipped', confirmed: true }, 'TRACKING_REQUIRED')
    await refused(order, { status: 'shipped', confirmed: true, tracking_number: 'PPL123' }, 'TRACKING_REQUIRED')
    await refused(order, { status: 'shipped', confirmed: true, tracking_url: 'https://t.example/PPL123' }, 'TRACKING_REQUIRED')
  })

  it.for(['AB 12/3', 'AB12/3', 'ABC 123', 'čárka1', 'A+B', ''])('refuses the tracking number %j: TRACKING_NUMBER_INVALID', async (number, { refused, ownCarrier }) => {
    const order = await ownCarrier()
    const code = number === '' ? 'TRACKING_REQUIRED' : 'TRACKING_NUMBER_INVALID'
    await refused(order, { status: 'shipped', confirmed: true, tracking_number: number, tracking_url: 'https://t.example/x' }, code)
  })

  // No source limits what a tracking link looks like: MALL takes it as it is.
  it.for(['not a link', 'ftp://carrier.example/1', '//carrier.example/1'])('takes the tracking link %j as sent', async (url, { sim, ownCarrier }) => {
    const order = await ownCarrier()
    expectPutOk(await put(sim, order.id, { status: 'shipped', confirmed: true, tracking_number: 'PPL_12-3', tracking_url: url }))
    expect(await getOrder(sim, order.id)).toMatchObject({ status: 'shipped', tracking_number: 'PPL_12-3', tracking_url: url })
  })

  it('open → shipped with tracking: the order shows the tracking and the shipped time', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    const tracking = { tracking_number: 'PPL_12-3abc', tracking_url: 'https://tracking.example/PPL_12-3abc' }
    expectPutOk(await put(sim, order.id, { status: 'shipped', confirmed: true, ...tracking }))
    const after = await getOrder(sim, order.id)
    expect(after).toMatchObject({ status: 'shipped', confirmed: true, ...tracking })
    expect(after.shipped).toMatch(DATETIME)
    const [listed] = expectOk(await sim.call('GET', '/v1/orders', { query: { id: order.id } }))
    expect(listed).toMatchObject({ status: 'shipped', ...tracking })
  })

  it('shipping → shipped with tracking', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    await toShipping(sim, order.id)
    expectPutOk(await put(sim, order.id, { status: 'shipped', ...trackingFor(order.id) }))
    expect(await getOrder(sim, order.id)).toMatchObject({ status: 'shipped', ...trackingFor(order.id) })
  })

  it('delivered_at goes only with delivered: DELIVERED_AT_NOT_ALLOWED', async ({ refused, ownCarrier }) => {
    const order = await ownCarrier()
    await refused(order, { status: 'shipped', confirmed: true, ...trackingFor(order.id), delivered_at: mallNow() }, 'DELIVERED_AT_NOT_ALLOWED')
    await refused(order, { status: 'shipping', confirmed: true, delivered_at: mallNow() }, 'DELIVERED_AT_NOT_ALLOWED')
  })
})

describe('delivered and final', () => {
  it('delivered needs delivered_at: DELIVERED_AT_REQUIRED', async ({ sim, refused }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    await refused(shipped, { status: 'delivered' }, 'DELIVERED_AT_REQUIRED')
  })

  it('delivered with delivered_at is final: any further change is ORDER_FINAL', async ({ sim, refused }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    const deliveredAt = mallNow()
    expectPutOk(await put(sim, shipped.id, { status: 'delivered', delivered_at: deliveredAt }))
    const delivered = await getOrder(sim, shipped.id)
    // Dates come back as they were sent: no zone conversion.
    expect(delivered).toMatchObject({ status: 'delivered', delivered_at: deliveredAt, tracking_number: shipped.tracking_number })
    expect(delivered.delivered).toMatch(DATETIME)
    for (const change of [
      { status: 'returned' },
      { status: 'shipped', ...trackingFor(shipped.id) },
      { status: 'cancelled', confirmed: true },
      { status: 'shipping' },
      { status: 'open' },
    ]) {
      await refused(delivered, change, 'ORDER_FINAL')
    }
  })

  it('delivered sent again (a states import repeated) is taken and changes nothing', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    expectPutOk(await put(sim, shipped.id, { status: 'delivered', delivered_at: mallNow() }))
    const delivered = await getOrder(sim, shipped.id)
    expectPutOk(await put(sim, shipped.id, { status: 'delivered', delivered_at: '2018-02-27 00:00:00' }))
    expect(await getOrder(sim, shipped.id)).toEqual(delivered)
  })

  it('the delivery times must be dates and times', async ({ sim, refused }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    await refused(shipped, { status: 'delivered', delivered_at: '14.03.2024 10:05' }, 'DATETIME_INVALID')
    await refused(shipped, { status: 'delivered', delivered_at: '2024-02-30 10:00:00' }, 'DATETIME_INVALID')
    await refused(shipped, { status: 'delivered', delivered_at: mallNow(), first_delivery_attempt: 'yesterday' }, 'DATETIME_INVALID')
  })

  // Deliveries are recorded after the fact; the states import carries past dates (56465454; delivered; 2018-02-27).
  it('a delivery time before the order was shipped is taken and kept as sent', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    expect(shipped.shipped! > '2018-02-27 00:00:00').toBe(true)
    expectPutOk(await put(sim, shipped.id, { status: 'delivered', delivered_at: '2018-02-27 00:00:00' }))
    expect(await getOrder(sim, shipped.id)).toMatchObject({ status: 'delivered', delivered_at: '2018-02-27 00:00:00' })
  })

  it('a delivery time in the same minute the order shipped, seconds cut off, is taken', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    const sameMinute = `${shipped.shipped!.slice(0, 16)}:00`
    expectPutOk(await put(sim, shipped.id, { status: 'delivered', delivered_at: sameMinute }))
    expect(await getOrder(sim, shipped.id)).toMatchObject({ status: 'delivered', delivered_at: sameMinute })
  })

  it('a first attempt after the delivery, or a delivery ahead of the clock, is taken as sent', async ({ sim }) => {
    const late = await shippedOrder(sim, { mdp: false })
    const times = { delivered_at: mallNow(), first_delivery_attempt: mallNow(60 * 1000) }
    expectPutOk(await put(sim, late.id, { status: 'delivered', ...times }))
    expect(await getOrder(sim, late.id)).toMatchObject({ status: 'delivered', ...times })
    const ahead = await shippedOrder(sim, { mdp: false })
    const deliveredAt = mallNow(2 * 60 * 60 * 1000)
    expectPutOk(await put(sim, ahead.id, { status: 'delivered', delivered_at: deliveredAt }))
    expect(await getOrder(sim, ahead.id)).toMatchObject({ status: 'delivered', delivered_at: deliveredAt })
  })

  it('delivered keeps delivered_at and first_delivery_attempt as sent', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    const attempt = shipped.shipped!
    const deliveredAt = mallNow()
    expectPutOk(await put(sim, shipped.id, { status: 'delivered', delivered_at: deliveredAt, first_delivery_attempt: attempt }))
    expect(await getOrder(sim, shipped.id)).toMatchObject({ status: 'delivered', delivered_at: deliveredAt, first_delivery_attempt: attempt })
  })

  it('returned and cancelled are final too', async ({ sim, refused, ownCarrier }) => {
    const returned = await shippedOrder(sim, { mdp: false })
    expectPutOk(await put(sim, returned.id, { status: 'returned' }))
    await refused(await getOrder(sim, returned.id), { status: 'delivered', delivered_at: mallNow() }, 'ORDER_FINAL')
    const cancelled = await ownCarrier()
    expectPutOk(await put(sim, cancelled.id, { status: 'cancelled', confirmed: true }))
    const after = await getOrder(sim, cancelled.id)
    expect(after).toMatchObject({ status: 'cancelled', confirmed: true })
    expect(after.cancelled).toMatch(DATETIME)
    await refused(after, { status: 'shipping' }, 'ORDER_FINAL')
  })

  it('the seller may cancel while shipping', async ({ sim, ownCarrier }) => {
    const order = await ownCarrier()
    await toShipping(sim, order.id)
    expectPutOk(await put(sim, order.id, { status: 'cancelled' }))
    expect((await getOrder(sim, order.id)).status).toBe('cancelled')
  })
})

describe('MALL Delivery orders', () => {
  it('cannot skip shipping: MDP_SHIPPING_REQUIRED', async ({ refused, mallDelivery }) => {
    const order = await mallDelivery()
    await refused(order, { status: 'shipped', confirmed: true }, 'MDP_SHIPPING_REQUIRED')
    await refused(order, { status: 'shipped', confirmed: true, ...trackingFor(order.id) }, 'MDP_SHIPPING_REQUIRED')
  })

  it('shipping → shipped needs labels first; then MALL fills in the tracking', async ({ sim, refused, mallDelivery }) => {
    const order = await mallDelivery()
    await toShipping(sim, order.id)
    const shipping = await getOrder(sim, order.id)
    expect(shipping).toMatchObject({ status: 'shipping', tracking_number: null, tracking_url: null })
    await refused(shipping, { status: 'shipped' }, 'LABELS_REQUIRED')

    expectOk(await requestLabels(sim, [{ order_id: order.id, parcel_count: 1 }]))
    expectPutOk(await put(sim, order.id, { status: 'shipped' }))
    const shipped = await getOrder(sim, order.id)
    expect(shipped.status).toBe('shipped')
    expect(shipped.tracking_number).toMatch(/^[0-9A-Za-z_-]+$/)
    expect(shipped.tracking_url).toMatch(/^https?:\/\/\S+$/)
  })

  it('shipped with the seller’s tracking is taken; MALL’s own tracking is what the order shows', async ({ sim, mallDelivery }) => {
    const order = await mallDelivery()
    await toShipping(sim, order.id)
    expectOk(await requestLabels(sim, [{ order_id: order.id, parcel_count: 1 }]))
    expectPutOk(await put(sim, order.id, { status: 'shipped', ...trackingFor(order.id) }))
    const shipped = await getOrder(sim, order.id)
    expect(shipped.status).toBe('shipped')
    expect(shipped.tracking_number).toMatch(/^[0-9A-Za-z_-]+$/)
    expect(shipped.tracking_number).not.toBe(trackingFor(order.id).tracking_number)
    expect(shipped.tracking_url).not.toBe(trackingFor(order.id).tracking_url)
    // A correction is taken too, and MALL's tracking stays.
    expectPutOk(await sim.call('PUT', `/v1/orders/${shipped.id}/tracking`, { body: trackingFor(shipped.id) }))
    expect(await getOrder(sim, shipped.id)).toEqual(shipped)
  })

  it('delivered and returned are the marketplace’s to set: STATUS_SET_BY_MARKETPLACE', async ({ sim, refused }) => {
    const shipped = await shippedOrder(sim, { mdp: true })
    expect(shipped.status).toBe('shipped')
    await refused(shipped, { status: 'delivered', delivered_at: mallNow() }, 'STATUS_SET_BY_MARKETPLACE', true)
    await refused(shipped, { status: 'returned' }, 'STATUS_SET_BY_MARKETPLACE', true)
  })
})

describe('PUT /v1/orders/{id}/tracking', () => {
  const link = (n: string) => `https://tracking.example/${n}`

  it('replaces the tracking of a shipped order', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    const response = await sim.call('PUT', `/v1/orders/${shipped.id}/tracking`, { body: { tracking_number: 'NEW-123_x', tracking_url: link('NEW-123_x') } })
    expectPutOk(response)
    expect(await getOrder(sim, shipped.id)).toEqual({ ...shipped, tracking_number: 'NEW-123_x', tracking_url: link('NEW-123_x') })
  })

  it('is refused before shipped', async ({ sim, ownCarrier }) => {
    for (const order of [await ownCarrier(), await ownCarrier().then(async (o) => (await toShipping(sim, o.id), getOrder(sim, o.id)))]) {
      const response = await sim.call('PUT', `/v1/orders/${order.id}/tracking`, { body: { tracking_number: 'A1', tracking_url: link('A1') } })
      expectError(response, 400)
      expect(await getOrder(sim, order.id)).toEqual(order)
    }
  })

  it('is refused after delivered', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    expectPutOk(await put(sim, shipped.id, { status: 'delivered', delivered_at: mallNow() }))
    const delivered = await getOrder(sim, shipped.id)
    expectError(await sim.call('PUT', `/v1/orders/${shipped.id}/tracking`, { body: { tracking_number: 'A1', tracking_url: link('A1') } }), 400)
    expect(await getOrder(sim, shipped.id)).toEqual(delivered)
  })

  it('checks the charset, and takes any link', async ({ sim }) => {
    const shipped = await shippedOrder(sim, { mdp: false })
    const call = (body: unknown) => sim.call('PUT', `/v1/orders/${shipped.id}/tracking`, { body })
    expectError(await call({ tracking_number: 'AB 12/3', tracking_url: link('AB') }), 400, 'TRACKING_NUMBER_INVALID')
    expectError(await call({ tracking_number: 'AB123' }), 400, 'TRACKING_REQUIRED')
    expectError(await call({ tracking_number: 5, tracking_url: link('5') }), 400, 'VALIDATION_FAILED')
    expect(await getOrder(sim, shipped.id)).toEqual(shipped)
    // What a link looks like no source limits.
    expectPutOk(await call({ tracking_number: 'AB123', tracking_url: 'no link' }))
    expect(await getOrder(sim, shipped.id)).toEqual({ ...shipped, tracking_number: 'AB123', tracking_url: 'no link' })
  })
})
