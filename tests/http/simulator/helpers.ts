import { expect } from 'vitest'
import { formatMallDateTime } from '#core/datetime.ts'
import type { BasicOrder, Order } from '#core/order.ts'
import { checkStatusChange, type StatusChange } from '#core/status.ts'
import type { CallResult, RunningSimulator } from '../../support/simulator.ts'

/**
 * What the HTTP tests of the simulated marketplace share: the contract's key lists and shapes
 * (written out here from mall-orders-api.md, not imported from the code under test), and the
 * few steps many tests take to bring an order where they need it.
 */

export const STATUSES = ['blocked', 'open', 'shipping', 'shipped', 'delivered', 'returned', 'cancelled', 'lost'] as const

/** Every key of a list item (§2.1 and §12). */
export const BASIC_KEYS = [
  'id', 'external_id', 'purchase_id', 'source', 'customer_id', 'customer', 'cod', 'payment_type', 'ship_date',
  'tracking_number', 'tracking_url', 'delivered_at', 'status', 'confirmed', 'test', 'mdp', 'mdp_classic', 'mdp_spectrum',
  ...STATUSES,
] as const

/** Keys only the detail has (§3); a list item must not carry them. */
export const DETAIL_ONLY_KEYS = [
  'external_order_id', 'currency', 'delivery_price', 'cod_price', 'discount', 'delivery_method', 'delivery_method_id',
  'branch_id', 'branches', 'delivery_date', 'first_delivery_attempt', 'address', 'items', 'ready_to_return',
  'ulozenka_status_history', 'consignment_status_history',
] as const

export const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
export const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Every status named, so blocked orders are included too. */
export const ALL_STATUSES_FILTER = `in:${STATUSES.join(',')}`

/** Asserts a success envelope; returns its `data`. */
export function expectOk(response: CallResult, status = 200) {
  expect(response.status, response.text).toBe(status)
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/)
  expect(response.body.result).toEqual({ code: status, status: 'OK' })
  return response.body.data
}

/** Asserts MALL's error envelope (§1.5, §12), optionally with the machine code; returns the body. */
export function expectError(response: CallResult, status: number, code?: string) {
  expect(response.status, response.text).toBe(status)
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/)
  const body = response.body
  expect(body, response.text).toBeTypeOf('object')
  expect(body?.result?.code, `not MALL's error envelope: ${response.text.slice(0, 300)}`).toBe(status)
  expect(status === 429 ? ['ERROR', 'LIMITED'] : ['ERROR']).toContain(body.result.status)
  expect(body.result.message).toBeTypeOf('string')
  expect(body.result.message.length).toBeGreaterThan(0)
  expect(Array.isArray(body.errorCodes)).toBe(true)
  expect(body.errorCodes.length).toBeGreaterThan(0)
  for (const entry of body.errorCodes) {
    expect(entry.errorCode).toBeTypeOf('string')
    expect(entry.errorCode.length).toBeGreaterThan(0)
    expect(entry.message).toBeTypeOf('string')
    // Without an object here the official PHP client crashes instead of raising its exception.
    expect(entry.errorAttributes).toBeTypeOf('object')
    expect(entry.errorAttributes).not.toBeNull()
    expect(Array.isArray(entry.errorAttributes)).toBe(false)
  }
  if (code !== undefined) expect(body.errorCodes[0].errorCode, body.result.message).toBe(code)
  return body
}

/** A client error that is clean: 4xx in MALL's envelope, never a 5xx. */
export function expectCleanClientError(response: CallResult): void {
  expect(response.status, response.text).toBeGreaterThanOrEqual(400)
  expect(response.status, response.text).toBeLessThan(500)
}

/**
 * Asserts the seller's change was refused with `code` and with the very sentence the domain's
 * status rules give for that order and change.
 */
export function expectRefusal(response: CallResult, code: string, order: Order, change: StatusChange, hasLabels = false): void {
  const refusal = checkStatusChange(
    { status: order.status, confirmed: order.confirmed, mdp: order.mdp, has_labels: hasLabels, shipped: order.shipped },
    change,
    'seller',
    Date.now(),
  )
  // The test's own premise: the domain refuses this change with this code.
  expect(refusal?.code).toBe(code)
  const body = expectError(response, 400, code)
  expect(body.result.message).toBe(refusal?.message)
  expect(body.errorCodes[0].message).toBe(refusal?.message)
}

export async function getOrder(sim: RunningSimulator, id: number): Promise<Order> {
  return expectOk(await sim.call('GET', `/v1/orders/${id}`)) as Order
}

/** Every order of the shop, blocked and test ones included, as list items. */
export async function listEverything(sim: RunningSimulator): Promise<BasicOrder[]> {
  const all: BasicOrder[] = []
  for (let page = 1; ; page++) {
    const response = await sim.call('GET', '/v1/orders', { query: { status: ALL_STATUSES_FILTER, test: 1, page_size: 1000, page } })
    const data = expectOk(response) as BasicOrder[]
    all.push(...data)
    if (page >= response.body.paging.pages) return all
  }
}

/** Ids of a list answer, in the order given. */
export async function listIds(sim: RunningSimulator, query: Record<string, string | number>): Promise<number[]> {
  const response = await sim.call('GET', '/v1/orders', { query: { page_size: 1000, ...query } })
  return (expectOk(response) as BasicOrder[]).map((order) => order.id)
}

/** Fetches many details at a time, politely in small batches. */
export async function getOrders(sim: RunningSimulator, ids: readonly number[]): Promise<Order[]> {
  const orders: Order[] = []
  for (let i = 0; i < ids.length; i += 16) {
    orders.push(...(await Promise.all(ids.slice(i, i + 16).map((id) => getOrder(sim, id)))))
  }
  return orders
}

export interface NewOrder {
  status?: 'open' | 'blocked'
  items?: { id: string; quantity: number }[]
  cod?: boolean
  mdp?: boolean
  pickup_point?: boolean
  test?: boolean
  discount?: number
}

/** A new order through the control API (open and unconfirmed unless asked otherwise). */
export async function createOrder(sim: RunningSimulator, body: NewOrder = {}): Promise<Order> {
  const response = await sim.call('POST', '/_sim/orders', { body })
  expect(response.status, response.text).toBe(201)
  expect(response.body.result.status).toBe('OK')
  return response.body.data as Order
}

export async function put(sim: RunningSimulator, id: number, body: unknown): Promise<CallResult> {
  return sim.call('PUT', `/v1/orders/${id}`, { body })
}

/** Asserts the PUT answered exactly MALL's bare success body. */
export function expectPutOk(response: CallResult): void {
  expect(response.status, response.text).toBe(200)
  expect(response.body).toEqual({ result: { code: 200, status: 'OK' } })
}

export function trackingFor(id: number) {
  return { tracking_number: `PPL${id}`, tracking_url: `https://tracking.example/PPL${id}` }
}

/** Confirms the order and moves it to shipping. */
export async function toShipping(sim: RunningSimulator, id: number): Promise<void> {
  expectPutOk(await put(sim, id, { confirmed: true, status: 'shipping' }))
}

export async function requestLabels(sim: RunningSimulator, labels: { order_id: number; parcel_count: number }[], labelsType: 'pdf' | 'zpl' = 'zpl') {
  return sim.call('POST', '/v1/orders/labels', { body: { labels_type: labelsType, first_position: 1, labels_per_page: 4, labels } })
}

/** A new order brought to shipped: own carrier with tracking, MALL Delivery through its labels. */
export async function shippedOrder(sim: RunningSimulator, options: { mdp: boolean }): Promise<Order> {
  const order = await createOrder(sim, { mdp: options.mdp, pickup_point: false })
  await toShipping(sim, order.id)
  if (options.mdp) {
    expectOk(await requestLabels(sim, [{ order_id: order.id, parcel_count: 1 }]))
    expectPutOk(await put(sim, order.id, { status: 'shipped' }))
  } else {
    expectPutOk(await put(sim, order.id, { status: 'shipped', ...trackingFor(order.id) }))
  }
  return getOrder(sim, order.id)
}

/** Now as the marketplace writes it (`YYYY-MM-DD HH:MM:SS`, Prague time). */
export function mallNow(offsetMs = 0): string {
  return formatMallDateTime(Date.now() + offsetMs)
}

/** Polls until `check` returns a value other than undefined, or fails at the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 3000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** One write the simulator received, as `GET /_sim/log` lists it; `status` null when it never answered. */
export interface SimLogEntry {
  seq: number
  method: string
  path: string
  body: { status?: string; [key: string]: unknown }
  status: number | null
}

/** The writes the simulator received after `after` (a `seq`), oldest first. */
export async function simLog(sim: RunningSimulator, after = 0): Promise<SimLogEntry[]> {
  return expectOk(await sim.call('GET', '/_sim/log', { query: { after } })) as SimLogEntry[]
}

/** The `seq` of the last write logged so far (0 when none). */
export async function lastLogSeq(sim: RunningSimulator): Promise<number> {
  return Math.max(0, ...(await simLog(sim)).map((entry) => entry.seq))
}
