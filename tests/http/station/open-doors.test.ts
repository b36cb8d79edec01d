import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../server/config.ts'
import { isLoopback } from '../../../simulator/common/http.ts'
import { controlAllowed } from '../../../simulator/mall/routes.ts'
import { eventually, startStation, type ApiResult, type RunningStation } from '../../support/station.ts'
import { expectProblem, health, outage, rawRequest, stationReady, webhookAddress } from './helpers.ts'

/** The webhook takes only the station's secret, and cannot be used to pile up work. */
describe('the marketplace webhook', () => {
  let running: RunningStation
  beforeAll(async () => {
    running = await startStation({ env: { POLL_INTERVAL_MS: '3600000' } })
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
  })

  it('refuses a caller without the station’s secret with 401, and shows the address to leads only', async () => {
    const { path, url } = await webhookAddress(running)
    expect(url.startsWith(running.origin)).toBe(true)
    expectProblem(await running.api('POST', '/api/marketplace/webhook', { body: [1] }), 401, 'UNAUTHENTICATED')
    expectProblem(await running.api('POST', '/api/marketplace/webhook?secret=guess', { body: [1] }), 401, 'UNAUTHENTICATED')
    expectProblem(await running.api('POST', `${path.slice(0, -1)}x`, { body: [1] }), 401, 'UNAUTHENTICATED')
    expect((await running.api('POST', path, { body: [] })).status).toBe(204)
    // Pickers do not see it; it is the same after a restart (MALL keeps calling the same address).
    const picker = await running.signIn('picker', '1111')
    expect((await running.api('GET', '/api/settings', { token: picker })).body).not.toHaveProperty('marketplace_webhook_url')
    running = await running.restart()
    expect((await webhookAddress(running)).path).toBe(path)
  })

  it('keeps each id once, keeps at most 5,000 of them while the marketplace is down, then reads everything instead', async () => {
    const { path } = await webhookAddress(running)
    await outage(running, '503')
    try {
      const ids = Array.from({ length: 3000 }, (_, i) => 50_000_000 + i)
      expect((await running.api('POST', path, { body: ids })).status).toBe(204)
      expect((await running.api('POST', path, { body: ids.slice(0, 1000) })).status).toBe(204)
      const kept = await health(running)
      expect(kept.webhook).toMatchObject({ pending_ids: 3000, max_pending_ids: 5000, last_overflow_at: null })
      // 3,000 more: over the cap, the list is dropped for a full poll, and health says so.
      expect((await running.api('POST', path, { body: ids.map((id) => id + 10_000) })).status).toBe(204)
      const after = await health(running)
      expect(after.webhook.pending_ids).toBeLessThanOrEqual(5000)
      expect(after.webhook.pending_ids).toBe(0)
      expect(Date.parse(after.webhook.last_overflow_at)).toBeGreaterThan(Date.now() - 60_000)
    } finally {
      await outage(running, 'off')
    }
    // The next call of the webhook, the marketplace back, brings the full poll the overflow owes
    // (this station polls once an hour by itself).
    const overflowAt = Date.parse((await health(running)).webhook.last_overflow_at)
    expect((await running.api('POST', path, { body: [50_000_001] })).status).toBe(204)
    await eventually(async () => Date.parse((await health(running)).marketplace.last_poll_ok_at) > overflowAt, 10_000)
    expect((await health(running)).webhook.pending_ids).toBe(0)
  })
})

/** Raw HTTP to the station with a header too large for Node to parse. */
function oversizedHeaders(origin: string): Promise<ApiResult> {
  return rawRequest(origin, { path: '/api/health', headers: { 'x-big': 'a'.repeat(40_000) } })
}

describe('security headers on every answer', () => {
  let running: RunningStation
  let token: string
  beforeAll(async () => {
    running = await startStation({ distDir: undefined })
    token = await running.signIn()
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
  })

  function expectSecure(result: ApiResult, what: string) {
    expect(result.headers.get('x-content-type-options'), what).toBe('nosniff')
    expect(result.headers.get('referrer-policy'), what).toBe('no-referrer')
    const csp = result.headers.get('content-security-policy') ?? ''
    expect(csp, what).not.toBe('')
    return csp
  }

  it('sends a strict policy with the app, its assets, the API, problems and 404s', async () => {
    // A built app of its own (the tests' stations have none).
    const dist = join(running.dataDir, 'dist-for-headers')
    mkdirSync(join(dist, 'assets'), { recursive: true })
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body></body></html>')
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)')
    await running.stop()
    // On the same port, as a real restart: the catalogue's photo addresses point at it.
    running = await startStation({ dataDir: running.dataDir, distDir: dist, port: Number(new URL(running.origin).port) })
    token = await running.signIn()

    const answers: [string, ApiResult][] = [
      ['app HTML', await running.api('GET', '/')],
      ['deep link', await running.api('GET', '/orders/123')],
      ['asset', await running.api('GET', '/assets/app.js')],
      ['missing file', await running.api('GET', '/nothing-here.js')],
      ['API JSON', await running.api('GET', '/api/orders?limit=1', { token })],
      ['health', await running.api('GET', '/api/health')],
      ['problem 401', await running.api('GET', '/api/orders')],
      ['problem 422', await running.api('POST', '/api/session', { body: {} })],
      ['API 404', await running.api('GET', '/api/nothing', { token })],
      ['bad JSON', await running.api('POST', '/api/session', { rawBody: '{' })],
    ]
    expect(answers[0]?.[1].status).toBe(200)
    expect(answers[2]?.[1].status).toBe(200)
    expect(answers[3]?.[1].status).toBe(404)
    for (const [what, result] of answers) {
      const csp = expectSecure(result, what)
      expect(csp, what).toContain("default-src 'self'")
      expect(csp, what).toContain("script-src 'self'")
      expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/)
      expect(csp, what).toContain("frame-ancestors 'none'")
      expect(csp, what).toContain("worker-src 'self'")
      expect(csp, what).toContain("connect-src 'self'")
      if (what.startsWith('API') || what.startsWith('problem') || what === 'health' || what === 'bad JSON') {
        expect(result.headers.get('cache-control'), what).toBe('no-store')
      }
    }
    // The shell and hashed assets keep their own caching.
    expect(answers[0]?.[1].headers.get('cache-control')).toBe('no-cache')
    expect(answers[2]?.[1].headers.get('cache-control')).toContain('immutable')
  })

  it('serves product photos as images in a sandbox, so an SVG cannot run script beside the token', async () => {
    // The catalogue is read from the marketplace after a (re)start: wait for a product with a photo.
    const product = await eventually(async () => {
      const products = await running.api('GET', '/api/products?limit=5', { token })
      return (products.body?.products ?? []).find((p: { photo_url: string | null }) => p.photo_url) ?? null
    })
    const photo = await running.api('GET', new URL(product.photo_url, running.origin).pathname)
    expect(photo.status, photo.text.slice(0, 200)).toBe(200)
    expect(photo.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    expectSecure(photo, 'photo')
    expect(photo.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox")
    const missing = await running.api('GET', '/media/products/no-such-sku')
    expectProblem(missing, 404, 'NOT_FOUND')
    expectSecure(missing, 'missing photo')
  })

  it('answers headers too large as problem+json, with the same headers', async () => {
    const result = await oversizedHeaders(running.origin)
    expectProblem(result, 431, 'HEADERS_TOO_LARGE')
    expectSecure(result, '431')
    expect(result.headers.get('cache-control')).toBe('no-store')
  })

  it('keeps the event stream out of caches too', async () => {
    const controller = new AbortController()
    const response = await fetch(`${running.origin}/api/events?access_token=${encodeURIComponent(token)}`, { signal: controller.signal })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toContain('no-store')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    controller.abort()
  })
})

describe('the simulator’s control API', () => {
  it('answers this computer only, unless SIM_CONTROL=lan', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopback(address), address).toBe(true)
      expect(controlAllowed(address, 'loopback'), address).toBe(true)
    }
    for (const address of ['192.168.1.20', '10.0.0.7', '::ffff:192.168.1.20', 'fe80::1', '1.127.0.0', undefined]) {
      expect(controlAllowed(address, 'loopback'), String(address)).toBe(false)
      expect(controlAllowed(address, 'lan'), String(address)).toBe(true)
    }
    expect(loadConfig({}).simulator.control).toBe('loopback')
    expect(loadConfig({ SIM_CONTROL: 'lan' }).simulator.control).toBe('lan')
    expect(() => loadConfig({ SIM_CONTROL: 'everyone' })).toThrow(/SIM_CONTROL/)
  })

  it('still answers a loopback caller', async () => {
    const running = await startStation()
    try {
      expect((await running.mall('GET', '/_sim/outage')).status).toBe(200)
    } finally {
      await running.close()
    }
  })
})
