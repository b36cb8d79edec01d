import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isValidGtin } from '#core/gtin.ts'
import type { BasicOrder } from '#core/order.ts'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import { createOrder, expectError, expectOk, listEverything, STATUSES } from './helpers.ts'

let sim: RunningSimulator

beforeAll(async () => {
  sim = await startSimulator()
})
afterAll(() => sim?.close())

type Stats = Record<(typeof STATUSES)[number], number>

async function stats(days?: number | string): Promise<Stats> {
  return expectOk(await sim.call('GET', '/v1/orders/stats', { query: days === undefined ? {} : { days } })) as Stats
}

describe('GET /v1/orders/stats', () => {
  it('answers all eight counters as whole numbers', async () => {
    for (const days of [undefined, 1, 7, 30, 365]) {
      const counters = await stats(days)
      expect(Object.keys(counters).sort()).toEqual([...STATUSES].sort())
      for (const status of STATUSES) expect(Number.isInteger(counters[status]) && counters[status] >= 0, `${status} (${days})`).toBe(true)
    }
  })

  it('counts the orders of each status; a longer window counts at least as many', async () => {
    const all: BasicOrder[] = await listEverything(sim)
    const wide = await stats(3650)
    for (const status of STATUSES) {
      const inStatus = all.filter((o) => o.status === status)
      expect(wide[status], status).toBeGreaterThanOrEqual(inStatus.filter((o) => !o.test).length)
      expect(wide[status], status).toBeLessThanOrEqual(inStatus.length)
    }
    const [day, week, month] = [await stats(1), await stats(7), await stats(30)]
    for (const status of STATUSES) {
      expect(day[status]).toBeLessThanOrEqual(week[status])
      expect(week[status]).toBeLessThanOrEqual(month[status])
      expect(month[status]).toBeLessThanOrEqual(wide[status])
    }
  })

  it('a new order counts today', async () => {
    const before = await stats(1)
    await createOrder(sim, { status: 'open' })
    await createOrder(sim, { status: 'blocked' })
    const after = await stats(1)
    expect(after.open).toBe(before.open + 1)
    expect(after.blocked).toBe(before.blocked + 1)
  })

  it.each(['0', '-1', 'abc', '1.5', '1e999', 'NaN'])('refuses days=%s with 400', async (days) => {
    expectError(await sim.call('GET', '/v1/orders/stats', { query: { days } }), 400)
  })
})

interface Media {
  url: string
  main: boolean
}
interface Variant {
  id: string
  title: string
  barcode: string | null
  media: Media[]
}

describe('GET /v1/products', () => {
  let list: { id: string; title: string }[]

  beforeAll(async () => {
    list = expectOk(await sim.call('GET', '/v1/products', { query: { page_size: 1000 } }))
  })

  it('lists products with paging', async () => {
    expect(list.length).toBeGreaterThan(0)
    for (const product of list) {
      expect(product.id).toBeTypeOf('string')
      expect(product.title).toBeTypeOf('string')
    }
    const response = await sim.call('GET', '/v1/products', { query: { page_size: 10, page: 2 } })
    expect(expectOk(response)).toEqual(list.slice(10, 20))
    expect(response.body.paging).toEqual({ total: list.length, pages: Math.ceil(list.length / 10), size: 10, page: 2 })
  })

  it('a product has variants with id, title, barcode and media; every EAN-13 is valid', async () => {
    let withVariants = 0
    for (const { id } of list) {
      const product = expectOk(await sim.call('GET', `/v1/products/${encodeURIComponent(id)}`))
      expect(product.id).toBe(id)
      expect(Array.isArray(product.variants)).toBe(true)
      expect(Array.isArray(product.media)).toBe(true)
      const units: Variant[] = product.variants.length > 0 ? product.variants : [product]
      if (product.variants.length > 0) withVariants++
      for (const unit of units) {
        for (const key of ['id', 'title', 'barcode', 'media']) expect(unit, `${id} ${key}`).toHaveProperty(key)
        expect(unit.id).toBeTypeOf('string')
        expect(unit.barcode, unit.id).toMatch(/^\d{13}$/)
        expect(isValidGtin(unit.barcode!), `${unit.id}: ${unit.barcode}`).toBe(true)
        expect(unit.media.length, unit.id).toBeGreaterThan(0)
        for (const media of unit.media) {
          expect(media.url, unit.id).toMatch(/^https?:\/\//)
          expect(media.main).toBeTypeOf('boolean')
        }
      }
    }
    expect(withVariants).toBeGreaterThan(0)
  })

  it('media URLs load as SVG images', async () => {
    const urls: string[] = []
    for (const { id } of list.slice(0, 12)) {
      const product = expectOk(await sim.call('GET', `/v1/products/${encodeURIComponent(id)}`))
      urls.push(product.media[0].url, ...product.variants.map((v: Variant) => v.media[0]!.url))
    }
    for (const url of urls) {
      expect(url.startsWith(sim.origin), url).toBe(true)
      const response = await fetch(url)
      expect(response.status, url).toBe(200)
      expect(response.headers.get('content-type'), url).toMatch(/^image\/svg\+xml/)
      const svg = await response.text()
      expect(svg, url).toMatch(/<svg[\s>]/)
      expect(svg.trimEnd().endsWith('</svg>'), url).toBe(true)
    }
  })

  it('an unknown product is 404 RESOURCE_NOT_FOUND', async () => {
    expectError(await sim.call('GET', '/v1/products/NO-SUCH-PRODUCT'), 404, 'RESOURCE_NOT_FOUND')
  })

  it('an unknown photo is 404', async () => {
    const response = await fetch(`${sim.base}/media/products/NO-SUCH-SKU.svg`)
    expect(response.status).toBe(404)
  })
})
