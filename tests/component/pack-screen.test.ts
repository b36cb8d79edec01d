// @vitest-environment jsdom
// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { Pinia } from 'pinia'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PickingDatabase, productCodes, setMeta, type LocalProduct, type PickScan } from '@/db/schema'
import type { CatalogueProduct } from '#core/product.ts'
import type { StationOrder } from '#core/station-api.ts'
import PackPage from '@/pages/PackPage.vue'
import { toLocalOrder } from '@/services/outbox/outbox'
import { useSessionStore } from '@/stores/session'
import { useSyncStore } from '@/stores/sync'
import { stationOrder } from '../unit/pwa/fixtures'
import { buttonIn, closeApp, freshDatabase, keyCounter, mountApp, signInOn, unreachableStation, usePlatform, type SentRequest } from './support/tablet'

/**
 * The pick-and-pack screen as a packer uses it: scans from a keyboard-wedge scanner, typed codes
 * and the camera; what they see, hear and feel after each; and what is queued for the station
 * when they confirm the parcel.
 */

// The camera library needs a real camera: a stand-in that "sees" the code a test sets.
const camera = vi.hoisted(() => ({ sees: '' }))
vi.mock('@/components/scan/ScanCamera.vue', async () => {
  const { defineComponent: define, h: render } = await import('vue')
  return {
    // Marks the mock as an ES module, so the async component takes its default export.
    __esModule: true,
    default: define({
      emits: ['scan', 'close'],
      setup(_props, { emit }) {
        return () => render('button', { type: 'button', 'data-testid': 'camera-sees', onClick: () => emit('scan', camera.sees) }, 'camera')
      },
    }),
  }
})

const ORDER = 10085339302
const KETTLE = 'KETTLE-17'
const MUG = '100228'
const KETTLE_EAN13 = '4006381333931'
const MUG_UPCA = '036000291452'
/** A carton of two mugs (GTIN-14). */
const MUG_CASE = '10036000291459'
/** A product of the warehouse that is not on this order. */
const TOASTER_EAN13 = '5901234123457'
/** A valid EAN-13 nothing in the catalogue has. */
const STRANGER_EAN13 = '8594001021499'

const CATALOGUE: CatalogueProduct[] = [
  { sku: KETTLE, title: 'Electric kettle 1.7 l', barcodes: [KETTLE_EAN13], case_barcodes: [], photo_url: null, bin_location: 'A-10-1' },
  { sku: MUG, title: 'Ceramic mug 350 ml', barcodes: [MUG_UPCA], case_barcodes: [{ code: MUG_CASE, units: 2 }], photo_url: null, bin_location: 'A-02-3' },
  { sku: 'TOASTER-2', title: 'Toaster', barcodes: [TOASTER_EAN13], case_barcodes: [], photo_url: null, bin_location: 'C-01-1' },
]

// ---- what the packer hears and feels ----

/** Every tone played, high (the right-scan beep) or low (the error tone). */
let tones: ('high' | 'low')[]
let vibrate: ReturnType<typeof vi.fn<(pattern: number[]) => boolean>>

class FakeAudioContext {
  currentTime = 0
  destination = {}
  createOscillator() {
    const oscillator = {
      type: 'sine',
      frequency: { value: 440 },
      connect: <T>(node: T) => node,
      start: () => tones.push(oscillator.frequency.value >= 1000 ? 'high' : 'low'),
      stop: () => undefined,
    }
    return oscillator
  }
  createGain() {
    return { gain: { value: 1 }, connect: <T>(node: T) => node }
  }
}

const RIGHT_TONE = ['high']
const WRONG_TONE = ['low', 'low']

// ---- the platform: a fresh database, a station that cannot be reached, a clock ----

let db: PickingDatabase
let sent: SentRequest[]
let now: number
let makeKey: () => string

function usePlatformOn(database: PickingDatabase): void {
  // The Wi-Fi is down: the change stays in the outbox.
  usePlatform(database, { clock: () => (now += 10), station: unreachableStation(sent), makeKey })
}

/**
 * The order, the catalogue and a signed-in packer. "Finish on last scan" (on by default) is off
 * unless a test turns it on, so each test decides when the packing is confirmed.
 */
async function seed(database: PickingDatabase, order: StationOrder): Promise<void> {
  await setMeta('print_prefs', { finish_on_last_scan: false }, database)
  await database.orders.put(toLocalOrder(order))
  await database.products.bulkPut(CATALOGUE.map((p): LocalProduct => ({ ...p, codes: productCodes(p) })))
  await signInOn(database)
}

// ---- the screen ----

let pinia: Pinia
let router: Router
let wrapper: VueWrapper | null = null

/** Mounts the screen as the router would, for a signed-in packer: a new app on the current platform. */
async function mountScreen(): Promise<VueWrapper> {
  ;({ pinia, router, wrapper } = await mountApp(PackPage, { name: 'pack', params: { id: ORDER } }, { id: ORDER }))
  return wrapper
}

/** The screen of a packable order, once its lines are shown and the scan field has the focus. */
async function mountPack(): Promise<VueWrapper> {
  await mountScreen()
  await vi.waitFor(() => expect(page().find(`[data-sku="${MUG}"]`).exists()).toBe(true))
  await vi.waitFor(() => expect(document.activeElement).toBe(field().element))
  return page()
}

function page(): VueWrapper {
  if (!wrapper) throw new Error('the pack screen is not mounted')
  return wrapper
}

function field() {
  return page().get<HTMLInputElement>('input#scan-field')
}

function button(name: string | RegExp) {
  return buttonIn(page(), name)
}

function count(sku: string): string {
  return page().get(`[data-sku="${sku}"] .pack__count`).text()
}

function feedback(): string {
  const found = page().find('[data-testid="scan-feedback"]')
  return found.exists() ? found.text() : ''
}

function flashShown(): boolean {
  return page().find('.pack__flash').exists()
}

async function storedScans(): Promise<PickScan[]> {
  return (await db.picks.get(ORDER))?.scans ?? []
}

// ---- keys, as a browser delivers them ----

let t = 50_000

/**
 * A key press with a controlled time stamp, delivered to the focused element (through the
 * window's capture listener, as in a browser), followed by what the browser would do with a key
 * nobody stopped: a character goes into the field, Enter submits its form.
 */
function press(key: string, at: number, target: EventTarget = document.activeElement ?? window): void {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })
  Object.defineProperty(event, 'timeStamp', { value: at })
  target.dispatchEvent(event)
  if (event.defaultPrevented || !(target instanceof HTMLInputElement) || target.disabled) return
  if (key.length === 1) {
    target.value += key
    target.dispatchEvent(new Event('input', { bubbles: true }))
  } else if (key === 'Enter') {
    target.form?.requestSubmit()
  }
}

/** A keyboard-wedge scanner: the code a few milliseconds per key, then Enter. */
function wedgeScan(code: string, target?: EventTarget): void {
  t += 1000
  const gaps = [5, 12, 8, 20, 6, 15, 9]
  ;[...code].forEach((char, i) => press(char, (t += gaps[i % gaps.length] ?? 10), target))
  press('Enter', (t += 7), target)
}

/** A person typing, 80–250 ms per key. */
function typeSlowly(text: string, target?: EventTarget): void {
  t += 1000
  const gaps = [80, 140, 250, 95, 180, 120]
  ;[...text].forEach((char, i) => press(char, (t += gaps[i % gaps.length] ?? 150), target))
}

async function seesFeedback(message: string): Promise<void> {
  await vi.waitFor(() => expect(feedback()).toBe(message))
}

async function seesCount(sku: string, text: string): Promise<void> {
  await vi.waitFor(() => expect(count(sku)).toBe(text))
}

// ----

beforeEach(async () => {
  tones = []
  vibrate = vi.fn<(pattern: number[]) => boolean>(() => true)
  vi.stubGlobal('AudioContext', FakeAudioContext)
  Object.defineProperty(window.navigator, 'vibrate', { value: vibrate, configurable: true, writable: true })
  sent = []
  now = Date.UTC(2024, 6, 15, 8, 0, 0)
  makeKey = keyCounter()
  camera.sees = ''
  db = freshDatabase()
  usePlatformOn(db)
})

afterEach(async () => {
  await closeApp(wrapper, pinia, db)
  wrapper = null
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  Reflect.deleteProperty(window.navigator, 'vibrate')
})

describe('the pack screen', () => {
  beforeEach(async () => {
    await seed(db, stationOrder({ id: ORDER }))
  })

  it('shows each line with its bin, in bin order, nothing scanned yet, and the parcel’s facts', async () => {
    await mountPack()
    expect(page().findAll('[data-sku]').map((line) => line.attributes('data-sku'))).toEqual([MUG, KETTLE])
    expect(count(MUG)).toBe('0 / 2')
    expect(count(KETTLE)).toBe('0 / 1')
    expect(page().get(`[data-sku="${MUG}"]`).text()).toContain('Bin A-02-3')
    expect(page().get('[aria-label="Parcel facts"]').text()).toMatch(/Prepaid.*Own carrier/s)
    expect(page().get('label[for="scan-field"]').text()).toBe('Scan or type a code')
    expect(field().attributes('inputmode')).toBe('none')
    expect(feedback()).toBe('')
    expect(flashShown()).toBe(false)
  })

  it('counts a wedge scanner’s burst: the sentence, the count, the right tone, no flash', async () => {
    await mountPack()
    // The scanner reads the mug's UPC-A as EAN-13 with a leading zero: the same code.
    wedgeScan(`0${MUG_UPCA}`)
    await seesFeedback('Ceramic mug 350 ml: 1 of 2.')
    await seesCount(MUG, '1 / 2')
    expect(count(KETTLE)).toBe('0 / 1')
    expect(page().get('[data-testid="scan-feedback"]').classes()).toContain('pack__feedback--right')
    expect(tones).toEqual(RIGHT_TONE)
    expect(vibrate).not.toHaveBeenCalled()
    expect(flashShown()).toBe(false)
    expect(await storedScans()).toEqual([expect.objectContaining({ sku: MUG, units: 1, code: `0${MUG_UPCA}`, source: 'wedge' })])
  })

  it('counts a burst sent straight to the window once, whatever has focus', async () => {
    await mountPack()
    wedgeScan(KETTLE_EAN13, window)
    await seesCount(KETTLE, '1 / 1')
    await seesFeedback('Electric kettle 1.7 l: 1 of 1.')
    expect(await storedScans()).toHaveLength(1)
  })

  it('leaves nothing of a scanner’s burst in the scan field, and the next typed code is just what was typed', async () => {
    await mountPack()
    t += 1000
    for (const char of MUG_UPCA) press(char, (t += 9))
    // The keys reach the field as they come: nothing a person types there is ever held back.
    expect(field().element.value).toBe(MUG_UPCA)
    press('Enter', (t += 9))
    await seesCount(MUG, '1 / 2')
    await flushPromises()
    // And it is gone once the scan is taken.
    expect(field().element.value).toBe('')
    expect(await storedScans()).toHaveLength(1)

    typeSlowly(KETTLE_EAN13)
    press('Enter', (t += 150))
    await seesCount(KETTLE, '1 / 1')
    await seesFeedback('Electric kettle 1.7 l: 1 of 1.')
    expect(await storedScans()).toEqual([
      expect.objectContaining({ sku: MUG, source: 'wedge' }),
      expect.objectContaining({ sku: KETTLE, code: KETTLE_EAN13, source: 'typed' }),
    ])
  })

  it('takes a typed code with the Enter code button', async () => {
    await mountPack()
    await field().setValue(` ${MUG_UPCA} `)
    await button('Enter code').trigger('click')
    await seesFeedback('Ceramic mug 350 ml: 1 of 2.')
    await seesCount(MUG, '1 / 2')
    expect(tones).toEqual(RIGHT_TONE)
    expect(field().element.value).toBe('')
    expect(await storedScans()).toEqual([expect.objectContaining({ sku: MUG, code: MUG_UPCA, source: 'typed' })])
  })

  it('does not take typing at human speed for a scan: the keys stay in the field until the packer enters them', async () => {
    await mountPack()
    typeSlowly(MUG_UPCA)
    await flushPromises()
    expect(field().element.value).toBe(MUG_UPCA)
    expect(feedback()).toBe('')
    expect(tones).toEqual([])
    expect(await storedScans()).toEqual([])

    // Typed elsewhere on the page (not in the field), with Enter: still nothing.
    field().element.blur()
    typeSlowly(KETTLE_EAN13, document.body)
    press('Enter', (t += 150), document.body)
    await flushPromises()
    expect(feedback()).toBe('')
    expect(count(KETTLE)).toBe('0 / 1')
    expect(await storedScans()).toEqual([])
  })

  it('takes a code the camera sees, through the same check', async () => {
    await mountPack()
    await button('Camera').trigger('click')
    await vi.waitFor(() => expect(page().find('[data-testid="camera-sees"]').exists()).toBe(true))
    camera.sees = MUG_UPCA
    await page().get('[data-testid="camera-sees"]').trigger('click')
    await seesCount(MUG, '1 / 2')
    await seesFeedback('Ceramic mug 350 ml: 1 of 2.')
    camera.sees = TOASTER_EAN13
    await page().get('[data-testid="camera-sees"]').trigger('click')
    await seesFeedback('Not on this order: Toaster (TOASTER-2). Put it back.')
    expect(tones).toEqual([...RIGHT_TONE, ...WRONG_TONE])
    expect(await storedScans()).toEqual([expect.objectContaining({ sku: MUG, source: 'camera' })])
  })

  describe('a wrong scan', () => {
    it('of a product not on this order: says so, flashes red, sounds the error tone, vibrates, counts nothing', async () => {
      await mountPack()
      wedgeScan(TOASTER_EAN13)
      await seesFeedback('Not on this order: Toaster (TOASTER-2). Put it back.')
      expect(page().get('[data-testid="scan-feedback"]').classes()).toContain('pack__feedback--wrong')
      expect(flashShown()).toBe(true)
      expect(tones).toEqual(WRONG_TONE)
      expect(vibrate).toHaveBeenCalledTimes(1)
      expect(count(MUG)).toBe('0 / 2')
      expect(count(KETTLE)).toBe('0 / 1')
      expect(await storedScans()).toEqual([])
    })

    it('over the quantity: says all are scanned, flashes, keeps the count', async () => {
      await mountPack()
      wedgeScan(KETTLE_EAN13)
      await seesCount(KETTLE, '1 / 1')
      expect(flashShown()).toBe(false)
      wedgeScan(KETTLE_EAN13)
      await seesFeedback('Electric kettle 1.7 l (KETTLE-17): all 1 already scanned; this one is extra.')
      expect(flashShown()).toBe(true)
      expect(tones).toEqual([...RIGHT_TONE, ...WRONG_TONE])
      expect(vibrate).toHaveBeenCalledTimes(1)
      expect(count(KETTLE)).toBe('1 / 1')
      expect(await storedScans()).toHaveLength(1)
    })

    it('of an unknown code: says so with the code, flashes, keeps the counts', async () => {
      await mountPack()
      wedgeScan(STRANGER_EAN13)
      await seesFeedback(`Unknown code ${STRANGER_EAN13}: scan the product’s own barcode, or type its code.`)
      expect(flashShown()).toBe(true)
      expect(tones).toEqual(WRONG_TONE)
      expect(vibrate).toHaveBeenCalledWith([200, 80, 200])
      expect(count(MUG)).toBe('0 / 2')
      expect(count(KETTLE)).toBe('0 / 1')
    })

    it('of another order’s number: says which order it is, counts nothing', async () => {
      const other = stationOrder({ id: ORDER + 1 })
      await db.orders.put(toLocalOrder(other))
      await mountPack()
      wedgeScan(String(other.id))
      await seesFeedback(`That is order ${other.id}: finish packing this one first, or go back to the queue to open it.`)
      expect(flashShown()).toBe(true)
      wedgeScan(String(ORDER))
      await seesFeedback(`That is this order’s own number (${ORDER}): scan its items.`)
      expect(count(MUG)).toBe('0 / 2')
    })

    it('of the last unit twice in quick succession: the second is still extra', async () => {
      await mountPack()
      // The second read comes before the first is written to the database.
      wedgeScan(KETTLE_EAN13)
      wedgeScan(KETTLE_EAN13)
      await seesFeedback('Electric kettle 1.7 l (KETTLE-17): all 1 already scanned; this one is extra.')
      await flushPromises()
      expect(count(KETTLE)).toBe('1 / 1')
      expect(await storedScans()).toHaveLength(1)
      expect(tones).toEqual([...RIGHT_TONE, ...WRONG_TONE])
    })

    it('is followed by a right one that takes the red flash away', async () => {
      await mountPack()
      wedgeScan(STRANGER_EAN13)
      await vi.waitFor(() => expect(flashShown()).toBe(true))
      wedgeScan(MUG_UPCA)
      await seesFeedback('Ceramic mug 350 ml: 1 of 2.')
      expect(flashShown()).toBe(false)
    })
  })

  it('counts a case barcode as its units, and refuses a case larger than what remains', async () => {
    await mountPack()
    wedgeScan(MUG_CASE)
    await seesFeedback('Ceramic mug 350 ml (case of 2): 2 of 2.')
    await seesCount(MUG, '2 / 2')
    expect(tones).toEqual(RIGHT_TONE)
    expect(await storedScans()).toEqual([expect.objectContaining({ sku: MUG, units: 2, code: MUG_CASE })])

    await button('Undo last scan').trigger('click')
    await seesCount(MUG, '0 / 2')
    wedgeScan(MUG_UPCA)
    await seesCount(MUG, '1 / 2')
    wedgeScan(MUG_CASE)
    await seesFeedback('Ceramic mug 350 ml (100228): a case of 2 is more than the 1 still needed; scan single units.')
    expect(flashShown()).toBe(true)
    expect(count(MUG)).toBe('1 / 2')
  })

  it('takes back the last scan on Undo, and only that one', async () => {
    await mountPack()
    wedgeScan(MUG_UPCA)
    await seesCount(MUG, '1 / 2')
    wedgeScan(KETTLE_EAN13)
    await seesCount(KETTLE, '1 / 1')
    await button('Undo last scan').trigger('click')
    await seesFeedback(`Took back one scan of ${KETTLE}.`)
    await seesCount(KETTLE, '0 / 1')
    expect(count(MUG)).toBe('1 / 2')
    expect(await storedScans()).toEqual([expect.objectContaining({ sku: MUG })])
  })

  it('turns sounds off (and remembers it), still vibrating on a wrong scan', async () => {
    await mountPack()
    await button('Sounds on').trigger('click')
    await vi.waitFor(() => expect(button(/^Sounds/).text()).toBe('Sounds off'))
    wedgeScan(TOASTER_EAN13)
    await seesFeedback('Not on this order: Toaster (TOASTER-2). Put it back.')
    expect(tones).toEqual([])
    expect(vibrate).toHaveBeenCalledTimes(1)
    expect(flashShown()).toBe(true)
    expect((await db.meta.get('setting:sound'))?.value).toBe(false)
  })

  it('enables Confirm packing only when every line is verified, then queues the change with the packing evidence', async () => {
    const prompt = vi.spyOn(window, 'prompt').mockReturnValue('label torn')
    await mountPack()
    const confirm = () => page().get('.pack__actions button.button--big')
    expect(confirm().text()).toBe('Scan every item to confirm')
    expect(confirm().attributes('disabled')).toBeDefined()

    wedgeScan(MUG_UPCA)
    await seesCount(MUG, '1 / 2')
    await field().setValue(MUG_UPCA)
    await button('Enter code').trigger('click')
    await seesCount(MUG, '2 / 2')
    expect(confirm().attributes('disabled')).toBeDefined()

    // The kettle's label will not scan: confirmed by hand, with the reason.
    await page().get(`[data-sku="${KETTLE}"]`).get('button').trigger('click')
    expect(prompt).toHaveBeenCalledTimes(1)
    await seesCount(KETTLE, '1 / 1')
    await vi.waitFor(() => expect(confirm().text()).toBe('Confirm packing'))
    expect(confirm().attributes('disabled')).toBeUndefined()
    // The first scan claimed the order: the claim waits in the outbox (the station is out of reach).
    expect((await db.outbox.toArray()).map((entry) => entry.kind)).toEqual(['claim'])

    await confirm().trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('order'))
    expect(router.currentRoute.value.params.id).toBe(String(ORDER))

    const scans = [
      { sku: MUG, units: 1, code: MUG_UPCA, at: expect.any(String), source: 'wedge' },
      { sku: MUG, units: 1, code: MUG_UPCA, at: expect.any(String), source: 'typed' },
      { sku: KETTLE, units: 1, code: null, at: expect.any(String), source: 'manual', reason: 'label torn' },
    ]
    // The station cannot be reached: the change waits in the outbox, with the key it will be sent with.
    await vi.waitFor(async () => expect((await db.outbox.toArray()).every((entry) => entry.state === 'queued')).toBe(true))
    const outbox = await db.outbox.toArray()
    expect(outbox).toEqual([
      expect.objectContaining({ order_id: ORDER, kind: 'claim', key: 'key-1', user: 'picker' }),
      expect.objectContaining({
        order_id: ORDER,
        kind: 'status',
        key: 'key-2',
        user: 'picker',
        body: { status: 'shipping', confirmed: true, packing: { scans, wrong_scans: 0 } },
      }),
    ])
    // What went out on the wire (and will go again under the same key): the claim first; the
    // packing waits behind it, as the order's changes go in the order they were made.
    await vi.waitFor(() => expect(sent.length).toBeGreaterThan(0))
    expect(sent[0]).toMatchObject({
      url: `/api/orders/${ORDER}/claim`,
      method: 'POST',
      headers: { authorization: 'Bearer t', 'idempotency-key': 'key-1', 'x-device-id': 'tablet-test' },
    })
    expect(sent.some((request) => request.url.endsWith('/status'))).toBe(false)
    // The order shows as being packed on the tablet; the progress is done with.
    expect((await db.orders.get(ORDER))?.status).toBe('shipping')
    expect(await db.picks.get(ORDER)).toBeUndefined()
  })

  it('with “finish on last scan” as it comes (on), confirms packing on the last unit, that scan included', async () => {
    // The tablet's settings as they come: nobody changed them.
    await db.meta.delete('print_prefs')
    await mountPack()
    wedgeScan(MUG_CASE)
    await seesCount(MUG, '2 / 2')
    expect(router.currentRoute.value.name).toBe('pack')
    wedgeScan(KETTLE_EAN13)
    // No other order is waiting: the packer is back on the queue.
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('queue'))
    const [entry] = (await db.outbox.toArray()).filter((e) => e.kind === 'status')
    expect(entry?.body).toEqual({
      status: 'shipping',
      confirmed: true,
      packing: {
        scans: [
          { sku: MUG, units: 2, code: MUG_CASE, at: expect.any(String), source: 'wedge' },
          { sku: KETTLE, units: 1, code: KETTLE_EAN13, at: expect.any(String), source: 'wedge' },
        ],
        wrong_scans: 0,
      },
    })
    expect(tones).toEqual([...RIGHT_TONE, ...RIGHT_TONE])
  })

  it('keeps the progress across a remount: it is in the tablet’s database', async () => {
    await mountPack()
    wedgeScan(MUG_UPCA)
    await seesCount(MUG, '1 / 2')
    wedgeScan(KETTLE_EAN13)
    await seesCount(KETTLE, '1 / 1')
    page().unmount()
    wrapper = null
    useSyncStore(pinia).$dispose()
    useSessionStore(pinia).$dispose()

    // As after a reload: a new connection to the same database, a new app.
    db.close()
    db = new PickingDatabase(db.name)
    usePlatformOn(db)
    await mountPack()
    await seesCount(MUG, '1 / 2')
    await seesCount(KETTLE, '1 / 1')
    wedgeScan(MUG_UPCA)
    await seesFeedback('Ceramic mug 350 ml: 2 of 2.')
    await vi.waitFor(() => expect(page().get('.pack__actions button.button--big').text()).toBe('Confirm packing'))
  })

  it('stops packing when the order is cancelled meanwhile', async () => {
    await mountPack()
    wedgeScan(MUG_UPCA)
    await seesCount(MUG, '1 / 2')
    // A pull brings the customer's cancellation.
    await db.orders.update(ORDER, { status: 'cancelled', cancelled: '2024-07-15 10:05:00' })
    await vi.waitFor(() => expect(page().find('.pack__stop').exists()).toBe(true))
    expect(page().get('.pack__stop').text()).toBe('This order is cancelled: stop packing and put the items back.')
    wedgeScan(KETTLE_EAN13, window)
    await seesFeedback('This order was cancelled: stop packing and put the items back.')
    expect(flashShown()).toBe(true)
    expect(count(KETTLE)).toBe('0 / 1')
    expect(page().get('.pack__actions button.button--big').attributes('disabled')).toBeDefined()
  })
})

describe('the pack screen with real scanners', () => {
  beforeEach(async () => {
    await seed(db, stationOrder({ id: ORDER }))
  })

  /** A scanner whose keys come with these gaps (ms), then Enter after the last. */
  function burst(code: string, gaps: number[], target?: EventTarget): void {
    t += 2000
    ;[...code].forEach((char, i) => press(char, (t += gaps[i % gaps.length] ?? 10), target))
    press('Enter', (t += gaps[code.length % gaps.length] ?? 10), target)
  }

  it('counts a Bluetooth scanner’s burst with gaps up to 50 ms and more, its first keys included', async () => {
    await mountPack()
    burst(KETTLE_EAN13, [48, 22, 55, 9, 61, 35, 50])
    await seesFeedback('Electric kettle 1.7 l: 1 of 1.')
    await seesCount(KETTLE, '1 / 1')
    expect(field().element.value).toBe('')
    expect(await storedScans()).toEqual([expect.objectContaining({ sku: KETTLE, code: KETTLE_EAN13, source: 'wedge' })])
  })

  it('never takes the rest of a burst that stalled half-way for a code: it says to scan again, red, and counts nothing', async () => {
    await mountPack()
    // 150 ms between the fifth and sixth key: "0291452" alone is not the mug's code.
    burst(MUG_UPCA, [8, 8, 8, 8, 8, 150, 8, 8, 8, 8, 8, 8])
    await seesFeedback('The scanner’s code came in with a pause and was not read whole: nothing was counted. Scan it again.')
    expect(page().get('[data-testid="scan-feedback"]').classes()).toContain('pack__feedback--wrong')
    expect(flashShown()).toBe(true)
    expect(tones).toEqual(WRONG_TONE)
    expect(field().element.value).toBe('')
    expect(count(MUG)).toBe('0 / 2')
    expect(await storedScans()).toEqual([])
  })

  it('keeps a wrong scan’s sentence red until the next scan, however long the packer looks', async () => {
    await mountPack()
    wedgeScan(TOASTER_EAN13)
    await seesFeedback('Not on this order: Toaster (TOASTER-2). Put it back.')
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] })
    try {
      vi.advanceTimersByTime(60_000)
      await flushPromises()
      expect(feedback()).toBe('Not on this order: Toaster (TOASTER-2). Put it back.')
      expect(page().get('[data-testid="scan-feedback"]').classes()).toContain('pack__feedback--wrong')
    } finally {
      vi.useRealTimers()
    }
    wedgeScan(MUG_UPCA)
    await seesFeedback('Ceramic mug 350 ml: 1 of 2.')
    expect(page().get('[data-testid="scan-feedback"]').classes()).toContain('pack__feedback--right')
  })

  it('strips the prefix and suffix set for the scanner, and does not count a burst that lost its prefix', async () => {
    await setMeta('scanner_prefs', { prefix: '~', suffix: '#' }, db)
    await mountPack()
    await vi.waitFor(async () => expect((await db.meta.get('scanner_prefs'))?.value).toEqual({ prefix: '~', suffix: '#' }))
    wedgeScan(`~${MUG_UPCA}#`)
    await seesFeedback('Ceramic mug 350 ml: 1 of 2.')
    await seesCount(MUG, '1 / 2')
    wedgeScan(`${MUG_UPCA}#`)
    await seesFeedback('The scanner’s code came without the prefix set in Settings and was not read whole: nothing was counted. Scan it again.')
    expect(count(MUG)).toBe('1 / 2')
    expect(field().element.value).toBe('')
    expect(await storedScans()).toEqual([expect.objectContaining({ sku: MUG, code: MUG_UPCA })])
  })

  describe('“Report a problem…”', () => {
    async function openReport() {
      await button('Report a problem…').trigger('click')
      await vi.waitFor(() => expect(page().find('form[aria-label="Report a problem"]').exists()).toBe(true))
    }

    it('keeps the focus in its fields and every key typed in the note, quick keys too', async () => {
      await mountPack()
      await openReport()
      const reason = page().get<HTMLSelectElement>('select#problem-reason')
      reason.element.focus()
      await reason.trigger('click')
      expect(document.activeElement).toBe(reason.element)

      const note = page().get<HTMLInputElement>('input#problem-note')
      note.element.focus()
      await note.trigger('click')
      expect(document.activeElement).toBe(note.element)
      // A person: mostly slow, with a quick run now and then (rollover), and a word ended by Enter late.
      t += 1000
      const text = 'box torn, 2 missing'
      const gaps = [120, 45, 30, 200, 90, 60, 35, 150, 110, 70, 40, 180, 95, 130, 50, 85, 160, 100, 75]
      ;[...text].forEach((char, i) => press(char, (t += gaps[i] ?? 120)))
      await flushPromises()
      expect(note.element.value).toBe(text)
      expect(document.activeElement).toBe(note.element)
      expect(feedback()).toBe('')
      expect(await storedScans()).toEqual([])
    })

    it('takes a scanner’s burst while the note has the focus as a scan, and leaves the note as it was', async () => {
      await mountPack()
      await openReport()
      const note = page().get<HTMLInputElement>('input#problem-note')
      note.element.focus()
      await note.trigger('click')
      typeSlowly('wet')
      wedgeScan(MUG_UPCA)
      await seesCount(MUG, '1 / 2')
      await seesFeedback('Ceramic mug 350 ml: 1 of 2.')
      expect(note.element.value).toBe('wet')
      expect(document.activeElement).toBe(note.element)
    })
  })
})

describe('the pack screen of a cancelled order', () => {
  beforeEach(async () => {
    await seed(db, stationOrder({ id: ORDER, status: 'cancelled', cancelled: '2024-07-15 09:00:00' }))
  })

  it('shows the stop message and refuses scans with its sentence and the error tone', async () => {
    await mountScreen()
    await vi.waitFor(() => expect(page().find('.pack__stop').exists()).toBe(true))
    expect(page().get('.pack__stop').text()).toBe('This order is cancelled: stop packing and put the items back.')
    expect(field().attributes('disabled')).toBeDefined()
    expect(button('Enter code').attributes('disabled')).toBeDefined()
    expect(page().findAll('button').filter((b) => b.text() === 'Confirm by hand')).toHaveLength(0)
    expect(page().get('.pack__actions button.button--big').attributes('disabled')).toBeDefined()

    wedgeScan(MUG_UPCA, window)
    await seesFeedback('This order was cancelled: stop packing and put the items back.')
    expect(flashShown()).toBe(true)
    expect(tones).toEqual(WRONG_TONE)
    expect(vibrate).toHaveBeenCalledTimes(1)
    expect(count(MUG)).toBe('0 / 2')
    expect(await storedScans()).toEqual([])
    expect(await db.outbox.count()).toBe(0)
  })
})
