import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import cs from '../../src/i18n/locales/cs.ts'
import en from '../../src/i18n/locales/en.ts'
import sk from '../../src/i18n/locales/sk.ts'
import { getReady, setFinishOnLastScan, UI_TIMEOUT_MS, waitForOrdersOnTablet, waitForServiceWorker, waitForText } from './support/browser.ts'
import { test as it, type Product } from './support/fixtures.ts'
import { readLayout, type LayoutReport } from './support/layout.ts'
import { scanWithWedge } from './support/scanner.ts'
import { newOrder, type StationUnderTest } from './support/station.ts'

/**
 * The warehouse's own language, in the built app under the station's Content-Security-Policy
 * (no string eval: the messages are interpreted, never compiled to code):
 * - a Czech browser gets Czech from the first screen on: sign-in, the queue, an order packed with
 *   one wrong scan and its sentence, the delivery note; no English word left, money and dates
 *   written the Czech way;
 * - a Slovak customer's delivery note, printed at a Czech warehouse by a Czech tablet, is in
 *   Slovak with euros;
 * - the pseudo-language (English with accents, 40 % longer) fits the queue, the order page and the
 *   pack screen at 360, 800 and 1280 px.
 */

type Tree = { [key: string]: string | Tree }
const words = (text: string): string[] => text.toLowerCase().match(/\p{L}{4,}/gu) ?? []
function catalogueWords(tree: Tree): Set<string> {
  return new Set(Object.values(tree).flatMap((value) => (typeof value === 'string' ? words(value.replace(/\{\w+\}/g, ' ')) : [...catalogueWords(value)])))
}
/** Words only English screens say: in the English catalogue and in neither Czech nor Slovak ("Online", "MALL Delivery" are). */
const ENGLISH_ONLY = (() => {
  const own = new Set([...catalogueWords(cs as unknown as Tree), ...catalogueWords(sk as unknown as Tree)])
  return new Set([...catalogueWords(en as unknown as Tree)].filter((word) => !own.has(word)))
})()

/** The English words on screen, leaving out the order's own data (product titles, names), which is not the app's to translate. */
async function englishWordsOn(page: Page, data: string[]): Promise<string[]> {
  const own = new Set(data.flatMap(words))
  const text = await page.locator('body').innerText()
  return [...new Set(words(text).filter((word) => ENGLISH_ONLY.has(word) && !own.has(word)))]
}

/** An order's own words, as the station has them. */
async function orderData(station: StationUnderTest, orderId: number): Promise<string[]> {
  const { body } = await station.running.api('GET', `/api/orders/${orderId}`, { token: station.token })
  const order = body.order as { items: { title: string }[]; address: Record<string, unknown> }
  const settings = (await station.running.api('GET', '/api/settings', { token: station.token })).body as { seller: Record<string, unknown> }
  // The person signed in is named as the station knows them (the demo's "Demo picker").
  return [...order.items.map((item) => item.title), ...Object.values(order.address).map(String), ...Object.values(settings.seller).map(String), 'Demo picker']
}

describe('in Czech', () => {
  it('signs in, lists, packs with one wrong scan and prints the delivery note in Czech, with crowns and Czech dates', async ({ station, products, openTablet }) => {
    const [first, second, stranger] = products
    const orderId = await newOrder(station, { cod: true, items: [{ id: first!.sku, quantity: 2 }, { id: second!.sku, quantity: 1 }] })
    const data = [...(await orderData(station, orderId)), stranger!.title]

    const { page } = await openTablet({ locale: 'cs-CZ' })
    await page.goto('/')
    await page.getByRole('heading', { name: 'Vychystávací stanice' }).waitFor()
    expect(await englishWordsOn(page, data), 'English on the sign-in screen').toEqual([])
    await page.getByLabel('Uživatel').fill('picker')
    await page.getByLabel('PIN').fill('1111')
    await page.getByRole('button', { name: 'Přihlásit' }).click()
    await waitForText(page, 'connectivity', 'Online')
    await waitForServiceWorker(page)
    await waitForOrdersOnTablet(page, [orderId])
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('cs')

    // The queue: Czech tabs, the order's row with its count of items and its cash on delivery in crowns.
    await page.getByRole('tab', { name: /K zabalení/ }).waitFor()
    await waitForText(page, 'waiting-count', 'Vše synchronizováno')
    const row = page.locator(`a[data-order-id="${orderId}"]`)
    await page.locator('.queue__scroller').evaluate((scroller) => scroller.scrollTo(0, scroller.scrollHeight))
    await row.waitFor()
    const rowText = await row.innerText()
    expect(rowText).toContain('2 řádky, 3 položky')
    expect(rowText).toMatch(/Dobírka \d{1,3}(\s\d{3})*(,\d{2})?\sKč/u)
    expect(await englishWordsOn(page, data), 'English on the queue').toEqual([])

    // The order page: the marketplace's word for the status, the amount to collect in crowns.
    await row.click()
    await page.getByRole('heading', { name: `Objednávka ${orderId}` }).waitFor()
    await waitForText(page, 'order-status', 'otevřená')
    await expect(page.locator('.order__cod').innerText()).resolves.toMatch(/^Dobírka: vybrat \d{1,3}(\s\d{3})*(,\d{2})?\sKč$/u)
    expect(await englishWordsOn(page, data), 'English on the order page').toEqual([])

    // The pack screen: a product of another order first, then the right ones.
    await page.getByRole('link', { name: 'Skenovat a balit' }).click()
    await page.getByRole('heading', { name: `Balení ${orderId}` }).waitFor()
    await scanWithWedge(page, stranger!.barcodes[0] as string)
    await waitForText(page, 'scan-feedback', `Není v této objednávce: ${stranger!.title} (${stranger!.sku}). Vraťte ho zpět.`)
    expect(await englishWordsOn(page, data), 'English on the pack screen after the wrong scan').toEqual([])
    await scanWithWedge(page, first!.barcodes[0] as string)
    await waitForText(page, 'scan-feedback', `${first!.title}: 1 z 2.`)
    await expect(page.getByRole('button', { name: 'Pro potvrzení naskenujte všechny položky' }).isDisabled()).resolves.toBe(true)
    await scanWithWedge(page, first!.barcodes[0] as string)
    await page.locator(`li[data-sku="${first!.sku}"] .pack__count`).filter({ hasText: /^\s*2 \/ 2\s*$/ }).waitFor()
    // The last scan confirms the packing ("finish on last scan"), and the next order follows.
    await scanWithWedge(page, second!.barcodes[0] as string)
    await page.waitForURL((url) => url.pathname !== `/orders/${orderId}/pack`)

    // Its delivery note, for a Czech customer: in Czech, crowns and a Czech date.
    await page.goto(`/orders/${orderId}/print/note`)
    const note = page.getByTestId('delivery-note')
    await note.waitFor()
    const noteText = (await note.textContent()) ?? ''
    for (const text of ['Dodací list', `Objednávka ${orderId}`, 'Zákazník', 'Doručení', 'Platba: Dobírka', 'Celkem', 'Zaplatíte dopravci při převzetí:']) {
      expect(noteText).toContain(text)
    }
    expect(noteText).toMatch(/Vytištěno \d{1,2}\.\s\d{1,2}\.\s\d{4}\s\d{1,2}:\d{2}/u)
    expect(noteText).toMatch(/\d{1,3}(\s\d{3})*(,\d{2})?\sKč/u)
    expect(noteText).not.toMatch(/CZK/)
    await waitForText(page, 'paper-language', 'Tiskne se v jazyce: Čeština')
    expect(await englishWordsOn(page, data), 'English on the delivery note').toEqual([])
  })
})

describe('a Slovak customer at a Czech warehouse', () => {
  it('prints the delivery note in Slovak, with euros, from a Czech tablet', async ({ station, openTablet }) => {
    const orderId = await newOrder(station, { market: 'sk', cod: true })
    const { page } = await openTablet({ locale: 'cs-CZ' })
    await page.goto('/')
    await page.getByLabel('Uživatel').fill('picker')
    await page.getByLabel('PIN').fill('1111')
    await page.getByRole('button', { name: 'Přihlásit' }).click()
    await waitForText(page, 'connectivity', 'Online')
    await waitForOrdersOnTablet(page, [orderId])

    await page.goto(`/orders/${orderId}/print/note`)
    const note = page.getByTestId('delivery-note')
    await note.waitFor()
    // The screen stays Czech; the paper is the customer's.
    await waitForText(page, 'paper-language', 'Tiskne se v jazyce: Slovenčina')
    await expect(page.getByRole('heading', { name: 'Dodací list', level: 1 }).first().isVisible()).resolves.toBe(true)
    expect(await note.getAttribute('lang')).toBe('sk')
    const noteText = (await note.textContent()) ?? ''
    for (const text of ['Dodací list', 'Zákazník', 'Doručenie', 'Platba: Dobierka', 'Spolu', 'Zaplatíte kuriérovi pri prevzatí:', 'Poplatok za dobierku']) {
      expect(noteText).toContain(text)
    }
    for (const czech of ['Doručení', 'Celkem', 'Vytištěno', 'Dobírka']) expect(noteText).not.toContain(czech)
    expect(noteText).toMatch(/Vytlačené \d{1,2}\.\s\d{1,2}\.\s\d{4}\s\d{1,2}:\d{2}/u)
    // Euros, written the Slovak way: 12,34 €.
    expect(noteText).toMatch(/\d+,\d{2}\s€/u)
    expect(noteText).not.toMatch(/Kč|CZK|EUR/)
  })
})

const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 800, height: 1280 },
  { width: 1280, height: 800 },
] as const
/** Layered on purpose: the red flash of a wrong scan, the update prompt. */
const LAYERED = ['.pack__flash', '.reload-prompt']

function expectCleanLayout(report: LayoutReport, where: string): void {
  expect(report.documentOverflowX, `${where}: the page scrolls sideways`).toBe(0)
  expect(report.sidewaysScrollers, `${where}: parts scroll sideways`).toEqual([])
  expect(report.outsideViewport, `${where}: drawn beyond the screen's edge`).toEqual([])
  expect(report.overlaps, `${where}: text drawn over text`).toEqual([])
}

describe('in the pseudo-language (English with accents, 40 % longer)', () => {
  /** One order with the longest titles, made once for the three sizes. */
  let made: Promise<{ orderId: number; lines: { sku: string; code: string; quantity: number }[] }> | null = null
  function longOrder(station: StationUnderTest, products: Product[]) {
    made ??= (async () => {
      const longest = [...products].sort((a, b) => b.title.length - a.title.length).slice(0, 3)
      const lines = longest.map((p, i) => ({ sku: p.sku, code: p.barcodes[0] as string, quantity: i + 1 }))
      const orderId = await newOrder(station, {
        cod: true,
        items: lines.map((line) => ({ id: line.sku, quantity: line.quantity })),
        address: { name: 'Maximiliána Alžběta Procházková-Dvořáková', street: 'Třída Kapitána Jaroše 1922/3a', city: 'Frýdlant nad Ostravicí' },
      })
      return { orderId, lines }
    })()
    return made
  }

  it.for(VIEWPORTS)('fits the queue, the order page and the pack screen at $width px', async (viewport, { station, products, openTablet }) => {
    const { orderId, lines } = await longOrder(station, products)
    const size = `${viewport.width}x${viewport.height}`
    const tablet = await openTablet({ viewport })
    // Photos that take their time: "Saving photos for offline" stays in the bar while it is measured.
    await tablet.context.route('**/media/products/**', () => {})
    const { page } = await getReady(tablet, [orderId])
    await setFinishOnLastScan(page, false)
    await page.goto('/?language=en-XA')
    await page.locator('.queue__scroller [role="listitem"] a[data-order-id]').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-XA')
    await waitForText(page, 'connectivity', /^\s*\[Öñļíñé ~+\]\s*$/u)
    expectCleanLayout(await readLayout(page, { ignore: LAYERED }), `queue ${size}`)

    await page.goto(`/orders/${orderId}`)
    await page.locator('.order__lines').waitFor()
    await expect(page.locator('h1').innerText()).resolves.toMatch(/^\[Ö.* \d+ ~+\]$/u)
    expectCleanLayout(await readLayout(page, { ignore: LAYERED }), `order page ${size}`)

    await page.goto(`/orders/${orderId}/pack`)
    await page.locator('.pack__lines').waitFor()
    await scanWithWedge(page, '4006381333900')
    await waitForText(page, 'scan-feedback', /^\[.+~+\]$/u, UI_TIMEOUT_MS)
    for (const line of lines) {
      for (let unit = 1; unit <= line.quantity; unit++) {
        await scanWithWedge(page, line.code)
        await page.locator(`li[data-sku="${line.sku}"] .pack__count`).filter({ hasText: new RegExp(`^\\s*${unit} / ${line.quantity}\\s*$`) }).waitFor()
      }
    }
    await expect(page.locator('.pack__actions .button--big').isEnabled()).resolves.toBe(true)
    expectCleanLayout(await readLayout(page, { ignore: LAYERED }), `pack screen ${size}`)
  })
})
