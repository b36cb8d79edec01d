import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { getReady, waitForText, type Tablet } from './support/browser.ts'
import { test as it, type Product } from './support/fixtures.ts'
import { scanWithWedge } from './support/scanner.ts'
import { newOrder } from './support/station.ts'

/**
 * Real scanners on a real tablet: Bluetooth scanners and busy tablets deliver a code's keys with
 * gaps anywhere from 5 to 50 ms, and every burst must be read whole; a packer filling in the
 * problem report types into its fields without the scan field taking the focus or the keys; a
 * wrong scan on the batch list flashes red and names the product.
 */

/** A small seeded generator: the same jitter on every run. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function readyTablet(openTablet: () => Promise<Tablet>, orderIds: number[]): Promise<Page> {
  return (await getReady(await openTablet(), orderIds)).page
}

/** The pack screen of an order, as opened from its address, with the scan field focused. */
async function openPackScreen(page: Page, orderId: number): Promise<void> {
  await page.goto(`/orders/${orderId}/pack`)
  await page.getByRole('heading', { name: `Packing ${orderId}` }).waitFor()
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('scan-field')
}

describe('a Bluetooth scanner on the pack screen', () => {
  it('reads 50 of 50 bursts whole with 5–50 ms between keys', async ({ station, products, openTablet }) => {
    const item = products[0] as Product
    const code = item.barcodes[0] as string
    // One more than is scanned, so the last scan does not finish the packing.
    const id = await newOrder(station, { items: [{ id: item.sku, quantity: 51 }] })
    const page = await readyTablet(openTablet, [id])
    await openPackScreen(page, id)
    // What the page sees: the gaps between the keys' time stamps, to check the scanner's jitter arrives as sent.
    await page.evaluate(() => {
      const seen: number[] = []
      let last = 0
      window.addEventListener('keydown', (event) => {
        if (last > 0 && event.key !== 'Enter') seen.push(event.timeStamp - last)
        last = event.key === 'Enter' ? 0 : event.timeStamp
      }, true)
      Object.assign(window, { keyGapsSeen: seen })
    })

    const next = random(2024)
    const said: string[] = []
    for (let n = 1; n <= 50; n++) {
      const gaps = Array.from({ length: code.length }, () => 5 + Math.round(next() * 45))
      await scanWithWedge(page, code, gaps)
      await waitForText(page, 'scan-feedback', `${item.title}: ${n} of 51.`)
      said.push((await page.getByTestId('scan-feedback').textContent()) ?? '')
    }
    expect(said).toEqual(Array.from({ length: 50 }, (_, i) => `${item.title}: ${i + 1} of 51.`))
    expect(await page.locator(`li[data-sku="${item.sku}"] .pack__count`).textContent()).toMatch(/^\s*50 \/ 51\s*$/)
    expect(await page.getByLabel('Scan or type a code').inputValue()).toBe('')
    const seen = await page.evaluate(() => (window as unknown as { keyGapsSeen: number[] }).keyGapsSeen)
    // The bursts reached the page with the jitter they were sent with, up to 50 ms.
    expect(Math.max(...seen)).toBeGreaterThan(40)
  })
})

describe('“Report a problem…” on the pack screen', () => {
  it('keeps the focus and every key a person types in the note', async ({ station, products, openTablet }) => {
    const item = products[1] as Product
    const id = await newOrder(station, { items: [{ id: item.sku, quantity: 2 }] })
    const page = await readyTablet(openTablet, [id])
    await openPackScreen(page, id)
    await page.getByRole('button', { name: 'Report a problem…' }).click()
    const form = page.getByRole('form', { name: 'Report a problem' })
    await form.waitFor()

    await form.getByLabel('What is wrong').click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('problem-reason')
    await page.keyboard.press('Escape')

    const note = form.getByLabel('Note (optional)')
    await note.click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('problem-note')
    const text = 'Box torn at the corner, 2 mugs missing'
    await page.keyboard.type(text, { delay: 90 })
    expect(await note.inputValue()).toBe(text)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('problem-note')
    expect(await page.getByLabel('Scan or type a code').inputValue()).toBe('')
    expect(await page.getByTestId('scan-feedback').count()).toBe(0)
  })
})

describe('a wrong scan on the batch list', () => {
  it('flashes red and names the product, its SKU beside it', async ({ station, products, openTablet }) => {
    const [a, b, stranger] = products.slice(0, 3) as [Product, Product, Product]
    const first = await newOrder(station, { items: [{ id: a.sku, quantity: 1 }] })
    const second = await newOrder(station, { items: [{ id: b.sku, quantity: 1 }] })
    const page = await readyTablet(openTablet, [first, second])
    await page.goto(`${station.running.origin}/batch?orders=${first},${second}`)
    await page.getByRole('heading', { name: 'Batch pick: 2 orders' }).waitFor()
    await page.locator(`tr[data-sku="${a.sku}"]`).waitFor()

    await scanWithWedge(page, stranger.barcodes[0] as string)
    const feedback = page.locator('.batch__feedback')
    await feedback.filter({ hasText: `Not in this batch: ${stranger.title} (${stranger.sku}). Put it back.` }).waitFor()
    expect(await feedback.getAttribute('class')).toContain('batch__feedback--wrong')
    const flash = await page.locator('.batch__flash').evaluate((el) => {
      const box = el.getBoundingClientRect()
      return { width: box.width, height: box.height, background: getComputedStyle(el).backgroundColor }
    })
    const viewport = page.viewportSize()
    expect(flash).toEqual({ width: viewport?.width, height: viewport?.height, background: 'rgba(198, 40, 40, 0.55)' })
  })
})
