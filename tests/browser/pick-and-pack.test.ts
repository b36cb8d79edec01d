import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, onTestFinished } from 'vitest'
import { getReady, launchBrowser, openOrder, PACKING, setFinishOnLastScan, waitForText, type Tablet } from './support/browser.ts'
import { test as it, type OpenTabletOptions, type Product } from './support/fixtures.ts'
import { ean13Modules, scanWithWedge, writeBarcodeVideo } from './support/scanner.ts'
import {
  eventually,
  marketplaceStatus,
  newOrder,
  putsOf,
  stationOrder,
  statusHistory,
  waitForAppliedPuts,
  type StationUnderTest,
} from './support/station.ts'

/**
 * Pick and pack on the tablet: every item verified by a scan (a keyboard-wedge scanner or the
 * camera) before the parcel is confirmed; wrong scans refused with a sentence and a red flash; the
 * scans kept as evidence at the station; an order the customer cancels mid-packing stopped on
 * screen; and scanning on the queue finds orders.
 */

/** A new open order (own carrier) at the marketplace with these lines; waits until the station has it. */
function orderOf(station: StationUnderTest, ...lines: [Product, number][]): Promise<number> {
  return newOrder(station, { items: lines.map(([p, quantity]) => ({ id: p.sku, quantity })) })
}

async function readyTablet(openTablet: (options?: OpenTabletOptions) => Promise<Tablet>, orderIds: number[], options?: OpenTabletOptions): Promise<Tablet> {
  const tablet = await openTablet(options)
  await getReady(tablet, orderIds)
  // These tests confirm the packing themselves: the last scan does not.
  await setFinishOnLastScan(tablet.page, false)
  return tablet
}

/** From the order's page, the packer taps "Scan to pack": the pack screen, scan field focused. */
async function openPackScreen(page: Page, orderId: number): Promise<void> {
  await openOrder(page, orderId)
  await page.getByRole('link', { name: 'Scan to pack' }).click()
  await page.waitForURL(`**/orders/${orderId}/pack`)
  await page.getByRole('heading', { name: `Packing ${orderId}` }).waitFor()
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('scan-field')
}

/** Waits until a line shows `picked / quantity`. */
async function waitForCount(page: Page, sku: string, picked: number, quantity: number): Promise<void> {
  await page
    .locator(`li[data-sku="${sku}"] .pack__count`)
    .filter({ hasText: new RegExp(`^\\s*${picked} / ${quantity}\\s*$`) })
    .waitFor()
}

/** Every line's count as the packer sees it, by SKU. */
async function counts(page: Page): Promise<Record<string, string>> {
  const lines = await page.locator('li[data-sku]').evaluateAll((items) =>
    items.map((li) => [li.getAttribute('data-sku') ?? '', li.querySelector('.pack__count')?.textContent?.trim() ?? ''] as const),
  )
  return Object.fromEntries(lines)
}

/** The feedback sentence shows `text`, green for a right scan or red for a wrong one. */
async function expectFeedback(page: Page, text: string, kind: 'right' | 'wrong'): Promise<void> {
  await waitForText(page, 'scan-feedback', text)
  expect(await page.getByTestId('scan-feedback').getAttribute('class')).toContain(`pack__feedback--${kind}`)
}

/**
 * A wrong scan flashes the whole screen red: a new flash (not the previous scan's) covering the
 * viewport. The flash seen is marked so the next wrong scan must bring a fresh one.
 */
async function expectRedFlash(page: Page): Promise<void> {
  const handle = await page.waitForFunction(() => {
    const flash = document.querySelector<HTMLElement & { seenByTest?: boolean }>('.pack__flash')
    return flash && !flash.seenByTest ? flash : null
  })
  const seen = await handle.evaluate((flash: HTMLElement & { seenByTest?: boolean }) => {
    flash.seenByTest = true
    const box = flash.getBoundingClientRect()
    return { width: box.width, height: box.height, top: box.top, left: box.left, background: getComputedStyle(flash).backgroundColor }
  })
  const viewport = page.viewportSize()
  expect(seen).toEqual({ width: viewport?.width, height: viewport?.height, top: 0, left: 0, background: 'rgba(198, 40, 40, 0.55)' })
}

async function marketplaceOrder(station: StationUnderTest, orderId: number): Promise<{ status: string; confirmed: boolean }> {
  const result = await station.running.mall('GET', `/v1/orders/${orderId}`)
  expect(result.status, result.text).toBe(200)
  return result.body.data
}

/** The packing evidence the station keeps with the order's move to shipping. */
async function packingEvidence(station: StationUnderTest, orderId: number): Promise<{ sku: string; units: number; code: string | null; source: string }[]> {
  const history = await statusHistory(station, orderId)
  expect(history).toHaveLength(1)
  expect(history[0]).toMatchObject({ user: 'picker', details: { from: 'open', to: 'shipping' } })
  const packing = history[0]?.details.packing as { scans: { sku: string; units: number; code: string | null; source: string }[] }
  return packing.scans.map(({ sku, units, code, source }) => ({ sku, units, code, source }))
}

/** After "Confirm packing": the station and the marketplace both have the order in shipping, confirmed, by one PUT. */
async function expectShippedOnce(station: StationUnderTest, orderId: number): Promise<void> {
  const applied = await waitForAppliedPuts(station, orderId, 1)
  expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
  await eventually(async () => (await stationOrder(station, orderId)).order.synced)
  expect((await stationOrder(station, orderId)).order).toMatchObject({ status: 'shipping', confirmed: true, synced: true, pending_changes: 0 })
  expect(await marketplaceOrder(station, orderId)).toMatchObject({ status: 'shipping', confirmed: true })
  expect((await putsOf(station, orderId)).map((put) => put.status)).toEqual([200])
}

describe('packing with a keyboard-wedge scanner', () => {
  it('verifies every unit, refuses wrong scans with a sentence and a red flash, and confirms the parcel once', async ({ station, products, openTablet }) => {
    const [twice, once, elsewhere] = products.slice(0, 3) as [Product, Product, Product]
    const id = await orderOf(station, [twice, 2], [once, 1])
    const { page } = await readyTablet(openTablet, [id])
    await openPackScreen(page, id)
    const field = page.getByLabel('Scan or type a code')
    expect(await field.getAttribute('inputmode')).toBe('none')
    expect(await counts(page)).toEqual({ [twice.sku]: '0 / 2', [once.sku]: '0 / 1' })
    const confirm = page.locator('.pack__actions .button--big')
    await expect.poll(() => confirm.textContent()).toMatch(/Scan every item to confirm/)
    expect(await confirm.isDisabled()).toBe(true)

    await scanWithWedge(page, twice.barcodes[0] as string)
    await expectFeedback(page, `${twice.title}: 1 of 2.`, 'right')
    await waitForCount(page, twice.sku, 1, 2)
    // The scanner's keys never land in the field.
    expect(await field.inputValue()).toBe('')

    // A product that is not on this order.
    await scanWithWedge(page, elsewhere.barcodes[0] as string)
    await expectFeedback(page, `Not on this order: ${elsewhere.title} (${elsewhere.sku}). Put it back.`, 'wrong')
    await expectRedFlash(page)
    expect(await counts(page)).toEqual({ [twice.sku]: '1 / 2', [once.sku]: '0 / 1' })

    // A code nothing in the catalogue carries (a valid EAN-13 of another shop's goods).
    await scanWithWedge(page, '4006381333931')
    await expectFeedback(page, 'Unknown code 4006381333931: scan the product’s own barcode, or type its code.', 'wrong')
    await expectRedFlash(page)
    expect(await counts(page)).toEqual({ [twice.sku]: '1 / 2', [once.sku]: '0 / 1' })
    expect(await field.inputValue()).toBe('')

    // The right scans go on from where they were: the wrong ones counted nothing.
    await scanWithWedge(page, twice.barcodes[0] as string)
    await expectFeedback(page, `${twice.title}: 2 of 2.`, 'right')
    await page.locator('.pack__flash').waitFor({ state: 'detached' })
    await scanWithWedge(page, once.barcodes[0] as string)
    await expectFeedback(page, `${once.title}: 1 of 1.`, 'right')
    await waitForCount(page, twice.sku, 2, 2)
    await waitForCount(page, once.sku, 1, 1)
    expect(await page.locator('li.pack__line--done').count()).toBe(2)
    // One unit too many is refused as well.
    await scanWithWedge(page, once.barcodes[0] as string)
    await expectFeedback(page, `${once.title} (${once.sku}): all 1 already scanned; this one is extra.`, 'wrong')
    await expectRedFlash(page)
    expect(await counts(page)).toEqual({ [twice.sku]: '2 / 2', [once.sku]: '1 / 1' })

    const confirmPacking = page.getByRole('button', { name: 'Confirm packing' })
    await confirmPacking.click()
    await page.waitForURL(`**/orders/${id}`)
    await waitForText(page, 'order-status', PACKING)
    await waitForText(page, 'waiting-count', 'All changes synced')

    await expectShippedOnce(station, id)
    // The evidence: the three right scans, in order, as the scanner read them; the wrong ones are not in it.
    expect(await packingEvidence(station, id)).toEqual([
      { sku: twice.sku, units: 1, code: twice.barcodes[0], source: 'wedge' },
      { sku: twice.sku, units: 1, code: twice.barcodes[0], source: 'wedge' },
      { sku: once.sku, units: 1, code: once.barcodes[0], source: 'wedge' },
    ])
    // …only their count, for the desk's "Today at a glance": not on the order, unknown, one too many.
    expect((await statusHistory(station, id))[0]?.details.packing).toMatchObject({ wrong_scans: 3 })
  })
})

describe('packing with the camera', () => {
  it('reads the EAN-13 of each unit shown to the camera, once per unit however long it is held, and the parcel is confirmed with that evidence', async ({ station, products, openTablet }) => {
    const item = products[3] as Product
    const ean = item.barcodes[0] as string
    expect(ean).toMatch(/^\d{13}$/)
    const videoDir = mkdtempSync(join(tmpdir(), 'pack-camera-'))
    onTestFinished(() => rmSync(videoDir, { recursive: true, force: true }))
    const video = join(videoDir, 'code.y4m')
    writeBarcodeVideo(video, ean13Modules(ean))
    // A tablet whose camera sees the product's barcode: Chromium's fake camera plays the video, looping.
    const cameraBrowser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`])
    // Closed once the test's tablets are (after the fixtures' teardown).
    onTestFinished(() => cameraBrowser.close())

    const id = await orderOf(station, [item, 2])
    const { page, context } = await readyTablet(openTablet, [id], { browser: cameraBrowser })
    await context.grantPermissions(['camera'], { origin: station.running.origin })
    await openPackScreen(page, id)
    const camera = page.getByRole('region', { name: 'Camera scanner' })

    await page.getByRole('button', { name: 'Camera', exact: true }).click()
    await camera.locator('video').waitFor()
    await expectFeedback(page, `${item.title}: 1 of 2.`, 'right')
    await waitForCount(page, item.sku, 1, 2)
    // The unit stays in view (the video never changes): it is one unit, however long it is held.
    // Nothing on screen can be waited for here: what must not happen is a second count, so the
    // screen is watched for twice the camera's repeat window.
    await page.waitForTimeout(3500)
    expect(await counts(page)).toEqual({ [item.sku]: '1 / 2' })
    await expectFeedback(page, `${item.title}: 1 of 2.`, 'right')
    expect(await camera.getByRole('alert').count(), 'the camera works').toBe(0)

    // The next unit: the packer closes the camera and opens it again for it.
    await page.getByRole('button', { name: 'Close camera' }).first().click()
    await camera.waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Camera', exact: true }).click()
    await expectFeedback(page, `${item.title}: 2 of 2.`, 'right')
    await waitForCount(page, item.sku, 2, 2)
    await page.getByRole('button', { name: 'Close camera' }).first().click()
    await camera.waitFor({ state: 'detached' })

    await page.getByRole('button', { name: 'Confirm packing' }).click()
    await page.waitForURL(`**/orders/${id}`)
    await waitForText(page, 'order-status', PACKING)
    await expectShippedOnce(station, id)
    expect(await packingEvidence(station, id)).toEqual([
      { sku: item.sku, units: 1, code: ean, source: 'camera' },
      { sku: item.sku, units: 1, code: ean, source: 'camera' },
    ])
  })
})

describe('an order the customer cancels while it is being packed', () => {
  it('stops the packer on screen, refuses further scans, and nothing can be confirmed or sent', async ({ station, products, openTablet }) => {
    const item = products[4] as Product
    const id = await orderOf(station, [item, 1])
    const { page } = await readyTablet(openTablet, [id])
    await openPackScreen(page, id)
    await scanWithWedge(page, item.barcodes[0] as string)
    await expectFeedback(page, `${item.title}: 1 of 1.`, 'right')
    const confirmPacking = page.getByRole('button', { name: 'Confirm packing' })
    // Every item is verified: the packer could confirm now…
    expect(await confirmPacking.isEnabled()).toBe(true)

    // …but the customer cancels at the marketplace first.
    const cancelled = await station.running.mall('POST', `/_sim/orders/${id}/cancel`)
    expect(cancelled.status, cancelled.text).toBe(200)
    await eventually(async () => (await stationOrder(station, id)).order.status === 'cancelled', 15_000)

    // The tablet pulls it by itself (no reload): the pack screen tells the packer to stop.
    await page.getByRole('alert').filter({ hasText: 'This order is cancelled: stop packing and put the items back.' }).waitFor()
    expect(await confirmPacking.isDisabled()).toBe(true)
    expect(await page.getByLabel('Scan or type a code').isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Camera', exact: true }).isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Confirm by hand' }).count()).toBe(0)

    // A scan now is refused, with the reason, and counts nothing.
    await scanWithWedge(page, item.barcodes[0] as string)
    await expectFeedback(page, 'This order was cancelled: stop packing and put the items back.', 'wrong')
    await expectRedFlash(page)
    expect(await counts(page)).toEqual({ [item.sku]: '1 / 1' })

    // Pressing the (disabled) button does nothing: nothing waits on the tablet, nothing reached
    // the station or the marketplace.
    await confirmPacking.click({ force: true })
    await waitForText(page, 'waiting-count', 'All changes synced')
    expect(page.url()).toMatch(new RegExp(`/orders/${id}/pack$`))
    expect(await statusHistory(station, id)).toEqual([])
    expect(await putsOf(station, id)).toEqual([])
    expect(await marketplaceStatus(station, id)).toBe('cancelled')
  })
})

describe('scanning on the queue', () => {
  it('opens the pack screen of the order whose number is scanned, and lists the open orders holding a scanned product', async ({ station, products, openTablet }) => {
    const [wanted, other] = products.slice(5, 7) as [Product, Product]
    const first = await orderOf(station, [wanted, 1], [other, 1])
    const second = await orderOf(station, [wanted, 3])
    const without = await orderOf(station, [other, 2])
    const { page } = await readyTablet(openTablet, [first, second, without])
    expect(new URL(page.url()).pathname).toBe('/')

    // An open order's number (its delivery note's barcode) starts packing it.
    await scanWithWedge(page, String(second))
    await page.waitForURL(`**/orders/${second}/pack`)
    await page.getByRole('heading', { name: `Packing ${second}` }).waitFor()

    await page.goBack()
    await page.waitForURL((url) => url.pathname === '/')
    await scanWithWedge(page, wanted.barcodes[0] as string)
    const result = page.getByRole('status', { name: 'Scan result' })
    await result.waitFor()

    // What the station holds: every open order with the product (the demo has some of its own).
    const working = await station.running.api('GET', '/api/orders?limit=5000', { token: station.token })
    const holding = (working.body.orders as { id: number; status: string; items: { id: string }[] }[])
      .filter((o) => o.status === 'open' && o.items.some((item) => item.id === wanted.sku))
      .map((o) => o.id)
    expect(holding).toEqual(expect.arrayContaining([first, second]))
    expect(holding).not.toContain(without)

    const said = ((await result.textContent()) ?? '').replace(/\s+/g, ' ')
    expect(said).toContain(`${wanted.title} (${wanted.sku}, bin ${wanted.bin_location}): in ${holding.length} open orders`)
    const listed = await result.getByRole('link').allTextContents()
    expect(listed.map((text) => Number(text.replace('Order ', ''))).sort()).toEqual([...holding].sort())
    expect(said).toMatch(new RegExp(`Order ${second}\\s*— [^,]+, 3 ×`))

    await result.getByRole('link', { name: `Order ${first}` }).click()
    await page.waitForURL(`**/orders/${first}`)
    await page.getByRole('heading', { name: `Order ${first}` }).waitFor()
  })
})
