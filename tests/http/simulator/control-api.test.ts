import { describe, expect } from 'vitest'
import type { Order } from '#core/order.ts'
import type { RunningSimulator } from '../../support/simulator.ts'
import { test as it } from './fixtures.ts'
import {
  BASIC_KEYS,
  createOrder,
  DATETIME,
  expectError,
  expectOk,
  expectPutOk,
  getOrder,
  lastLogSeq,
  mallNow,
  put,
  shippedOrder,
  simLog,
  toShipping,
  trackingFor,
} from './helpers.ts'

async function skuOf(sim: RunningSimulator): Promise<{ sku: string; price: number }> {
  const products = expectOk(await sim.call('GET', '/v1/products', { query: { page_size: 1000 } })) as { id: string }[]
  for (const { id } of products) {
    const product = expectOk(await sim.call('GET', `/v1/products/${encodeURIComponent(id)}`))
    if (product.variants.length === 0) return { sku: product.id, price: product.price }
  }
  throw new Error('no product without variants')
}

describe('POST /_sim/orders', () => {
  it('creates an open, unconfirmed order and answers 201 with the full order', async ({ sim }) => {
    const response = await sim.call('POST', '/_sim/orders')
    expect(response.status, response.text).toBe(201)
    const order = response.body.data as Order
    expect(order).toMatchObject({ status: 'open', confirmed: false, test: false })
    for (const key of [...BASIC_KEYS, 'items', 'address', 'branches', 'currency']) expect(order).toHaveProperty(key)
    expect(order.open).toMatch(DATETIME)
    expect(await getOrder(sim, order.id)).toEqual(order)
    expect(expectOk(await sim.call('GET', '/v1/orders/unconfirmed', { query: { page_size: 1000 } }))).toContain(order.id)
    expect(expectOk(await sim.call('GET', '/v1/orders', { query: { id: order.id } }))).toHaveLength(1)
  })

  it('takes the items, COD, carrier, pickup point and discount asked for', async ({ sim }) => {
    const { sku, price } = await skuOf(sim)
    const order = await createOrder(sim, { items: [{ id: sku, quantity: 3 }], cod: true, mdp: false, pickup_point: true, discount: 100 })
    expect(order.items).toHaveLength(1)
    expect(order.items[0]).toMatchObject({ id: sku, quantity: 3 })
    expect(order).toMatchObject({ mdp: false, discount: order.currency === 'CZK' ? 100 : order.discount })
    expect(order.branch_id).not.toBeNull()
    expect(order.cod).toBeGreaterThan(0)
    const unit = order.items[0]!.price
    if (order.currency === 'CZK') expect(unit).toBe(price)
    expect(Math.round(order.cod * 100)).toBe(Math.round((unit * 3 + order.delivery_price + order.cod_price - order.discount) * 100))
    const prepaid = await createOrder(sim, { cod: false, mdp: true, pickup_point: false })
    expect(prepaid).toMatchObject({ cod: 0, mdp: true, branch_id: null })
  })

  it('a blocked order is hidden from the lists but listed as blocked', async ({ sim }) => {
    const order = await createOrder(sim, { status: 'blocked' })
    expect(order).toMatchObject({ status: 'blocked', confirmed: false })
    expect(expectOk(await sim.call('GET', '/v1/orders', { query: { id: order.id } }))).toEqual([])
    expect(expectOk(await sim.call('GET', '/v1/orders/blocked', { query: { page_size: 1000 } }))).toContain(order.id)
  })

  it('a test order shows only with test=1', async ({ sim }) => {
    const order = await createOrder(sim, { test: true })
    expect(order.test).toBe(true)
    expect(expectOk(await sim.call('GET', '/v1/orders', { query: { id: order.id } }))).toEqual([])
    expect(expectOk(await sim.call('GET', '/v1/orders', { query: { id: order.id, test: 1 } }))).toHaveLength(1)
  })

  it('refuses an unknown SKU or a malformed body with 400', async ({ sim }) => {
    expectError(await sim.call('POST', '/_sim/orders', { body: { items: [{ id: 'NO-SUCH-SKU', quantity: 1 }] } }), 400)
    expectError(await sim.call('POST', '/_sim/orders', { body: { status: 'shipped' } }), 400)
    expectError(await sim.call('POST', '/_sim/orders', { body: { items: [] } }), 400)
  })
})

describe('POST /_sim/orders/{id}/cancel', () => {
  it('the customer cancels: status cancelled and confirmed false', async ({ sim }) => {
    const order = await createOrder(sim, { mdp: false })
    await toShipping(sim, order.id)
    const response = await sim.call('POST', `/_sim/orders/${order.id}/cancel`)
    expect(response.status, response.text).toBe(200)
    const after = await getOrder(sim, order.id)
    expect(after).toMatchObject({ status: 'cancelled', confirmed: false })
    expect(after.cancelled).toMatch(DATETIME)
    expect(expectOk(await sim.call('GET', '/v1/orders/unconfirmed', { query: { page_size: 1000 } }))).toContain(order.id)
  })

  it('cancelling a final order is refused with 400', async ({ sim }) => {
    const order = await createOrder(sim, { mdp: false })
    expect((await sim.call('POST', `/_sim/orders/${order.id}/cancel`)).status).toBe(200)
    expectError(await sim.call('POST', `/_sim/orders/${order.id}/cancel`), 400)
    const delivered = await shippedOrder(sim, { mdp: false })
    expectPutOk(await put(sim, delivered.id, { status: 'delivered', delivered_at: mallNow() }))
    expectError(await sim.call('POST', `/_sim/orders/${delivered.id}/cancel`), 400)
    expect((await getOrder(sim, delivered.id)).status).toBe('delivered')
  })

  it('an unknown order is 404', async ({ sim }) => {
    expectError(await sim.call('POST', '/_sim/orders/99999999999/cancel'), 404)
  })
})

describe('POST /_sim/orders/{id}/status', () => {
  it('a change by the marketplace leaves the order unconfirmed', async ({ sim }) => {
    const order = await createOrder(sim, { mdp: true, pickup_point: false })
    await toShipping(sim, order.id)
    expectOk(await sim.call('POST', '/v1/orders/labels', { body: { labels_type: 'zpl', labels: [{ order_id: order.id, parcel_count: 1 }] } }))
    expect((await getOrder(sim, order.id)).confirmed).toBe(true)
    expect((await sim.call('POST', `/_sim/orders/${order.id}/status`, { body: { status: 'shipped' } })).status).toBe(200)
    const after = await getOrder(sim, order.id)
    expect(after).toMatchObject({ status: 'shipped', confirmed: false })
    expect(after.tracking_number).not.toBeNull()
  })
})

describe('POST /_sim/outage', () => {
  it.afterEach(async ({ sim }) => {
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: 'off' } }))
  })

  it("'503': every /v1 call answers 503 until 'off'", async ({ sim }) => {
    const order = await createOrder(sim, { mdp: false })
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: '503' } }))
    expect(expectOk(await sim.call('GET', '/_sim/outage'))).toEqual({ mode: '503' })
    for (const [method, path, body] of [
      ['GET', '/v1/orders'],
      ['GET', '/v1/orders/unconfirmed'],
      ['GET', `/v1/orders/${order.id}`],
      ['GET', '/v1/orders/stats'],
      ['PUT', `/v1/orders/${order.id}`, { confirmed: true }],
      ['POST', '/v1/orders/labels', { labels: [{ order_id: order.id, parcel_count: 1 }] }],
      ['GET', '/v1/products'],
    ] as const) {
      expectError(await sim.call(method, path, { body }), 503)
    }
    // The outage answers before the key is even looked at.
    expectError(await sim.call('GET', '/v1/orders', { clientId: null }), 503)
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: 'off' } }))
    expectOk(await sim.call('GET', '/v1/orders'))
    // The PUT during the outage did nothing.
    expect((await getOrder(sim, order.id)).confirmed).toBe(false)
  })

  it("'429': answers 429 with Retry-After", async ({ sim }) => {
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: '429' } }))
    const response = await sim.call('GET', '/v1/orders')
    expectError(response, 429)
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
    expectError(await sim.call('PUT', '/v1/orders/1', { body: { confirmed: true } }), 429)
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: 'off' } }))
    expectOk(await sim.call('GET', '/v1/orders'))
  })

  it("'hang': a request gets no answer; after 'off' calls work again", async ({ sim }) => {
    const order = await createOrder(sim, { mdp: false })
    const before = await lastLogSeq(sim)
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: 'hang' } }))
    await expect(sim.call('GET', '/v1/orders', { signal: AbortSignal.timeout(500) })).rejects.toThrow(/abort|timeout/i)
    const hungPut = sim.call('PUT', `/v1/orders/${order.id}`, { body: { confirmed: true }, signal: AbortSignal.timeout(300) })
    await expect(hungPut).rejects.toThrow(/abort|timeout/i)
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: 'off' } }))
    expectOk(await sim.call('GET', '/v1/orders'))
    const writes = (await simLog(sim, before)).filter((entry) => entry.path === `/v1/orders/${order.id}`)
    expect(writes.some((entry) => entry.status === null)).toBe(true)
  })

  it('refuses an unknown mode with 400', async ({ sim }) => {
    expectError(await sim.call('POST', '/_sim/outage', { body: { mode: 'flaky' } }), 400)
    expect(expectOk(await sim.call('GET', '/_sim/outage'))).toEqual({ mode: 'off' })
  })
})

describe('GET /_sim/log', () => {
  it('lists the write requests in order with method, path, body and the status answered', async ({ sim }) => {
    const a = await createOrder(sim, { mdp: false })
    const b = await createOrder(sim, { mdp: false })
    const before = await lastLogSeq(sim)
    expectPutOk(await put(sim, a.id, { confirmed: true }))
    expectError(await put(sim, b.id, { status: 'shipping' }), 400)
    expectOk(await sim.call('GET', `/v1/orders/${a.id}`))
    expectPutOk(await put(sim, a.id, { status: 'shipped', ...trackingFor(a.id) }))
    expectError(await sim.call('PUT', `/v1/orders/${b.id}/tracking`, { body: { tracking_number: 'X1', tracking_url: 'https://t.example/X1' } }), 400)
    const entries = await simLog(sim, before)
    expect(entries.map(({ method, path, body, status }) => ({ method, path, body, status }))).toEqual([
      { method: 'PUT', path: `/v1/orders/${a.id}`, body: { confirmed: true }, status: 200 },
      { method: 'PUT', path: `/v1/orders/${b.id}`, body: { status: 'shipping' }, status: 400 },
      { method: 'PUT', path: `/v1/orders/${a.id}`, body: { status: 'shipped', ...trackingFor(a.id) }, status: 200 },
      { method: 'PUT', path: `/v1/orders/${b.id}/tracking`, body: { tracking_number: 'X1', tracking_url: 'https://t.example/X1' }, status: 400 },
    ])
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.seq).toBeGreaterThan(entries[i - 1]!.seq)
  })

  it('a hung write is listed once, with status null', async ({ sim }) => {
    const order = await createOrder(sim, { mdp: false })
    const before = await lastLogSeq(sim)
    expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: 'hang' } }))
    try {
      const hung = sim.call('PUT', `/v1/orders/${order.id}`, { body: { confirmed: true }, signal: AbortSignal.timeout(300) })
      await expect(hung).rejects.toThrow(/abort|timeout/i)
    } finally {
      expectOk(await sim.call('POST', '/_sim/outage', { body: { mode: 'off' } }))
    }
    expectPutOk(await put(sim, order.id, { confirmed: true }))
    const entries = (await simLog(sim, before)).map(({ method, path, body, status }) => ({ method, path, body, status }))
    expect(entries).toEqual([
      { method: 'PUT', path: `/v1/orders/${order.id}`, body: { confirmed: true }, status: null },
      { method: 'PUT', path: `/v1/orders/${order.id}`, body: { confirmed: true }, status: 200 },
    ])
  })
})
