import { describe, expect } from 'vitest'
import { test as it } from './fixtures.ts'
import { eventually } from '../../support/station.ts'
import {
  appliedPuts,
  changeStatus,
  expectProblem,
  marketplaceOrder,
  newOrder,
  outage,
  pullAll,
  stationOrder,
  tracking,
} from './helpers.ts'

const LIVE = ['open', 'shipping', 'shipped']

describe('the delta pull', () => {
  it('without since gives the working set: every live order, nothing blocked, test orders only when asked for', async ({ running, token }) => {
    const blocked = await running.mall('POST', '/_sim/orders', { status: 'blocked', mdp: false })
    expect(blocked.status).toBe(201)
    const blockedId = blocked.body.data.id as number
    const test = await newOrder(running, token, { test: true })
    const open = await newOrder(running, token)
    // The station has read the blocked order too; it just must not hand it to the warehouse.
    await eventually(async () => (await running.api('GET', `/api/orders/${blockedId}`, { token })).status === 200)

    const first = await running.api('GET', '/api/orders?limit=5000', { token })
    expect(first.status).toBe(200)
    expect(first.body.cursor).toBeTypeOf('string')
    expect(first.body.more).toBe(false)
    const ids = new Set(first.body.orders.map((o: { id: number }) => o.id))
    expect(ids.has(open.id)).toBe(true)
    expect(ids.has(blockedId)).toBe(false)
    expect(ids.has(test.id)).toBe(false)
    for (const order of first.body.orders) {
      expect(order.status).not.toBe('blocked')
      expect(order.test).toBe(false)
      expect(order.in_working_set).toBe(true)
      // Full orders, with the station's fields.
      expect(Array.isArray(order.items)).toBe(true)
      expect(order.items.length).toBeGreaterThan(0)
      expect(order.revision).toBeGreaterThanOrEqual(1)
      expect(order.synced).toBe(true)
      expect(order.pending_changes).toBe(0)
      expect(order.conflict).toBeNull()
      expect(Number.isNaN(Date.parse(order.status_changed_at))).toBe(false)
    }
    // Every live order of the marketplace is there.
    const market = await running.mall('GET', '/v1/orders?filter=basic&page_size=1000')
    const live = market.body.data.filter((o: { status: string; test: boolean }) => LIVE.includes(o.status) && !o.test)
    expect(live.length).toBeGreaterThan(50)
    for (const order of live) expect(ids.has(order.id), `live order ${order.id} missing from the first pull`).toBe(true)

    const withTest = await running.api('GET', '/api/orders?limit=5000&test=1', { token })
    const testIds = new Set(withTest.body.orders.map((o: { id: number }) => o.id))
    expect(testIds.has(test.id)).toBe(true)
    expect(testIds.has(open.id)).toBe(true)
    expect(testIds.has(blockedId)).toBe(false)
  })

  it('pages with limit and more, each order once, ending where one big pull ends', async ({ running, token }) => {
    const whole = await pullAll(running, token, '0', 5000, true)
    expect(whole.pages).toBe(1)
    const paged = { orders: [] as { id: number }[], cursors: [] as number[] }
    let cursor = '0'
    for (let page = 0; ; page++) {
      expect(page).toBeLessThan(200)
      const result = await running.api('GET', `/api/orders?since=${cursor}&limit=7&test=1`, { token })
      expect(result.status).toBe(200)
      expect(result.body.orders.length).toBeLessThanOrEqual(7)
      paged.orders.push(...result.body.orders)
      paged.cursors.push(Number(result.body.cursor))
      cursor = result.body.cursor
      if (!result.body.more) break
      expect(result.body.orders.length).toBe(7)
    }
    expect(paged.cursors.length).toBeGreaterThan(5)
    for (let i = 1; i < paged.cursors.length; i++) expect(paged.cursors[i]).toBeGreaterThan(paged.cursors[i - 1] as number)
    const ids = paged.orders.map((o) => o.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(new Set(ids)).toEqual(new Set(whole.orders.map((o) => o.id)))
    expect(cursor).toBe(whole.cursor)

    const firstPage = await running.api('GET', '/api/orders?limit=3', { token })
    expect(firstPage.body.more).toBe(true)
    expect(firstPage.body.orders.length).toBeLessThanOrEqual(3)
  })

  it('with the returned cursor gives only what changed since: a station change and a marketplace cancellation', async ({ running, token }) => {
    const packed = await newOrder(running, token)
    const cancelled = await newOrder(running, token)
    const { cursor } = await pullAll(running, token, null)
    const nothing = await running.api('GET', `/api/orders?since=${cursor}`, { token })
    expect(nothing.status).toBe(200)
    expect(nothing.body).toEqual({ orders: [], cursor, more: false })

    const changed = await changeStatus(running, token, packed.id, { status: 'shipping', confirmed: true })
    expect(changed.status).toBe(200)
    const customer = await running.mall('POST', `/_sim/orders/${cancelled.id}/cancel`)
    expect(customer.status).toBe(200)

    const delta = await eventually(async () => {
      const pulled = await pullAll(running, token, cursor)
      const byId = new Map(pulled.orders.map((o) => [o.id, o]))
      return byId.get(cancelled.id)?.status === 'cancelled' && byId.get(packed.id)?.synced ? pulled : null
    })
    const ids = new Set(delta.orders.map((o) => o.id))
    expect([...ids].sort()).toEqual([packed.id, cancelled.id].sort())
    const byId = new Map(delta.orders.map((o) => [o.id, o]))
    expect(byId.get(packed.id)).toMatchObject({ status: 'shipping', confirmed: true })
    expect(byId.get(packed.id)?.revision).toBeGreaterThan(packed.revision)
    expect(byId.get(cancelled.id)?.revision).toBeGreaterThan(cancelled.revision)
    expect(Number(delta.cursor)).toBeGreaterThan(Number(cursor))
  })

  it('grows the revision on each change', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const seen = [order.revision as number]
    const steps = [{ confirmed: true }, { status: 'shipping' }, { status: 'shipped', ...tracking(order.id) }]
    for (const step of steps) {
      const result = await changeStatus(running, token, order.id, step)
      expect(result.status, result.text).toBe(200)
      expect(result.body.revision).toBeGreaterThan(seen.at(-1) as number)
      seen.push(result.body.revision)
      const current = await stationOrder(running, token, order.id)
      expect(current.order.revision).toBeGreaterThanOrEqual(result.body.revision)
    }
    await eventually(async () => (await marketplaceOrder(running, order.id)).status === 'shipped')
  })

  it('says synced: false right after a change while the marketplace is down, and true once it got there', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const { cursor } = await pullAll(running, token, null)
    await outage(running, '503')
    try {
      const result = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })
      expect(result.status).toBe(200)
      expect(result.body).toMatchObject({ status: 'shipping', synced: false, pending_changes: 1 })
      const during = await pullAll(running, token, cursor)
      const seen = during.orders.find((o) => o.id === order.id)
      expect(seen).toMatchObject({ status: 'shipping', synced: false })
      // The marketplace refused service, so the change is still only on the station.
      expect(await appliedPuts(running, order.id)).toEqual([])
      await outage(running, 'off')

      const after = await eventually(async () => {
        const pulled = await pullAll(running, token, during.cursor)
        const again = pulled.orders.find((o) => o.id === order.id)
        return again?.synced ? again : null
      })
      expect(after).toMatchObject({ status: 'shipping', synced: true, pending_changes: 0 })
      expect((await marketplaceOrder(running, order.id)).status).toBe('shipping')
    } finally {
      await outage(running, 'off')
    }
  })

  it('brings a blocked order into the working set once the marketplace opens it', async ({ running, token }) => {
    const blocked = await running.mall('POST', '/_sim/orders', { status: 'blocked', mdp: false })
    const id = blocked.body.data.id as number
    await eventually(async () => (await running.api('GET', `/api/orders/${id}`, { token })).status === 200)
    const { orders, cursor } = await pullAll(running, token, null)
    expect(orders.some((o) => o.id === id)).toBe(false)
    expect((await running.mall('POST', `/_sim/orders/${id}/status`, { status: 'open' })).status).toBe(200)
    const opened = await eventually(async () => (await pullAll(running, token, cursor)).orders.find((o) => o.id === id && o.status === 'open'))
    expect(opened).toMatchObject({ status: 'open', in_working_set: true })
    expect((await pullAll(running, token, null)).orders.some((o) => o.id === id)).toBe(true)
  })

  it('refuses a cursor or limit it did not give out with 422', async ({ running, token }) => {
    for (const query of ['since=abc', 'since=-1', 'since=1e3', 'limit=0', 'limit=-5', 'limit=ten', 'limit=1.5']) {
      expectProblem(await running.api('GET', `/api/orders?${query}`, { token }), 422, 'VALIDATION_FAILED')
    }
  })
})
