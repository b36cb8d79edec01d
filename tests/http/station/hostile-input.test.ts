import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startStation, type RunningStation } from '../../support/station.ts'
import { changeStatus, expectProblem, newKey, newOrder, putsOf, simLog, stationOrder, stationReady, webhookAddress } from './helpers.ts'

const MIB = 1024 * 1024

describe('hostile and broken input', () => {
  let running: RunningStation
  let token: string
  let order: { id: number; revision: number }
  beforeAll(async () => {
    running = await startStation()
    token = await running.signIn()
    await stationReady(running)
    order = await newOrder(running, token)
  })
  afterAll(async () => {
    await running?.close()
  })

  /** Whatever was thrown at it, the order is as it was and the marketplace heard nothing. */
  async function untouched() {
    const current = await stationOrder(running, token, order.id)
    expect(current.order).toMatchObject({ status: 'open', confirmed: false, revision: order.revision, pending_changes: 0 })
    expect(current.history).toEqual([])
    expect(await putsOf(running, order.id)).toEqual([])
  }

  it('answers malformed JSON with 400 problem+json', async () => {
    const bodies = ['{"status": "shipping",', '{status: shipping}', "{'status': 'shipping'}", '[1, 2', 'null null', '\u0000\u0001']
    for (const rawBody of bodies) {
      const result = await running.api('POST', `/api/orders/${order.id}/status`, { token, rawBody, headers: { 'idempotency-key': newKey() } })
      expectProblem(result, 400, 'VALIDATION_FAILED')
    }
    expectProblem(await running.api('POST', '/api/session', { rawBody: '{"user": "picker", "pin": ' }), 400, 'VALIDATION_FAILED')
    expectProblem(await running.api('POST', (await webhookAddress(running)).path, { rawBody: '[1, 2,' }), 400, 'VALIDATION_FAILED')
    await untouched()
  })

  it('answers a body over 1 MiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ status: 'shipping', confirmed: true, tracking_url: `https://x.example/${'a'.repeat(MIB + 10)}` })
    const change = await running.api('POST', `/api/orders/${order.id}/status`, { token, rawBody: huge, headers: { 'idempotency-key': newKey() } })
    expectProblem(change, 413, 'PAYLOAD_TOO_LARGE')
    const signIn = await running.api('POST', '/api/session', { rawBody: JSON.stringify({ user: 'picker', pin: '1'.repeat(MIB + 10) }) })
    expectProblem(signIn, 413, 'PAYLOAD_TOO_LARGE')
    const webhook = await running.api('POST', (await webhookAddress(running)).path, { rawBody: JSON.stringify(Array.from({ length: 200_000 }, (_, i) => 10_000_000 + i)) })
    expectProblem(webhook, 413, 'PAYLOAD_TOO_LARGE')
    await untouched()
  })

  it('refuses unknown fields and wrong types in a change with 422, sending nothing', async () => {
    const bodies: unknown[] = [
      { status: 'shipping', confirmed: true, note: 'hello' },
      { status: 'shipping', confirmed: true, items: [] },
      { status: 'shipping', confirmed: true, revision: 99 },
      { status: 5 },
      { status: 'shipping', confirmed: 'yes' },
      { status: ['shipping'], confirmed: true },
      { status: 'shipping', confirmed: 1 },
      { status: 'shipping', confirmed: true, tracking_number: 12345 },
      { status: 's'.repeat(1000), confirmed: true },
      'shipping',
      42,
      [{ status: 'shipping', confirmed: true }],
    ]
    for (const body of bodies) {
      const result = await changeStatus(running, token, order.id, body)
      expectProblem(result, 422)
      expect(['VALIDATION_FAILED', 'NOTHING_TO_CHANGE', 'STATUS_UNKNOWN'], JSON.stringify(body).slice(0, 100)).toContain(result.body.code)
    }
    // Unknown fields are a validation problem by name.
    expectProblem(await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, note: 'x' }), 422, 'VALIDATION_FAILED')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    await untouched()
  })

  it('refuses __proto__ and constructor.prototype keys without letting them through', async () => {
    for (const rawBody of [
      '{"status": "shipping", "confirmed": true, "__proto__": {"isAdmin": true}}',
      '{"status": "shipping", "confirmed": true, "constructor": {"prototype": {"isAdmin": true}}}',
    ]) {
      const result = await running.api('POST', `/api/orders/${order.id}/status`, { token, rawBody, headers: { 'idempotency-key': newKey() } })
      expectProblem(result, result.status)
      expect(result.status).toBeGreaterThanOrEqual(400)
      expect(result.status).toBeLessThan(500)
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    await untouched()
  })

  it('answers a body that is not JSON with a clean 4xx problem', async () => {
    for (const [type, rawBody] of [
      ['text/plain', 'status=shipping'],
      ['application/x-www-form-urlencoded', 'status=shipping&confirmed=true'],
      ['application/xml', '<change><status>shipping</status></change>'],
    ] as const) {
      const result = await running.api('POST', `/api/orders/${order.id}/status`, {
        token,
        rawBody,
        headers: { 'content-type': type, 'idempotency-key': newKey() },
      })
      expectProblem(result, result.status)
      expect(result.status, type).toBeGreaterThanOrEqual(400)
      expect(result.status, type).toBeLessThan(500)
    }
    await untouched()
  })

  it('answers odd ids, cursors and paths with 404 or 422 problems, never a 5xx', async () => {
    const paths = [
      '/api/orders/..%2F..%2Fetc%2Fpasswd',
      '/api/orders/1%27%20OR%201%3D1',
      `/api/orders/${'9'.repeat(400)}`,
      '/api/orders/-1',
      '/api/orders/1.5',
      '/api/orders/%00',
    ]
    for (const path of paths) {
      const result = await running.api('GET', path, { token })
      expectProblem(result, result.status)
      expect([400, 404], path).toContain(result.status)
    }
    for (const query of ['since=1%27%20OR%201%3D1', `since=${'9'.repeat(40)}`, 'limit=99999999999', 'since=1&since=2']) {
      const result = await running.api('GET', `/api/orders?${query}`, { token })
      expectProblem(result, 422, 'VALIDATION_FAILED')
    }
    const photo = await running.api('GET', '/media/products/..%2F..%2Fstation.sqlite')
    expectProblem(photo, 404, 'NOT_FOUND')
    const malformedEscape = await running.api('GET', '/api/orders/%E0%A4%A', { token })
    expectProblem(malformedEscape, malformedEscape.status)
    expect(malformedEscape.status).toBeLessThan(500)
  })

  it('does not record a device id that is not one', async () => {
    const other = await newOrder(running, token)
    const result = await changeStatus(running, token, other.id, { confirmed: true }, { deviceId: '<img src=x onerror=alert(1)>' })
    expect(result.status).toBe(200)
    const entry = (await stationOrder(running, token, other.id)).history.find((e) => e.action === 'status')
    expect(entry).toBeDefined()
    expect(String(entry?.device_id)).not.toContain('<')
  })

  it('takes from the marketplace webhook only a JSON array of ids', async () => {
    for (const body of [{ ids: [1] }, ['abc'], [-1], [1.5], 'x', [{ id: 1 }]]) {
      expectProblem(await running.api('POST', (await webhookAddress(running)).path, { body }), 422, 'VALIDATION_FAILED')
    }
    // Ids the marketplace does not know are read, found missing and forgotten; the station carries on.
    const accepted = await running.api('POST', (await webhookAddress(running)).path, { body: [999999999, '999999998'] })
    expect(accepted.status).toBe(204)
    await eventually(async () => (await running.api('GET', '/api/health')).body.marketplace.reachable === true)
    expectProblem(await running.api('GET', '/api/orders/999999999', { token }), 404, 'NOT_FOUND')
    expect((await simLog(running)).filter((entry) => entry.path.includes('99999999'))).toEqual([])
  })

  it('answers every error above as problem+json and is still healthy after it all', async () => {
    const healthy = await running.api('GET', '/api/health')
    expect(healthy.status).toBe(200)
    expect(healthy.body.status).toBe('ok')
    await untouched()
  })
})
