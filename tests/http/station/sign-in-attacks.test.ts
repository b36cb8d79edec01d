import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStation, type ApiResult, type RunningStation } from '../../support/station.ts'
import { expectProblem, rawRequest } from './helpers.ts'

/**
 * Guessing PINs: counted one by one however they are sent, limited per address and per device,
 * never a way to keep the real user out of their own tablet, and no way to learn which names
 * exist. Callers at several addresses are made with other loopback addresses (127.0.0.x).
 */

/** `POST /api/session` from a given loopback address, as a tablet at that address sends it. */
async function signInFrom(origin: string, from: string, body: Record<string, unknown>): Promise<ApiResult & { ms: number }> {
  const payload = JSON.stringify(body)
  const started = performance.now()
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
  const answer = await rawRequest(origin, { path: '/api/session', method: 'POST', localAddress: from, headers }, payload)
  return { ...answer, ms: performance.now() - started }
}

/** A loopback address of its own for the n-th caller. */
const address = (n: number) => `127.0.${Math.floor(n / 250) + 1}.${(n % 250) + 2}`

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

describe('guessing PINs', () => {
  let running: RunningStation
  let next = 0
  const fresh = () => address(next++)
  beforeAll(async () => {
    running = await startStation()
  })
  afterAll(async () => {
    await running?.close()
  })

  it('counts 50 wrong PINs sent at once as 50: five are checked, the rest are refused, and the name is locked', async () => {
    const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => signInFrom(running.origin, fresh(), { user: 'picker', pin: String(3000 + i), device_id: `attacker-${i}` })))
    const statuses = guesses.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 401)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(45)
    for (const refused of guesses.filter((answer) => answer.status === 429)) {
      expectProblem(refused, 429, 'TOO_MANY_ATTEMPTS')
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    // Even the right PIN is refused now, from a device the picker never used.
    expectProblem(await signInFrom(running.origin, fresh(), { user: 'picker', pin: '1111', device_id: 'new-tablet' }), 429, 'TOO_MANY_ATTEMPTS')
  })

  it('lets the real user in on their own tablet while someone else hammers their name', async () => {
    const own = 'lead-tablet-7'
    expect((await signInFrom(running.origin, fresh(), { user: 'lead', pin: '2222', device_id: own })).status).toBe(200)
    const attacker = fresh()
    const hammering = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(running.origin, attacker, { user: 'lead', pin: String(5000 + i), device_id: `guess-${i}` })))
    expect(hammering.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true)
    expect(hammering.filter((answer) => answer.status === 429).length).toBeGreaterThan(30)
    // Elsewhere the name is locked…
    expectProblem(await signInFrom(running.origin, fresh(), { user: 'lead', pin: '2222', device_id: 'someone-elses' }), 429, 'TOO_MANY_ATTEMPTS')
    // …but the lead on their own tablet gets in, even from the attacker's address (one router).
    const atWork = await signInFrom(running.origin, fresh(), { user: 'lead', pin: '2222', device_id: own })
    expect(atWork.status, atWork.text).toBe(200)
    expect(atWork.body.token).toBeTypeOf('string')
    const sameRouter = await signInFrom(running.origin, attacker, { user: 'lead', pin: '2222', device_id: own })
    expect(sameRouter.status, sameRouter.text).toBe(200)
    // Their own tablet is no way around the lock for a wrong PIN: it is still just a wrong PIN.
    expectProblem(await signInFrom(running.origin, fresh(), { user: 'lead', pin: '0000', device_id: own }), 401, 'UNAUTHENTICATED')
  })

  it('answers a name nobody has exactly as a real one: same status, same body, same lock, comparable time', async () => {
    // A station of its own: here the demo names are locked by the tests before.
    const picker: (ApiResult & { ms: number })[] = []
    const ghost: (ApiResult & { ms: number })[] = []
    const fresh2 = await startStation()
    try {
      for (let attempt = 0; attempt < 7; attempt++) {
        picker.push(await signInFrom(fresh2.origin, address(500 + attempt * 2), { user: 'picker', pin: '9999', device_id: `k-${attempt}` }))
        ghost.push(await signInFrom(fresh2.origin, address(501 + attempt * 2), { user: 'ghost', pin: '9999', device_id: `u-${attempt}` }))
      }
    } finally {
      await fresh2.close()
    }
    // Interleaved, each from its own address and device, so only the name differs.
    for (const [a, b] of [[picker, ghost]] as const) {
      expect(a.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 429, 429])
      expect(b.map((answer) => answer.status)).toEqual(a.map((answer) => answer.status))
      for (let i = 0; i < a.length; i++) {
        const { retry_after_seconds: _left, ...sameA } = a[i]?.body as Record<string, unknown>
        const { retry_after_seconds: _right, ...sameB } = b[i]?.body as Record<string, unknown>
        expect(sameB).toEqual(sameA)
        expect(Math.abs(Number(a[i]?.headers.get('retry-after') ?? 0) - Number(b[i]?.headers.get('retry-after') ?? 0))).toBeLessThanOrEqual(1)
      }
    }
    // A wrong PIN costs a real name and a made-up one the same work (the PIN is hashed either way).
    const real = median(picker.slice(0, 5).map((answer) => answer.ms))
    const madeUp = median(ghost.slice(0, 5).map((answer) => answer.ms))
    expect(madeUp).toBeGreaterThan(real / 3)
    expect(madeUp).toBeLessThan(real * 3)
  })

  it('makes one address wait longer after each wrong PIN beyond ten, whatever names and devices it tries', async () => {
    const from = fresh()
    for (let i = 0; i < 10; i++) {
      expectProblem(await signInFrom(running.origin, from, { user: `name-${i}`, pin: '1234', device_id: `dev-a-${i}` }), 401, 'UNAUTHENTICATED')
    }
    const waiting = await signInFrom(running.origin, from, { user: 'name-x', pin: '1234', device_id: 'dev-a-x' })
    expectProblem(waiting, 429, 'TOO_MANY_ATTEMPTS')
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // The rest of the warehouse is not affected.
    expect((await signInFrom(running.origin, fresh(), { user: 'lead', pin: '2222', device_id: 'lead-tablet-7' })).status).toBe(200)
  })

  it('makes one device wait after five wrong PINs, from whatever address', async () => {
    for (let i = 0; i < 5; i++) {
      expectProblem(await signInFrom(running.origin, fresh(), { user: `other-${i}`, pin: '1234', device_id: 'roaming-device' }), 401, 'UNAUTHENTICATED')
    }
    expectProblem(await signInFrom(running.origin, fresh(), { user: 'other-x', pin: '1234', device_id: 'roaming-device' }), 429, 'TOO_MANY_ATTEMPTS')
  })
})

describe('PIN length', () => {
  let running: RunningStation
  beforeAll(async () => {
    running = await startStation()
  })
  afterAll(async () => {
    await running?.close()
  })

  const addUser = (...args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'server/users-cli.ts', 'add', ...args], { env: { ...process.env, DATA_DIR: running.dataDir, MARKETPLACE: 'demo' }, cwd: process.cwd() }).then(
      (done) => ({ code: 0, out: done.stdout + done.stderr }),
      (failed: { code?: number; stdout?: string; stderr?: string }) => ({ code: failed.code ?? 1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }),
    )

  it('takes PINs of 4 to 8 digits, and a lead may ask for more digits', async () => {
    const lead = await running.signIn('lead', '2222')
    expect((await running.api('GET', '/api/settings', { token: lead })).body.pin_min_length).toBe(4)

    const tooLong = await addUser('anna', '123456789')
    expect(tooLong.code).not.toBe(0)
    expect(tooLong.out).toContain('4 to 8 digits')

    for (const wrong of [3, 9, 5.5, '6']) {
      expectProblem(await running.api('PUT', '/api/settings', { token: lead, body: { pin_min_length: wrong } }), 422, 'VALIDATION_FAILED')
    }
    const picker = await running.signIn('picker', '1111')
    expectProblem(await running.api('PUT', '/api/settings', { token: picker, body: { pin_min_length: 6 } }), 403, 'FORBIDDEN')
    const saved = await running.api('PUT', '/api/settings', { token: lead, body: { pin_min_length: 6 } })
    expect(saved.status, saved.text).toBe(200)
    expect(saved.body.pin_min_length).toBe(6)
    expect((await running.api('GET', '/api/settings', { token: picker })).body.pin_min_length).toBe(6)

    const tooShort = await addUser('anna', '12345')
    expect(tooShort.code).not.toBe(0)
    expect(tooShort.out).toContain('6 to 8 digits')
    const added = await addUser('anna', '123456', 'picker', 'Anna')
    expect(added.code, added.out).toBe(0)
    expect(await running.signIn('anna', '123456')).toBeTypeOf('string')
  }, 60_000)
})

describe('leads manage who is signed in', () => {
  let running: RunningStation
  beforeAll(async () => {
    running = await startStation()
  })
  afterAll(async () => {
    await running?.close()
  })

  it('shows a lead every signed-in device with its user, times and address, and refuses a picker', async () => {
    const picker = await running.signIn('picker', '1111', 'tablet-31')
    const lead = await running.signIn('lead', '2222', 'lead-desk')
    expectProblem(await running.api('GET', '/api/sessions', { token: picker }), 403, 'FORBIDDEN')
    const listed = await running.api('GET', '/api/sessions', { token: lead })
    expect(listed.status, listed.text).toBe(200)
    expect(listed.headers.get('cache-control')).toBe('no-store')
    const onTablet = listed.body.sessions.find((s: { device_id: string }) => s.device_id === 'tablet-31')
    expect(onTablet).toMatchObject({
      id: expect.any(String),
      user: { name: 'picker', display_name: 'Demo picker', role: 'picker' },
      device_id: 'tablet-31',
      created_at: expect.any(String),
      last_used_at: expect.any(String),
      expires_at: expect.any(String),
      client_address: '127.0.0.1',
      current: false,
    })
    expect(listed.body.sessions.find((s: { device_id: string }) => s.device_id === 'lead-desk')).toMatchObject({ current: true })
    expect(JSON.stringify(listed.body)).not.toContain(picker)
  })

  it('revokes one token: that tablet is asked to sign in again, the others carry on', async () => {
    const lead = await running.signIn('lead', '2222', 'lead-desk')
    const first = await running.signIn('picker', '1111', 'tablet-41')
    const second = await running.signIn('picker', '1111', 'tablet-42')
    const sessions = (await running.api('GET', '/api/sessions', { token: lead })).body.sessions as { id: string; device_id: string }[]
    const target = sessions.find((s) => s.device_id === 'tablet-41')
    expectProblem(await running.api('DELETE', `/api/sessions/${target?.id}`, { token: first }), 403, 'FORBIDDEN')
    expect((await running.api('DELETE', `/api/sessions/${target?.id}`, { token: lead })).status).toBe(204)
    expectProblem(await running.api('GET', '/api/orders?limit=1', { token: first }), 401, 'UNAUTHENTICATED')
    expect((await running.api('GET', '/api/orders?limit=1', { token: second })).status).toBe(200)
    expectProblem(await running.api('DELETE', `/api/sessions/${target?.id}`, { token: lead }), 404, 'NOT_FOUND')
  })

  it('revokes a device: all its sessions end, and it is no longer a way past a lock', async () => {
    const lead = await running.signIn('lead', '2222', 'lead-desk')
    const a = await running.signIn('picker', '1111', 'lost-tablet')
    const b = await running.signIn('picker', '1111', 'lost-tablet')
    expectProblem(await running.api('DELETE', '/api/devices/lost-tablet', { token: a }), 403, 'FORBIDDEN')
    const revoked = await running.api('DELETE', '/api/devices/lost-tablet', { token: lead })
    expect(revoked.status, revoked.text).toBe(200)
    expect(revoked.body).toEqual({ device_id: 'lost-tablet', sessions_ended: 2 })
    for (const token of [a, b]) expectProblem(await running.api('GET', '/api/orders?limit=1', { token }), 401, 'UNAUTHENTICATED')
    expectProblem(await running.api('DELETE', '/api/devices/lost-tablet', { token: lead }), 404, 'NOT_FOUND')
    // Locked out by guesses, the revoked tablet is treated like any other device.
    for (let i = 0; i < 5; i++) await signInFrom(running.origin, address(700 + i), { user: 'picker', pin: `000${i}`, device_id: `g-${i}` })
    expectProblem(await signInFrom(running.origin, address(710), { user: 'picker', pin: '1111', device_id: 'lost-tablet' }), 429, 'TOO_MANY_ATTEMPTS')
    // A device the picker still has gets in.
    expect((await signInFrom(running.origin, address(711), { user: 'picker', pin: '1111', device_id: 'tablet-42' })).status).toBe(200)
  })
})
