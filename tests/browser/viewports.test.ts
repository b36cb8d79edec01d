import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { getReady, NOT_REACHABLE, openOrder, setFinishOnLastScan, signIn, waitForOrdersOnTablet, waitForText } from './support/browser.ts'
import { test } from './support/fixtures.ts'
import { boxOf, insideViewport, readLayout, type LayoutReport } from './support/layout.ts'
import { scanWithWedge } from './support/scanner.ts'
import { newOrder } from './support/station.ts'

/**
 * Every screen size a warehouse uses: an Android handheld with a built-in scanner, a portrait
 * tablet and a landscape tablet. On each, the queue, an order and its pack screen show without
 * text drawn over text, without anything scrolling sideways, with the status bar on one line and
 * touch targets a gloved finger hits; on the pack screen "Confirm packing" and what the last scan
 * said stay on the glass however far the list is scrolled. The order is a long one, for a
 * customer with a long name, so that there is something to wrap.
 *
 * VIEWPORT_SCREENSHOTS=<folder> keeps a picture of every screen checked, to look at by eye.
 */

const VIEWPORTS = [
  { name: 'handheld', width: 360, height: 740 },
  { name: 'portrait tablet', width: 800, height: 1280 },
  { name: 'landscape tablet', width: 1280, height: 800 },
] as const

/** One line of 48 px touch targets, and a little air. */
const STATUS_BAR_MAX_HEIGHT = 56
/** A sticky bar covering part of the screen is layered on purpose; the red flash of a wrong scan too. */
const LAYERED = ['.pack__flash', '.reload-prompt']

interface Line {
  sku: string
  code: string
  quantity: number
}

/** A long order, shared by the file's tests: its lines and its number. */
const it = test.extend<{ $file: { lines: Line[]; longOrder: number } }>({
  lines: [
    async ({ products }, use) => {
      // The longest titles, scanned one unit a code.
      const chosen = [...products].sort((a, b) => b.title.length - a.title.length).slice(0, 7)
      await use(chosen.map((p, i) => ({ sku: p.sku, code: p.barcodes[0] as string, quantity: i === 0 ? 12 : 1 + (i % 3) })))
    },
    { scope: 'file' },
  ],
  longOrder: [
    async ({ station, lines }, use) => {
      await use(
        await newOrder(station, {
          cod: true,
          items: lines.map((line) => ({ id: line.sku, quantity: line.quantity })),
          address: {
            name: 'Maximiliána Alžběta Procházková-Dvořáková',
            company: 'Velkoobchod s kancelářskými potřebami Brno s.r.o.',
            street: 'Třída Kapitána Jaroše 1922/3a',
            city: 'Frýdlant nad Ostravicí',
          },
        }),
      )
    },
    { scope: 'file' },
  ],
})

async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.VIEWPORT_SCREENSHOTS
  if (!folder) return
  mkdirSync(folder, { recursive: true })
  await page.screenshot({ path: join(folder, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`) })
}

/** Nothing drawn over other text, nothing past the edges, no sideways scroll, fingers fit. */
function expectCleanLayout(report: LayoutReport, where: string): void {
  expect(report.documentOverflowX, `${where}: the page scrolls sideways`).toBe(0)
  expect(report.sidewaysScrollers, `${where}: parts scroll sideways`).toEqual([])
  expect(report.outsideViewport, `${where}: drawn beyond the screen's edge`).toEqual([])
  expect(report.overlaps, `${where}: text drawn over text`).toEqual([])
  expect(report.smallTargets, `${where}: touch targets under 48 px`).toEqual([])
}

/** The status bar: one line, at the top, with the connectivity pill and the waiting count on it. */
async function expectOneLineStatusBar(page: Page, where: string): Promise<number> {
  const viewport = page.viewportSize() as { width: number; height: number }
  const bar = await boxOf(page, '.status-bar')
  expect(bar, `${where}: no status bar`).not.toBeNull()
  expect(bar!.bottom - bar!.top, `${where}: the status bar is more than one line`).toBeLessThanOrEqual(STATUS_BAR_MAX_HEIGHT)
  for (const testId of ['connectivity', 'waiting-count']) {
    const box = await boxOf(page, `[data-testid="${testId}"]`)
    expect(insideViewport(box, viewport), `${where}: ${testId} is not on screen`).toBe(true)
    expect(box!.bottom <= bar!.bottom + 0.5 && box!.top >= bar!.top - 0.5, `${where}: ${testId} is not on the bar`).toBe(true)
  }
  return bar!.bottom
}

/** Whether a tap at the middle of the element reaches it (nothing drawn over it). */
function onTop(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((s) => {
    const el = document.querySelector(s)
    if (!el) return false
    const box = el.getBoundingClientRect()
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
    return hit !== null && (el === hit || el.contains(hit))
  }, selector)
}

async function scrollTo(page: Page, where: 'top' | 'bottom'): Promise<void> {
  await page.evaluate((to) => window.scrollTo(0, to === 'top' ? 0 : document.documentElement.scrollHeight), where)
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

describe.each(VIEWPORTS)('on a $name ($width × $height)', (viewport) => {
  const size = `${viewport.width}x${viewport.height}`

  it('the queue shows whole rows, none drawn over the next, under a one-line status bar', async ({ longOrder, openTablet }) => {
    const tablet = await openTablet({ viewport })
    const { page } = await getReady(tablet, [longOrder])
    await page.goto('/')
    const rows = page.locator('.queue__scroller [role="listitem"] a[data-order-id]')
    await rows.first().waitFor()
    await waitForText(page, 'connectivity', 'Online')
    await screenshot(page, `${size}-queue`)
    const barBottom = await expectOneLineStatusBar(page, `queue ${size}`)
    // The first order starts right under the bar and the tabs (two rows of them on a handheld).
    const first = await rows.first().boundingBox()
    expect(first!.y - barBottom, 'header space above the first order').toBeLessThanOrEqual(viewport.width < 600 ? 140 : 80)
    expectCleanLayout(await readLayout(page, { ignore: LAYERED }), `queue ${size}`)

    // Below 1024 px Refresh, the user and Sign out fold into a menu button named for them.
    const menu = page.getByRole('button', { name: /^Menu of Demo picker/ })
    expect(await menu.isVisible(), `queue ${size}: the status bar's menu button`).toBe(viewport.width < 1024)
    if (viewport.width < 1024) await menu.click()
    await screenshot(page, `${size}-status-menu`)
    // (Refresh reads "Syncing…" while a sync runs, which the station's events may start at any time.)
    for (const name of ['Refresh', 'Sign out']) {
      await expect.poll(() => page.getByRole('button', { name, exact: true }).isVisible(), { message: `queue ${size}: ${name}`, timeout: 15_000 }).toBe(true)
    }
    await expect(page.getByTestId('last-sync').isVisible()).resolves.toBe(true)
    expectCleanLayout(await readLayout(page, { within: '.status-bar' }), `status bar ${size}, its menu open`)
    if (viewport.width < 1024) await page.keyboard.press('Escape')

    // The long order is the newest: at the end of the list.
    await page.locator('.queue__scroller').evaluate((scroller) => scroller.scrollTo(0, scroller.scrollHeight))
    await page.locator(`a[data-order-id="${longOrder}"]`).waitFor()
    await screenshot(page, `${size}-queue-end`)
    expectCleanLayout(await readLayout(page, { ignore: LAYERED }), `queue ${size}, scrolled to the end`)
  })

  it('the order page and the pack screen fit, and Confirm packing and the scan feedback stay in view', async ({ longOrder, lines, openTablet }) => {
    const tablet = await openTablet({ viewport })
    const { page } = await getReady(tablet, [longOrder])
    await setFinishOnLastScan(page, false)

    await openOrder(page, longOrder)
    await waitForText(page, 'connectivity', 'Online')
    await expectOneLineStatusBar(page, `order ${size}`)
    for (const where of ['top', 'bottom'] as const) {
      await scrollTo(page, where)
      await screenshot(page, `${size}-order-${where}`)
      expectCleanLayout(await readLayout(page, { ignore: LAYERED }), `order page ${size}, scrolled to the ${where}`)
    }

    await page.goto(`/orders/${longOrder}/pack`)
    await page.getByRole('heading', { name: `Packing ${longOrder}` }).waitFor()
    for (const line of lines) {
      for (let unit = 1; unit <= line.quantity; unit++) {
        await scanWithWedge(page, line.code)
        await page.locator(`li[data-sku="${line.sku}"] .pack__count`).filter({ hasText: new RegExp(`^\\s*${unit} / ${line.quantity}\\s*$`) }).waitFor()
      }
    }
    const confirm = page.getByRole('button', { name: 'Confirm packing' })
    await confirm.waitFor()
    await waitForText(page, 'scan-feedback', /.+/)
    const barBottom = await expectOneLineStatusBar(page, `pack ${size}`)
    for (const where of ['bottom', 'top'] as const) {
      await scrollTo(page, where)
      const at = `pack screen ${size}, scrolled to the ${where}`
      await screenshot(page, `${size}-pack-${where}`)
      expectCleanLayout(await readLayout(page, { ignore: LAYERED }), at)
      const button = await confirm.evaluate((el) => {
        const { left, top, right, bottom } = el.getBoundingClientRect()
        return { left, top, right, bottom }
      })
      expect(insideViewport(button, viewport, barBottom), `${at}: Confirm packing is not in view`).toBe(true)
      expect(await onTop(page, '.pack__actions .button--big'), `${at}: Confirm packing is covered`).toBe(true)
      expect(insideViewport(await boxOf(page, '[data-testid="scan-feedback"]'), viewport, barBottom), `${at}: the scan feedback is not in view`).toBe(true)
      expect(await onTop(page, '[data-testid="scan-feedback"]'), `${at}: the scan feedback is covered`).toBe(true)
    }

    // The longest words the bar has: the station out of reach, and changes waiting.
    await tablet.context.setOffline(true)
    await waitForText(page, 'connectivity', NOT_REACHABLE)
    await expectOneLineStatusBar(page, `pack ${size}, offline`)
    await screenshot(page, `${size}-pack-offline`)
    expectCleanLayout(await readLayout(page, { within: '.status-bar' }), `status bar ${size}, offline`)
  })

  it('the order desk fits a lead’s screen: its wide table scrolls inside its own box, never the page', async ({ longOrder, openTablet }) => {
    const tablet = await openTablet({ viewport })
    const { page } = tablet
    await page.goto('/')
    await signIn(page, 'lead')
    await waitForOrdersOnTablet(page, [longOrder])
    await page.goto('/desk')
    await page.locator(`.desk__scroller [data-order-id="${longOrder}"]`).first().waitFor()
    await page.getByRole('status').filter({ hasText: /^Matching orders:/ }).waitFor()
    await screenshot(page, `${size}-desk`)
    // Two refreshes, told apart: the bar's (sync with the station) and the desk's (its history).
    // (It reads "Refreshing…" while the history is pulled, which starts once the first screen is up.)
    await page.getByRole('button', { name: 'Refresh the history' }).waitFor({ timeout: 15_000 })
    expect(await page.getByRole('button', { name: 'Refresh', exact: true }).count(), `desk ${size}: one button called Refresh`).toBeLessThanOrEqual(1)
    await expectOneLineStatusBar(page, `desk ${size}`)
    const report = await readLayout(page, { ignore: [...LAYERED, '.desk__table'] })
    expectCleanLayout(report, `desk ${size}`)
    // The table itself: nothing drawn over anything else in it, even where it scrolls sideways.
    expect((await readLayout(page, { within: '.desk__table' })).overlaps, `desk table ${size}: text drawn over text`).toEqual([])
  })
})
