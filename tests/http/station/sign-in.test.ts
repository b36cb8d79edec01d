import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStation, type RunningStation } from '../../support/station.ts'
import { changeStatus, expectProblem, newOrder, stationOrder, stationReady } from './helpers.ts'

describe('signing in and the token', () => {
  let running: RunningStation
  beforeAll(async () => {
    running = await startStation()
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
  })

  it('gives a demo user a bearer token that lasts through a long offline shift', async () => {
    const before = Date.now()
    const result = await running.api('POST', '/api/session', { body: { user: 'picker', pin: '1111', device_id: 'tablet-01' } })
    expect(result.status, result.text).toBe(200)
    expect(result.headers.get('content-type')).toMatch(/^application\/json/)
    expect(result.body.token).toBeTypeOf('string')
    expect(result.body.token.length).toBeGreaterThanOrEqual(32)
    expect(result.body.user).toMatchObject({ name: 'picker', role: 'picker' })
    expect(result.body.user).not.toHaveProperty('pin_hash')
    // A shift offline is long: the token must outlive at least a week.
    expect(Date.parse(result.body.expires_at)).toBeGreaterThan(before + 7 * 24 * 60 * 60 * 1000)

    const me = await running.api('GET', '/api/session', { token: result.body.token })
    expect(me.status).toBe(200)
    expect(me.body.user.name).toBe('picker')
    const orders = await running.api('GET', '/api/orders?limit=1', { token: result.body.token })
    expect(orders.status).toBe(200)
  })

  it('gives every sign-in its own token', async () => {
    const first = await running.signIn('picker', '1111', 'tablet-a')
    const second = await running.signIn('picker', '1111', 'tablet-b')
    expect(first).not.toBe(second)
  })

  it('refuses a wrong PIN and an unknown user alike, with 401 UNAUTHENTICATED', async () => {
    const wrongPin = await running.api('POST', '/api/session', { body: { user: 'picker', pin: '9999' } })
    const body = expectProblem(wrongPin, 401, 'UNAUTHENTICATED')
    expect(body).not.toHaveProperty('token')
    const unknown = await running.api('POST', '/api/session', { body: { user: 'nobody', pin: '1111' } })
    expectProblem(unknown, 401, 'UNAUTHENTICATED')
    // The two answers must not tell which user names exist.
    expect(unknown.body.detail).toBe(wrongPin.body.detail)
  })

  it('refuses a sign-in without a user or PIN as a validation problem', async () => {
    expectProblem(await running.api('POST', '/api/session', { body: { user: 'picker' } }), 422, 'VALIDATION_FAILED')
    expectProblem(await running.api('POST', '/api/session', { body: { pin: '1111' } }), 422, 'VALIDATION_FAILED')
    expectProblem(await running.api('POST', '/api/session', { body: { user: 'picker', pin: 1111 } }), 422, 'VALIDATION_FAILED')
  })

  it('answers every call but sign-in, health and the webhook with 401 UNAUTHENTICATED when the token is missing or wrong', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/orders'],
      ['GET', '/api/orders?since=0&limit=5'],
      ['GET', '/api/orders/1'],
      ['POST', '/api/orders/1/status', { status: 'shipping', confirmed: true }],
      ['DELETE', '/api/orders/1/conflict'],
      ['POST', '/api/orders/1/labels', { parcel_count: 1, labels_type: 'pdf' }],
      ['GET', '/api/orders/1/labels'],
      ['GET', '/api/products'],
      ['GET', '/api/events'],
      ['GET', '/api/session'],
    ]
    const badTokens: (string | null)[] = [null, 'not-a-token', 'A'.repeat(43)]
    for (const [method, path, body] of calls) {
      for (const token of badTokens) {
        const result = await running.api(method, path, { token, body, headers: { 'idempotency-key': 'unauthenticated-1' } })
        expectProblem(result, 401, 'UNAUTHENTICATED')
      }
      // Another scheme is no bearer token either.
      const basic = await running.api(method, path, { body, headers: { authorization: 'Basic cGlja2VyOjExMTE=', 'idempotency-key': 'unauthenticated-2' } })
      expectProblem(basic, 401, 'UNAUTHENTICATED')
    }
    expect((await running.api('GET', '/api/health')).status).toBe(200)
  })

  it('takes the token as ?access_token= on the event stream only', async () => {
    const token = await running.signIn()
    const onOrders = await running.api('GET', `/api/orders?limit=1&access_token=${encodeURIComponent(token)}`)
    expectProblem(onOrders, 401, 'UNAUTHENTICATED')
  })

  it('ends a session on sign-out', async () => {
    const token = await running.signIn()
    expect((await running.api('GET', '/api/orders?limit=1', { token })).status).toBe(200)
    expect((await running.api('DELETE', '/api/session', { token })).status).toBe(204)
    expectProblem(await running.api('GET', '/api/orders?limit=1', { token }), 401, 'UNAUTHENTICATED')
  })

  it('records the device a tablet signed in from, or the one it names per request, in the order history', async () => {
    const token = await running.signIn('picker', '1111', 'tablet-07')
    const [first, second] = [await newOrder(running, token), await newOrder(running, token)]
    expect((await changeStatus(running, token, first.id, { status: 'shipping', confirmed: true })).status).toBe(200)
    expect((await changeStatus(running, token, second.id, { status: 'shipping', confirmed: true }, { deviceId: 'packing-desk-2' })).status).toBe(200)
    const fromSession = (await stationOrder(running, token, first.id)).history.find((entry) => entry.action === 'status')
    expect(fromSession).toMatchObject({ user: 'picker', device_id: 'tablet-07' })
    const fromHeader = (await stationOrder(running, token, second.id)).history.find((entry) => entry.action === 'status')
    expect(fromHeader).toMatchObject({ user: 'picker', device_id: 'packing-desk-2' })
  })

  it('locks a user out after five wrong PINs with 429, even for the right PIN, and says how long to wait', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      expectProblem(await running.api('POST', '/api/session', { body: { user: 'lead', pin: `000${attempt}` } }), 401, 'UNAUTHENTICATED')
    }
    const locked = await running.api('POST', '/api/session', { body: { user: 'lead', pin: '2222' } })
    expectProblem(locked, 429, 'TOO_MANY_ATTEMPTS')
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(locked.body).not.toHaveProperty('token')
    // Another user is not locked out by it.
    expect(await running.signIn('picker', '1111')).toBeTypeOf('string')
  })
})
