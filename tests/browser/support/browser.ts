import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { scanWithWedge } from './scanner.ts'

/**
 * The tablet, as the browser tests drive it: the system Chromium through playwright-core, one
 * fresh context (a fresh profile: its own IndexedDB, service worker and caches) per tablet, and
 * the steps a packer takes (sign in, go offline, come back) with waits on what the screen shows.
 */

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** How long a wait for the screen may take before the test fails with a sentence. */
export const UI_TIMEOUT_MS = 15_000

/**
 * What the bar says when the station cannot be reached: "Offline" when the browser knows the device
 * has no network, "Station unreachable" when it still believes it is online (Debian bookworm's
 * Chromium 150 keeps `navigator.onLine` true after `setOffline` and a reload, as real tablets on a
 * Wi-Fi without a route to the station do).
 */
export const NOT_REACHABLE = /^\s*(Offline|Station unreachable)\s*$/

/** The system Chromium; `extraArgs` for a browser set up differently (a fake camera, say). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] })
}

export interface TabletOptions {
  viewport?: { width: number; height: number }
  /** The browser's language (`navigator.languages`, `Accept-Language`); English (en-US) when not given. */
  locale?: string
  /** 'block' lets `page.route` see every request (a service worker would answer some first). */
  serviceWorkers?: 'allow' | 'block'
  /** The browser never says it is offline (`navigator.onLine` stays true, no offline events). */
  onLineAlwaysTrue?: boolean
}

export interface Tablet {
  context: BrowserContext
  page: Page
  /** Uncaught errors of any page of this tablet: the app should have none. */
  errors: string[]
}

/** A fresh tablet (empty profile) pointed at the station, with one page open on nothing yet. */
export async function openTablet(browser: Browser, origin: string, options: TabletOptions = {}): Promise<Tablet> {
  const context = await browser.newContext({
    baseURL: origin,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    serviceWorkers: options.serviceWorkers ?? 'allow',
    ...(options.locale ? { locale: options.locale } : {}),
  })
  context.setDefaultTimeout(UI_TIMEOUT_MS)
  // Debian bookworm's Chromium 150: a page loaded while offline says it is online (and hears no
  // online/offline events). TABLET_ONLINE_AS_150=1 runs every browser test so on a newer Chromium.
  if (process.env.TABLET_ONLINE_AS_150 === '1' && !options.onLineAlwaysTrue) {
    await context.addInitScript(() => {
      if (navigator.onLine) return
      Object.defineProperty(Navigator.prototype, 'onLine', { get: () => true, configurable: true })
      for (const type of ['online', 'offline']) window.addEventListener(type, (event) => event.stopImmediatePropagation(), { capture: true })
    })
  }
  // A tablet whose browser always says it is online, as one on a Wi-Fi with no route to the
  // station does. TABLET_ONLINE_ALWAYS=1 runs every browser test so.
  if (options.onLineAlwaysTrue ?? process.env.TABLET_ONLINE_ALWAYS === '1') {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'onLine', { get: () => true, configurable: true })
      for (const type of ['online', 'offline']) window.addEventListener(type, (event) => event.stopImmediatePropagation(), { capture: true })
    })
  }
  const errors: string[] = []
  const watch = (page: Page) => page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`))
  context.on('page', watch)
  const page = await context.newPage()
  return { context, page, errors }
}

/** Signs in on the sign-in screen, as a packer does, and waits for the status bar. */
export async function signIn(page: Page, user = 'picker', pin = user === 'lead' ? '2222' : '1111'): Promise<void> {
  await page.goto('/')
  await page.getByLabel('User').fill(user)
  await page.getByLabel('PIN').fill(pin)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByTestId('connectivity').waitFor({ timeout: UI_TIMEOUT_MS })
}

/** Waits until the service worker controls the page (it claims clients on its first activation). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: UI_TIMEOUT_MS })
}

/** Waits until an element with this test id shows exactly this text (trimmed) or matches it. */
export async function waitForText(page: Page, testId: string, text: string | RegExp, timeout = UI_TIMEOUT_MS): Promise<void> {
  const exact = typeof text === 'string' ? new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : text
  try {
    await page.getByTestId(testId).filter({ hasText: exact }).first().waitFor({ timeout })
  } catch (error) {
    const shown = await page
      .getByTestId(testId)
      .allTextContents()
      .catch(() => [])
    throw new Error(`[${testId}] never showed ${String(text)} within ${timeout} ms; it shows ${JSON.stringify(shown.map((s) => s.trim()))}`, {
      cause: error,
    })
  }
}

/** The wireless drops: every page's status bar says the station is out of reach. */
export async function goOffline(tablet: Pick<Tablet, 'context'>, ...pages: Page[]): Promise<void> {
  await tablet.context.setOffline(true)
  for (const page of pages) await waitForText(page, 'connectivity', NOT_REACHABLE)
}

/** The wireless is back: the station answers again, whether or not the browser fires `online`. */
export async function goOnline(tablet: Pick<Tablet, 'context'>, ...pages: Page[]): Promise<void> {
  await tablet.context.setOffline(false)
  for (const page of pages) await waitForText(page, 'connectivity', 'Online')
}

/** Opens an order's page and waits until the order is on screen (read from IndexedDB). */
export async function openOrder(page: Page, orderId: number): Promise<void> {
  await page.goto(`/orders/${orderId}`)
  await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor({ timeout: UI_TIMEOUT_MS })
}

export interface PhotoState {
  alt: string
  src: string
  complete: boolean
  naturalWidth: number
}

/** The product photos inside `scope`, as the browser has them now. */
export function photosIn(scope: Locator): Promise<PhotoState[]> {
  return scope.locator('img').evaluateAll((images) =>
    (images as HTMLImageElement[]).map((img) => ({ alt: img.alt, src: img.currentSrc || img.src, complete: img.complete, naturalWidth: img.naturalWidth })),
  )
}

/** Waits until every `img` inside `scope` has loaded a picture (there must be at least one). */
export async function waitForPhotosLoaded(scope: Locator, timeout = UI_TIMEOUT_MS): Promise<PhotoState[]> {
  await scope.locator('img').first().waitFor({ timeout })
  const deadline = Date.now() + timeout
  for (;;) {
    const photos = await photosIn(scope)
    if (photos.length > 0 && photos.every((p) => p.complete && p.naturalWidth > 0)) return photos
    if (Date.now() > deadline) throw new Error(`photos did not load within ${timeout} ms: ${JSON.stringify(photos)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The URLs (paths) in one cache. */
export function cachedPaths(page: Page, cacheName: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const cache = await caches.open(name)
    return (await cache.keys()).map((request) => new URL(request.url).pathname)
  }, cacheName)
}

export interface PhotoResponse {
  path: string
  status: number
  fromServiceWorker: boolean
}

/** Records every product-photo response a page gets from now on, and who answered it. */
export function recordPhotoResponses(page: Page): PhotoResponse[] {
  const seen: PhotoResponse[] = []
  page.on('response', (response) => {
    const url = new URL(response.url())
    if (url.pathname.startsWith('/media/products/')) seen.push({ path: url.pathname, status: response.status(), fromServiceWorker: response.fromServiceWorker() })
  })
  return seen
}

/** The words the order page uses for a status (`STATUS_WORDS` of the core). */
export const PACKING = 'being packed (shipping)'

/** The barcode of every unit of the order, as the tablet holds them (one code per unit). */
function unitCodes(page: Page, orderId: number): Promise<{ sku: string; code: string; quantity: number }[]> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('picking-station')
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    const read = <T>(store: string, key: IDBValidKey) =>
      new Promise<T>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).get(key)
        request.onsuccess = () => resolve(request.result as T)
        request.onerror = () => reject(request.error)
      })
    try {
      const order = await read<{ items: { id: string; quantity: number }[] }>('orders', id)
      const lines = []
      for (const item of order.items) {
        const product = await read<{ barcodes: string[] } | undefined>('products', item.id)
        lines.push({ sku: item.id, code: product?.barcodes[0] ?? '', quantity: item.quantity })
      }
      return lines
    } finally {
      db.close()
    }
  }, orderId)
}

/**
 * The packer packs the order as the station floor does: "Scan to pack" on its page, every unit
 * scanned (the last scan confirms, "finish on last scan" being on), and the order shows as
 * being packed.
 */
export async function startPacking(page: Page, orderId: number): Promise<void> {
  await openOrder(page, orderId)
  await waitForText(page, 'order-status', 'open')
  const lines = await unitCodes(page, orderId)
  await page.getByRole('link', { name: 'Scan to pack' }).click()
  await page.getByRole('heading', { name: `Packing ${orderId}` }).waitFor()
  for (const [i, line] of lines.entries()) {
    for (let unit = 1; unit <= line.quantity; unit++) {
      await scanWithWedge(page, line.code)
      if (i === lines.length - 1 && unit === line.quantity) break
      await page.locator(`li[data-sku="${line.sku}"] .pack__count`).filter({ hasText: new RegExp(`^\\s*${unit} / ${line.quantity}\\s*$`) }).waitFor()
    }
  }
  await page.waitForURL((url) => url.pathname !== `/orders/${orderId}/pack`)
  await openOrder(page, orderId)
  await waitForText(page, 'order-status', PACKING)
}

/**
 * Waits until an async check run in the page holds. Polled from here: `waitForFunction` takes the
 * promise an async predicate returns for a true value, and would pass at once.
 */
export async function untilInPage<A>(page: Page, check: (arg: A) => Promise<boolean>, arg: A, what: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    // A page navigating meanwhile has no answer: ask again.
    if (await page.evaluate(check as (arg: unknown) => Promise<boolean>, arg as unknown).catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`${what} within ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Sets "Finish on last scan" on this tablet, in its Settings. */
export async function setFinishOnLastScan(page: Page, on: boolean): Promise<void> {
  const back = new URL(page.url()).pathname
  await page.goto('/settings')
  const box = page.getByRole('checkbox', { name: /Finish on last scan/ })
  await box.setChecked(on)
  await untilInPage(
    page,
    async (want) => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open('picking-station')
        request.onsuccess = () => resolve(request.result)
      })
      try {
        const prefs = await new Promise<{ value?: { finish_on_last_scan?: boolean } } | undefined>((resolve) => {
          const request = db.transaction('meta').objectStore('meta').get('print_prefs')
          request.onsuccess = () => resolve(request.result)
        })
        return prefs?.value?.finish_on_last_scan === want
      } finally {
        db.close()
      }
    },
    on,
    `"Finish on last scan" was not saved as ${on}`,
  )
  // Back where the packer was.
  await page.goto(back)
  await page.getByTestId('connectivity').waitFor()
}

/**
 * Waits until the tablet holds these orders in IndexedDB (its last pull brought them), so they
 * can be worked on offline. Reads the app's database the way the app does, without changing it.
 */
export async function waitForOrdersOnTablet(page: Page, orderIds: number[], timeout = UI_TIMEOUT_MS): Promise<void> {
  await untilInPage(
    page,
    async (ids) => {
      const db = await new Promise<IDBDatabase | null>((resolve) => {
        const request = indexedDB.open('picking-station')
        // Not there yet: never create it here, the app does.
        request.onupgradeneeded = () => request.transaction?.abort()
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => resolve(null)
      })
      if (!db) return false
      try {
        if (!db.objectStoreNames.contains('orders')) return false
        const store = db.transaction('orders').objectStore('orders')
        const found = await Promise.all(
          ids.map(
            (id) =>
              new Promise<boolean>((resolve) => {
                const request = store.count(id)
                request.onsuccess = () => resolve(request.result === 1)
                request.onerror = () => resolve(false)
              }),
          ),
        )
        return found.every(Boolean)
      } finally {
        db.close()
      }
    },
    orderIds,
    `the tablet did not hold orders ${orderIds.join(', ')}`,
    timeout,
  )
}

/** Signs the tablet in, waits for its service worker to control it and for these orders to be pulled. */
export async function getReady(tablet: Tablet, orderIds: number[] = []): Promise<Tablet> {
  await signIn(tablet.page)
  await waitForServiceWorker(tablet.page)
  await waitForOrdersOnTablet(tablet.page, orderIds)
  return tablet
}
