import { describe, expect } from 'vitest'
import { getReady, signIn, startPacking, waitForOrdersOnTablet, waitForText } from './support/browser.ts'
import { test as it } from './support/fixtures.ts'
import { marketplaceStatus, newOrder, putsOf, setOutage, waitForAppliedPuts } from './support/station.ts'

/**
 * The connectivity bar tells the truth: it follows the station's answers, not `navigator.onLine`.
 * A tablet on the Wi-Fi with no route to the station still says it is online; the bar must say
 * "Station unreachable", keep the packer's changes, and send them as soon as the station answers
 * again, without waiting for an `online` event that never comes.
 */

// A test that takes the marketplace down leaves it up for the next.
it.afterEach(async ({ station }) => {
  await setOutage(station, 'off')
})

describe('the station out of reach while the browser says online', () => {
  it('shows "Station unreachable", keeps the change, and sends it once when the station answers again', async ({ station, openTablet }) => {
    const id = await newOrder(station)
    const tablet = await openTablet({ onLineAlwaysTrue: true, serviceWorkers: 'block' })
    await signIn(tablet.page)
    await waitForOrdersOnTablet(tablet.page, [id])
    const { page } = tablet
    await waitForText(page, 'connectivity', 'Online')

    // The station stops answering: every request to it fails, the browser still says online.
    await page.route('**/api/**', (route) => route.abort('connectionrefused'))
    await startPacking(page, id)
    expect(await page.evaluate(() => navigator.onLine)).toBe(true)
    await waitForText(page, 'connectivity', 'Station unreachable')
    // The claim of the first scan and the packing.
    await waitForText(page, 'waiting-count', '2 changes waiting')
    expect(await putsOf(station, id)).toEqual([])

    // The station answers again; no `online` event is fired.
    await page.unroute('**/api/**')
    await waitForText(page, 'connectivity', 'Online')
    await waitForText(page, 'waiting-count', 'All changes synced')
    const applied = await waitForAppliedPuts(station, id, 1)
    expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
    expect(await marketplaceStatus(station, id)).toBe('shipping')
  })

  it('is Offline when the device says it has no network', async ({ openTablet }) => {
    const tablet = await openTablet()
    const { page, context } = await getReady(tablet)
    await waitForText(page, 'connectivity', 'Online')
    await context.setOffline(true)
    await waitForText(page, 'connectivity', 'Offline')
    await context.setOffline(false)
    await waitForText(page, 'connectivity', 'Online')
  })
})

describe('the marketplace out of reach while the station answers', () => {
  it('says so on the bar, with the number of changes waiting on the station', async ({ station, openTablet }) => {
    const id = await newOrder(station)
    const tablet = await openTablet()
    const { page } = await getReady(tablet, [id])
    await waitForText(page, 'connectivity', 'Online')
    await expect(page.getByTestId('marketplace-state').count()).resolves.toBe(0)

    await setOutage(station, '503')
    await startPacking(page, id)
    // The tablet's change reached the station; the station holds it for the marketplace.
    await waitForText(page, 'waiting-count', 'All changes synced')
    await waitForText(page, 'marketplace-state', 'Marketplace unreachable: 1 change waits on the station', 20_000)
    await waitForText(page, 'connectivity', 'Online')

    await setOutage(station, 'off')
    await waitForAppliedPuts(station, id, 1, 30_000)
    await page.getByRole('button', { name: 'Refresh' }).click()
    await page.getByTestId('marketplace-state').waitFor({ state: 'detached', timeout: 20_000 })
  })
})
