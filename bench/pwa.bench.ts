import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser } from 'playwright-core'
import { build } from 'vite'
import { startStation } from '../tests/support/station.ts'
import { fillMirror } from './fixtures.ts'
import type { Figure } from './report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')
const BENCH_DIST = join(ROOT, 'node_modules/.bench-pwa')
const ORDERS = 10_000
const CHANGES = 1_000

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Gzipped size of the JavaScript the app's first page loads (entry and module preloads). */
export function initialJavaScriptGzip(distDir = DIST): { bytes: number; files: string[] } {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8')
  const files = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => (m[1] ?? m[2]) as string)
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(distDir, file.replace(/^\//, ''))), { level: 9 }).length, 0)
  return { bytes, files }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/**
 * The PWA in Chromium against a station holding 10,000 orders: the pull into IndexedDB (and its
 * write cost against bare IndexedDB), the first paint of the queue, the drain of 1,000 changes,
 * and the initial JavaScript.
 */
export async function benchPwa(): Promise<Figure[]> {
  if (!existsSync(join(DIST, 'index.html')) || statSync(join(DIST, 'index.html')).mtimeMs < statSync(join(ROOT, 'src')).mtimeMs) {
    await build({ root: ROOT, logLevel: 'warn' })
  }
  await build({ configFile: join(ROOT, 'bench/pwa/vite.config.ts'), base: '/bench/' })
  const running = await startStation({ distDir: DIST, env: { POLL_INTERVAL_MS: '3600000' } })
  let browser: Browser | null = null
  try {
    fillMirror(running, ORDERS)
    // The uplink is down: the station accepts changes without forwarding them during the run.
    await running.mall('POST', '/_sim/outage', { mode: '503' })
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })

    const benchContext = await browser.newContext()
    await benchContext.route('**/bench/**', async (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^\/bench\//, '')
      const file = normalize(join(BENCH_DIST, path || 'index.html'))
      if (!file.startsWith(BENCH_DIST) || !existsSync(file)) return route.fulfill({ status: 404 })
      return route.fulfill({ path: file })
    })
    const benchPage = await benchContext.newPage()
    await benchPage.goto(`${running.origin}/bench/index.html`)
    await benchPage.waitForSelector('body[data-ready="true"]')
    // With a route in place every request of the page detours through Playwright: drop it before measuring.
    await benchContext.unrouteAll()
    // The page's functions are in bench/pwa/main.ts; here they are called by name.
    const pull = (await benchPage.evaluate('window.bench.pull()')) as { ms: number; orders: number }
    if (pull.orders < ORDERS) throw new Error(`pulled ${pull.orders} orders, expected ${ORDERS}+`)
    const write = (await benchPage.evaluate('window.bench.writeComparison(3)')) as { appMs: number; rawMs: number; records: number }
    const drain = (await benchPage.evaluate(`window.bench.drain(${CHANGES})`)) as { ms: number; sent: number; left: number }
    if (drain.sent !== CHANGES || drain.left !== 0) throw new Error(`drained ${drain.sent} of ${CHANGES}, ${drain.left} left`)
    await benchContext.close()

    // First paint of the queue: the real app, signed in, 10,000 orders on the device, reloaded.
    const appContext = await browser.newContext({ viewport: { width: 1180, height: 820 } })
    // Records when the first order row is on screen (after the frame that shows it).
    await appContext.addInitScript(`
      const observer = new MutationObserver(() => {
        if (!document.querySelector('[data-order-id]')) return
        observer.disconnect()
        requestAnimationFrame(() => setTimeout(() => (window.firstRowPaint = performance.now())))
      })
      observer.observe(document, { childList: true, subtree: true })
    `)
    const page = await appContext.newPage()
    await page.goto(`${running.origin}/`)
    await page.getByLabel('User').fill('picker')
    await page.getByLabel('PIN').fill('1111')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // 10,000 orders less the ones the drain moved to packing.
    await page.getByRole('tab', { name: /Open\s+\d{4,}/ }).waitFor({ timeout: 60_000 })
    const paints: number[] = []
    for (let i = 0; i < 5; i++) {
      await page.reload()
      await page.waitForFunction('window.firstRowPaint !== undefined', null, { timeout: 30_000 })
      paints.push((await page.evaluate('window.firstRowPaint')) as number)
    }
    await appContext.close()

    const js = initialJavaScriptGzip()
    return [
      { name: `pwa: ${ORDERS.toLocaleString('en')} orders pulled into IndexedDB`, value: pull.ms, unit: 'ms', budget: { limit: 3000, kind: 'max' } },
      { name: 'pwa: pull writes vs bare IndexedDB, same records', value: write.appMs / write.rawMs, unit: '×', budget: { limit: 1.5, kind: 'max' } },
      { name: `pwa: first paint of the queue, ${ORDERS.toLocaleString('en')} orders (median of 5)`, value: median(paints), unit: 'ms', budget: { limit: 200, kind: 'max' } },
      { name: `pwa: ${CHANGES.toLocaleString('en')} queued changes drained to the station`, value: drain.ms, unit: 'ms', budget: { limit: 15_000, kind: 'max' } },
      { name: `pwa: initial JavaScript, gzip (${js.files.length} files)`, value: js.bytes / 1024, unit: 'KB', budget: { limit: 150, kind: 'max' } },
    ]
  } finally {
    await browser?.close()
    await running.close()
  }
}
