// @vitest-environment jsdom
// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import type { VueWrapper } from '@vue/test-utils'
import type { Pinia } from 'pinia'
import type { Component } from 'vue'
import type { RouteLocationRaw } from 'vue-router'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import ShipClosePanel from '@/components/ship/ShipClosePanel.vue'
import SyncStatusBar from '@/components/sync/SyncStatusBar.vue'
import { PickingDatabase, setMeta } from '@/db/schema'
import { DEFAULT_CARRIERS } from '#core/carriers.ts'
import type { StationOrder, StationSettings } from '#core/station-api.ts'
import OrderPage from '@/pages/OrderPage.vue'
import PackPage from '@/pages/PackPage.vue'
import PrintPage from '@/pages/PrintPage.vue'
import { toLocalOrder } from '@/services/outbox/outbox'
import { stationOrder, statusBody } from '../unit/pwa/fixtures'
import { closeApp, freshDatabase, mountApp, signInOn, usePlatform } from './support/tablet'

/**
 * What a person reads about an order's delivery and its times: the delivery method's name (never
 * the marketplace's code) on the order page, the pack screen, the hand-over form and the delivery
 * note; the carrier offered first for the method; and every time on the warehouse's clock, so the
 * note and the screen beside it agree whatever zone the tablet is set to.
 */

const ORDER = 10085339302

/** 2026-11-21 08:01:30 UTC: 09:01 in Prague, 03:01 in New York. */
const INSTANT = Date.UTC(2026, 10, 21, 8, 1, 30)

function settingsWith(overrides: Partial<StationSettings> = {}): StationSettings {
  return {
    seller: { name: 'Test Warehouse s.r.o.', street: 'Skladová 1', city: 'Praha', zip: '190 00', country: 'CZ', phone: null, email: null, company_id: null, vat_id: null },
    // PPL first: the carrier the hand-over used to offer whatever the order's method.
    carriers: DEFAULT_CARRIERS.map((carrier) => ({ ...carrier })),
    printers: [],
    time_zone: 'Europe/Prague',
    // The warehouse prints its papers in English (otherwise a Czech customer's are in Czech).
    paper_language: 'en',
    ...overrides,
  }
}

// The tablet's own clock is set to another zone than the warehouse's.
const tabletZone = process.env.TZ
beforeAll(() => {
  process.env.TZ = 'America/New_York'
})
afterAll(() => {
  if (tabletZone === undefined) delete process.env.TZ
  else process.env.TZ = tabletZone
})

let db: PickingDatabase
let pinia: Pinia
let wrapper: VueWrapper | null = null

beforeEach(() => {
  db = freshDatabase()
  // The Wi-Fi is down: nothing reaches the station, everything is read from the tablet.
  usePlatform(db, { clock: () => INSTANT })
})

afterEach(async () => {
  await closeApp(wrapper, pinia, db)
  wrapper = null
})

async function seed(order: StationOrder, settings: StationSettings = settingsWith()): Promise<void> {
  await db.orders.put(toLocalOrder(order))
  await signInOn(db)
  await setMeta('station_settings', settings, db)
  await setMeta('print_prefs', { finish_on_last_scan: false }, db)
}

/** Mounts a screen as the router would show it, for a signed-in packer. */
async function show(component: Component, route: RouteLocationRaw, props: Record<string, unknown> = {}): Promise<VueWrapper> {
  ;({ pinia, wrapper } = await mountApp(component, route, props))
  return wrapper
}

async function textOf(selector: string): Promise<string> {
  await vi.waitFor(() => expect(wrapper?.find(selector).exists()).toBe(true), { timeout: 10_000 })
  return (wrapper as VueWrapper).get(selector).text()
}

describe('delivery methods by name', () => {
  it('the order page says “DPD (home delivery)” for a dpdCz order, not the code', async () => {
    await seed(stationOrder({ id: ORDER, delivery_method: 'dpdCz' }))
    await show(OrderPage, { name: 'order', params: { id: ORDER } }, { id: ORDER })
    const line = await textOf('[data-testid="delivery-method"]')
    expect(line).toBe('Own carrier · DPD (home delivery)')
    expect(wrapper?.text()).not.toContain('dpdCz')
  })

  it('the pack screen says which pickup point a Zásilkovna parcel goes to, not the code', async () => {
    const point = { branch_id: 4711, branches: { branch_id: 4711, secondary_branch_id: null, overridden: false, last_change: null } }
    await seed(stationOrder({ id: ORDER, delivery_method: 'zasilkovnaCz', ...point }))
    await show(PackPage, { name: 'pack', params: { id: ORDER } }, { id: ORDER })
    expect(await textOf('[data-testid="delivery-method"]')).toBe('Zásilkovna pickup point 4711')
    expect(wrapper?.text()).not.toContain('zasilkovnaCz')
  })

  it('the delivery note names the MALL Delivery pickup point, not the code', async () => {
    const point = { branch_id: 4711, branches: { branch_id: 4711, secondary_branch_id: null, overridden: false, last_change: null } }
    await seed(stationOrder({ id: ORDER, status: 'shipping', shipping: '2026-11-21 08:30:00', mdp: true, delivery_method: 'mallDeliveryPickup', ...point }))
    await show(PrintPage, { name: 'print', params: { id: ORDER, doc: 'note' } }, { id: ORDER, doc: 'note' })
    expect(await textOf('[data-testid="note-delivery-method"]')).toBe('MALL Delivery pickup point')
    const note = await textOf('[data-testid="delivery-note"]')
    expect(note).toContain('Pickup point 4711')
    expect(note).not.toContain('mallDeliveryPickup')
  })

  it('a code nobody listed still reads as words on the order page', async () => {
    await seed(stationOrder({ id: ORDER, delivery_method: 'wedoHomeSk' }))
    await show(OrderPage, { name: 'order', params: { id: ORDER } }, { id: ORDER })
    expect(await textOf('[data-testid="delivery-method"]')).toBe('Own carrier · Wedo home (SK)')
  })
})

describe('the hand-over carrier', () => {
  const shipping = { status: 'shipping' as const, shipping: '2026-11-21 08:30:00' }

  it('is DPD for a dpdCz parcel, though PPL heads the list', async () => {
    await seed(stationOrder({ id: ORDER, ...shipping, delivery_method: 'dpdCz' }))
    await show(OrderPage, { name: 'order', params: { id: ORDER } }, { id: ORDER })
    expect(await textOf('[data-testid="ship-delivery-method"]')).toBe('Delivery: DPD (home delivery)')
    const select = wrapper?.get<HTMLSelectElement>('select[name="carrier"]')
    await vi.waitFor(() => expect(select?.element.selectedOptions[0]?.text).toBe('DPD'))
  })

  it('is nobody when the station has no carrier for the method: the packer chooses, and Mark shipped asks for it', async () => {
    const carriers = DEFAULT_CARRIERS.filter((carrier) => carrier.id !== 'dpd').map((carrier) => ({ ...carrier }))
    await seed(stationOrder({ id: ORDER, ...shipping, delivery_method: 'dpdCz' }), settingsWith({ carriers }))
    await show(OrderPage, { name: 'order', params: { id: ORDER } }, { id: ORDER })
    const select = () => (wrapper as VueWrapper).get<HTMLSelectElement>('select[name="carrier"]')
    await vi.waitFor(() => expect(select().element.selectedOptions[0]?.text).toBe('Choose the carrier: DPD is not among this station’s carriers'))
    expect(select().element.value).toBe('')
    await wrapper?.get('input[name="tracking_number"]').setValue('12345678')
    await wrapper
      ?.findAll('button')
      .find((b) => b.text() === 'Mark shipped')
      ?.trigger('click')
    await vi.waitFor(() => expect(wrapper?.get('#ship-refusal').text()).toBe('Choose the carrier that takes the parcel.'))
    expect(await db.outbox.count()).toBe(0)
  })
})

describe('times on the warehouse’s clock', () => {
  it('the delivery note and the status bar show the same time for the same instant, in the station’s zone', async () => {
    // The tablet itself would say 03:01: the zone it is set to is not the warehouse's.
    expect(new Date(INSTANT).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })).toBe('03:01')
    await seed(stationOrder({ id: ORDER, status: 'shipping', shipping: '2026-11-21 08:30:00' }))
    await setMeta('last_sync_at', new Date(INSTANT).toISOString(), db)

    await show(PrintPage, { name: 'print', params: { id: ORDER, doc: 'note' } }, { id: ORDER, doc: 'note' })
    const note = await textOf('[data-testid="delivery-note"]')
    expect(note).toContain('Printed 2026-11-21 09:01')
    wrapper?.unmount()

    await show(SyncStatusBar, { name: 'queue' })
    await vi.waitFor(async () => expect(await textOf('[data-testid="last-sync"]')).toBe('Last sync 09:01'))
  })

  it('follows the zone the station sets: in London the note says 08:01', async () => {
    await seed(stationOrder({ id: ORDER, status: 'shipping', shipping: '2026-11-21 08:30:00' }), settingsWith({ time_zone: 'Europe/London' }))
    await show(PrintPage, { name: 'print', params: { id: ORDER, doc: 'note' } }, { id: ORDER, doc: 'note' })
    await vi.waitFor(async () => expect(await textOf('[data-testid="delivery-note"]')).toContain('Printed 2026-11-21 08:01'))
  })

  it('reads the delivery time typed on the close panel on the warehouse’s clock, and fills in now on that clock', async () => {
    await seed(
      stationOrder({ id: ORDER, status: 'shipped', shipping: '2026-11-20 08:30:00', shipped: '2026-11-20 09:00:00', tracking_number: 'T1', tracking_url: 'https://t.example/T1' }),
      settingsWith({ time_zone: 'Europe/London' }),
    )
    const order = await db.orders.get(ORDER)
    const panel = await show(ShipClosePanel, { name: 'order', params: { id: ORDER } }, { order })
    const field = panel.get<HTMLInputElement>('input[name="delivered_at"]')
    // Now, as a London clock says it (the tablet is set to New York).
    const london = (at: number) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(at).replace(' ', 'T')
    await vi.waitFor(() => expect([london(Date.now()), london(Date.now() - 60_000)]).toContain(field.element.value))

    // 08:30 in London is 09:30 in Prague, the marketplace's clock.
    await field.setValue('2026-11-20T08:30')
    await panel.findAll('button').find((b) => b.text() === 'Mark delivered')?.trigger('click')
    await panel.findAll('button').find((b) => b.text() === 'Yes, mark delivered')?.trigger('click')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    expect(statusBody((await db.outbox.toArray())[0])).toMatchObject({ status: 'delivered', delivered_at: '2026-11-20 09:30:00' })
  })
})
