import type { Browser } from 'playwright-core'
import { test as base, expect } from 'vitest'
import { launchBrowser, openTablet, type Tablet, type TabletOptions } from './browser.ts'
import { startDemoStation, type StationUnderTest } from './station.ts'

interface Lab {
  browser: Browser
  station: StationUnderTest
}

interface BrowserWithStation extends Lab {
  /** The browser and the station, started together once per file. */
  lab: Lab
}

interface Tablets {
  /** Opens a fresh tablet on the station; closed after the test, which fails on any uncaught error in the app. */
  openTablet: (options?: TabletOptions) => Promise<Tablet>
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
  openTablet: async ({ lab }, use) => {
    const opened: Tablet[] = []
    await use(async (options) => {
      const tablet = await openTablet(lab.browser, lab.station.running.origin, options)
      opened.push(tablet)
      return tablet
    })
    const errors = opened.flatMap((tablet) => tablet.errors)
    for (const tablet of opened) await tablet.context.close()
    expect(errors, 'uncaught errors in the app').toEqual([])
  },
})
