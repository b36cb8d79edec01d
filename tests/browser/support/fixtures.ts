import type { Browser } from 'playwright-core'
import { test as base, expect } from 'vitest'
import { launchBrowser, openTablet, type Tablet, type TabletOptions } from './browser.ts'
import { eventually, startDemoStation, type StationUnderTest } from './station.ts'

/** A product of the station's catalogue as `GET /api/products` lists it. */
export interface Product {
  sku: string
  title: string
  barcodes: string[]
  case_barcodes: { code: string; units: number }[]
  bin_location: string | null
}

interface Lab {
  browser: Browser
  station: StationUnderTest
}

interface BrowserWithStation extends Lab {
  /** The browser and the station, started together once per file. */
  lab: Lab
  /** Products with one barcode each and no case barcode (one scan is one unit), once the station has the catalogue. */
  products: Product[]
}

export interface OpenTabletOptions extends TabletOptions {
  /** Another browser than the file's (one launched with other flags); closed by the test after the tablet. */
  browser?: Browser
  /** Another address than the station's plain-HTTP origin. */
  origin?: string
}

interface Tablets {
  /** Opens a fresh tablet on the station; closed after the test, which fails on any uncaught error in the app. */
  openTablet: (options?: OpenTabletOptions) => Promise<Tablet>
}

/**
 * `test` with a browser and a demo station, shared by a file's tests (as a `beforeAll` would),
 * and the tablets a test opens, closed after it: `test('…', async ({ station, openTablet }) => …)`.
 */
export const test = base.extend<{ $file: BrowserWithStation; $test: Tablets }>({
  lab: [
    async ({}, use) => {
      const [browser, station] = await Promise.all([launchBrowser(), startDemoStation()])
      await use({ browser, station })
      await browser.close()
      await station.running.close()
    },
    { scope: 'file' },
  ],
  browser: [
    async ({ lab }, use) => {
      await use(lab.browser)
    },
    { scope: 'file' },
  ],
  station: [
    async ({ lab }, use) => {
      await use(lab.station)
    },
    { scope: 'file' },
  ],
  products: [
    async ({ lab: { station } }, use) => {
      // The station reads the catalogue from the marketplace on its own schedule, beside the
      // orders; tablets signed in before that would have no products to scan.
      const catalogue = await eventually(async () => {
        const listed = await station.running.api('GET', '/api/products?limit=5000', { token: station.token })
        return listed.status === 200 && listed.body.products.length > 0 ? (listed.body.products as Product[]) : null
      }, 15_000)
      const scannable = catalogue.filter((p) => p.barcodes.length === 1 && p.case_barcodes.length === 0)
      expect(scannable.length, 'products with one barcode and no case barcode').toBeGreaterThan(10)
      await use(scannable)
    },
    { scope: 'file' },
  ],
  openTablet: async ({ lab }, use) => {
    const opened: Tablet[] = []
    await use(async ({ browser = lab.browser, origin = lab.station.running.origin, ...options } = {}) => {
      const tablet = await openTablet(browser, origin, options)
      opened.push(tablet)
      return tablet
    })
    const errors = opened.flatMap((tablet) => tablet.errors)
    for (const tablet of opened) await tablet.context.close()
    expect(errors, 'uncaught errors in the app').toEqual([])
  },
})
