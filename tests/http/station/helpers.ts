import { randomUUID } from 'node:crypto'
import { request as httpRequest, type RequestOptions } from 'node:http'
import { expect } from 'vitest'
import { formatMallDateTime } from '#core/datetime.ts'
import { eventually, jsonOrNull, type ApiResult, type RunningStation } from '../../support/station.ts'

/**
 * What the HTTP tests of the station share: the problem+json check, fresh idempotency keys, the
 * steps that bring a marketplace order onto the station, and readings of what the simulated
 * marketplace received (`/mall/_sim/log`). Everything here is what a tablet or the marketplace
 * would see; nothing reads the station's database.
 */

export const PROBLEM_JSON = /^application\/problem\+json/

/** One write the simulated marketplace received; `status` null when it never answered (hang). */
export interface SimLogEntry {
  seq: number
  at: string
  method: string
  path: string
  query: Record<string, string>
  body: Record<string, unknown> | null
  status: number | null
}

/** Asserts an RFC 9457 problem with the station's machine code and a sentence; returns its body. */
export function expectProblem(result: ApiResult, status: number, code?: string) {
  expect(result.status, result.text.slice(0, 500)).toBe(status)
  expect(result.headers.get('content-type') ?? '', result.text.slice(0, 200)).toMatch(PROBLEM_JSON)
  expect(result.body, result.text.slice(0, 200)).toBeTypeOf('object')
  expect(result.body.status).toBe(status)
  expect(result.body.code).toBeTypeOf('string')
  if (code !== undefined) expect(result.body.code, result.body.detail).toBe(code)
  expect(result.body.detail).toBeTypeOf('string')
  expect(result.body.detail.length).toBeGreaterThan(10)
  return result.body
}

/**
 * Raw HTTP to the station through node:http, for what `fetch` cannot send (a header too large to
 * parse, another loopback address to come from): the answer as `running.api` gives it.
 */
export function rawRequest(origin: string, options: RequestOptions & { path: string }, payload?: string): Promise<ApiResult> {
  const url = new URL(origin)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, ...options }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const headers = new Headers()
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value)
        resolve({ status: res.statusCode ?? 0, headers, body: jsonOrNull(text), text })
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** A fresh idempotency key, as a tablet makes one per change. */
export const newKey = (label = 'change') => `${label}-${randomUUID()}`

/** A tracking number and link MALL takes. */
export function tracking(n: string | number) {
  return { tracking_number: `DPD${n}CZ`, tracking_url: `https://tracking.example.com/parcel/DPD${n}CZ` }
}

/** Now, as MALL writes a date-time. */
export const mallNow = () => formatMallDateTime(Date.now())

/** Waits until the station has read the marketplace once, so the mirror is complete. */
export async function stationReady(running: RunningStation): Promise<void> {
  await eventually(async () => (await running.api('GET', '/api/health')).body?.marketplace?.last_poll_ok_at, 20_000)
}

export interface ChangeOptions {
  key?: string
  ifMatch?: string | number
  deviceId?: string
}

/** `POST /api/orders/:id/status` as a tablet sends it. */
export function changeStatus(running: RunningStation, token: string, orderId: number | string, body: unknown, options: ChangeOptions = {}) {
  const headers: Record<string, string> = { 'idempotency-key': options.key ?? newKey() }
  if (options.ifMatch !== undefined) headers['if-match'] = String(options.ifMatch)
  if (options.deviceId !== undefined) headers['x-device-id'] = options.deviceId
  return running.api('POST', `/api/orders/${orderId}/status`, { token, body, headers })
}

/** The station's view of one order, with its history. */
export async function stationOrder(running: RunningStation, token: string, orderId: number) {
  const result = await running.api('GET', `/api/orders/${orderId}`, { token })
  expect(result.status, result.text.slice(0, 300)).toBe(200)
  return result.body as { order: Record<string, any>; history: Record<string, any>[] } // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON as the API sent it
}

/** The marketplace's view of one order. */
export async function marketplaceOrder(running: RunningStation, orderId: number) {
  const result = await running.mall('GET', `/v1/orders/${orderId}`)
  expect(result.status, result.text.slice(0, 300)).toBe(200)
  return result.body.data
}

/**
 * A new order arrives at the marketplace (own carrier, home delivery, unconfirmed, unless the
 * body says otherwise) and the test waits until the station's mirror has it.
 */
export async function newOrder(running: RunningStation, token: string, body: Record<string, unknown> = {}) {
  const created = await running.mall('POST', '/_sim/orders', { mdp: false, pickup_point: false, ...body })
  expect(created.status, created.text.slice(0, 300)).toBe(201)
  const id = created.body.data.id as number
  return eventually(async () => {
    const result = await running.api('GET', `/api/orders/${id}`, { token })
    return result.status === 200 ? result.body.order : null
  })
}

/** Several new orders at once. */
export async function newOrders(running: RunningStation, token: string, count: number, body: Record<string, unknown> = {}) {
  const orders = []
  for (let i = 0; i < count; i++) orders.push(await newOrder(running, token, body))
  return orders
}

/** Every write the simulated marketplace received. */
export async function simLog(running: RunningStation): Promise<SimLogEntry[]> {
  const result = await running.mall('GET', '/_sim/log')
  expect(result.status).toBe(200)
  return result.body.data as SimLogEntry[]
}

/** The `PUT /v1/orders/{id}` requests the marketplace received for one order (answered or not). */
export async function putsOf(running: RunningStation, orderId: number): Promise<SimLogEntry[]> {
  return (await simLog(running)).filter((entry) => entry.method === 'PUT' && entry.path === `/v1/orders/${orderId}`)
}

/** The status changes the marketplace applied to one order, in the order it applied them. */
export async function appliedPuts(running: RunningStation, orderId: number): Promise<SimLogEntry[]> {
  return (await putsOf(running, orderId)).filter((entry) => entry.status === 200)
}

/** Sets the simulated marketplace's outage mode. */
export async function outage(running: RunningStation, mode: '503' | '429' | 'hang' | 'off'): Promise<void> {
  const result = await running.mall('POST', '/_sim/outage', { mode })
  expect(result.status, result.text).toBe(200)
}

/** The station's health, as a monitor reads it (no token). */
export async function health(running: RunningStation) {
  const result = await running.api('GET', '/api/health')
  expect(result.status).toBe(200)
  return result.body
}

/** Pulls every page of the delta from `since` (or the working set without it). */
export async function pullAll(running: RunningStation, token: string, since: string | null, limit = 5000, test = false) {
  const orders: Record<string, any>[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON as the API sent it
  let cursor = since
  let pages = 0
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit) })
    if (cursor !== null) query.set('since', cursor)
    if (test) query.set('test', '1')
    const result = await running.api('GET', `/api/orders?${query}`, { token })
    expect(result.status, result.text.slice(0, 300)).toBe(200)
    orders.push(...result.body.orders)
    cursor = result.body.cursor as string
    pages++
    if (!result.body.more) return { orders, cursor, pages }
    expect(pages, 'the delta never ends').toBeLessThan(1000)
  }
}

/**
 * The webhook address with the station's secret, as a lead reads it in the settings to paste into
 * the MALL portal; `path` gives it without the origin.
 */
export async function webhookAddress(running: RunningStation): Promise<{ url: string; path: string }> {
  const lead = await running.signIn('lead', '2222', 'webhook-setup')
  const settings = await running.api('GET', '/api/settings', { token: lead })
  expect(settings.status, settings.text.slice(0, 300)).toBe(200)
  const url = settings.body.marketplace_webhook_url as string
  expect(url).toMatch(/\/api\/marketplace\/webhook\?secret=[\w-]{20,}$/)
  const { pathname, search } = new URL(url)
  return { url, path: pathname + search }
}
