import { describe, expect } from 'vitest'
import {
  getReady,
  goOffline,
  goOnline,
  openOrder,
  PACKING,
  startPacking,
  waitForText,
  type Tablet,
} from './support/browser.ts'
import { test as it } from './support/fixtures.ts'
import {
  eventually,
  marketplaceStatus,
  newOrder,
  newOrders,
  putsOf,
  setOutage,
  stationOrder,
  statusHistory,
  waitForAppliedPuts,
} from './support/station.ts'

/**
 * Changes made on the tablet reach the station and the marketplace exactly once, whatever the
 * Wi-Fi and the marketplace do meanwhile; a change the marketplace can no longer take is shown
 * to the packer and kept until the packer decides.
 */

// A test that takes the marketplace down leaves it up for the next.
it.afterEach(async ({ station }) => {
  await setOutage(station, 'off')
})

/** A fresh tablet, signed in and controlled by its service worker, with these orders pulled. */
async function readyTablet(openTablet: () => Promise<Tablet>, orderIds: number[]): Promise<Tablet> {
  return getReady(await openTablet(), orderIds)
}

describe('changes made offline', () => {
  it('queue with a visible count and, back online, reach the station and the marketplace once each', async ({ station, openTablet }) => {
    const orders = await newOrders(station, 2)
    const { page, context } = await readyTablet(openTablet, orders)
    await goOffline({ context }, page)

    for (const id of orders) await startPacking(page, id)
    // Each order: the claim of its first scan and its packing.
    await waitForText(page, 'waiting-count', '4 changes waiting')
    // Nothing has left the tablet.
    for (const id of orders) {
      expect(await statusHistory(station, id)).toEqual([])
      expect(await putsOf(station, id)).toEqual([])
    }

    // The Wi-Fi stays down a while (a packer works on through a dead spot): long enough that a
    // tablet that kept trying to send offline would be backing off for seconds by now.
    await page.waitForTimeout(10_000)
    await goOnline({ context }, page)
    await waitForText(page, 'waiting-count', 'All changes synced')

    for (const id of orders) {
      const applied = await waitForAppliedPuts(station, id, 1)
      expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
      await eventually(async () => (await stationOrder(station, id)).order.synced)
      const history = await statusHistory(station, id)
      expect(history).toHaveLength(1)
      expect(history[0]).toMatchObject({ user: 'picker', marketplace_state: 'sent', details: { from: 'open', to: 'shipping' } })
      expect(await marketplaceStatus(station, id)).toBe('shipping')
      // Exactly one PUT, and the marketplace answered it.
      expect((await putsOf(station, id)).map((put) => put.status)).toEqual([200])
    }
  })

  it('on an order the customer cancelled meanwhile are shown as a conflict, never sent, and kept until discarded', async ({ station, openTablet }) => {
    const id = await newOrder(station)
    const { page, context } = await readyTablet(openTablet, [id])
    await openOrder(page, id)
    await waitForText(page, 'order-status', 'open')
    await goOffline({ context }, page)

    const cancelled = await station.running.mall('POST', `/_sim/orders/${id}/cancel`)
    expect(cancelled.status, cancelled.text).toBe(200)
    await eventually(async () => (await stationOrder(station, id)).order.status === 'cancelled', 15_000)

    // The tablet does not know yet: the packer starts packing the order.
    await startPacking(page, id)
    await waitForText(page, 'waiting-count', '2 changes waiting')

    await goOnline({ context }, page)
    await waitForText(page, 'conflict-count', '1 conflict')
    const panel = page.getByTestId('conflict')
    await panel.waitFor()
    const said = (await panel.textContent()) ?? ''
    expect(said).toMatch(/your change was refused/)
    expect(said).toMatch(/Move to being packed/)
    expect(said).toMatch(/The order now\s*cancelled — do not ship it/)
    // The order page shows the order as it is now.
    await waitForText(page, 'order-status', 'cancelled')
    await page.getByRole('button', { name: 'Start packing' }).waitFor({ state: 'detached' })

    // The change was not applied anywhere.
    expect(await putsOf(station, id)).toEqual([])
    expect(await statusHistory(station, id)).toEqual([])
    expect(await marketplaceStatus(station, id)).toBe('cancelled')

    // Applying it again is refused by the rules: the order is final.
    await page.getByRole('button', { name: 'Apply it again to the current order' }).click()
    await panel.getByRole('paragraph').filter({ hasText: /cancelled, which is final: do not ship it/ }).waitFor()
    expect(await putsOf(station, id)).toEqual([])

    // Nothing is lost: the refused change survives a reload and is listed under Conflicts.
    await page.reload()
    await waitForText(page, 'conflict-count', '1 conflict')
    await page.getByTestId('conflict-count').click()
    await page.waitForURL('**/conflicts')
    expect(await page.getByTestId('conflict').count()).toBe(1)
    expect(await page.getByTestId('conflict').textContent()).toContain(String(id))

    await page.getByRole('button', { name: 'Discard my change' }).click()
    await page.getByTestId('conflict').waitFor({ state: 'detached' })
    await page.getByTestId('conflict-count').waitFor({ state: 'detached' })
    await page.getByText('No conflicts').waitFor()
    await waitForText(page, 'waiting-count', 'All changes synced')
    await openOrder(page, id)
    await waitForText(page, 'order-status', 'cancelled')
    expect(await putsOf(station, id)).toEqual([])
  })
})

describe('while the marketplace is down', () => {
  it('the station takes the changes at once and delivers them when it is back, once each', async ({ station, openTablet }) => {
    const orders = await newOrders(station, 2)
    const { page } = await readyTablet(openTablet, orders)
    await setOutage(station, '503')

    for (const id of orders) {
      await startPacking(page, id)
      // The station took it; the page says it has not reached the marketplace yet.
      await page.getByText('Not yet at the marketplace').waitFor()
    }
    await waitForText(page, 'waiting-count', 'All changes synced')
    for (const id of orders) {
      const { order, history } = await stationOrder(station, id)
      expect(order).toMatchObject({ status: 'shipping', synced: false })
      expect(history.filter((entry) => entry.action === 'status' && entry.actor === 'user')).toHaveLength(1)
    }
    // The station tried, and the marketplace refused service.
    await eventually(async () => (await putsOf(station, orders[0] as number)).some((put) => put.status === 503))
    for (const id of orders) expect((await putsOf(station, id)).filter((put) => put.status === 200)).toEqual([])

    await setOutage(station, 'off')
    for (const id of orders) {
      await waitForAppliedPuts(station, id, 1, 20_000)
      await eventually(async () => (await stationOrder(station, id)).order.synced, 10_000)
      expect(await marketplaceStatus(station, id)).toBe('shipping')
      const puts = await putsOf(station, id)
      // One PUT applied; any others were refused with 503 while the marketplace was down.
      expect(puts.filter((put) => put.status === 200)).toHaveLength(1)
      expect(puts.filter((put) => put.status !== 200 && put.status !== 503)).toEqual([])
      expect(await statusHistory(station, id)).toEqual([expect.objectContaining({ marketplace_state: 'sent' })])
    }
    // The tablet hears of it: the order no longer says it is waiting for the marketplace.
    await openOrder(page, orders[1] as number)
    await waitForText(page, 'order-status', PACKING)
    await page.getByText('Not yet at the marketplace').waitFor({ state: 'detached' })
  })
})
