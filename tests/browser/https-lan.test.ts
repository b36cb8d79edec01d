import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, describe, expect } from 'vitest'
import { tlsDir } from '../../server/https/certificates.ts'
import { CHROMIUM_ARGS, NOT_REACHABLE, signIn, waitForOrdersOnTablet, waitForServiceWorker, waitForText } from './support/browser.ts'
import { test } from './support/fixtures.ts'
import { newOrder, startDemoStation, type StationUnderTest } from './support/station.ts'

/**
 * A tablet on the warehouse network: it reaches the station by a name that is not loopback
 * (`station.warehouse.test`, mapped to 127.0.0.1 in Chromium's resolver), over HTTPS with the
 * certificate of the station's own CA, which this Chromium trusts as a tablet does after the setup
 * page (the CA in its NSS database, in a scratch HOME). The app gets a secure context, a service
 * worker, signs in and opens offline; the plain-HTTP port onboards (setup page, trust check) and
 * sends the tablet nowhere else; opened without a secure context, the app says why.
 */

const NAME = 'station.warehouse.test'
const certutil = ['/usr/bin/certutil', '/usr/local/bin/certutil'].find((path) => existsSync(path)) ?? null
if (!certutil) {
  console.warn('https-lan: skipped, certutil is missing (Debian: apt-get install libnss3-tools; .ci/run installs it)')
}

let httpPort: number
let httpsPort: number

const resolverRules = `--host-resolver-rules=MAP ${NAME} 127.0.0.1`
/** Chromium with its NSS database (the trust a device adds) in `home`. */
const launchWithHome = (home: string) =>
  chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, resolverRules], env: { ...process.env, HOME: home } })
/** The station's addresses on the warehouse network; a test that calls these asks for `station`. */
const httpsOrigin = () => `https://${NAME}:${httpsPort}`
const httpOrigin = () => `http://${NAME}:${httpPort}`

/**
 * The file's lab: a station that also serves HTTPS for NAME, and a browser that trusts its CA; the
 * tablets are the fixtures' (closed after each test, which fails on an uncaught error in the app).
 */
const it = test.extend<{ $file: { lab: { browser: Browser; station: StationUnderTest } } }>({
  lab: [
    async ({}, use) => {
      const station = await startDemoStation({ TLS_HOSTNAMES: NAME })
      httpPort = Number(new URL(station.running.origin).port)
      httpsPort = Number(new URL(station.running.httpsOrigin).port)
      // The tablet trusts the station's CA, as after the setup page: a fresh NSS database with it.
      const home = mkdtempSync(join(tmpdir(), 'tablet-home-'))
      const db = `sql:${join(home, '.pki', 'nssdb')}`
      mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true })
      execFileSync(certutil as string, ['-d', db, '-N', '--empty-password'])
      execFileSync(certutil as string, ['-d', db, '-A', '-t', 'C,,', '-n', 'picking-station', '-i', join(tlsDir(station.running.dataDir), 'ca.crt')])
      const browser = await launchWithHome(home)
      await use({ browser, station })
      await browser.close()
      await station.running.close()
      rmSync(home, { recursive: true, force: true })
    },
    { scope: 'file' },
  ],
})

describe.skipIf(!certutil)('a tablet on the warehouse network, over HTTPS', () => {
  let untrusting: Browser | null = null
  let untrustingHome: string | null = null
  afterAll(async () => {
    await untrusting?.close()
    if (untrustingHome) rmSync(untrustingHome, { recursive: true, force: true })
  })

  it('gets a secure context and a service worker, signs in, and opens offline after one visit', async ({ station, openTablet }) => {
    const orderId = await newOrder(station)
    const tablet = await openTablet({ origin: httpsOrigin() })
    const { context, page } = tablet
    await page.goto('/')
    const secure = await page.evaluate(() => ({ isSecureContext: window.isSecureContext, uuid: crypto.randomUUID(), locks: 'locks' in navigator }))
    expect(secure.isSecureContext).toBe(true)
    expect(secure.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(secure.locks).toBe(true)

    await signIn(page)
    await waitForServiceWorker(page)
    expect(new URL(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).origin).toBe(httpsOrigin())
    await waitForOrdersOnTablet(page, [orderId])
    await page.locator('a[data-order-id]').first().waitFor()

    await context.setOffline(true)
    await page.reload()
    await waitForText(page, 'connectivity', NOT_REACHABLE)
    await page.locator('a[data-order-id]').first().waitFor()
    expect(await page.locator('a[data-order-id]').count()).toBeGreaterThan(0)
    expect(new URL(page.url()).origin).toBe(httpsOrigin())
  })

  it('is sent from the plain-HTTP address to the setup page, which says the device trusts the station', async ({ station, openTablet }) => {
    const tablet = await openTablet({ origin: httpOrigin() })
    const { page } = tablet
    await page.goto('/orders/1')
    expect(new URL(page.url()).pathname).toBe('/setup')
    await page.locator('#trust[data-state="trusted"]').waitFor()
    await expect(page.locator('#trust').textContent()).resolves.toContain('This device trusts the station')
    expect(await page.getByRole('link', { name: 'Open the picking app' }).getAttribute('href')).toBe(`${httpsOrigin()}/`)
    await expect(page.getByRole('img', { name: `QR code of ${httpsOrigin()}/` }).count()).resolves.toBe(1)
    // The certificate a device installs: the station's CA, as DER.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: "Download the station's certificate" }).click()])
    expect(download.suggestedFilename()).toBe('picking-station-ca.crt')
    const der = readFileSync((await download.path()) as string)
    expect(der.equals(Buffer.from(new X509Certificate(readFileSync(join(tlsDir(station.running.dataDir), 'ca.crt'))).raw))).toBe(true)
  })

  it("says where to set the device up when the app is opened without a secure context, and starts nothing", async ({ station, openTablet }) => {
    const tablet = await openTablet({ origin: 'http://insecure.warehouse.test' })
    const { context, page } = tablet
    // A plain-HTTP origin that serves the app (as a misconfigured proxy might): the files come
    // from the station, the page's origin is not secure.
    await context.route('http://insecure.warehouse.test/**', async (route) => {
      const url = new URL(route.request().url())
      const target = new URL(url.pathname + url.search, station.running.origin)
      const response = await route.fetch({ url: target.href, headers: { ...route.request().headers(), host: target.host }, maxRedirects: 0 })
      await route.fulfill({ response })
    })
    await page.goto('/')
    await page.getByRole('heading', { name: 'This device is not set up for the picking station yet' }).waitFor()
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false)
    expect(await page.getByRole('link', { name: 'Set up this device' }).getAttribute('href')).toBe('http://insecure.warehouse.test/setup')
    expect(await page.getByTestId('connectivity').count()).toBe(0)
  })

  it('a device that does not trust the station yet is told so on the setup page, and cannot open the app over HTTPS', async ({ station: _addressesOf }) => {
    // A browser of its own, whose NSS database (in an empty HOME) has no CA.
    untrustingHome = mkdtempSync(join(tmpdir(), 'device-home-'))
    untrusting = await launchWithHome(untrustingHome)
    const context = await untrusting.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${httpOrigin()}/setup`)
      await page.locator('#trust[data-state="untrusted"]').waitFor()
      await expect(page.locator('#trust').textContent()).resolves.toContain('does not trust the station yet')
      await expect(page.goto(`${httpsOrigin()}/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/)
    } finally {
      await context.close()
    }
  })
})
