import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { expectOAuthError } from './helpers.ts'

/** Reference §1 "Device flow", "Token lifetime", "Early death" and §8 "reusing a rotated token". */

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
let sim: RunningAllegro

beforeEach(async () => {
  sim = await startAllegroSimulator()
})
afterEach(() => sim?.close())

async function startDevice() {
  const response = await sim.oauth('/auth/oauth/device', { client_id: sim.sim.options.clientId })
  expect(response.status, response.text).toBe(200)
  return response.body as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number }
}

function poll(deviceCode: string) {
  return sim.oauth('/auth/oauth/token', { grant_type: DEVICE_GRANT, device_code: deviceCode })
}

/** The seller presses Allow on the verification page, as a browser would post its form. */
async function approveOnPage(userCode: string, decision: 'allow' | 'deny' = 'allow') {
  const response = await fetch(`${sim.base}/skojarz-aplikacje`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code: userCode, decision }).toString(),
  })
  return { status: response.status, text: await response.text() }
}

async function tokens() {
  const device = await startDevice()
  expect((await approveOnPage(device.user_code)).status).toBe(200)
  const response = await poll(device.device_code)
  expect(response.status, response.text).toBe(200)
  return response.body as { access_token: string; refresh_token: string; expires_in: number }
}

function refresh(refreshToken: string) {
  return sim.oauth('/auth/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken })
}

describe('device flow', () => {
  it('gives a device code, a user code, the verification address, 3600 s and an interval of 5 s', async () => {
    const device = await startDevice()
    expect(device.device_code).toBeTypeOf('string')
    expect(device.user_code).toBeTypeOf('string')
    expect(device.verification_uri).toBe(`${sim.base}/skojarz-aplikacje`)
    expect(device.verification_uri_complete).toBe(`${device.verification_uri}?code=${device.user_code}`)
    expect(device.expires_in).toBe(3600)
    expect(device.interval).toBe(5)
    const page = await fetch(device.verification_uri_complete)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(device.user_code)
    expect(html).toMatch(/<button[^>]*>Allow<\/button>/)
  })

  it('points the verification address at the station’s LAN address when the wiring sets it', async () => {
    sim.sim.setVerificationBase('https://192.168.1.20:8443/allegro')
    const device = await startDevice()
    expect(device.verification_uri).toBe('https://192.168.1.20:8443/allegro/skojarz-aplikacje')
    expect(device.verification_uri_complete).toBe(`https://192.168.1.20:8443/allegro/skojarz-aplikacje?code=${device.user_code}`)
  })

  it('needs the application’s client id and secret (HTTP Basic)', async () => {
    expect((await sim.oauth('/auth/oauth/device', { client_id: 'x' }, null)).status).toBe(401)
    expectOAuthError(await sim.oauth('/auth/oauth/device', { client_id: sim.sim.options.clientId }, `${sim.sim.options.clientId}:wrong`), 401, 'invalid_client')
  })

  it('answers authorization_pending until the seller allows, slow_down when polled faster than the interval', async () => {
    const device = await startDevice()
    expectOAuthError(await poll(device.device_code), 400, 'authorization_pending')
    const early = await poll(device.device_code)
    expectOAuthError(early, 400, 'slow_down')
    sim.advance(10_000)
    expectOAuthError(await poll(device.device_code), 400, 'authorization_pending')
    sim.advance(10_000)
    expect((await approveOnPage(device.user_code)).status).toBe(200)
    const granted = await poll(device.device_code)
    expect(granted.status, granted.text).toBe(200)
    expect(granted.body).toMatchObject({ token_type: 'bearer', expires_in: 43199 })
    expect(granted.body.access_token).toBeTypeOf('string')
    expect(granted.body.refresh_token).toBeTypeOf('string')
    expect(granted.headers.get('cache-control')).toBe('no-store')
    const api = await sim.call('GET', '/order/event-stats', { token: granted.body.access_token })
    expect(api.status, api.text).toBe(200)
    // A device code gives one pair only.
    sim.advance(10_000)
    expectOAuthError(await poll(device.device_code), 400, 'invalid_grant')
  })

  it('answers access_denied when the seller denies', async () => {
    const device = await startDevice()
    expect((await approveOnPage(device.user_code, 'deny')).status).toBe(200)
    expectOAuthError(await poll(device.device_code), 400, 'access_denied')
  })

  it('lets the control API approve every pending code', async () => {
    const device = await startDevice()
    const approved = await sim.control('POST', '/_sim/device/approve', {})
    expect(approved.body).toEqual({ approved: 1 })
    expect((await poll(device.device_code)).status).toBe(200)
  })

  it('forgets a device code after an hour', async () => {
    const device = await startDevice()
    sim.advance(3600 * 1000)
    expect((await approveOnPage(device.user_code)).status).toBe(404)
    expect((await poll(device.device_code)).status).toBe(400)
  })
})

describe('refresh tokens', () => {
  it('each refresh returns a new pair; the old refresh token still works for 60 s after its first use, then invalid_grant', async () => {
    const first = await tokens()
    const [a, b] = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)])
    expect(a.status, a.text).toBe(200)
    expect(b.status, b.text).toBe(200)
    expect(a.body.refresh_token).not.toBe(first.refresh_token)
    expect(a.body.access_token).not.toBe(first.access_token)
    expect(a.body.refresh_token).not.toBe(b.body.refresh_token)
    sim.advance(59_000)
    expect((await refresh(first.refresh_token)).status).toBe(200)
    sim.advance(1_000)
    expectOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant')
    expectOAuthError(await sim.call('GET', '/order/event-stats', { token: first.access_token }), 401, 'invalid_token')
    // Both pairs made within the grace stay usable.
    expect((await sim.call('GET', '/order/event-stats', { token: a.body.access_token })).status).toBe(200)
    expect((await sim.call('GET', '/order/event-stats', { token: b.body.access_token })).status).toBe(200)
    expect((await refresh(b.body.refresh_token)).status).toBe(200)
  })

  it('a revoked account (password changed, logout everywhere) gets invalid_grant and invalid_token', async () => {
    const pair = await tokens()
    const revoked = await sim.control('POST', '/_sim/tokens/revoke')
    expect(revoked.body.revoked).toBeGreaterThan(0)
    expectOAuthError(await refresh(pair.refresh_token), 400, 'invalid_grant')
    expectOAuthError(await sim.call('GET', '/order/checkout-forms', { token: pair.access_token }), 401, 'invalid_token')
  })

  it('refuses an unknown grant type', async () => {
    expectOAuthError(await sim.oauth('/auth/oauth/token', { grant_type: 'password' }), 400, 'unsupported_grant_type')
  })
})
