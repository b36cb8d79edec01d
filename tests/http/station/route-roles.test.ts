import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTE_ACCESS } from '../../../server/api/roles.ts'
import { eventually, jsonOrNull, startStation, type RunningStation } from '../../support/station.ts'
import { changeStatus, expectProblem, newKey, newOrder, outage, stationOrder, stationReady } from './helpers.ts'

/**
 * Every route, called by nobody, a picker and a lead: each refuses the wrong role. The list below
 * is the test's own; it must name every route of the station's table (server/api/roles.ts), so a
 * new route cannot go untested.
 */

type Who = 'nobody' | 'picker' | 'lead'
type Expect = 'open' | 'webhook' | 'signed-in' | 'lead'

interface Call {
  route: string
  path: (ids: { order: number }) => string
  body?: unknown
  expect: Expect
}

const CALLS: Call[] = [
  { route: 'POST /api/session', path: () => '/api/session', body: { user: 'picker', pin: '1111' }, expect: 'open' },
  { route: 'GET /api/session', path: () => '/api/session', expect: 'signed-in' },
  { route: 'DELETE /api/session', path: () => '/api/session', expect: 'signed-in' },
  { route: 'GET /api/health', path: () => '/api/health', expect: 'open' },
  { route: 'POST /api/marketplace/webhook', path: () => '/api/marketplace/webhook', body: [], expect: 'webhook' },
  { route: 'GET /api/orders', path: () => '/api/orders?limit=1', expect: 'signed-in' },
  { route: 'GET /api/orders/history', path: () => '/api/orders/history?limit=1', expect: 'signed-in' },
  { route: 'GET /api/orders/:id', path: ({ order }) => `/api/orders/${order}`, expect: 'signed-in' },
  { route: 'POST /api/orders/:id/status', path: ({ order }) => `/api/orders/${order}/status`, body: { status: 'nonsense' }, expect: 'signed-in' },
  { route: 'POST /api/changes', path: () => '/api/changes', body: { changes: [] }, expect: 'signed-in' },
  { route: 'POST /api/orders/:id/claim', path: ({ order }) => `/api/orders/${order}/claim`, expect: 'signed-in' },
  { route: 'DELETE /api/orders/:id/claim', path: ({ order }) => `/api/orders/${order}/claim`, expect: 'signed-in' },
  { route: 'POST /api/orders/:id/flag', path: ({ order }) => `/api/orders/${order}/flag`, body: { reason: 'nonsense' }, expect: 'signed-in' },
  // Lead or owner: here the order has no flag and no conflict, so nobody's is touched; the
  // owner cases are below.
  { route: 'DELETE /api/orders/:id/flag', path: ({ order }) => `/api/orders/${order}/flag`, expect: 'signed-in' },
  { route: 'DELETE /api/orders/:id/conflict', path: ({ order }) => `/api/orders/${order}/conflict`, expect: 'signed-in' },
  { route: 'POST /api/orders/:id/labels', path: ({ order }) => `/api/orders/${order}/labels`, body: { parcel_count: 0 }, expect: 'signed-in' },
  { route: 'GET /api/orders/:id/labels', path: ({ order }) => `/api/orders/${order}/labels`, expect: 'signed-in' },
  { route: 'GET /api/products', path: () => '/api/products?limit=1', expect: 'signed-in' },
  { route: 'GET /api/events', path: () => '/api/events', expect: 'signed-in' },
  { route: 'GET /api/settings', path: () => '/api/settings', expect: 'signed-in' },
  { route: 'PUT /api/settings', path: () => '/api/settings', body: {}, expect: 'lead' },
  { route: 'POST /api/print', path: () => '/api/print', body: {}, expect: 'signed-in' },
  { route: 'GET /api/sessions', path: () => '/api/sessions', expect: 'lead' },
  { route: 'DELETE /api/sessions/:id', path: () => '/api/sessions/no-such-session', expect: 'lead' },
  { route: 'DELETE /api/devices/:deviceId', path: () => '/api/devices/no-such-device', expect: 'lead' },
  { route: 'POST /api/imports/dry-run', path: () => '/api/imports/dry-run', body: {}, expect: 'lead' },
  { route: 'POST /api/imports', path: () => '/api/imports', body: {}, expect: 'lead' },
  { route: 'GET /api/imports/:id', path: () => '/api/imports/no-such-import', expect: 'lead' },
  { route: 'PUT /api/orders/:id/notes/:noteId', path: ({ order }) => `/api/orders/${order}/notes/roles-note-1`, body: { text: '' }, expect: 'signed-in' },
  { route: 'DELETE /api/orders/:id/notes/:noteId', path: ({ order }) => `/api/orders/${order}/notes/roles-note-1`, expect: 'signed-in' },
  { route: 'GET /api/figures/packers', path: () => '/api/figures/packers?since=2026-01-01T00:00:00Z', expect: 'signed-in' },
  { route: 'POST /api/test-orders', path: () => '/api/test-orders', expect: 'lead' },
  { route: 'GET /media/products/:sku', path: () => '/media/products/no-such-sku', expect: 'open' },
  // The demo's MALL has no account to connect: a lead hears so (404), a picker is refused first.
  { route: 'GET /api/marketplace/account', path: () => '/api/marketplace/account', expect: 'lead' },
  { route: 'POST /api/marketplace/account/connect', path: () => '/api/marketplace/account/connect', expect: 'lead' },
]

describe('who may call each route', () => {
  let running: RunningStation
  let order: number
  beforeAll(async () => {
    running = await startStation()
    await stationReady(running)
    order = (await newOrder(running, await running.signIn())).id as number
  })
  afterAll(async () => {
    await running?.close()
  })

  /** The status and body of a call; a stream (the events) is cut once its status is known. */
  async function call(method: string, path: string, token: string | null, body?: unknown) {
    const controller = new AbortController()
    const headers: Record<string, string> = { 'idempotency-key': newKey('roles') }
    if (token) headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(running.origin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal })
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      controller.abort()
      return { status: response.status, body: null, text: '', headers: response.headers }
    }
    const text = await response.text()
    return { status: response.status, body: jsonOrNull(text) as Record<string, unknown> | null, text, headers: response.headers }
  }

  it('tests every route in the table, and the table has every route the test knows', () => {
    expect(CALLS.map((c) => c.route).sort()).toEqual(Object.keys(ROUTE_ACCESS).sort())
  })

  for (const entry of CALLS) {
    it(`${entry.route}: ${entry.expect}`, async () => {
      const [method] = entry.route.split(' ') as [string]
      const path = entry.path({ order })
      for (const who of ['nobody', 'picker', 'lead'] as Who[]) {
        // A fresh token each time: signing out ends it.
        const token = who === 'nobody' ? null : await running.signIn(who, who === 'lead' ? '2222' : '1111', `${who}-roles`)
        const answer = await call(method, path, token, entry.body)
        const what = `${who}: ${answer.status} ${answer.text.slice(0, 200)}`
        if (entry.expect === 'open') {
          expect([401, 403], what).not.toContain(answer.status)
        } else if (entry.expect === 'webhook') {
          // A bearer token is no webhook secret.
          expectProblem(answer, 401, 'UNAUTHENTICATED')
        } else if (who === 'nobody') {
          expectProblem(answer, 401, 'UNAUTHENTICATED')
        } else if (entry.expect === 'lead' && who === 'picker') {
          expectProblem(answer, 403, 'FORBIDDEN')
        } else {
          expect([401, 403], what).not.toContain(answer.status)
        }
      }
    })
  }

  it('lets a lead or the one who reported it clear a flag, no other picker', async () => {
    const picker = await running.signIn('picker', '1111', 'roles-picker')
    const lead = await running.signIn('lead', '2222', 'roles-lead')
    const leads = (await newOrder(running, picker)).id as number
    expect((await call('POST', `/api/orders/${leads}/flag`, lead, { reason: 'damaged' })).status).toBe(200)
    const refused = await call('DELETE', `/api/orders/${leads}/flag`, picker)
    expectProblem(refused, 403, 'FORBIDDEN')
    expect(refused.body?.detail).toContain('lead')
    expect((await stationOrder(running, picker, leads)).order.flag).toMatchObject({ user: 'lead' })
    expect((await call('DELETE', `/api/orders/${leads}/flag`, lead)).status).toBe(200)

    const own = (await newOrder(running, picker)).id as number
    expect((await call('POST', `/api/orders/${own}/flag`, picker, { reason: 'out_of_stock' })).status).toBe(200)
    const cleared = await call('DELETE', `/api/orders/${own}/flag`, picker)
    expect(cleared.status, cleared.text).toBe(200)
    expect(cleared.body?.flag).toBeNull()
    const byLead = (await newOrder(running, picker)).id as number
    expect((await call('POST', `/api/orders/${byLead}/flag`, picker, { reason: 'out_of_stock' })).status).toBe(200)
    expect((await call('DELETE', `/api/orders/${byLead}/flag`, lead)).status).toBe(200)
  })

  it('lets a lead or the one whose change it was dismiss a conflict, no other picker', async () => {
    const picker = await running.signIn('picker', '1111', 'roles-picker')
    const lead = await running.signIn('lead', '2222', 'roles-lead')
    const [leads, pickers] = [(await newOrder(running, picker)).id as number, (await newOrder(running, picker)).id as number]
    try {
      await outage(running, '503')
      expect((await changeStatus(running, lead, leads, { status: 'shipping', confirmed: true })).status).toBe(200)
      expect((await changeStatus(running, picker, pickers, { status: 'shipping', confirmed: true })).status).toBe(200)
      for (const id of [leads, pickers]) expect((await running.mall('POST', `/_sim/orders/${id}/cancel`)).status).toBe(200)
    } finally {
      await outage(running, 'off')
    }
    for (const id of [leads, pickers]) await eventually(async () => (await stationOrder(running, picker, id)).order.conflict, 10_000)

    expectProblem(await call('DELETE', `/api/orders/${leads}/conflict`, picker), 403, 'FORBIDDEN')
    expect((await stationOrder(running, picker, leads)).order.conflict).toMatchObject({ user: 'lead' })
    expect((await call('DELETE', `/api/orders/${leads}/conflict`, lead)).status).toBe(200)
    const own = await call('DELETE', `/api/orders/${pickers}/conflict`, picker)
    expect(own.status, own.text).toBe(200)
    expect(own.body?.conflict).toBeNull()
  })
})
