// @vitest-environment jsdom
// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PickingDatabase, productCodes, setMeta, type LocalProduct, type OutboxEntry } from '@/db/schema'
import type { CatalogueProduct } from '#core/product.ts'
import type { SignedIn, StationOrder } from '#core/station-api.ts'
import { STATUS_WORDS } from '#core/status.ts'
import OrderPage from '@/pages/OrderPage.vue'
import PackPage from '@/pages/PackPage.vue'
import SettingsPage from '@/pages/SettingsPage.vue'
import { toLocalOrder } from '@/services/outbox/outbox'
import { useSessionStore } from '@/stores/session'
import { useSettingsStore } from '@/stores/settings'
import { stationOrder, statusBody } from '../unit/pwa/fixtures'
import { buttonIn, buttonsIn, closeApp, freshDatabase, settles, signInOn, usePlatform } from './support/tablet'
import { i18n } from '@/i18n'

/**
 * The way into packing and out of it, across the order page and the pack screen: packing starts
 * with a scan (a lead alone may confirm without, with a reason), a product scanned on the order
 * page is the packing's first scan, looking takes no order while the first scan does, and after
 * packing the next order follows.
 */

const ORDER = 10085339302
const KETTLE = 'KETTLE-17'
const MUG = '100228'
const KETTLE_EAN13 = '4006381333931'
const MUG_UPCA = '036000291452'
/** A product of the warehouse that is on no order here. */
const TOASTER_EAN13 = '5901234123457'

const CATALOGUE: CatalogueProduct[] = [
  { sku: KETTLE, title: 'Electric kettle 1.7 l', barcodes: [KETTLE_EAN13], case_barcodes: [], photo_url: null, bin_location: 'A-10-1' },
  { sku: MUG, title: 'Ceramic mug 350 ml', barcodes: [MUG_UPCA], case_barcodes: [], photo_url: null, bin_location: 'A-02-3' },
  { sku: 'TOASTER-2', title: 'Toaster', barcodes: [TOASTER_EAN13], case_barcodes: [], photo_url: null, bin_location: 'C-01-1' },
]

function signedIn(role: 'picker' | 'lead'): SignedIn {
  return { token: 't', user: { id: 1, name: role, display_name: role, role }, expires_at: '2099-01-01T00:00:00.000Z' }
}

// ---- the platform: a fresh database, a station that cannot be reached, a clock ----

let db: PickingDatabase
let now: number

function usePlatformOn(database: PickingDatabase): void {
  // The Wi-Fi is down: every change stays in the outbox, where the test reads it.
  usePlatform(database, { clock: () => (now += 10) })
}

async function seed(orders: StationOrder[], role: 'picker' | 'lead' = 'picker', prefs: Record<string, unknown> | null = null): Promise<void> {
  await db.orders.bulkPut(orders.map((order) => toLocalOrder(order)))
  await db.products.bulkPut(CATALOGUE.map((p): LocalProduct => ({ ...p, codes: productCodes(p) })))
  await signInOn(db, signedIn(role))
  if (prefs) await setMeta('print_prefs', prefs, db)
}

// ---- the app: the order page and the pack screen behind a real router ----

let pinia: Pinia
let router: Router
let wrapper: VueWrapper | null = null

// eslint-disable-next-line vue/one-component-per-file -- the router's stand-in pages, beside the app shell
const Blank = defineComponent({ render: () => h('div', { 'data-testid': 'blank' }) })
// eslint-disable-next-line vue/one-component-per-file -- the app shell: one router view
const App = defineComponent({ render: () => h(RouterView) })

async function mountAt(path: string): Promise<VueWrapper> {
  pinia = createPinia()
  setActivePinia(pinia)
  const id = (route: { params: Record<string, unknown> }) => ({ id: Number(route.params.id) })
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'queue', component: Blank },
      { path: '/orders/:id(\\d+)', name: 'order', component: OrderPage, props: id },
      { path: '/orders/:id(\\d+)/pack', name: 'pack', component: PackPage, props: id },
      { path: '/orders/:id(\\d+)/print/:doc(note|label)', name: 'print', component: Blank },
      { path: '/settings', name: 'settings', component: SettingsPage },
    ],
  })
  // The router's guard loads the session before any working screen.
  await useSessionStore(pinia).load()
  await router.push(path)
  await router.isReady()
  wrapper = mount(App, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  return wrapper
}

function page(): VueWrapper {
  if (!wrapper) throw new Error('nothing is mounted')
  return wrapper
}

function buttons(name: string | RegExp) {
  return buttonsIn(page(), name)
}

function button(name: string | RegExp) {
  return buttonIn(page(), name)
}

async function orderShown(id = ORDER): Promise<void> {
  await vi.waitFor(() => expect(page().find('h1').text()).toBe(`Order ${id}`))
}

async function packScreenShown(id: number, sku = MUG): Promise<void> {
  await vi.waitFor(() => expect(page().find('h1').text()).toBe(`Packing ${id}`))
  await vi.waitFor(() => expect(page().find(`[data-sku="${sku}"]`).exists()).toBe(true))
}

function count(sku: string): string {
  return page().get(`[data-sku="${sku}"] .pack__count`).text()
}

async function outbox(): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('seq').toArray()
}

// ---- a keyboard-wedge scanner: keys a few milliseconds apart, then Enter, to the focused element ----

let t = 50_000
function wedgeScan(code: string): void {
  t += 1000
  for (const key of [...code, 'Enter']) {
    const target = document.activeElement ?? window
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })
    Object.defineProperty(event, 'timeStamp', { value: (t += 6) })
    target.dispatchEvent(event)
  }
}

beforeEach(() => {
  now = Date.UTC(2024, 6, 15, 8, 0, 0)
  vi.stubGlobal(
    'AudioContext',
    class {
      currentTime = 0
      destination = {}
      createOscillator = () => ({ type: 'sine', frequency: { value: 0 }, connect: <T>(n: T) => n, start: () => undefined, stop: () => undefined })
      createGain = () => ({ gain: { value: 1 }, connect: <T>(n: T) => n })
    },
  )
  db = freshDatabase()
  usePlatformOn(db)
  // The tablet knows it has no network: nothing is tried, every change waits in the outbox.
  vi.spyOn(window.navigator, 'onLine', 'get').mockReturnValue(false)
})

afterEach(async () => {
  wrapper?.unmount()
  wrapper = null
  await settles()
  await closeApp(null, pinia, db)
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('a team lead’s “Confirm without scanning…”', () => {
  it('is not there for a picker', async () => {
    await seed([stationOrder({ id: ORDER })], 'picker')
    await mountAt(`/orders/${ORDER}`)
    await orderShown()
    expect(buttons(/Start packing|without scanning/)).toHaveLength(0)
  })

  it('asks for the reason, refuses without one, and queues the packing with the reason as its evidence', async () => {
    await seed([stationOrder({ id: ORDER })], 'lead', { print_after_packing: true })
    // A packer tried before and scanned two wrong things: those count in the evidence too.
    await db.picks.put({ order_id: ORDER, user: 'picker', started_at: new Date().toISOString(), scans: [], wrong_scans: 2 })
    await mountAt(`/orders/${ORDER}`)
    await orderShown()
    await button('Confirm without scanning…').trigger('click')
    const reason = page().get<HTMLTextAreaElement>('textarea[name="unscanned_reason"]')
    expect(reason.attributes('required')).toBeDefined()

    // Spaces are not a reason.
    await reason.setValue('   ')
    await page().get('form.order__unscanned').trigger('submit')
    await vi.waitFor(() => expect(page().get('.order__refusal').text()).toBe('Say why the items are not scanned: the reason is kept with the packing.'))
    await settles()
    expect(await outbox()).toEqual([])
    expect(page().get('[data-testid="order-status"]').text()).toBe(STATUS_WORDS.open)

    await reason.setValue(' Scanner broken, checked by eye ')
    await page().get('form.order__unscanned').trigger('submit')
    // Printing after packing is on: the delivery note opens to print.
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/orders/${ORDER}/print/note?auto=1`))
    expect((await outbox()).map((entry) => [entry.kind, entry.user, statusBody(entry)])).toEqual([
      ['status', 'lead', { status: 'shipping', confirmed: true, packing: { scans: [], wrong_scans: 2, unscanned_reason: 'Scanner broken, checked by eye' } }],
    ])
  })
})

describe('a scan on the order page', () => {
  it('of one of the order’s products opens the pack screen with that item counted, and takes the order', async () => {
    await seed([stationOrder({ id: ORDER })])
    await mountAt(`/orders/${ORDER}`)
    await orderShown()
    wedgeScan(MUG_UPCA)
    await packScreenShown(ORDER)
    await vi.waitFor(() => expect(count(MUG)).toBe('1 / 2'))
    expect(count(KETTLE)).toBe('0 / 1')
    expect(page().get('[data-testid="scan-feedback"]').text()).toBe('Ceramic mug 350 ml: 1 of 2.')
    // Counted once, and the address no longer carries it: a reload would not count it again.
    expect(router.currentRoute.value.fullPath).toBe(`/orders/${ORDER}/pack`)
    expect((await db.picks.get(ORDER))?.scans).toEqual([{ sku: MUG, units: 1, code: MUG_UPCA, at: expect.any(String), source: 'wedge' }])
    await vi.waitFor(async () => expect((await outbox()).map((entry) => entry.kind)).toEqual(['claim']))
  })

  it('of a product on no line, or of an unknown code, says so and stays', async () => {
    await seed([stationOrder({ id: ORDER })])
    await mountAt(`/orders/${ORDER}`)
    await orderShown()
    wedgeScan(TOASTER_EAN13)
    await vi.waitFor(() => expect(page().get('[data-testid="scan-feedback"]').text()).toBe('Not on this order: Toaster (TOASTER-2). Put it back.'))
    wedgeScan('8594001021499')
    await vi.waitFor(() =>
      expect(page().get('[data-testid="scan-feedback"]').text()).toBe('Unknown code 8594001021499: no order of that number, no product with that barcode.'),
    )
    expect(router.currentRoute.value.name).toBe('order')
  })

  it('of a shipped order’s product says the order is shipped', async () => {
    await seed([stationOrder({ id: ORDER, status: 'shipped', shipping: '2024-03-11 09:00:00', shipped: '2024-03-11 10:00:00' })])
    await mountAt(`/orders/${ORDER}`)
    await orderShown()
    wedgeScan(MUG_UPCA)
    await vi.waitFor(() => expect(page().get('[data-testid="scan-feedback"]').text()).toBe(`Order ${ORDER} is shipped: nothing to pack.`))
    expect(router.currentRoute.value.name).toBe('order')
  })

  it('of another open order’s number opens that order’s pack screen', async () => {
    const other = 10085339999
    await seed([stationOrder({ id: ORDER, status: 'shipping', shipping: '2024-03-11 09:00:00' }), stationOrder({ id: other })])
    await mountAt(`/orders/${ORDER}`)
    await orderShown()
    wedgeScan(String(other))
    await packScreenShown(other)
    await settles()
    // Opening it took nothing: the first scan does.
    expect(await outbox()).toEqual([])
  })
})

describe('claims', () => {
  it('looking takes nothing, the first scan takes the order, and leaving with nothing scanned lets it go', async () => {
    await seed([stationOrder({ id: ORDER })])
    await mountAt(`/orders/${ORDER}/pack`)
    await packScreenShown(ORDER)
    await settles()
    expect(await outbox()).toEqual([])
    expect((await db.orders.get(ORDER))?.claim).toBeNull()

    wedgeScan(KETTLE_EAN13)
    await vi.waitFor(() => expect(count(KETTLE)).toBe('1 / 1'))
    await vi.waitFor(async () => expect((await db.orders.get(ORDER))?.claim).toMatchObject({ user: 'picker', device_id: 'tablet-test' }))
    expect((await outbox()).map((entry) => entry.kind)).toEqual(['claim'])

    // The packer takes the scan back and walks away: the order is free again for anyone.
    await button('Undo last scan').trigger('click')
    await vi.waitFor(() => expect(count(KETTLE)).toBe('0 / 1'))
    await router.push({ name: 'order', params: { id: ORDER } })
    await orderShown()
    await vi.waitFor(async () => expect((await db.orders.get(ORDER))?.claim).toBeNull())
    // The claim never reached the station: it is taken back, and nothing goes.
    expect(await outbox()).toEqual([])
  })

  it('leaving with items scanned keeps the order taken', async () => {
    await seed([stationOrder({ id: ORDER })])
    await mountAt(`/orders/${ORDER}/pack`)
    await packScreenShown(ORDER)
    wedgeScan(KETTLE_EAN13)
    await vi.waitFor(() => expect(count(KETTLE)).toBe('1 / 1'))
    await router.push({ name: 'queue' })
    await settles()
    expect((await db.orders.get(ORDER))?.claim).toMatchObject({ user: 'picker' })
    expect((await outbox()).map((entry) => entry.kind)).toEqual(['claim'])
  })
})

describe('after packing', () => {
  const until = (minutes: number) => new Date(now + minutes * 60_000).toISOString()
  const claimBy = (user: string, minutes: number) => ({ user, device_id: 'tablet-other', claimed_at: new Date(now).toISOString(), until: until(minutes) })

  it('Next order opens the oldest open order nobody else holds', async () => {
    const packed = stationOrder({ id: ORDER, status: 'shipped', shipping: '2024-03-11 09:00:00', shipped: '2024-03-11 10:00:00' })
    const order = (id: number, at: string, more: Partial<StationOrder> = {}) => stationOrder({ id, status_changed_at: at, ...more })
    await seed([
      packed,
      // Oldest, but another packer is on it.
      order(10000000001, '2024-03-10T08:00:00.000Z', { claim: claimBy('anna', 20) }),
      // A problem reported: it waits for the team lead.
      order(10000000002, '2024-03-10T08:01:00.000Z', { flag: { reason: 'out_of_stock', sku: null, note: null, user: 'anna', device_id: null, flagged_at: '2024-03-10T08:30:00.000Z' } }),
      // Claimed once, but the claim lapsed: free.
      order(10000000003, '2024-03-10T08:02:00.000Z', { claim: claimBy('anna', -5) }),
      order(10000000004, '2024-03-10T08:03:00.000Z'),
    ])
    await mountAt(`/orders/${ORDER}`)
    await orderShown()
    await button('Next order').trigger('click')
    await packScreenShown(10000000003)
    await settles()
    // Opening it took nothing.
    expect(await outbox()).toEqual([])
  })

  it('with “finish on last scan” as it comes, the last scan packs the order and the next order follows', async () => {
    const next = 10000000009
    await seed([stationOrder({ id: ORDER, items: [stationOrder().items[0] as StationOrder['items'][number]] }), stationOrder({ id: next, status_changed_at: '2024-03-11T08:00:00.000Z' })])
    await mountAt(`/orders/${ORDER}/pack`)
    await packScreenShown(ORDER, KETTLE)
    wedgeScan(KETTLE_EAN13)
    await packScreenShown(next)
    expect((await db.orders.get(ORDER))?.status).toBe('shipping')
    const status = (await outbox()).find((entry) => entry.kind === 'status')
    expect(status?.body).toMatchObject({ status: 'shipping', confirmed: true, packing: { scans: [{ sku: KETTLE, code: KETTLE_EAN13 }] } })
  })
})

describe('the tablet’s settings', () => {
  it('have “finish on last scan” on as they come, and keep it off once turned off', async () => {
    await seed([stationOrder({ id: ORDER })])
    await mountAt('/settings')
    const box = () => page().get<HTMLInputElement>('input[name="finish_on_last_scan"]')
    await vi.waitFor(() => expect(box().element.checked).toBe(true))
    await box().setValue(false)
    await vi.waitFor(async () => expect((await db.meta.get('print_prefs'))?.value).toMatchObject({ finish_on_last_scan: false }))
    await vi.waitFor(() => expect(useSettingsStore(pinia).prefs.finish_on_last_scan).toBe(false))
  })
})
