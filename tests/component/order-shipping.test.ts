// @vitest-environment jsdom
// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import type { VueWrapper } from '@vue/test-utils'
import type { Pinia } from 'pinia'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PickingDatabase, setMeta, type OutboxEntry } from '@/db/schema'
import type { Carrier } from '#core/carriers.ts'
import { STATUS_WORDS } from '#core/status.ts'
import type { StationOrder, StationSettings } from '#core/station-api.ts'
import OrderPage from '@/pages/OrderPage.vue'
import { toLocalOrder } from '@/services/outbox/outbox'
import { useSyncStore } from '@/stores/sync'
import { stationOrder, statusBody, TRACKING } from '../unit/pwa/fixtures'
import { buttonIn, buttonsIn, closeApp, freshDatabase, mountApp, settles, signInOn, unreachableStation, usePlatform, type SentRequest } from './support/tablet'

/**
 * The order page's shipping parts as a packer uses them: handing a parcel to the warehouse's own
 * carrier (carrier and tracking number), closing a shipped order (delivered or returned), MALL
 * Delivery labels and shipping behind them, and printing the delivery note after packing; and what
 * each queues for the station.
 */

const ORDER = 10085339302

/** The station's own carriers: they replace the built-in list on this tablet. */
const CARRIERS: Carrier[] = [
  { id: 'van', name: 'Van Express', tracking_url_template: 'https://van.example/track?n={tracking_number}' },
  { id: 'track', name: 'Track Example', tracking_url_template: 'https://track.example/p/{tracking_number}' },
]

const STATION_SETTINGS: StationSettings = {
  seller: {
    name: 'Test Warehouse s.r.o.',
    street: 'Skladová 1',
    city: 'Praha',
    zip: '190 00',
    country: 'CZ',
    phone: null,
    email: null,
    company_id: null,
    vat_id: null,
  },
  carriers: CARRIERS,
  printers: [],
  time_zone: 'Europe/Prague',
}

// ---- the platform: a fresh database, a station that cannot be reached, a clock ----

let db: PickingDatabase
let sent: SentRequest[]
let now: number

/**
 * 2026-11-21 09:00 in Prague: the tablet's clock. Delivery times of the 20th lie before it (and
 * before the real clock, which the close panel reads), in any time zone the tests run in.
 */
const NOW = Date.UTC(2026, 10, 21, 8, 0, 0)

interface Seed {
  order: StationOrder
  stationSettings?: StationSettings
  printPrefs?: Record<string, unknown>
}

async function seed(database: PickingDatabase, { order, stationSettings, printPrefs }: Seed): Promise<void> {
  await database.orders.put(toLocalOrder(order))
  await signInOn(database)
  if (stationSettings) await setMeta('station_settings', stationSettings, database)
  if (printPrefs) await setMeta('print_prefs', printPrefs, database)
}

// ---- the screen ----

let pinia: Pinia
let router: Router
let wrapper: VueWrapper | null = null

/** Mounts the order page as the router would, for a signed-in packer, once the order is shown. */
async function mountOrder(): Promise<VueWrapper> {
  ;({ pinia, router, wrapper } = await mountApp(OrderPage, { name: 'order', params: { id: ORDER } }, { id: ORDER }))
  await vi.waitFor(() => expect(page().find('[data-testid="order-status"]').exists()).toBe(true), { timeout: 10_000 })
  return wrapper
}

function page(): VueWrapper {
  if (!wrapper) throw new Error('the order page is not mounted')
  return wrapper
}

function buttons(name: string | RegExp) {
  return buttonsIn(page(), name)
}

function button(name: string | RegExp) {
  return buttonIn(page(), name)
}

function statusPill(): string {
  return page().get('[data-testid="order-status"]').text()
}

function headings(): string[] {
  return page()
    .findAll('h2')
    .map((heading) => heading.text())
}

/** The MALL Delivery panel is loaded on demand: its first import may take a while on a busy machine. */
async function labelsPanelShown(): Promise<void> {
  await vi.waitFor(() => expect(headings()).toContain('MALL Delivery labels'), { timeout: 15_000 })
}

async function outbox(): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('seq').toArray()
}

function setOffline(): void {
  Object.defineProperty(window.navigator, 'onLine', { value: false, configurable: true })
  window.dispatchEvent(new Event('offline'))
}

// ----

beforeEach(() => {
  sent = []
  now = NOW
  db = freshDatabase()
  // The Wi-Fi is down: a change stays in the outbox.
  usePlatform(db, { clock: () => (now += 10), station: unreachableStation(sent) })
})

afterEach(async () => {
  await closeApp(wrapper, pinia, db)
  wrapper = null
  Reflect.deleteProperty(window.navigator, 'onLine')
  vi.restoreAllMocks()
})

describe('handing an own-carrier order to the carrier', () => {
  beforeEach(async () => {
    await seed(db, {
      order: stationOrder({ id: ORDER, status: 'shipping', shipping: '2026-11-21 08:30:00' }),
      stationSettings: STATION_SETTINGS,
    })
  })

  function trackingField() {
    return page().get<HTMLInputElement>('input[name="tracking_number"]')
  }

  function refusal(): string {
    return page().get('#ship-refusal').text()
  }

  it('offers the station’s carriers, refuses a number with characters MALL refuses, then queues shipped with the trimmed number and its link', async () => {
    await mountOrder()
    expect(statusPill()).toBe(STATUS_WORDS.shipping)
    expect(headings()).toContain('Hand over to the carrier')
    // The station's list, not the built-in one (PPL, DPD, …).
    await vi.waitFor(() =>
      expect(
        page()
          .findAll('select[name="carrier"] option')
          .map((option) => option.text()),
      ).toEqual(['Van Express', 'Track Example']),
    )
    await page().get('select[name="carrier"]').setValue('track')

    await trackingField().setValue('AB 12/34#')
    await button('Mark shipped').trigger('click')
    await vi.waitFor(() => expect(refusal()).not.toBe(''))
    expect(refusal()).toBe('The tracking number “AB12/34#” has characters the marketplace refuses (/ #): use only letters, digits, - and _.')
    expect(page().get('#ship-refusal').attributes('role')).toBe('alert')
    expect(trackingField().attributes('aria-invalid')).toBe('true')
    await settles()
    expect(await outbox()).toEqual([])
    expect(sent).toEqual([])
    expect(statusPill()).toBe(STATUS_WORDS.shipping)

    // Typing again takes the refusal away.
    await trackingField().setValue(' ab-12_34 ')
    expect(refusal()).toBe('')
    await button('Mark shipped').trigger('click')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    const change = { status: 'shipped', confirmed: true, tracking_number: 'ab-12_34', tracking_url: 'https://track.example/p/ab-12_34' }
    expect(await outbox()).toEqual([expect.objectContaining({ order_id: ORDER, kind: 'status', key: 'key-1', user: 'picker', body: change })])

    // The packer sees the order shipped at once, with its tracking link, and the hand-over form gone.
    await vi.waitFor(() => expect(statusPill()).toBe(STATUS_WORDS.shipped))
    expect(statusPill()).toBe('shipped')
    expect(page().text()).toContain('Change not yet sent')
    const link = page().get('[data-testid="tracking-link"]')
    expect(link.text()).toBe('ab-12_34')
    expect(link.attributes('href')).toBe('https://track.example/p/ab-12_34')
    expect(headings()).not.toContain('Hand over to the carrier')
    expect(buttons('Mark shipped')).toHaveLength(0)

    // The station could not be reached: the change went out once (in a batch, with its own key)
    // and waits in the outbox for the next try.
    await vi.waitFor(() => expect(sent.some((request) => request.url === '/api/changes')).toBe(true))
    expect(sent.find((request) => request.url === '/api/changes')).toMatchObject({
      method: 'POST',
      headers: { authorization: 'Bearer t', 'x-device-id': 'tablet-test' },
      body: { changes: [{ order_id: ORDER, key: 'key-1', body: change }] },
    })
    await vi.waitFor(async () => expect((await outbox()).map((entry) => entry.state)).toEqual(['queued']))
    // The carrier is offered first next time.
    await vi.waitFor(async () => expect((await db.meta.get('print_prefs'))?.value).toMatchObject({ carrier_id: 'track' }))
  })

  it('falls back to the built-in carriers without station settings', async () => {
    await db.meta.delete('station_settings')
    await mountOrder()
    await vi.waitFor(() =>
      expect(
        page()
          .findAll('select[name="carrier"] option')
          .map((option) => option.text()),
      ).toEqual(['PPL', 'DPD', 'GLS', 'Zásilkovna (Packeta)', 'Česká pošta']),
    )
  })

  it('asks for a tracking number when none is given, and queues nothing', async () => {
    await mountOrder()
    await trackingField().setValue('   ')
    await button('Mark shipped').trigger('click')
    await vi.waitFor(() => expect(refusal()).toBe('Scan or type the parcel’s tracking number.'))
    await settles()
    expect(await outbox()).toEqual([])
  })
})

describe('closing a shipped own-carrier order', () => {
  const DELIVERED_INPUT = '2026-11-20T09:30'
  /** The datetime-local value is on the warehouse's clock (Prague here), whatever zone the tablet is set to. */
  const DELIVERED_AT = '2026-11-20 09:30:00'

  beforeEach(async () => {
    await seed(db, {
      order: stationOrder({ id: ORDER, status: 'shipped', shipping: '2026-11-19 07:30:00', shipped: '2026-11-19 08:00:00', ...TRACKING }),
    })
  })

  function dialog() {
    return page().find('[role="alertdialog"]')
  }

  function closeRefusal(): string {
    return page().get('.close__refusal').text()
  }

  /** The notes in the confirmation: what the marketplace takes but looks wrong. */
  function notes(): string[] {
    const note = dialog().find('[role="note"]')
    return note.exists() ? note.findAll('p').map((p) => p.text()) : []
  }

  it('confirms before marking delivered; Cancel queues nothing; Yes queues delivered at the entered time in Prague time', async () => {
    await mountOrder()
    expect(statusPill()).toBe(STATUS_WORDS.shipped)
    expect(headings()).toContain('After delivery')
    expect(page().get('[data-testid="tracking-link"]').attributes('href')).toBe(TRACKING.tracking_url)

    await page().get('input[name="delivered_at"]').setValue(DELIVERED_INPUT)
    expect(dialog().exists()).toBe(false)
    await button('Mark delivered').trigger('click')
    expect(dialog().exists()).toBe(true)
    expect(dialog().get('p').text()).toBe(
      `Mark order ${ORDER} delivered on 2026-11-20 at 09:30? This cannot be undone, and the marketplace then invoices the customer.`,
    )
    expect(dialog().text()).toMatch(/cannot be undone/)
    expect(dialog().text()).toMatch(/marketplace then invoices the customer/)

    await button('Cancel').trigger('click')
    expect(dialog().exists()).toBe(false)
    await settles()
    expect(await outbox()).toEqual([])
    expect(statusPill()).toBe(STATUS_WORDS.shipped)

    await button('Mark delivered').trigger('click')
    await button('Yes, mark delivered').trigger('click')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    const [entry] = await outbox()
    expect(entry).toMatchObject({ order_id: ORDER, kind: 'status', key: 'key-1', user: 'picker' })
    expect(statusBody(entry)).toStrictEqual({ status: 'delivered', delivered_at: DELIVERED_AT })

    // Final: the note says so, on the warehouse's clock (Prague without station settings); nothing more to press.
    await vi.waitFor(() => expect(statusPill()).toBe(STATUS_WORDS.delivered))
    expect(page().get('[data-testid="order-final"]').text()).toBe(`delivered on ${DELIVERED_AT.slice(0, 16)}: this order is final, nothing more can change.`)
    expect(buttons('Mark delivered')).toHaveLength(0)
    expect(buttons('Mark returned')).toHaveLength(0)
    expect(buttons(/^Mark shipped/)).toHaveLength(0)
    expect(headings()).not.toContain('After delivery')
    expect(dialog().exists()).toBe(false)
  })

  it('notes a first delivery attempt after the delivery in the confirmation; Cancel lets the packer correct it, then queues the attempt with the delivery', async () => {
    await mountOrder()
    await page().get('input[name="delivered_at"]').setValue(DELIVERED_INPUT)
    await page().get('input[name="first_delivery_attempt"]').setValue('2026-11-20T11:00')
    await button('Mark delivered').trigger('click')
    expect(closeRefusal()).toBe('')
    expect(notes()).toEqual(['The first delivery attempt comes after the delivery itself: check both times.'])
    await button('Cancel').trigger('click')
    await settles()
    expect(await outbox()).toEqual([])

    await page().get('input[name="first_delivery_attempt"]').setValue('2026-11-19T16:45')
    await button('Mark delivered').trigger('click')
    expect(closeRefusal()).toBe('')
    expect(notes()).toEqual([])
    await button('Yes, mark delivered').trigger('click')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    expect(statusBody((await outbox())[0])).toStrictEqual({
      status: 'delivered',
      delivered_at: DELIVERED_AT,
      first_delivery_attempt: '2026-11-19 16:45:00',
    })
    await vi.waitFor(() => expect(page().find('[data-testid="order-final"]').exists()).toBe(true))
  })

  it('notes a delivery time in the future in the confirmation, without stopping the packer', async () => {
    await mountOrder()
    await page().get('input[name="delivered_at"]').setValue('2099-01-01T10:00')
    await button('Mark delivered').trigger('click')
    expect(closeRefusal()).toBe('')
    expect(notes()).toHaveLength(1)
    expect(notes()[0]).toMatch(/^The delivery time 2099-01-01 \d\d:\d\d:\d\d lies in the future: check it is when it actually happened\.$/)
    await button('Cancel').trigger('click')
    await settles()
    expect(await outbox()).toEqual([])
  })

  // Deliveries are recorded after the fact and MALL takes a time before the shipping: a note, not a refusal.
  it('notes a delivery time before the order shipped in the confirmation, and Yes still queues it', async () => {
    await mountOrder()
    await page().get('input[name="delivered_at"]').setValue('2026-11-18T15:00')
    await button('Mark delivered').trigger('click')
    expect(closeRefusal()).toBe('')
    expect(dialog().exists()).toBe(true)
    const deliveredAt = '2026-11-18 15:00:00'
    expect(notes()).toEqual([`The delivery time ${deliveredAt} is before the order was shipped (2026-11-19 08:00:00): check the date.`])
    await button('Yes, mark delivered').trigger('click')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    expect(statusBody((await outbox())[0])).toStrictEqual({ status: 'delivered', delivered_at: deliveredAt })
    await vi.waitFor(() => expect(statusPill()).toBe(STATUS_WORDS.delivered))
  })

  it('shows a tracking link that is not a web address as text, never as a link', async () => {
    await db.orders.update(ORDER, { tracking_url: 'javascript:alert(1)' })
    await mountOrder()
    expect(page().find('[data-testid="tracking-link"]').exists()).toBe(false)
    expect(page().get('.order__tracking').text()).toContain(TRACKING.tracking_number)
  })

  it('marks returned after its own confirmation', async () => {
    await mountOrder()
    await button('Mark returned').trigger('click')
    expect(dialog().get('p').text()).toBe(`Mark order ${ORDER} returned (the parcel is back in the warehouse)? This cannot be undone.`)
    await button('Yes, mark returned').trigger('click')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    expect((await outbox())[0]).toMatchObject({ kind: 'status', body: { status: 'returned' } })
    expect(statusBody((await outbox())[0])).toStrictEqual({ status: 'returned' })
    await vi.waitFor(() => expect(statusPill()).toBe(STATUS_WORDS.returned))
    expect(page().get('[data-testid="order-final"]').text()).toBe('returned: this order is final, nothing more can change.')
    expect(buttons('Mark delivered')).toHaveLength(0)
    expect(buttons('Mark returned')).toHaveLength(0)
  })
})

describe('a shipped MALL Delivery order', () => {
  it('has no after-delivery controls: a note says delivered and returned are the marketplace’s', async () => {
    await seed(db, { order: stationOrder({ id: ORDER, mdp: true, status: 'shipped', shipping: '2026-11-19 07:30:00', shipped: '2026-11-19 08:00:00' }) })
    await mountOrder()
    expect(statusPill()).toBe(STATUS_WORDS.shipped)
    expect(page().text()).toContain('MALL Delivery ·')
    expect(headings()).not.toContain('After delivery')
    expect(buttons('Mark delivered')).toHaveLength(0)
    expect(buttons('Mark returned')).toHaveLength(0)
    expect(page().find('input[name="delivered_at"]').exists()).toBe(false)
    const note = page().get('.order__marketplace-owned')
    expect(note.attributes('role')).toBe('note')
    expect(note.text()).toBe('Delivered and returned are the marketplace’s to set for MALL Delivery orders: MALL sets them from the carrier’s tracking.')
    // The labels panel is there, without the request form or a shipping button.
    await labelsPanelShown()
    expect(buttons(/^Request/)).toHaveLength(0)
    expect(buttons(/^Mark shipped/)).toHaveLength(0)
    await settles()
    expect(await outbox()).toEqual([])
  })
})

describe('a MALL Delivery order being packed, offline', () => {
  beforeEach(async () => {
    await seed(db, { order: stationOrder({ id: ORDER, mdp: true, status: 'shipping', shipping: '2026-11-21 08:30:00' }) })
    setOffline()
  })

  function markShipped() {
    return button('Mark shipped (handed to MALL Delivery)')
  }

  it('asks for the labels first, keeps the request on the tablet, then queues shipped behind it', async () => {
    await mountOrder()
    await labelsPanelShown()
    expect(useSyncStore(pinia).online).toBe(false)
    // No own-carrier hand-over, no printed own-carrier label for MALL Delivery.
    expect(headings()).not.toContain('Hand over to the carrier')
    expect(page().text()).not.toContain('Print shipping label')

    expect(markShipped().attributes('disabled')).toBeDefined()
    expect(page().text()).toContain('Request the labels first: MALL Delivery needs them before the order ships.')
    expect(page().find('[data-testid="labels-state"]').exists()).toBe(false)

    await page().get('input[name="parcel_count"]').setValue('2')
    await button('Request labels').trigger('click')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    expect((await outbox())[0]).toMatchObject({ order_id: ORDER, kind: 'labels', key: 'key-1', user: 'picker', state: 'queued', labels: { parcel_count: 2, labels_type: 'pdf' } })
    expect((await outbox()).map((entry) => (entry.kind === 'labels' ? entry.labels : null))[0]).toStrictEqual({ parcel_count: 2, labels_type: 'pdf' })

    await vi.waitFor(() => expect(page().find('[data-testid="labels-state"]').exists()).toBe(true))
    expect(page().get('[data-testid="labels-state"]').text()).toBe(
      'Offline: the label request for 2 parcel(s) waits on this tablet and goes to the station when the Wi-Fi is back. You can go on; print the labels once they arrive.',
    )
    expect(button('Request new labels').exists()).toBe(true)
    expect(page().text()).toContain('New labels replace the ones asked for before')

    await vi.waitFor(() => expect(markShipped().attributes('disabled')).toBeUndefined())
    await markShipped().trigger('click')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(2))
    const entries = await outbox()
    expect(entries.map((entry) => entry.kind)).toEqual(['labels', 'status'])
    expect(entries[1]).toMatchObject({ order_id: ORDER, kind: 'status', key: 'key-2', state: 'queued' })
    expect(statusBody(entries[1])).toStrictEqual({ status: 'shipped', confirmed: true })
    expect(entries[0]?.seq).toBeLessThan(entries[1]?.seq as number)
    await vi.waitFor(() => expect(statusPill()).toBe(STATUS_WORDS.shipped))
    expect(page().get('.mdp__refusal').text()).toBe('')

    // Offline, nothing was tried on the wire: the labels, then the status, go when the Wi-Fi is back.
    await settles()
    expect(sent).toEqual([])
  })

  it('queues shipped once when the packer taps twice before the first tap is saved', async () => {
    await mountOrder()
    await labelsPanelShown()
    await button('Request labels').trigger('click')
    await vi.waitFor(() => expect(markShipped().attributes('disabled')).toBeUndefined())
    void markShipped().trigger('click')
    void markShipped().trigger('click')
    await vi.waitFor(() => expect(statusPill()).toBe(STATUS_WORDS.shipped))
    await settles()
    expect((await outbox()).map((entry) => [entry.kind, statusBody(entry) ?? null])).toEqual([
      ['labels', null],
      ['status', { status: 'shipped', confirmed: true }],
    ])
  })

  it('refuses a parcel count that is not a whole number from 1 up, and queues nothing', async () => {
    await mountOrder()
    await labelsPanelShown()
    const parcels = page().get<HTMLInputElement>('input[name="parcel_count"]')
    // 0 the browser itself refuses (min 1): the form is not sent.
    await parcels.setValue('0')
    expect(parcels.element.validity.rangeUnderflow).toBe(true)
    await button('Request labels').trigger('click')
    // An empty field passes the browser's check: the page's own sentence refuses it.
    await parcels.setValue('')
    await button('Request labels').trigger('click')
    await vi.waitFor(() => expect(page().get('.mdp__refusal').text()).toMatch(/^Enter how many parcels the order goes in: a whole number from 1 to \d+\.$/))
    await settles()
    expect(await outbox()).toEqual([])
    expect(await db.labels.count()).toBe(0)
    expect(markShipped().attributes('disabled')).toBeDefined()
  })
})

describe('packing starts with a scan', () => {
  it('offers a picker the pack screen as the one way in: no Start packing, no packing without scans', async () => {
    await seed(db, { order: stationOrder({ id: ORDER }), printPrefs: { print_after_packing: true } })
    await mountOrder()
    expect(statusPill()).toBe(STATUS_WORDS.open)
    expect(buttons(/Start packing/)).toHaveLength(0)
    expect(buttons(/without scanning/)).toHaveLength(0)
    const primary = page().findAll('.order__actions .button--big:not(.button--quiet)')
    expect(primary.map((b) => b.text())).toEqual(['Scan to pack'])
    await primary[0]?.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/orders/${ORDER}/pack`))
    await settles()
    // Looking at the order and opening its pack screen changed nothing and took nothing.
    expect(await outbox()).toEqual([])
    expect((await db.orders.get(ORDER))?.status).toBe('open')
  })

  it('leads a shipped order on to the next order, never to Mark delivered', async () => {
    await seed(db, { order: stationOrder({ id: ORDER, status: 'shipped', ...TRACKING }) })
    await mountOrder()
    await vi.waitFor(() => expect(buttons('Mark delivered')).toHaveLength(1))
    const primary = page().findAll('.button--big:not(.button--quiet)')
    expect(primary.map((b) => b.text())).toEqual(['Next order'])
    await button('Next order').trigger('click')
    // Nothing else is open on this tablet: back to the queue.
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('queue'))
  })
})
