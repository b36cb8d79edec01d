import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isValidGtin } from '#core/gtin.ts'
import { parseMallDateTime } from '#core/datetime.ts'
import type { BasicOrder, Order } from '#core/order.ts'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import {
  createOrder,
  expectOk,
  expectPutOk,
  getOrder,
  getOrders,
  listEverything,
  put,
  STATUSES,
  toShipping,
} from './helpers.ts'

/** Every order of the shop, counted the way a client can: the status lists with test=1. */
async function everyOrderByStatusLists(sim: RunningSimulator): Promise<BasicOrder[]> {
  const lists = await Promise.all(
    STATUSES.map(async (status) => expectOk(await sim.call('GET', `/v1/orders/${status}`, { query: { test: 1, filter: 'basic', page_size: 1000 } })) as BasicOrder[]),
  )
  return lists.flat()
}

interface Variant {
  id: string
  title: string
  barcode: string | null
  media: { url: string; main: boolean }[]
}

describe('the fresh seed', () => {
  let sim: RunningSimulator
  let orders: BasicOrder[]
  let details: Order[]

  beforeAll(async () => {
    sim = await startSimulator()
    orders = await everyOrderByStatusLists(sim)
    details = await getOrders(sim, orders.map((o) => o.id))
  })
  afterAll(() => sim?.close())

  it('has at least 150 orders, most of them open, and every status', () => {
    expect(orders.length).toBeGreaterThanOrEqual(150)
    expect(new Set(orders.map((o) => o.id)).size).toBe(orders.length)
    const count = (status: string) => orders.filter((o) => o.status === status).length
    for (const status of STATUSES) expect(count(status), status).toBeGreaterThan(0)
    expect(count('open')).toBeGreaterThan(orders.length / 2)
  })

  it('mixes COD and prepaid, MALL Delivery and own carrier, pickup points and addresses', () => {
    expect(details.some((o) => o.cod > 0)).toBe(true)
    expect(details.some((o) => o.cod === 0)).toBe(true)
    expect(details.some((o) => o.mdp)).toBe(true)
    expect(details.some((o) => !o.mdp)).toBe(true)
    expect(details.some((o) => o.branch_id !== null)).toBe(true)
    expect(details.some((o) => o.branch_id === null)).toBe(true)
    // In the work queue too, not only among finished orders.
    const open = details.filter((o) => o.status === 'open')
    expect(open.some((o) => o.cod > 0) && open.some((o) => o.cod === 0)).toBe(true)
    expect(open.some((o) => o.mdp) && open.some((o) => !o.mdp)).toBe(true)
    expect(open.some((o) => o.branch_id !== null)).toBe(true)
  })

  it('has discounts, lines of several units, orders of several lines, and test orders', () => {
    expect(details.some((o) => o.discount > 0)).toBe(true)
    expect(details.some((o) => o.items.some((item) => item.quantity > 1))).toBe(true)
    expect(details.some((o) => o.items.length > 1)).toBe(true)
    expect(details.some((o) => o.test)).toBe(true)
  })

  it('has at least three live orders whose status is more than 7 days old', () => {
    // MALL's "missing state": a live order whose status has not moved for more than 7 days.
    const weekAgo = Date.now() - 7 * 24 * 60 * 60 * 1000
    const stale = orders.filter((o) => {
      const since = o[o.status]
      return ['open', 'shipping', 'shipped'].includes(o.status) && since !== null && (parseMallDateTime(since)?.getTime() ?? Infinity) < weekAgo
    })
    expect(stale.length).toBeGreaterThanOrEqual(3)
  })

  it('MALL Delivery orders past packing have their labels', async () => {
    const labelled = details.filter((o) => o.mdp && ['shipped', 'delivered', 'returned', 'lost'].includes(o.status))
    expect(labelled.length).toBeGreaterThan(0)
    for (const order of labelled.slice(0, 5)) {
      expect(expectOk(await sim.call('GET', `/v1/orders/${order.id}/consignments`))).toMatchObject({ order_id: order.id })
    }
  })

  it('has at least 60 products, variants counted, each with a valid EAN-13', async () => {
    const list = expectOk(await sim.call('GET', '/v1/products', { query: { page_size: 1000 } })) as { id: string }[]
    const products = await Promise.all(list.map(async ({ id }) => expectOk(await sim.call('GET', `/v1/products/${encodeURIComponent(id)}`))))
    const units = products.flatMap((p) => (p.variants.length > 0 ? (p.variants as Variant[]) : [p as Variant]))
    expect(units.length).toBeGreaterThanOrEqual(60)
    expect(products.some((p) => p.variants.length > 0)).toBe(true)
    for (const unit of units) {
      expect(unit.barcode, unit.id).toMatch(/^\d{13}$/)
      expect(isValidGtin(unit.barcode!), `${unit.id} ${unit.barcode}`).toBe(true)
    }
    expect(new Set(units.map((u) => u.barcode)).size).toBe(units.length)
    // Every SKU ordered is one the catalogue knows.
    const skus = new Set(units.map((u) => u.id))
    for (const order of details) for (const item of order.items) expect(skus.has(item.id), item.id).toBe(true)
  })
})

describe('the same seed', () => {
  it('gives two fresh simulators identical orders (ids and items)', async () => {
    const [a, b] = await Promise.all([startSimulator(), startSimulator()])
    try {
      const shape = async (sim: RunningSimulator) => {
        const basics = await listEverything(sim)
        const details = await getOrders(sim, basics.map((o) => o.id))
        return details.map((o) => ({ id: o.id, status: o.status, cod: o.cod, mdp: o.mdp, items: o.items }))
      }
      const [left, right] = await Promise.all([shape(a), shape(b)])
      expect(left.length).toBeGreaterThanOrEqual(150)
      expect(right).toEqual(left)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('and another seed gives another shop', async () => {
    const [a, b] = await Promise.all([startSimulator(), startSimulator({ seed: 4711 })])
    try {
      const ids = async (sim: RunningSimulator) => (await listEverything(sim)).map((o) => o.id)
      expect(await ids(b)).not.toEqual(await ids(a))
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })
})

describe('persistence', () => {
  let dataDir: string

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mall-sim-persist-'))
  })
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('keeps every change across a restart with the same data folder, without seeding again', async () => {
    const first = await startSimulator({ dataDir })
    let before: BasicOrder[]
    let shipping: Order
    let created: Order
    let cancelled: number
    try {
      const open = expectOk(await first.call('GET', '/v1/orders', { query: { status: 'open', mdp: 'false', confirmed: 'false', page_size: 2 } })) as BasicOrder[]
      expect(open).toHaveLength(2)
      await toShipping(first, open[0]!.id)
      cancelled = open[1]!.id
      expect((await first.call('POST', `/_sim/orders/${cancelled}/cancel`)).status).toBe(200)
      created = await createOrder(first, { mdp: false })
      expectPutOk(await put(first, created.id, { confirmed: true }))
      shipping = await getOrder(first, open[0]!.id)
      before = await listEverything(first)
    } finally {
      await first.close()
    }

    const second = await startSimulator({ dataDir })
    try {
      const after = await listEverything(second)
      expect(after).toEqual(before)
      expect(await getOrder(second, shipping.id)).toEqual(shipping)
      expect(shipping).toMatchObject({ status: 'shipping', confirmed: true })
      expect(await getOrder(second, cancelled)).toMatchObject({ status: 'cancelled', confirmed: false })
      expect(await getOrder(second, created.id)).toEqual({ ...created, confirmed: true })
      // The write log survives too.
      const log = expectOk(await second.call('GET', '/_sim/log')) as { method: string; path: string; status: number }[]
      expect(log.filter((e) => e.method === 'PUT' && e.status === 200).map((e) => e.path)).toEqual([`/v1/orders/${shipping.id}`, `/v1/orders/${created.id}`])
    } finally {
      await second.close()
    }
  })
})
