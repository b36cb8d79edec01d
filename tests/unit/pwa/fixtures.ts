// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import { PickingDatabase, type LocalOrder, type OutboxChange, type OutboxEntry } from '../../../src/db/schema.ts'
import type { ApiAnswer } from '../../../src/services/api/client.ts'
import type { OutboxPlatform } from '../../../src/services/outbox/outbox.ts'
import { toLocalOrder } from '../../../src/services/outbox/outbox.ts'
import { applyStatusChange, type StatusChange } from '#core/status.ts'
import type { StationOrder } from '#core/station-api.ts'
import type { Problem } from '#core/problem.ts'

/** 2024-07-15 10:00:00 in Prague: the tablet's clock when a test starts. */
export const T0 = Date.UTC(2024, 6, 15, 8, 0, 0)

export const TRACKING = { tracking_number: 'DPD123456789', tracking_url: 'https://tracking.dpd.example/DPD123456789' }

/** An order as the station sends it: a full MALL order with the station's bookkeeping. */
export function stationOrder(overrides: Partial<StationOrder> = {}): StationOrder {
  return {
    id: 10085339302,
    external_id: null,
    purchase_id: 100853393,
    source: 'mallCz',
    customer_id: 1100123456,
    customer: 'Jana Nováková',
    cod: 0,
    payment_type: 'A',
    ship_date: '2024-03-12',
    tracking_number: null,
    tracking_url: null,
    delivered_at: null,
    status: 'open',
    confirmed: true,
    test: false,
    mdp: false,
    mdp_classic: false,
    mdp_spectrum: false,
    blocked: '2024-03-10 09:00:00',
    open: '2024-03-10 09:10:00',
    shipping: null,
    shipped: null,
    delivered: null,
    returned: null,
    cancelled: null,
    lost: null,
    external_order_id: 0,
    currency: 'CZK',
    delivery_price: 79,
    cod_price: 0,
    discount: 0,
    delivery_method: 'DPD',
    delivery_method_id: 10,
    branch_id: null,
    branches: { branch_id: null, secondary_branch_id: null, overridden: false, last_change: null },
    delivery_date: '2024-03-13',
    first_delivery_attempt: null,
    address: {
      customer_id: 1100123456,
      name: 'Jana Nováková',
      company: null,
      phone: '+420777123456',
      email: 'jana.novakova@example.cz',
      street: 'Dlouhá 1',
      city: 'Praha',
      zip: '11000',
      country: 'CZ',
    },
    items: [
      { id: 'KETTLE-17', article_id: 1001, title: 'Electric kettle 1.7 l', quantity: 1, price: 999, vat: 21, commission: 12, serial_numbers: [] },
      { id: '100228', article_id: 1002, title: 'Ceramic mug 350 ml', quantity: 2, price: 189, vat: 21, commission: 12, serial_numbers: [] },
    ],
    ready_to_return: false,
    ulozenka_status_history: [],
    consignment_status_history: [],
    revision: 3,
    status_changed_at: '2024-03-10T08:10:00.000Z',
    synced: true,
    pending_changes: 0,
    conflict: null,
    in_working_set: true,
    claim: null,
    flag: null,
    ...overrides,
  }
}

// ---- the orders the outbox tests change, and the changes ----

export const A = 1001
export const B = 2002
export const C = 3003
/** A, B and C as the station has them, at revisions 3, 8 and 1. */
export const orderA = stationOrder({ id: A, revision: 3 })
export const orderB = stationOrder({ id: B, revision: 8 })
export const orderC = stationOrder({ id: C, revision: 1 })

/** Packed: in shipping, confirmed. */
export const SHIP = { status: 'shipping', confirmed: true } as const
/** Shipped with the own carrier's tracking. */
export const SHIPPED = { status: 'shipped', ...TRACKING } as const

/** The station's order after it took a change: the change applied and the revision one up. */
export function stationAfter(order: StationOrder, change: StatusChange, at = T0): StationOrder {
  return { ...applyStatusChange(order, change, 'seller', at), revision: order.revision + 1, synced: false, pending_changes: 1 }
}

/** A database of its own for each test, on fake-indexeddb; delete it after the test. */
export function freshDatabase(): PickingDatabase {
  return new PickingDatabase(`test-${crypto.randomUUID()}`)
}

export async function putOrders(db: PickingDatabase, ...orders: StationOrder[]): Promise<void> {
  await db.orders.bulkPut(orders.map((order) => toLocalOrder(order)))
}

export async function localOrder(db: PickingDatabase, id: number): Promise<LocalOrder | undefined> {
  return db.orders.get(id)
}

export async function outboxRows(db: PickingDatabase): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('seq').toArray()
}

// ---- answers of the station ----

export function ok(order: StationOrder): ApiAnswer {
  return { status: 200, body: order, retryAfterMs: null }
}

export function offline(error = 'Failed to fetch'): ApiAnswer {
  return { status: 0, body: null, retryAfterMs: null, error }
}

export function problemAnswer(status: number, code: string, extra: Partial<Problem> = {}, retryAfterMs: number | null = null): ApiAnswer {
  return {
    status,
    body: { type: 'about:blank', title: `HTTP ${status}`, status, code, detail: `The station says ${code}.`, ...extra },
    retryAfterMs,
  }
}

// ---- a scripted station and a fake platform ----

export interface SentChange {
  order_id: number
  key: string
  body: StatusChange
}

type Reply = ApiAnswer | ((entry: OutboxEntry) => ApiAnswer | Promise<ApiAnswer>)

/**
 * A station that answers from a script, each order's requests in turn, and records what it was
 * sent. Requests of different orders may overlap (the drain sends in lanes), so replies are per order.
 */
export class ScriptedStation {
  readonly sent: SentChange[] = []
  private readonly replies = new Map<number, Reply[]>()

  answer(orderId: number, ...replies: Reply[]): this {
    this.replies.set(orderId, [...(this.replies.get(orderId) ?? []), ...replies])
    return this
  }

  readonly send = async (entry: OutboxEntry): Promise<ApiAnswer> => {
    this.sent.push({ order_id: entry.order_id, key: entry.key, body: entry.kind === 'status' ? structuredClone(entry.body) : {} })
    const reply = this.replies.get(entry.order_id)?.shift()
    if (reply === undefined) throw new Error(`the station got an unexpected request for order ${entry.order_id} (key ${entry.key})`)
    return typeof reply === 'function' ? reply(entry) : reply
  }

  /** Drops the replies not used yet (the station's situation changed). */
  clearReplies(): void {
    this.replies.clear()
  }

  get keys(): string[] {
    return this.sent.map((change) => change.key)
  }

  /** What one order's requests were, in the order they came. */
  of(orderId: number): SentChange[] {
    return this.sent.filter((change) => change.order_id === orderId)
  }
}

export interface FakePlatform extends OutboxPlatform {
  station: ScriptedStation
  /** Moves the tablet's clock on. */
  advance(ms: number): void
  now(): number
}

export function fakePlatform(db: PickingDatabase, options: { random?: number; locks?: OutboxPlatform['locks']; station?: ScriptedStation } = {}): FakePlatform {
  let now = T0
  let keys = 0
  const station = options.station ?? new ScriptedStation()
  return {
    db,
    station,
    send: station.send,
    locks: options.locks ?? null,
    clock: () => now,
    random: () => options.random ?? 0.5,
    makeKey: () => `key-${++keys}`,
    advance(ms: number) {
      now += ms
    },
    now: () => now,
  }
}

/** A promise with its resolve at hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** Waits until a condition holds, polling the event loop (fake-indexeddb settles on timers). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const start = Date.now()
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 1))
  }
}

/** The status change an outbox entry carries, or undefined for any other kind of entry. */
export function statusBody(entry: OutboxEntry | undefined): OutboxChange | undefined {
  return entry?.kind === 'status' ? entry.body : undefined
}
