import type { BrowserContext, Page, Request } from 'playwright-core'
import { describe, expect } from 'vitest'
import { getReady, goOffline, goOnline, openOrder, PACKING, startPacking, waitForText } from './support/browser.ts'
import { test as it } from './support/fixtures.ts'
import {
  eventually,
  marketplaceStatus,
  newOrders,
  putsOf,
  stationOrder,
  statusHistory,
  waitForAppliedPuts,
  type StationUnderTest,
} from './support/station.ts'

/**
 * The tablet is a browser: pages get closed mid-sync, and packers open the app twice. Whatever
 * happens to the pages, each change reaches the station and the marketplace exactly once.
 */

/** Status changes leave the tablet one by one or in batches (`POST /api/changes`). */
const STATUS_CALLS = /\/api\/(orders\/\d+\/status|changes)$/

interface SentChange {
  orderId: number
  key: string | undefined
}

/** The changes one request carried: one, or a batch's. */
function sentChanges(request: Request): SentChange[] {
  const single = /\/api\/orders\/(\d+)\/status/.exec(request.url())
  if (single) return [{ orderId: Number(single[1]), key: request.headers()['idempotency-key'] }]
  const batch = (request.postDataJSON() as { changes?: { order_id: number; key: string }[] } | null)?.changes ?? []
  return batch.map((change) => ({ orderId: change.order_id, key: change.key }))
}

/**
 * Records every status change that reaches the station from the tablet (any page of it). A request
 * the network drops never arrived: it is no second delivery.
 */
async function recordStatusCalls(context: BrowserContext): Promise<SentChange[]> {
  const sent: SentChange[] = []
  await context.route(STATUS_CALLS, async (route) => {
    let response
    try {
      response = await route.fetch()
    } catch {
      await route.abort('internetdisconnected').catch(() => undefined)
      return
    }
    sent.push(...sentChanges(route.request()))
    await route.fulfill({ response }).catch(() => undefined)
  })
  return sent
}

/** The station and the marketplace each have the change exactly once: one audited status change, one PUT answered 200. */
async function expectDeliveredOnce(station: StationUnderTest, orderId: number): Promise<void> {
  const applied = await waitForAppliedPuts(station, orderId, 1)
  expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
  await eventually(async () => (await stationOrder(station, orderId)).order.synced, 10_000)
  expect((await putsOf(station, orderId)).map((put) => put.status)).toEqual([200])
  const history = await statusHistory(station, orderId)
  expect(history.map((entry) => [entry.details.from, entry.details.to, entry.marketplace_state])).toEqual([['open', 'shipping', 'sent']])
  expect(await marketplaceStatus(station, orderId)).toBe('shipping')
}

describe('a page closed in the middle of sending', () => {
  it('loses no change and has none applied twice', async ({ station, openTablet }) => {
    const orders = await newOrders(station, 3)
    const tablet = await openTablet()
    const { context, page } = await getReady(tablet, orders)
    await goOffline(tablet, page)
    for (const id of orders) await startPacking(page, id)
    // Each order: the claim of its first scan and its packing.
    await waitForText(page, 'waiting-count', '6 changes waiting')

    // The station is slow to answer: the changes reach it, but their answers never reach this
    // page, which is closed first (the packer swipes the app away, the tablet reboots…).
    const beforeClose: SentChange[] = []
    let reached: () => void = () => {}
    const firstReachedStation = new Promise<void>((resolve) => (reached = resolve))
    await context.route(STATUS_CALLS, async (route) => {
      beforeClose.push(...sentChanges(route.request()))
      const response = await route.fetch()
      reached()
      await new Promise((resolve) => setTimeout(resolve, 1500))
      await route.fulfill({ response }).catch(() => undefined)
    })
    await goOnline(tablet, page)
    await firstReachedStation
    await page.close()
    await context.unrouteAll({ behavior: 'ignoreErrors' })
    expect(beforeClose.length).toBeGreaterThan(0)
    // The station took the first one; the marketplace gets it from the station, not from the tablet.
    expect(await statusHistory(station, (beforeClose[0] as SentChange).orderId)).toHaveLength(1)

    // The app is opened again on the same tablet (same IndexedDB, same session).
    const afterReopen = await recordStatusCalls(context)
    const again = await context.newPage()
    await again.goto('/')
    await waitForText(again, 'waiting-count', 'All changes synced')

    // Each change is sent with the key it was given when it was made: one whose answer was lost
    // goes again with that key, and the station answers it from its record instead of applying
    // it twice; one not sent yet goes once.
    for (const id of orders) {
      const first = beforeClose.filter((change) => change.orderId === id)
      const second = afterReopen.filter((change) => change.orderId === id)
      expect(first.length, `order ${id} sent before the page closed`).toBeLessThanOrEqual(1)
      expect(second, `order ${id} sent after it reopened`).toHaveLength(1)
      if (first[0]) expect(second[0]?.key).toBe(first[0].key)
    }
    for (const id of orders) await expectDeliveredOnce(station, id)
    for (const id of orders) {
      await openOrder(again, id)
      await waitForText(again, 'order-status', PACKING)
    }
  })
})

describe('two tabs of the app', () => {
  it('send each change once, and both show it without a reload', async ({ station, openTablet }) => {
    const orders = await newOrders(station, 3)
    const tablet = await openTablet()
    const { context, page } = await getReady(tablet, orders)
    const other: Page = await context.newPage()
    await openOrder(other, orders[0] as number)
    await waitForText(other, 'order-status', 'open')
    // A mark that a reload would wipe.
    await other.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))
    const sent = await recordStatusCalls(context)
    // The packer works in the first tab; the second stays open behind it.
    await page.bringToFront()

    // Online: packing starts in the first tab; the second tab's order page follows.
    await startPacking(page, orders[0] as number)
    await waitForText(other, 'order-status', PACKING)
    await waitForText(other, 'waiting-count', 'All changes synced')

    // Offline: two more changes in the first tab; both tabs count them, and when the Wi-Fi is
    // back both tabs hear it and try to send: only one may.
    await goOffline(tablet, page, other)
    for (const id of orders.slice(1)) await startPacking(page, id)
    await waitForText(other, 'waiting-count', '4 changes waiting')
    await goOnline(tablet, page, other)
    await waitForText(page, 'waiting-count', 'All changes synced')
    await waitForText(other, 'waiting-count', 'All changes synced')

    // The first order's change was sent online while the test reloaded the page to look at it:
    // a send cut off that way goes again with the key it was made with, and the station answers
    // it from its record. The two sent after the Wi-Fi came back, with both tabs hearing it, went
    // exactly once each.
    const keysOfFirst = new Set(sent.filter((change) => change.orderId === orders[0]).map((change) => change.key))
    expect(keysOfFirst.size, `keys for order ${orders[0]}: ${JSON.stringify(sent)}`).toBe(1)
    for (const id of orders.slice(1)) {
      expect(sent.filter((change) => change.orderId === id), `requests for order ${id}: ${JSON.stringify(sent)}`).toHaveLength(1)
    }
    for (const id of orders) await expectDeliveredOnce(station, id)
    await openOrder(page, orders[2] as number)
    await waitForText(page, 'order-status', PACKING)
    await waitForText(other, 'order-status', PACKING)
    expect(await other.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
  })
})
