import { describe, expect } from 'vitest'
import { getReady } from './support/browser.ts'
import { test as it, type Product } from './support/fixtures.ts'
import { scanWithWedge } from './support/scanner.ts'
import { marketplaceStatus, newOrder, waitForAppliedPuts } from './support/station.ts'

/**
 * The packing desk with its hands full: from the order number scanned on the queue to the
 * printed delivery note and on to the next order, by scans alone. The built PWA in Chromium, a
 * real station and the marketplace simulator.
 */

/** What the page printed: where it was and the paper on screen when `window.print()` was called. */
interface Printed {
  path: string
  paper: string
}

describe('scan to ship', () => {
  it('packs an order from its number scanned on the queue to the printed note with no tap, then the next order follows', async ({ station, products, openTablet }) => {
    const [a, b] = products as [Product, Product]
    const id = await newOrder(station, { items: [{ id: a.sku, quantity: 1 }, { id: b.sku, quantity: 1 }] })
    const tablet = await openTablet()
    // The printer: the print dialog is the operating system's, so the test takes its place and
    // notes what was on the paper when the page printed.
    await tablet.context.addInitScript(() => {
      const printed: { path: string; paper: string }[] = []
      Object.assign(window, { printedByTest: printed })
      window.print = () => {
        printed.push({ path: location.pathname, paper: document.querySelector('[data-testid="paper"]')?.textContent ?? '' })
      }
    })
    const { page } = await getReady(tablet, [id])

    // This desk prints the delivery note after packing; "finish on last scan" is on as it comes.
    await page.goto('/settings')
    await page.getByRole('checkbox', { name: /Finish on last scan/ }).isChecked().then((on) => expect(on).toBe(true))
    await page.getByRole('checkbox', { name: /Print the delivery note right after packing/ }).check()
    await page.getByRole('link', { name: /Back to the queue/ }).click()
    await page.getByRole('tablist', { name: 'Order queues' }).waitFor()

    // From here on, scans only: the order number (as on its delivery note), then each item.
    await scanWithWedge(page, String(id))
    await page.getByRole('heading', { name: `Packing ${id}` }).waitFor()
    await scanWithWedge(page, a.barcodes[0] as string)
    await page.locator(`li[data-sku="${a.sku}"] .pack__count`).filter({ hasText: /^\s*1 \/ 1\s*$/ }).waitFor()
    await scanWithWedge(page, b.barcodes[0] as string)

    // The last scan packed the order, its delivery note printed, and the next order's pack screen is up.
    const printed = await page.waitForFunction(() => {
      const list = (window as unknown as { printedByTest?: Printed[] }).printedByTest ?? []
      return list.length > 0 ? list : null
    })
    const [note, ...more] = (await printed.jsonValue()) as Printed[]
    expect(more).toEqual([])
    expect(note?.path).toBe(`/orders/${id}/print/note`)
    expect(note?.paper).toContain(String(id))
    expect(note?.paper).toContain(a.title)
    await page.waitForURL((url) => /^\/orders\/\d+\/pack$/.test(url.pathname) && url.pathname !== `/orders/${id}/pack`)
    await page.getByRole('heading', { name: /^Packing \d+$/ }).waitFor()

    // The marketplace has the order being packed: one PUT, shipping, confirmed.
    const applied = await waitForAppliedPuts(station, id, 1, 30_000)
    expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
    expect(await marketplaceStatus(station, id)).toBe('shipping')
  })
})
