import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import readXlsxFile from 'read-excel-file/node'
import { describe, expect } from 'vitest'
import { signIn, UI_TIMEOUT_MS } from './support/browser.ts'
import { scanWithWedge } from './support/scanner.ts'
import { test } from './support/fixtures.ts'
import { newOrder, type StationUnderTest } from './support/station.ts'

/**
 * The order desk, as a team lead works it on the office PC: every order the station holds,
 * searched as one types, the missing states, and exports whose rows are the orders the filter
 * matches.
 */

interface HistoryOrder {
  id: number
  status: string
  test: boolean
  cod: number
  address: { email: string; phone: string; name: string }
  [status: string]: unknown
}

/** Every order the station holds, as the desk pulls it. */
async function history({ running, token }: StationUnderTest): Promise<HistoryOrder[]> {
  const result = await running.api('GET', '/api/orders/history?limit=5000', { token })
  expect(result.status).toBe(200)
  return result.body.orders as HistoryOrder[]
}

async function openDesk(page: Page, query = ''): Promise<void> {
  await page.goto(`/desk${query}`)
  await page.getByRole('heading', { name: 'Order desk' }).waitFor()
  // The history is on the device once rows are listed.
  await page.locator('[data-order-id]').first().waitFor({ timeout: UI_TIMEOUT_MS })
}

/** The order numbers of the rows on screen. */
async function listedIds(page: Page): Promise<number[]> {
  return page.locator('[data-order-id]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-order-id'))))
}

const matching = (page: Page) => page.getByRole('status').filter({ hasText: /^Matching orders:/ })

describe('the order desk', () => {
  test('finds an order by e-mail and by phone as one types, and keeps the search in the address', async ({ station, openTablet }) => {
    const orders = (await history(station)).filter((order) => !order.test)
    const wanted = orders.find((order) => orders.filter((other) => other.address.email === order.address.email).length === 1) as HistoryOrder
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page)

    const search = tablet.page.getByRole('searchbox', { name: 'Search orders' })
    await search.fill(wanted.address.email)
    await expect.poll(() => listedIds(tablet.page)).toEqual([wanted.id])
    await expect.poll(() => new URL(tablet.page.url()).searchParams.get('q')).toBe(wanted.address.email)

    // The phone as a person reads it out, in groups.
    const digits = wanted.address.phone.replace(/\D/g, '')
    const spaced = `${digits.slice(-9, -6)} ${digits.slice(-6, -3)} ${digits.slice(-3)}`
    await search.fill(spaced)
    const byPhone = orders.filter((order) => order.address.phone.replace(/\D/g, '').includes(digits.slice(-9))).map((order) => order.id)
    await expect.poll(async () => (await listedIds(tablet.page)).sort()).toEqual(byPhone.sort())
    expect(byPhone).toContain(wanted.id)

    // Opened from the address, the search is there again.
    await openDesk(tablet.page, `?q=${encodeURIComponent(wanted.address.email)}`)
    await expect(tablet.page.getByRole('searchbox', { name: 'Search orders' }).inputValue()).resolves.toBe(wanted.address.email)
    await expect.poll(() => listedIds(tablet.page)).toEqual([wanted.id])
  })

  test('a scanner burst finds its order, with the focus in the search or away from it', async ({ station, openTablet }) => {
    const [first, second] = (await history(station)).filter((order) => !order.test)
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page)
    const search = tablet.page.getByRole('searchbox', { name: 'Search orders' })
    // A Bluetooth scanner's jitter: 5 to 50 ms between keys. The focus is on the page, not in a field.
    await tablet.page.getByRole('heading', { name: 'Order desk' }).click()
    await scanWithWedge(tablet.page, String(first!.id), [5, 50, 12, 31, 8, 44, 20])
    await expect.poll(() => search.inputValue()).toBe(String(first!.id))
    await expect.poll(() => listedIds(tablet.page)).toEqual([first!.id])
    // The next parcel, scanned into the search that still holds the last one: found on its own.
    await search.focus()
    await scanWithWedge(tablet.page, String(second!.id), [50, 5, 27, 9, 46, 14])
    await expect.poll(() => search.inputValue()).toBe(String(second!.id))
    await expect.poll(() => listedIds(tablet.page)).toEqual([second!.id])
    // A person typing in the search is not a scanner.
    await search.fill('')
    await search.pressSequentially(String(first!.id).slice(0, 6), { delay: 120 })
    await expect.poll(() => search.inputValue()).toBe(String(first!.id).slice(0, 6))
  })

  test('with the station out of reach while the browser says online, the desk opens and searches from the device and says why its history is not refreshed', async ({ station, openTablet }) => {
    const [wanted] = (await history(station)).filter((order) => !order.test)
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page)
    await matching(tablet.page).waitFor()
    const held = await matching(tablet.page).textContent()

    // The Wi-Fi is up, the station is not: every request to it fails, navigator.onLine stays true.
    await tablet.page.context().route('**/api/**', (route) => route.abort('connectionrefused'))
    await tablet.page.reload()
    await tablet.page.locator('[data-order-id]').first().waitFor({ timeout: UI_TIMEOUT_MS })
    await expect.poll(() => matching(tablet.page).textContent()).toBe(held)
    await expect(tablet.page.evaluate(() => navigator.onLine)).resolves.toBe(true)
    await tablet.page.getByRole('button', { name: 'Refresh the history' }).click()
    const alert = tablet.page.getByRole('alert').filter({ hasText: 'The station cannot be reached: check the Wi-Fi.' })
    await alert.waitFor({ timeout: UI_TIMEOUT_MS })
    await tablet.page.getByRole('searchbox', { name: 'Search orders' }).fill(String(wanted!.id))
    await expect.poll(() => listedIds(tablet.page)).toEqual([wanted!.id])

    // The station back: the history refreshes and the sentence goes.
    await tablet.page.context().unrouteAll({ behavior: 'ignoreErrors' })
    await tablet.page.getByRole('button', { name: 'Refresh the history' }).click()
    await expect.poll(() => alert.count(), { timeout: UI_TIMEOUT_MS }).toBe(0)
  })

  test('the missing-states tab: its count and red triangle, and each order’s days waited', async ({ station, openTablet }) => {
    const DAY = 24 * 60 * 60 * 1000
    const final = ['delivered', 'returned', 'cancelled', 'lost', 'blocked']
    // Orders whose status has not moved for over 7 days (marketplace time is Prague's; a day's margin either side).
    const orders = (await history(station)).filter((order) => !order.test && !final.includes(order.status))
    const age = (order: HistoryOrder) => Date.now() - Date.parse(`${String(order[order.status]).replace(' ', 'T')}Z`)
    const surely = orders.filter((order) => age(order) > 8 * DAY).length
    const maybe = orders.filter((order) => age(order) > 6 * DAY).length
    expect(surely, 'the demo shop has missing states').toBeGreaterThan(0)

    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page)
    const tab = tablet.page.getByRole('tab', { name: /Missing states/ })
    const count = Number((await tab.locator('.desk__count').textContent())?.replace(/\D/g, ''))
    expect(count).toBeGreaterThanOrEqual(surely)
    expect(count).toBeLessThanOrEqual(maybe)
    await expect(tab.locator('svg.desk__triangle').isVisible()).resolves.toBe(true)

    await tab.click()
    await expect.poll(() => matching(tablet.page).textContent()).toMatch(new RegExp(`^Matching orders: ${count}\\b`))
    const badges = await tablet.page.locator('[data-order-id] .badge--missing').allTextContents()
    expect(badges.length).toBeGreaterThan(0)
    for (const badge of badges) expect(Number(/(\d+) days/.exec(badge)?.[1])).toBeGreaterThanOrEqual(7)
    await expect.poll(() => new URL(tablet.page.url()).searchParams.get('tab')).toBe('missing')
  })

  test('CSV and xlsx downloads hold exactly the orders the filter matches', async ({ station, openTablet }) => {
    const expected = (await history(station))
      .filter((order) => !order.test && order.cod > 0 && order.status === 'open')
      .map((order) => order.id)
      .sort()
    expect(expected.length).toBeGreaterThan(0)
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page, '?payment=cod&status=open')
    await expect.poll(() => matching(tablet.page).textContent()).toMatch(new RegExp(`^Matching orders: ${expected.length}\\b`))

    const [csvDownload] = await Promise.all([tablet.page.waitForEvent('download'), tablet.page.getByRole('button', { name: /^Export CSV/ }).click()])
    const csv = await readFile(await csvDownload.path())
    expect([...csv.subarray(0, 3)], 'UTF-8 with a BOM').toEqual([0xef, 0xbb, 0xbf])
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n')
    expect(lines[0]?.split(';').slice(0, 3)).toEqual(['Order date', 'Order number', 'Marketplace'])
    expect(lines.slice(1).map((line) => Number(line.split(';')[1])).sort()).toEqual(expected)

    const [xlsxDownload] = await Promise.all([tablet.page.waitForEvent('download'), tablet.page.getByRole('button', { name: /^Export xlsx/ }).click()])
    expect(xlsxDownload.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const [sheet] = await readXlsxFile(await readFile(await xlsxDownload.path()))
    const rows = sheet?.data ?? []
    expect(rows[0]?.[1]).toBe('Order number')
    expect(rows.slice(1).map((row) => Number(row[1])).sort()).toEqual(expected)
  })

  test('a test order placed from the desk is marked TEST and left out of the counts', async ({ openTablet }) => {
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page)
    const openCount = async () => Number((await tablet.page.getByRole('button', { name: /^open [\d,]+$/ }).textContent())?.replace(/\D/g, ''))
    const before = await openCount()
    await tablet.page.getByRole('button', { name: 'Place test order' }).click()
    const notice = await tablet.page.getByRole('status').filter({ hasText: /^Test order \d+ placed/ }).textContent()
    const id = Number(/Test order (\d+)/.exec(notice ?? '')?.[1])
    const row = tablet.page.locator(`[data-order-id="${id}"]`)
    await row.waitFor()
    await expect(row.getByText('TEST', { exact: true }).isVisible()).resolves.toBe(true)
    // Left out of the list and the counts unless the filter asks for it (it is on now: the
    // folded filters say so).
    await tablet.page.getByText('More filters (1 on)', { exact: true }).click()
    await tablet.page.getByLabel('Test orders').selectOption('hide')
    await tablet.page.getByText('More filters', { exact: true }).waitFor()
    await expect.poll(() => row.count()).toBe(0)
    expect(await openCount()).toBe(before)
    await tablet.page.getByLabel('Test orders').selectOption('only')
    await expect.poll(async () => (await listedIds(tablet.page)).includes(id)).toBe(true)
    const rows = await tablet.page.locator('[data-order-id]').count()
    expect(await tablet.page.locator('[data-order-id]').getByText('TEST', { exact: true }).count()).toBe(rows)
  })

  test('today at a glance: the packers’ figures and the seller’s', async ({ station, openTablet }) => {
    const id = await newOrder(station)
    const picker = await station.running.signIn('picker', '1111', 'glance-tablet')
    const packed = await station.running.api('POST', `/api/orders/${id}/status`, {
      token: picker,
      headers: { 'idempotency-key': `glance-${id}` },
      body: { status: 'shipping', confirmed: true, packing: { scans: [{ sku: 'SKU-1', units: 3, code: '8590000000001', at: new Date(Date.now() - 90_000).toISOString(), source: 'wedge' }], wrong_scans: 2 } },
    })
    expect(packed.status, packed.text.slice(0, 200)).toBe(200)
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page)
    await tablet.page.getByRole('button', { name: 'Today at a glance' }).click()
    const row = tablet.page.getByRole('row', { name: /^picker/ })
    await row.waitFor()
    const [orders, items, wrong, time] = (await row.getByRole('cell').allTextContents()).map((text) => text.trim())
    expect([orders, items, wrong]).toEqual(['1', '3', '2'])
    await tablet.page.getByRole('columnheader', { name: 'Wrong scans' }).waitFor()
    // 90 s from the first scan to the packing, and the moment the request took.
    expect(time).toMatch(/^1 min (3\d|4\d) s$/)
    const tab = Number((await tablet.page.getByRole('tab', { name: /Missing states/ }).locator('.desk__count').textContent())?.replace(/\D/g, ''))
    await expect(tablet.page.getByTestId('seller-figures').textContent()).resolves.toContain(`Missing states${tab}`)
  })

  test('export for warehouse: one block per selected order, each line with photo, title, SKU, bin, quantity and a box to tick', async ({ station, openTablet }) => {
    const orders = (await history(station)).filter((order) => !order.test && order.status === 'open').slice(0, 2)
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page, '?status=open')
    for (const order of orders) {
      await tablet.page.getByRole('searchbox', { name: 'Search orders' }).fill(String(order.id))
      await tablet.page.getByRole('checkbox', { name: `Select order ${order.id}` }).check()
    }
    await tablet.page.getByRole('button', { name: 'Export for warehouse (2 selected)' }).click()
    await tablet.page.getByRole('heading', { name: 'Export for warehouse: 2 orders' }).waitFor()
    const blocks = tablet.page.locator('article')
    await expect(blocks.count()).resolves.toBe(2)
    for (const order of orders) {
      const block = blocks.filter({ has: tablet.page.getByRole('heading', { name: new RegExp(`^Order ${order.id}`) }) })
      const items = order.items as { id: string; title: string; quantity: number }[]
      const rows = block.getByRole('row')
      await expect(rows.count()).resolves.toBe(items.length + 1)
      for (const item of items) {
        const row = rows.filter({ hasText: item.id })
        await expect(row.textContent()).resolves.toContain(item.title)
        await expect(row.getByRole('cell').nth(4).textContent()).resolves.toBe(String(item.quantity))
        await expect(row.textContent()).resolves.toMatch(/[A-Z]-\d{2}-\d/)
        await row.getByRole('img', { name: `Box to tick when ${item.title} is packed` }).waitFor()
        await row.getByRole('img', { name: item.title, exact: true }).waitFor()
      }
    }
  })

  test('a lead imports states: a dry run first, then apply; the marketplace gets the change once', async ({ station, openTablet }) => {
    const id = await newOrder(station)
    const tablet = await openTablet()
    await signIn(tablet.page, 'lead')
    await openDesk(tablet.page)
    await tablet.page.getByRole('button', { name: 'Import states…' }).click()
    const csv = `order_id; status\n${id}; stornována\n999999999; shipped\n`
    await tablet.page.getByLabel('File of states').setInputFiles({ name: 'states.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await tablet.page.getByRole('button', { name: 'Dry run' }).click()
    await tablet.page.getByRole('status').filter({ hasText: 'Dry run, nothing sent (CSV, utf-8): will change: 1, unknown order: 1.' }).waitFor()
    await tablet.page.getByRole('button', { name: 'Apply (changes: 1)' }).click()
    await tablet.page.getByRole('status').filter({ hasText: 'Applied (CSV, utf-8): unknown order: 1, sent: 1.' }).waitFor()
    await expect.poll(async () => (await station.running.mall('GET', `/v1/orders/${id}`)).body.data.status, { timeout: 15_000 }).toBe('cancelled')
  })
})
