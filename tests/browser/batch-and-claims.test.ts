import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { getReady, goOffline, goOnline, openOrder, setFinishOnLastScan, signIn, waitForOrdersOnTablet, waitForServiceWorker, waitForText } from './support/browser.ts'
import { test, type Product } from './support/fixtures.ts'
import { scanWithWedge } from './support/scanner.ts'
import { eventually, newOrder, putsOf, stationOrder, waitForAppliedPuts } from './support/station.ts'

/**
 * Batch picking (several orders in one walk, then each packed from its tote) and claims (a second
 * tablet sees an order taken; a claim made offline loses, with a clear message, to one that
 * reached the station first).
 */

/** A new open order at the marketplace with these lines, once the station has it. */
type OrderOf = (...lines: [Product, number][]) => Promise<number>
/** A tablet signed in as `user` with these orders on it: its page. */
type TabletOf = (user: 'picker' | 'lead', orderIds: number[]) => Promise<Page>

const it = test.extend<{ orderOf: OrderOf; tablet: TabletOf }>({
  orderOf: async ({ station }, use) => {
    await use((...lines) => newOrder(station, { items: lines.map(([p, quantity]) => ({ id: p.sku, quantity })) }))
  },
  tablet: async ({ openTablet }, use) => {
    await use(async (user, orderIds) => {
      const opened = await openTablet()
      if (user === 'picker') await getReady(opened, orderIds)
      else {
        await signIn(opened.page, 'lead', '2222')
        await waitForServiceWorker(opened.page)
        await waitForOrdersOnTablet(opened.page, orderIds)
      }
      // These tests confirm the packing themselves: the last scan does not.
      await setFinishOnLastScan(opened.page, false)
      return opened.page
    })
  },
})

async function scan(page: Page, product: Product): Promise<void> {
  await scanWithWedge(page, product.barcodes[0] as string)
}

describe('batch picking', () => {
  it('picks three orders in one walk by SKU and tote, then packs each from its tote, each reaching the marketplace once', async ({ station, products, orderOf, tablet }) => {
    const [a, b, c, stranger] = products.slice(0, 4) as [Product, Product, Product, Product]
    const first = await orderOf([a, 1], [b, 1])
    const second = await orderOf([b, 1])
    const third = await orderOf([c, 1])
    const page = await tablet('picker', [first, second, third])

    // The new orders are the youngest: at the end of the queue, oldest first.
    await page.getByRole('button', { name: 'Batch pick…' }).click()
    await page.locator('.queue__scroller').evaluate((el) => (el.scrollTop = el.scrollHeight))
    for (const id of [first, second, third]) await page.getByRole('checkbox', { name: `Select order ${id}` }).click()
    await page.getByRole('button', { name: 'Pick 3 orders' }).click()
    await page.getByRole('heading', { name: 'Batch pick: 3 orders' }).waitFor()

    // One line per SKU with the total and its split per tote, in the order the orders were chosen.
    const rows = () =>
      page.locator('tr[data-sku]').evaluateAll((trs) =>
        Object.fromEntries(
          trs.map((tr) => [
            tr.getAttribute('data-sku'),
            [
              tr.querySelector('.batch__count')?.textContent?.trim(),
              [...tr.querySelectorAll('.batch__split')].map((split) => split.textContent?.trim()).join(' '),
            ],
          ]),
        ),
      )
    await expect.poll(rows).toEqual({
      [a.sku]: ['0 / 1', 'A × 1'],
      [b.sku]: ['0 / 2', 'A × 1 B × 1'],
      [c.sku]: ['0 / 1', 'C × 1'],
    })

    await scan(page, b)
    await page.getByRole('status').filter({ hasText: `${b.title}: 1 of 2 → tote A` }).waitFor()
    await scan(page, stranger)
    await page.getByRole('status').filter({ hasText: `Not in this batch: ${stranger.title} (${stranger.sku}). Put it back.` }).waitFor()
    await scan(page, b)
    await page.getByRole('status').filter({ hasText: `${b.title}: 2 of 2 → tote B` }).waitFor()
    await scan(page, a)
    await page.getByRole('status').filter({ hasText: `${a.title}: 1 of 1 → tote A` }).waitFor()
    await scan(page, c)
    await page.getByText('Everything is picked. Pack each order from its tote:').waitFor()
    await expect.poll(rows).toEqual({
      [a.sku]: ['1 / 1', 'A × 1'],
      [b.sku]: ['2 / 2', 'A × 1 B × 1'],
      [c.sku]: ['1 / 1', 'C × 1'],
    })

    // Each order packed from its tote: its own items verified, then confirmed.
    const packs: [number, Product[]][] = [
      [first, [a, b]],
      [second, [b]],
      [third, [c]],
    ]
    for (const [id, items] of packs) {
      await page.goto(`/orders/${id}/pack`)
      await page.getByRole('heading', { name: `Packing ${id}` }).waitFor()
      for (const item of items) {
        await scan(page, item)
        await page.locator(`li[data-sku="${item.sku}"] .pack__count`).filter({ hasText: '1 / 1' }).waitFor()
      }
      await page.getByRole('button', { name: 'Confirm packing' }).click()
      await page.waitForURL(`**/orders/${id}`)
    }
    for (const [id] of packs) {
      const applied = await waitForAppliedPuts(station, id, 1)
      expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
      expect((await putsOf(station, id)).map((put) => put.status)).toEqual([200])
    }
  })
})

describe('two tablets and one order', () => {
  it('shows the second tablet that the order is taken, and by whom', async ({ station, products, orderOf, tablet }) => {
    const [a] = products as [Product]
    const id = await orderOf([a, 1])
    const first = await tablet('picker', [id])
    const second = await tablet('lead', [id])

    await openOrder(first, id)
    await first.getByRole('link', { name: 'Scan to pack' }).click()
    await first.getByRole('heading', { name: `Packing ${id}` }).waitFor()
    // Looking takes nothing; the first scan takes the order.
    await scan(first, a)
    const claim = await eventually(async () => (await stationOrder(station, id)).order.claim as { user: string } | null, 10_000)
    expect(claim.user).toBe('picker')

    // The second tablet hears of it and says so, on the queue and on the order.
    await second.getByRole('button', { name: 'Refresh' }).click()
    await openOrder(second, id)
    await second.getByRole('link', { name: 'Scan to pack' }).click()
    await second.getByRole('alert').filter({ hasText: /Being packed by picker on tablet-\w+ until/ }).waitFor()
    // Its own claim was not made: the station still names the first packer.
    expect(((await stationOrder(station, id)).order.claim as { user: string }).user).toBe('picker')
  })

  it('resolves a double claim on sync: the claim made offline loses, and its packer is told who has the order', async ({ station, products, orderOf, tablet }) => {
    const [a] = products as [Product]
    const id = await orderOf([a, 1])
    const online = await tablet('picker', [id])
    const offline = await tablet('lead', [id])
    const offlineTablet = { context: offline.context() }

    await goOffline(offlineTablet, offline)
    await openOrder(offline, id)
    await offline.getByRole('link', { name: 'Scan to pack' }).click()
    await offline.getByRole('heading', { name: `Packing ${id}` }).waitFor()
    await scan(offline, a)
    await waitForText(offline, 'waiting-count', '1 change waiting')

    await openOrder(online, id)
    await online.getByRole('link', { name: 'Scan to pack' }).click()
    await online.getByRole('heading', { name: `Packing ${id}` }).waitFor()
    await scan(online, a)
    await eventually(async () => ((await stationOrder(station, id)).order.claim as { user: string } | null)?.user === 'picker', 10_000)

    await goOnline(offlineTablet, offline)
    await waitForText(offline, 'conflict-count', '1 conflict')
    await offline.goto('/conflicts')
    const panel = offline.getByTestId('conflict')
    await panel.filter({ hasText: 'Take the order for packing' }).waitFor()
    await panel.filter({ hasText: /already being packed by picker/ }).waitFor()
    expect(((await stationOrder(station, id)).order.claim as { user: string }).user).toBe('picker')
  })
})
