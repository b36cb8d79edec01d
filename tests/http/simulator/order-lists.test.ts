import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BasicOrder } from '#core/order.ts'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import { BASIC_KEYS, DATE, DATETIME, DETAIL_ONLY_KEYS, expectOk, listEverything, STATUSES } from './helpers.ts'

let sim: RunningSimulator
/** The whole shop, blocked and test orders included, as list items. */
let everything: BasicOrder[]

beforeAll(async () => {
  sim = await startSimulator()
  everything = await listEverything(sim)
})
afterAll(() => sim?.close())

const visibleByDefault = (order: BasicOrder) => order.status !== 'blocked' && !order.test

describe('GET /v1/orders', () => {
  it('lists basic orders with every basic key and none of the detail-only keys', async () => {
    const orders = expectOk(await sim.call('GET', '/v1/orders', { query: { page_size: 1000 } })) as Record<string, unknown>[]
    expect(orders.length).toBeGreaterThan(100)
    for (const order of orders) {
      for (const key of BASIC_KEYS) expect(order, `order ${order.id} lacks ${key}`).toHaveProperty(key)
      for (const key of DETAIL_ONLY_KEYS) expect(order, `order ${order.id} has ${key}`).not.toHaveProperty(key)
    }
  })

  it('sends each basic key with the contract type', async () => {
    for (const order of everything) {
      expect(Number.isSafeInteger(order.id)).toBe(true)
      expect(order.external_id === null || typeof order.external_id === 'string').toBe(true)
      expect(Number.isInteger(order.purchase_id)).toBe(true)
      expect(order.source).toBeTypeOf('string')
      expect(Number.isInteger(order.customer_id)).toBe(true)
      expect(order.customer).toBeTypeOf('string')
      expect(order.cod).toBeTypeOf('number')
      expect(order.cod).toBeGreaterThanOrEqual(0)
      expect(order.payment_type).toBeTypeOf('string')
      if (order.ship_date !== null) expect(order.ship_date).toMatch(DATE)
      if (order.delivered_at !== null) expect(order.delivered_at).toMatch(DATETIME)
      expect(STATUSES).toContain(order.status)
      for (const flag of ['confirmed', 'test', 'mdp', 'mdp_classic', 'mdp_spectrum'] as const) expect(order[flag]).toBeTypeOf('boolean')
      for (const status of STATUSES) if (order[status] !== null) expect(order[status]).toMatch(DATETIME)
      // The order entered its current status at some time the marketplace tells.
      expect(order[order.status], `order ${order.id} (${order.status})`).not.toBeNull()
    }
  })

  it('ids are 64-bit numbers beyond the 32-bit range, as MALL’s are', () => {
    expect(everything.every((order) => order.id > 2 ** 32)).toBe(true)
  })

  it('leaves out blocked and test orders by default and sorts by id ascending', async () => {
    const response = await sim.call('GET', '/v1/orders', { query: { page_size: 1000 } })
    const orders = expectOk(response) as BasicOrder[]
    const expected = everything.filter(visibleByDefault).map((order) => order.id).sort((a, b) => a - b)
    expect(orders.map((order) => order.id)).toEqual(expected)
    expect(response.body.paging).toEqual({ total: expected.length, pages: 1, size: expected.length, page: 1 })
  })

  it('answers 100 orders per page when no page_size is sent', async () => {
    const response = await sim.call('GET', '/v1/orders')
    const total = everything.filter(visibleByDefault).length
    expect(total).toBeGreaterThan(100)
    expect(expectOk(response)).toHaveLength(100)
    expect(response.body.paging).toEqual({ total, pages: Math.ceil(total / 100), size: 100, page: 1 })
  })
})

describe('GET /v1/orders/unconfirmed', () => {
  it('answers the bare ids of the unconfirmed orders, blocked and test ones left out', async () => {
    const response = await sim.call('GET', '/v1/orders/unconfirmed', { query: { page_size: 1000 } })
    const ids = expectOk(response) as unknown[]
    expect(ids.every((id) => typeof id === 'number')).toBe(true)
    const expected = everything.filter((o) => !o.confirmed && visibleByDefault(o)).map((o) => o.id).sort((a, b) => a - b)
    expect(expected.length).toBeGreaterThan(0)
    expect([...(ids as number[])].sort((a, b) => a - b)).toEqual(expected)
    expect(response.body.paging).toMatchObject({ total: expected.length, size: expected.length, page: 1, pages: 1 })
  })

  it('answers basic orders with filter=basic', async () => {
    const orders = expectOk(await sim.call('GET', '/v1/orders/unconfirmed', { query: { filter: 'basic', page_size: 1000 } })) as BasicOrder[]
    expect(orders.length).toBeGreaterThan(0)
    for (const order of orders) {
      for (const key of BASIC_KEYS) expect(order).toHaveProperty(key)
      expect(order.confirmed).toBe(false)
      expect(order.status).not.toBe('blocked')
    }
  })

  it('matches confirmed=eq:false on /v1/orders, as the PHP client asks for it', async () => {
    const viaFilter = expectOk(await sim.call('GET', '/v1/orders', { query: { confirmed: 'eq:false', page_size: 1000 } })) as BasicOrder[]
    const viaList = expectOk(await sim.call('GET', '/v1/orders/unconfirmed', { query: { page_size: 1000 } })) as number[]
    expect(viaFilter.map((o) => o.id).sort()).toEqual([...viaList].sort())
  })

  it('includes unconfirmed test orders with test=1', async () => {
    const ids = expectOk(await sim.call('GET', '/v1/orders/unconfirmed', { query: { test: 1, page_size: 1000 } })) as number[]
    const expected = everything.filter((o) => !o.confirmed && o.status !== 'blocked').map((o) => o.id).sort((a, b) => a - b)
    expect([...ids].sort((a, b) => a - b)).toEqual(expected)
    expect(everything.some((o) => o.test && !o.confirmed && ids.includes(o.id))).toBe(true)
  })
})

describe('GET /v1/orders/{status}', () => {
  it.each(STATUSES)('%s: bare ids of exactly the orders in that status', async (status) => {
    const response = await sim.call('GET', `/v1/orders/${status}`, { query: { page_size: 1000 } })
    const ids = expectOk(response) as unknown[]
    expect(ids.every((id) => typeof id === 'number')).toBe(true)
    const expected = everything.filter((o) => o.status === status && !o.test).map((o) => o.id).sort((a, b) => a - b)
    expect(expected.length, `the seed has ${status} orders`).toBeGreaterThan(0)
    expect([...(ids as number[])].sort((a, b) => a - b)).toEqual(expected)
    expect(response.body.paging).toMatchObject({ total: expected.length, size: expected.length, page: 1 })
  })

  it.each(STATUSES)('%s: basic orders with filter=basic', async (status) => {
    const orders = expectOk(await sim.call('GET', `/v1/orders/${status}`, { query: { filter: 'basic', page_size: 1000 } })) as BasicOrder[]
    expect(orders.length).toBeGreaterThan(0)
    for (const order of orders) {
      expect(order.status).toBe(status)
      for (const key of BASIC_KEYS) expect(order).toHaveProperty(key)
      for (const key of DETAIL_ONLY_KEYS) expect(order).not.toHaveProperty(key)
    }
  })

  it('pages a status list like any other', async () => {
    const response = await sim.call('GET', '/v1/orders/open', { query: { page_size: 10, page: 2 } })
    const ids = expectOk(response) as number[]
    const open = everything.filter((o) => o.status === 'open' && !o.test).map((o) => o.id).sort((a, b) => a - b)
    expect(ids).toEqual(open.slice(10, 20))
    expect(response.body.paging).toEqual({ total: open.length, pages: Math.ceil(open.length / 10), size: 10, page: 2 })
  })
})

describe('routes', () => {
  it('stats, unconfirmed and the status words are routes of their own, numeric ids are orders', async () => {
    const stats = expectOk(await sim.call('GET', '/v1/orders/stats'))
    expect(Object.keys(stats).sort()).toEqual([...STATUSES].sort())
    expect(Array.isArray(expectOk(await sim.call('GET', '/v1/orders/unconfirmed')))).toBe(true)
    expect(Array.isArray(expectOk(await sim.call('GET', '/v1/orders/shipped')))).toBe(true)
    const some = everything.find(visibleByDefault)!
    expect(expectOk(await sim.call('GET', `/v1/orders/${some.id}`))).toMatchObject({ id: some.id, status: some.status })
  })

  it('accepts a GET with Content-Type: application/json and the body [] the PHP client sends', async () => {
    const asPhp = { rawBody: '[]', headers: { 'content-type': 'application/json' } }
    const some = everything.find(visibleByDefault)!
    const list = await sim.call('GET', '/v1/orders', { ...asPhp, query: { filter: 'basic', page_size: 5 } })
    expect(expectOk(list)).toHaveLength(5)
    expect(Array.isArray(expectOk(await sim.call('GET', '/v1/orders/unconfirmed', asPhp)))).toBe(true)
    expect(Array.isArray(expectOk(await sim.call('GET', '/v1/orders/open', asPhp)))).toBe(true)
    expect(expectOk(await sim.call('GET', `/v1/orders/${some.id}`, asPhp)).id).toBe(some.id)
    expect(Object.keys(expectOk(await sim.call('GET', '/v1/orders/stats', { ...asPhp, query: { days: 30 } }))).sort()).toEqual([...STATUSES].sort())
  })

  it('accepts the charset spelling application/json; Charset=UTF-8', async () => {
    const response = await sim.call('GET', '/v1/orders', { rawBody: '[]', headers: { 'content-type': 'application/json; Charset=UTF-8' } })
    expectOk(response)
  })
})
