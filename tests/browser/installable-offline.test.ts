import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import {
  cachedPaths,
  goOffline,
  NOT_REACHABLE,
  openOrder,
  recordPhotoResponses,
  signIn,
  waitForPhotosLoaded,
  waitForServiceWorker,
  waitForText,
} from './support/browser.ts'
import { test as it } from './support/fixtures.ts'
import { eventually, newOrder, type StationUnderTest } from './support/station.ts'

/**
 * A packer signs in on a fresh tablet: the open orders arrive with their product photos, the app
 * is installable, and once it has been online it opens again with the Wi-Fi gone: the app shell
 * from the service worker, the orders from IndexedDB, the photos from the photo cache.
 */

interface OrderSummary {
  id: number
  status: string
  items: { id: string; title: string }[]
}

/** The working set a tablet pulls, as the station serves it. */
async function workingSet(station: StationUnderTest): Promise<OrderSummary[]> {
  const result = await station.running.api('GET', '/api/orders?limit=5000', { token: station.token })
  expect(result.status).toBe(200)
  return result.body.orders as OrderSummary[]
}

/** The photo paths of every product on these orders, as the station's catalogue gives them. */
async function photoPathsOf(station: StationUnderTest, orders: OrderSummary[]): Promise<string[]> {
  const result = await station.running.api('GET', '/api/products?limit=5000', { token: station.token })
  expect(result.status).toBe(200)
  const skus = new Set(orders.flatMap((order) => order.items.map((item) => item.id)))
  const products = result.body.products as { sku: string; photo_url: string | null }[]
  return products.filter((p) => skus.has(p.sku) && p.photo_url).map((p) => new URL(p.photo_url as string, station.running.origin).pathname)
}

/** The orders the queue shows now (rendered rows of the virtual list), with their photos' alt texts. */
async function listedOrders(page: Page): Promise<{ id: number; alts: string[] }[]> {
  return page.locator('a[data-order-id]').evaluateAll((links) =>
    links.map((link) => ({
      id: Number(link.getAttribute('data-order-id')),
      alts: [...link.querySelectorAll('img')].map((img) => img.alt),
    })),
  )
}

/** The count on the To pack tab, once the tab shows one (the first screen paints before counting). */
async function openTabCount(page: Page): Promise<number> {
  const tab = page.getByRole('tab', { name: /^To pack\s+\d+/ })
  await tab.waitFor()
  return Number(/(\d+)\s*$/.exec((await tab.textContent()) ?? '')?.[1])
}

describe('a fresh tablet', () => {
  it('signs in and shows the open orders with their product photos', async ({ station, openTablet }) => {
    const tablet = await openTablet()
    const { page } = tablet
    await signIn(page)

    const open = (await workingSet(station)).filter((order) => order.status === 'open')
    expect(open.length).toBeGreaterThan(10)
    await page.locator('a[data-order-id]').first().waitFor()
    // The To pack tab counts every open order of the warehouse.
    await eventually(async () => (await openTabCount(page)) === open.length)

    const listed = await listedOrders(page)
    expect(listed.length).toBeGreaterThan(3)
    for (const row of listed) {
      const order = open.find((o) => o.id === row.id)
      expect(order, `order ${row.id} is listed as open`).toBeDefined()
      // Up to four thumbnails per row, each titled after its product.
      expect(row.alts).toEqual(order?.items.slice(0, 4).map((item) => item.title))
    }
    const photos = await waitForPhotosLoaded(page.getByRole('list', { name: 'open orders' }))
    expect(photos.length).toBeGreaterThanOrEqual(listed.length)
    for (const photo of photos) expect(new URL(photo.src).pathname).toMatch(/^\/media\/products\//)
  })

  it('is installable: a manifest with name, icons and standalone display, and a service worker controlling the page', async ({ openTablet }) => {
    const tablet = await openTablet()
    const { page } = tablet
    await page.goto('/')
    await waitForServiceWorker(page)

    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href')
    expect(manifestHref).toBe('/manifest.webmanifest')
    const answer = await page.request.get('/manifest.webmanifest')
    expect(answer.status()).toBe(200)
    const manifest = (await answer.json()) as { name?: string; short_name?: string; display?: string; start_url?: string; icons?: { src: string; sizes: string; type: string }[] }
    expect(manifest.name).toBe('Picking station')
    expect(manifest.short_name).toBeTruthy()
    expect(manifest.display).toBe('standalone')
    expect(manifest.start_url).toBe('/')
    for (const size of [192, 512]) {
      const icon = manifest.icons?.find((i) => i.sizes === `${size}x${size}` && i.type === 'image/png')
      expect(icon, `a ${size}px PNG icon`).toBeDefined()
      const image = await page.request.get(icon?.src ?? '')
      expect(image.status()).toBe(200)
      expect(image.headers()['content-type']).toMatch(/^image\/png/)
      const png = await image.body()
      // The PNG signature, then IHDR: width and height as big-endian 32-bit numbers.
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size])
    }
    const scriptUrl = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)
    expect(new URL(scriptUrl ?? '').pathname).toBe('/sw.js')
  })

  it('opens offline after one online visit: app, orders and photos', async ({ station, openTablet }) => {
    const fresh = await newOrder(station)
    const tablet = await openTablet()
    const { page } = tablet
    await signIn(page)
    await waitForServiceWorker(page)
    await page.locator('a[data-order-id]').first().waitFor()
    // The warm-up saves the photo of every product of every order on the tablet for offline use,
    // including orders never opened or scrolled to.
    const orders = await workingSet(station)
    const freshOrder = orders.find((o) => o.id === fresh)
    const wanted = await photoPathsOf(station, orders)
    expect(wanted.length).toBeGreaterThan(20)
    let cached: string[] = []
    await eventually(async () => {
      cached = await cachedPaths(page, 'product-photos-v1')
      return wanted.every((path) => cached.includes(path))
    }, 20_000).catch((error: Error) => {
      throw new Error(`${error.message}; not cached: ${wanted.filter((path) => !cached.includes(path)).length} of ${wanted.length}`)
    })
    const before = await listedOrders(page)
    const count = await openTabCount(page)

    await goOffline(tablet)
    const photoResponses = recordPhotoResponses(page)
    await page.reload()
    // The device has no network; Chromium may still say it is online after a reload (so do real
    // tablets): either way the bar says the station is out of reach, never "Online".
    await waitForText(page, 'connectivity', NOT_REACHABLE)
    await page.locator('a[data-order-id]').first().waitFor()
    expect(await openTabCount(page)).toBe(count)
    expect((await listedOrders(page)).map((r) => r.id)).toEqual(before.map((r) => r.id))
    await waitForPhotosLoaded(page.getByRole('list', { name: 'open orders' }))

    // A deep link to an order, offline: the shell from the service worker, the order from IndexedDB.
    await openOrder(page, fresh)
    await waitForText(page, 'order-status', 'open')
    const photos = await waitForPhotosLoaded(page.locator('.order__lines'))
    expect(photos.map((p) => p.alt).sort()).toEqual((freshOrder?.items ?? []).map((i) => i.title).sort())
    await waitForText(page, 'connectivity', NOT_REACHABLE)
    // Every photo shown offline came from the service worker's photo cache.
    expect(photoResponses.length).toBeGreaterThan(0)
    expect(photoResponses.filter((r) => !r.fromServiceWorker || r.status !== 200)).toEqual([])
  })
})
