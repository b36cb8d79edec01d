import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getReady, goOffline, goOnline, launchBrowser, openOrder, PACKING, startPacking, UI_TIMEOUT_MS, waitForText, type Tablet } from './support/browser.ts'
import { overflowing, PAPER_PT, pdfPageSizes, printToPdf, readBarcode, rounded, sizesMatch, type PageSize } from './support/paper.ts'
import { eventually, putsOf, simLog, startDemoStation, waitForAppliedPuts, type StationUnderTest } from './support/station.ts'

/**
 * The papers and the hand-over, on the tablet against the real station and simulator (demo data):
 * the delivery note and the shipping labels print on the paper they are made for, one page each,
 * nothing cut off, with barcodes a scanner reads as the order number; an own-carrier parcel ships
 * with a tracking number the marketplace accepts and is then marked delivered for good; a MALL
 * Delivery parcel gets MALL's labels (also when asked for offline) and ships.
 */

interface Carrier {
  id: string
  name: string
  tracking_url_template: string
}

interface Settings {
  seller: { name: string }
  carriers: Carrier[]
}

/** An order as `GET /api/orders` lists it (the fields read here). */
interface ListedOrder {
  id: number
  status: string
  mdp: boolean
  test: boolean
  branch_id: number | null
  cod: number
  in_working_set: boolean
  claim: unknown
  flag: unknown
  conflict: unknown
  items: { id: string; title: string; quantity: number }[]
  address: { name: string; company: string | null; street: string; city: string }
}

/** The marketplace's own view of an order (`GET /mall/v1/orders/:id`). */
interface MallOrder {
  status: string
  shipped: string | null
  tracking_number: string | null
  tracking_url: string | null
  delivered_at: string | null
}

let browser: Browser
let station: StationUnderTest
let tablet: Tablet
let settings: Settings
/** Different demo orders for each test, all open when the file starts. */
let orders: { note: ListedOrder; label: ListedOrder; own: ListedOrder; mdp: ListedOrder; mdpOffline: ListedOrder }

beforeAll(async () => {
  ;[browser, station] = await Promise.all([launchBrowser(), startDemoStation()])
  const listed = await station.running.api('GET', '/api/orders?limit=5000', { token: station.token })
  expect(listed.status, listed.text).toBe(200)
  const free = (listed.body.orders as ListedOrder[]).filter(
    (o) => o.status === 'open' && !o.test && o.in_working_set && o.items.length > 0 && o.claim === null && o.flag === null && o.conflict === null,
  )
  const taken = new Set<number>()
  const pick = (what: string, candidates: ListedOrder[]): ListedOrder => {
    const order = candidates.find((o) => !taken.has(o.id))
    if (!order) throw new Error(`the demo data has no open order for ${what}`)
    taken.add(order.id)
    return order
  }
  const own = free.filter((o) => !o.mdp)
  const units = (o: ListedOrder) => o.items.reduce((sum, item) => sum + item.quantity, 0)
  const addressLength = (o: ListedOrder) => [o.address.name, o.address.company ?? '', o.address.street, o.address.city].join(' ').length
  orders = {
    // The longest note: the most lines (then units), cash on delivery adding its lines.
    note: pick('a delivery note', [...own].sort((a, b) => b.items.length - a.items.length || units(b) - units(a) || Number(b.cod > 0) - Number(a.cod > 0))),
    // The fullest label: home delivery with a company, cash on delivery, the longest address.
    label: pick(
      'a shipping label',
      own.filter((o) => o.branch_id === null).sort((a, b) => Number(b.address.company !== null) - Number(a.address.company !== null) || Number(b.cod > 0) - Number(a.cod > 0) || addressLength(b) - addressLength(a)),
    ),
    own: pick('an own-carrier parcel', own.filter((o) => o.branch_id === null)),
    // Two parcels: home delivery (a pickup point takes one parcel only).
    mdp: pick('a MALL Delivery parcel', free.filter((o) => o.mdp && o.branch_id === null)),
    mdpOffline: pick('a second MALL Delivery parcel', free.filter((o) => o.mdp)),
  }
  expect(orders.note.items.length, 'the delivery note has several lines').toBeGreaterThanOrEqual(3)

  const read = await station.running.api('GET', '/api/settings', { token: station.token })
  expect(read.status, read.text).toBe(200)
  settings = read.body as Settings
  expect(settings.carriers.length).toBeGreaterThan(1)

  // One tablet for the file: at the marketplace's time zone (delivery times are typed in it), at a
  // print-like resolution for reading barcodes off the screen.
  const context = await browser.newContext({
    baseURL: station.running.origin,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 3,
    timezoneId: 'Europe/Prague',
  })
  context.setDefaultTimeout(UI_TIMEOUT_MS)
  const errors: string[] = []
  context.on('page', (p) => p.on('pageerror', (error) => errors.push(`${p.url()}: ${error.message}`)))
  tablet = await getReady({ context, page: await context.newPage(), errors }, Object.values(orders).map((o) => o.id))
})

afterEach(async () => {
  if (!tablet) return
  await tablet.context.setOffline(false)
  await tablet.page.emulateMedia({ media: null })
  const errors = tablet.errors.splice(0)
  expect(errors, 'uncaught errors in the app').toEqual([])
})

afterAll(async () => {
  await tablet?.context.close()
  await browser?.close()
  await station?.running.close()
})

async function mallOrder(orderId: number): Promise<MallOrder> {
  const result = await station.running.mall('GET', `/v1/orders/${orderId}`)
  expect(result.status, result.text).toBe(200)
  return result.body.data as MallOrder
}

/** Opens one paper of an order as the packer does from the order page, drawn from the tablet's data. */
async function openPaper(page: Page, orderId: number, doc: 'note' | 'label', query: string): Promise<void> {
  await page.goto(`/orders/${orderId}/print/${doc}?${query}`)
  const sheet = page.getByTestId(doc === 'note' ? 'delivery-note' : 'shipping-label').first()
  await sheet.waitFor()
  // The seller comes from the station's settings, synced to the tablet: the paper is complete.
  if (doc === 'note') await page.getByTestId('delivery-note').filter({ hasText: settings.seller.name }).waitFor()
  else await sheet.filter({ hasText: settings.seller.name }).waitFor()
}

function expectPages(sizes: PageSize[], count: number, paper: PageSize, what: string): void {
  expect(sizes.length, `${what}: pages`).toBe(count)
  expect(sizesMatch(sizes, paper), `${what}: ${JSON.stringify(rounded(sizes))} should each be ${JSON.stringify(rounded([paper]))}`).toBe(true)
}

/** A marketplace date-time one minute later at most, on the whole minute (`YYYY-MM-DDTHH:MM`, as a datetime-local takes it). */
function nextWholeMinute(mallDateTime: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(mallDateTime)
  if (!m) throw new Error(`not a marketplace date-time: ${mallDateTime}`)
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number]
  // Wall-clock arithmetic (no time zone involved): the next minute unless already on one.
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi + (s > 0 ? 1 : 0)))
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`
}

/** The tablet's wall clock in Prague, `minutesAgo` back, as a datetime-local takes it. */
function pragueInput(minutesAgo: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Prague', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(Date.now() - minutesAgo * 60_000)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`
}

describe('the delivery note', () => {
  it('prints on one A4 page, and on one A5 page, with every line of the order', async () => {
    const { page } = tablet
    const order = orders.note
    for (const size of ['A4', 'A5'] as const) {
      await openPaper(page, order.id, 'note', `size=${size}`)
      const note = page.getByTestId('delivery-note')
      for (const item of order.items) await note.getByRole('row').filter({ hasText: item.id }).filter({ hasText: item.title }).waitFor()
      expectPages(await pdfPageSizes(await printToPdf(page)), 1, PAPER_PT[size], `delivery note on ${size}`)
      await page.emulateMedia({ media: null })
    }
  })

  it('prints offline, from what the tablet holds, with a barcode that still scans', async () => {
    const { page, context } = tablet
    const order = orders.note
    await page.goto('/')
    await goOffline({ context }, page)
    try {
      // A fresh navigation with no network: the app, the print page's code and the order all come from the tablet.
      await openPaper(page, order.id, 'note', 'size=A4')
      for (const item of order.items) await page.getByTestId('delivery-note').getByRole('row').filter({ hasText: item.id }).waitFor()
      expectPages(await pdfPageSizes(await printToPdf(page)), 1, PAPER_PT.A4, 'delivery note offline')
      expect(await readBarcode(page.getByTestId('delivery-note').locator('figure[data-barcode] svg'))).toBe(String(order.id))
      await page.emulateMedia({ media: null })
    } finally {
      await goOnline({ context }, page)
    }
  })
})

describe('the shipping label', () => {
  it('prints one 100 × 150 mm page per parcel, and 4 × 6 in, with nothing cut off', async () => {
    const { page } = tablet
    const order = orders.label
    const cases = [
      { query: 'size=100x150&parcels=1', pages: 1, paper: PAPER_PT['100x150'] },
      { query: 'size=100x150&parcels=2', pages: 2, paper: PAPER_PT['100x150'] },
      { query: 'size=4x6&parcels=1', pages: 1, paper: PAPER_PT['4x6'] },
    ]
    for (const { query, pages, paper } of cases) {
      await openPaper(page, order.id, 'label', query)
      const labels = page.getByTestId('shipping-label')
      await expect.poll(() => labels.count()).toBe(pages)
      for (let parcel = 1; parcel <= pages; parcel++) {
        const label = labels.nth(parcel - 1)
        expect(await label.getAttribute('aria-label')).toBe(`Shipping label, parcel ${parcel} of ${pages}`)
        const text = (await label.textContent()) ?? ''
        expect(text).toContain(order.address.name)
        expect(text).toContain(`${parcel}/${pages}`)
      }
      expectPages(await pdfPageSizes(await printToPdf(page)), pages, paper, `label ${query}`)
      // Still in print media: every label holds its text within its edges.
      expect(await overflowing(page, '[data-testid=shipping-label]'), `labels cut off (${query})`).toEqual([])
      await page.emulateMedia({ media: null })
    }
  })
})

describe('the barcodes on the papers', () => {
  it('scan as the order number, on the A4 and A5 note and on the label', async () => {
    const { page } = tablet
    const expected = String(orders.note.id)
    for (const size of ['A4', 'A5'] as const) {
      await openPaper(page, orders.note.id, 'note', `size=${size}`)
      await page.emulateMedia({ media: 'print' })
      expect(await readBarcode(page.getByTestId('delivery-note').locator('figure[data-barcode] svg')), `note ${size}`).toBe(expected)
      await page.emulateMedia({ media: null })
    }
    for (const size of ['100x150', '4x6'] as const) {
      await openPaper(page, orders.label.id, 'label', `size=${size}&parcels=1`)
      await page.emulateMedia({ media: 'print' })
      expect(await readBarcode(page.getByTestId('shipping-label').locator('figure[data-barcode] svg')), `label ${size}`).toBe(String(orders.label.id))
      await page.emulateMedia({ media: null })
    }
  })
})

describe('an own-carrier parcel', () => {
  const trackingNumber = () => `DPD-${orders.own.id}`
  let carrier: Carrier

  it('ships with a tracking number the marketplace takes, after one it refuses is turned back on the tablet', async () => {
    const { page } = tablet
    const id = orders.own.id
    carrier = settings.carriers[1] as Carrier
    await startPacking(page, id)
    await waitForAppliedPuts(station, id, 1)
    await waitForText(page, 'waiting-count', 'All changes synced')

    const form = page.getByRole('form', { name: 'Hand over to the carrier' })
    await form.getByLabel('Carrier').selectOption({ label: carrier.name })
    await form.getByLabel('Tracking number').fill('AB 12/34')
    await form.getByRole('button', { name: 'Mark shipped' }).click()
    const refusal = form.getByRole('alert').filter({ hasText: 'characters the marketplace refuses' })
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('“AB12/34” has characters the marketplace refuses (/)')
    // Nothing was queued or sent: the order is still being packed everywhere.
    await waitForText(page, 'order-status', PACKING)
    await waitForText(page, 'waiting-count', 'All changes synced')
    expect((await putsOf(station, id)).map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
    expect((await mallOrder(id)).status).toBe('shipping')

    await form.getByLabel('Tracking number').fill(trackingNumber())
    await form.getByRole('button', { name: 'Mark shipped' }).click()
    await waitForText(page, 'order-status', 'shipped')
    const url = carrier.tracking_url_template.replace('{tracking_number}', trackingNumber())
    const link = page.getByTestId('tracking-link')
    await waitForText(page, 'tracking-link', trackingNumber())
    expect(await link.getAttribute('href')).toBe(url)

    const shipped = await eventually(async () => {
      const mall = await mallOrder(id)
      return mall.status === 'shipped' ? mall : null
    }, 15_000)
    expect(shipped).toMatchObject({ status: 'shipped', tracking_number: trackingNumber(), tracking_url: url })
  })

  it('is marked delivered once, with the time typed, and is final after', async () => {
    const { page } = tablet
    const id = orders.own.id
    const { shipped } = await mallOrder(id)
    expect(shipped, 'the parcel shipped in the test before').toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    await openOrder(page, id)
    await waitForText(page, 'order-status', 'shipped')
    const after = page.getByRole('region', { name: 'After delivery' })
    await after.waitFor()

    // A time before the parcel left is taken by MALL: the confirmation notes it, and Cancel lets the packer correct it.
    await after.getByLabel('Delivered at').fill(pragueInput(60))
    await after.getByRole('button', { name: 'Mark delivered' }).click()
    await after.getByRole('alertdialog').getByRole('note').filter({ hasText: 'before the order was shipped' }).waitFor()
    await after.getByRole('button', { name: 'Cancel' }).click()
    expect(await after.getByRole('alertdialog').count()).toBe(0)
    await waitForText(page, 'order-status', 'shipped')
    await waitForText(page, 'waiting-count', 'All changes synced')

    // The parcel was delivered on the first whole minute after it left.
    const deliveredAt = nextWholeMinute(shipped as string)
    await after.getByLabel('Delivered at').fill(deliveredAt)
    await after.getByRole('button', { name: 'Mark delivered' }).click()
    const dialog = after.getByRole('alertdialog')
    await dialog.waitFor()
    const asked = (await dialog.textContent()) ?? ''
    expect(asked).toContain(`Mark order ${id} delivered on ${deliveredAt.replace('T', ' at ')}?`)
    expect(asked).toContain('This cannot be undone')
    expect(asked).toContain('the marketplace then invoices the customer')
    await dialog.getByRole('button', { name: 'Yes, mark delivered' }).click()

    const mallTime = `${deliveredAt.replace('T', ' ')}:00`
    await waitForText(page, 'order-status', 'delivered')
    // On the warehouse's clock, to the minute, as every time a person reads.
    await waitForText(page, 'order-final', `delivered on ${deliveredAt.replace('T', ' ')}: this order is final, nothing more can change.`)
    const delivered = await eventually(async () => {
      const mall = await mallOrder(id)
      return mall.status === 'delivered' ? mall : null
    }, 15_000)
    expect(delivered.delivered_at).toBe(mallTime)
    await waitForText(page, 'waiting-count', 'All changes synced')

    // Nothing more to do on the page…
    for (const name of ['Start packing', 'Mark shipped', 'Mark delivered', 'Mark returned']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), `"${name}" offered on a delivered order`).toBe(0)
    }
    expect(await page.getByRole('link', { name: 'Scan items' }).count()).toBe(0)
    expect(await after.count()).toBe(0)
    // …and the station refuses a change sent to it directly.
    const attempt = await station.running.api('POST', `/api/orders/${id}/status`, {
      token: station.token,
      headers: { 'idempotency-key': `test-${randomUUID()}` },
      body: { status: 'returned' },
    })
    expect([409, 422], attempt.text).toContain(attempt.status)
    expect(['ORDER_FINAL', 'TRANSITION_NOT_ALLOWED']).toContain(attempt.body?.code)
    expect((await mallOrder(id)).status).toBe('delivered')
  })
})

describe('a MALL Delivery parcel', () => {
  it('gets MALL’s labels for two parcels, ships, and leaves delivery to the marketplace', async () => {
    const { page } = tablet
    const id = orders.mdp.id
    await startPacking(page, id)
    // The packer packs before asking for labels: the move to shipping is at the marketplace by then.
    await waitForAppliedPuts(station, id, 1)
    const panel = page.getByRole('region', { name: 'MALL Delivery labels' })
    await panel.waitFor()
    const ship = panel.getByRole('button', { name: 'Mark shipped (handed to MALL Delivery)' })
    expect(await ship.isDisabled(), 'shipping before the labels exist').toBe(true)

    await panel.locator('input[name=parcel_count]').fill('2')
    await panel.getByLabel('Format').selectOption('pdf')
    await panel.getByRole('button', { name: 'Request labels' }).click()
    await waitForText(page, 'labels-state', 'Labels for 2 parcel(s) are ready (PDF).')
    const parcels = panel.getByRole('list', { name: 'Parcel barcodes' }).getByRole('listitem')
    await expect.poll(() => parcels.count()).toBe(2)
    const shown = (await parcels.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())
    expect(shown[0]).toMatch(/^Parcel 1\/2 \S+$/)
    expect(shown[1]).toMatch(/^Parcel 2\/2 \S+$/)
    // Each parcel's barcode, read from the screen as a scanner would, is its own.
    const scanned = [await readBarcode(parcels.nth(0).locator('svg')), await readBarcode(parcels.nth(1).locator('svg'))]
    expect(scanned.map((code, i) => `Parcel ${i + 1}/2 ${code}`)).toEqual(shown)
    expect(new Set(scanned).size).toBe(2)

    // The marketplace made them: one labels request for two parcels, and the consignment.
    const requests = (await simLog(station)).filter((e) => e.method === 'POST' && e.path.includes('labels') && JSON.stringify(e.body).includes(String(id)))
    expect(requests.map((e) => ({ status: e.status, body: e.body }))).toEqual([
      { status: 200, body: expect.objectContaining({ labels_type: 'pdf', labels: [{ order_id: id, parcel_count: 2 }] }) },
    ])
    const consignment = await station.running.mall('GET', `/v1/orders/${id}/consignments`)
    expect(consignment.status, consignment.text).toBe(200)
    expect(consignment.body.data).toMatchObject({ order_id: id, parcel_count: 2, labels_type: 'pdf' })

    await ship.click()
    await waitForText(page, 'order-status', 'shipped')
    const shipped = await eventually(async () => {
      const mall = await mallOrder(id)
      return mall.status === 'shipped' ? mall : null
    }, 15_000)
    // MALL tracks the parcels by the barcodes the packer stuck on them.
    expect(shipped.tracking_number).toBeTruthy()
    for (const code of scanned) expect(code.startsWith(`${shipped.tracking_number}*`), `${code} is a parcel of ${shipped.tracking_number}`).toBe(true)

    await page.getByRole('note').filter({ hasText: 'Delivered and returned are the marketplace’s to set for MALL Delivery orders' }).waitFor()
    expect(await page.getByRole('region', { name: 'After delivery' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Mark delivered' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Mark returned' }).count()).toBe(0)
  })

  it('asked for offline, waits on the tablet and arrives once the Wi-Fi is back', async () => {
    const { page, context } = tablet
    const id = orders.mdpOffline.id
    await startPacking(page, id)
    await waitForAppliedPuts(station, id, 1)
    await waitForText(page, 'waiting-count', 'All changes synced')
    const panel = page.getByRole('region', { name: 'MALL Delivery labels' })
    await panel.waitFor()

    await goOffline({ context }, page)
    await panel.getByRole('button', { name: 'Request labels' }).click()
    await waitForText(page, 'labels-state', /^\s*Offline: the label request for 1 parcel\(s\) waits on this tablet/)
    await waitForText(page, 'waiting-count', '1 change waiting')
    const labelRequests = async () => (await simLog(station)).filter((e) => e.path.includes('labels') && JSON.stringify(e.body).includes(String(id)))
    expect(await labelRequests()).toEqual([])

    await goOnline({ context }, page)
    await waitForText(page, 'labels-state', 'Labels for 1 parcel(s) are ready (PDF).')
    await waitForText(page, 'waiting-count', 'All changes synced')
    expect((await labelRequests()).map((e) => e.status)).toEqual([200])
    const consignment = await station.running.mall('GET', `/v1/orders/${id}/consignments`)
    expect(consignment.body.data).toMatchObject({ order_id: id, parcel_count: 1 })
    expect(await panel.getByRole('list', { name: 'Parcel barcodes' }).getByRole('listitem').count()).toBe(1)
  })
})
