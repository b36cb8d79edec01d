import { describe, expect } from 'vitest'
import type { BasicOrder, Order } from '#core/order.ts'
import { test } from './fixtures.ts'
import { BASIC_KEYS, DATE, DATETIME, getOrders, listEverything, STATUSES } from './helpers.ts'

const it = test.extend<{ $file: { basics: BasicOrder[]; details: Order[] } }>({
  /** Every seeded order as the lists show it, blocked and test ones included. */
  basics: [
    async ({ sim }, use) => {
      await use(await listEverything(sim))
    },
    { scope: 'file' },
  ],
  /** The detail of every seeded order, blocked and test ones included. */
  details: [
    async ({ sim, basics }, use) => {
      await use(await getOrders(sim, basics.map((o) => o.id)))
    },
    { scope: 'file' },
  ],
})

/** The detail keys of §3 and §12, beyond the basic ones. */
const DETAIL_KEYS = [
  'external_order_id', 'currency', 'delivery_price', 'cod_price', 'cod', 'discount', 'payment_type', 'delivery_method',
  'delivery_method_id', 'branch_id', 'branches', 'tracking_number', 'tracking_url', 'ship_date', 'delivery_date',
  'delivered_at', 'first_delivery_attempt', 'address', 'confirmed', 'status', 'items', 'test', 'mdp', 'mdp_classic',
  'mdp_spectrum', 'ready_to_return', 'ulozenka_status_history', 'consignment_status_history', ...STATUSES,
] as const
const ADDRESS_KEYS = ['customer_id', 'name', 'company', 'phone', 'email', 'street', 'city', 'zip', 'country'] as const
const BRANCHES_KEYS = ['branch_id', 'secondary_branch_id', 'overridden', 'last_change'] as const
const ITEM_KEYS = ['id', 'article_id', 'title', 'quantity', 'price', 'vat', 'commission', 'serial_numbers'] as const

const cents = (amount: number) => Math.round(amount * 100)
const isIntOrNull = (value: unknown) => value === null || Number.isInteger(value)

describe('GET /v1/orders/{id}', () => {
  it('has every key of the contract', ({ basics, details }) => {
    expect(details.length).toBe(basics.length)
    for (const order of details) {
      for (const key of [...BASIC_KEYS, ...DETAIL_KEYS]) expect(order, `order ${order.id} lacks ${key}`).toHaveProperty(key)
      for (const key of ADDRESS_KEYS) expect(order.address, `order ${order.id} address lacks ${key}`).toHaveProperty(key)
      for (const key of BRANCHES_KEYS) expect(order.branches, `order ${order.id} branches lack ${key}`).toHaveProperty(key)
      expect(order.items.length).toBeGreaterThan(0)
      for (const item of order.items) for (const key of ITEM_KEYS) expect(item, `order ${order.id} item lacks ${key}`).toHaveProperty(key)
    }
  })

  it('sends each detail key with the contract type', ({ details }) => {
    for (const order of details) {
      const where = `order ${order.id}`
      expect(order.currency, where).toMatch(/^[A-Z]{3}$/)
      for (const price of [order.delivery_price, order.cod_price, order.cod, order.discount]) expect(price, where).toBeTypeOf('number')
      expect(order.delivery_method, where).toBeTypeOf('string')
      expect(String(order.delivery_method_id), where).toMatch(/^\d+$/)
      expect(isIntOrNull(order.branch_id), where).toBe(true)
      expect(isIntOrNull(order.branches.branch_id), where).toBe(true)
      expect(isIntOrNull(order.branches.secondary_branch_id), where).toBe(true)
      expect(order.branches.overridden, where).toBeTypeOf('boolean')
      if (order.branches.last_change !== null) expect(order.branches.last_change).toMatch(DATETIME)
      if (!order.branches.overridden) expect(order.branches.branch_id, where).toBe(order.branch_id)
      if (order.delivery_date !== null) expect(order.delivery_date, where).toMatch(DATE)
      if (order.first_delivery_attempt !== null) expect(order.first_delivery_attempt, where).toMatch(DATETIME)
      expect(Number.isInteger(order.address.customer_id), where).toBe(true)
      expect(order.address.customer_id, where).toBe(order.customer_id)
      for (const key of ['name', 'phone', 'email', 'street', 'city', 'zip'] as const) expect(order.address[key], `${where} ${key}`).toBeTypeOf('string')
      expect(order.address.company === null || typeof order.address.company === 'string', where).toBe(true)
      expect(order.address.country, where).toMatch(/^[A-Z]{2}$/)
      expect(order.ready_to_return, where).toBeTypeOf('boolean')
      expect(Array.isArray(order.ulozenka_status_history), where).toBe(true)
      expect(Array.isArray(order.consignment_status_history), where).toBe(true)
      for (const item of order.items) {
        // A number here breaks the official PHP client.
        expect(item.id, where).toBeTypeOf('string')
        expect(Number.isInteger(item.article_id), where).toBe(true)
        expect(item.title, where).toBeTypeOf('string')
        expect(Number.isInteger(item.quantity) && item.quantity >= 1, where).toBe(true)
        expect(item.price, where).toBeTypeOf('number')
        expect(item.vat, where).toBeTypeOf('number')
        expect(item.commission === null || typeof item.commission === 'number', where).toBe(true)
        expect(Array.isArray(item.serial_numbers), where).toBe(true)
      }
      const ids = order.items.map((item) => item.id)
      // The PHP client collapses two lines with the same item id into one.
      expect(new Set(ids).size, where).toBe(ids.length)
    }
  })

  it('says what the list says for every basic key', ({ basics, details }) => {
    const byId = new Map(details.map((order) => [order.id, order]))
    for (const basic of basics) {
      const detail = byId.get(basic.id)!
      for (const key of BASIC_KEYS) expect(detail[key], `order ${basic.id} ${key}`).toEqual(basic[key])
    }
  })

  it('some seeded SKUs are all digits, as some sellers number their goods', ({ details }) => {
    expect(details.some((order) => order.items.some((item) => /^\d+$/.test(item.id)))).toBe(true)
  })

  it('COD orders collect Σ price × quantity + delivery_price + cod_price − discount', ({ details }) => {
    const cod = details.filter((order) => order.cod > 0)
    expect(cod.length).toBeGreaterThan(10)
    for (const order of cod) {
      const goods = order.items.reduce((sum, item) => sum + cents(item.price) * item.quantity, 0)
      const expected = goods + cents(order.delivery_price) + cents(order.cod_price) - cents(order.discount)
      expect(cents(order.cod), `order ${order.id}`).toBe(expected)
    }
  })

  it('prepaid orders collect nothing and carry no COD fee', ({ details }) => {
    const prepaid = details.filter((order) => order.cod === 0)
    expect(prepaid.length).toBeGreaterThan(10)
    for (const order of prepaid) expect(order.cod_price, `order ${order.id}`).toBe(0)
    for (const order of details.filter((o) => o.cod_price > 0)) expect(order.cod, `order ${order.id}`).toBeGreaterThan(0)
    // Blocked orders wait for their payment: prepaid by definition.
    for (const order of details.filter((o) => o.status === 'blocked')) expect(order.cod, `order ${order.id}`).toBe(0)
  })

  it('shipped orders carry their tracking; orders not yet shipped have none', ({ details }) => {
    for (const order of details) {
      if (['shipped', 'delivered', 'returned', 'lost'].includes(order.status)) {
        expect(order.tracking_number, `order ${order.id}`).toMatch(/^[0-9A-Za-z_-]+$/)
        expect(order.tracking_url, `order ${order.id}`).toMatch(/^https?:\/\//)
      }
      if (['blocked', 'open', 'shipping'].includes(order.status)) expect(order.tracking_number, `order ${order.id}`).toBeNull()
      if (order.status === 'delivered') expect(order.delivered_at, `order ${order.id}`).toMatch(DATETIME)
      else expect(order.delivered_at, `order ${order.id}`).toBeNull()
    }
  })

  it('blocked and test orders can be read by id though lists hide them', ({ details }) => {
    expect(details.some((order) => order.status === 'blocked')).toBe(true)
    expect(details.some((order) => order.test)).toBe(true)
  })

  it('v2 detail answers the same order', async ({ sim, details }) => {
    const order = details[0]!
    const response = await sim.call('GET', `/v2/orders/${order.id}`)
    expect(response.status).toBe(200)
    expect(response.body.data).toEqual(order)
  })
})
