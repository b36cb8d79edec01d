import { PickingDatabase, type LocalOrder, type OutboxEntry, type StatusEntry } from '@/db/schema'
import type { OrdersPage, StationOrder } from '#core/station-api.ts'
import { StationApi } from '@/services/api/client'
import { drainOutbox, enqueueStatusChange, toLocalOrder } from '@/services/outbox/outbox'
import { pullOrders, writeOrdersPage } from '@/services/sync/pull'
import { DEFAULT_FILTER, deskEntries, deskView } from '@/services/desk/desk-orders'
import { ordersXlsx } from '@/services/desk/exports'

/**
 * The PWA's own services, driven in Chromium by bench/pwa.bench.ts: the same code the app runs,
 * measured on a real IndexedDB.
 */

const api = new StationApi()

async function signIn(): Promise<string> {
  const signedIn = await api.signIn('picker', '1111', 'bench-tablet')
  return signedIn.token
}

async function fetchAllPages(token: string): Promise<OrdersPage[]> {
  const pages: OrdersPage[] = []
  let cursor: string | null = null
  for (;;) {
    const page = await api.pullOrders(token, cursor, 1000)
    pages.push(page)
    cursor = page.cursor
    if (!page.more) return pages
  }
}

/** Writes the same records with the bare IndexedDB API: one transaction per page, one put each. */
async function rawWrite(name: string, records: LocalOrder[][]): Promise<void> {
  const database = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1)
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore('orders', { keyPath: 'id' })
      // The same indexes the app's table has, so both sides maintain the same structures.
      store.createIndex('status', 'status')
      store.createIndex('status_sort', ['status', 'sort_at'])
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  for (const page of records) {
    await new Promise<void>((resolve, reject) => {
      const tx = database.transaction('orders', 'readwrite')
      const store = tx.objectStore('orders')
      for (const record of page) store.put(record)
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
  }
  database.close()
}

async function freshDb(name: string, durability: 'strict' | 'relaxed' = 'strict'): Promise<PickingDatabase> {
  const database = new PickingDatabase(name, durability)
  await database.delete()
  await database.open()
  return database
}

/** What a lead types into the desk's search, one keystroke at a time: a name, an e-mail, a phone, a SKU. */
const TYPED = ['nováková', 'jan.novak@', '+420 777', 'SKU-0', '1008']

const bench = {
  /** Loads the chunks fetched on demand while the page's files are still served (see pwa.bench.ts). */
  async warm(): Promise<void> {
    await import('write-excel-file/browser')
  },

  /**
   * The desk over the station's whole history: each keystroke of the searches above filters and
   * sorts every order (the time of each), and the xlsx export of 10,000 orders.
   */
  async desk(): Promise<{ searched: number; exported: number; keystrokes: number[]; buildMs: number; xlsxMs: number; xlsxBytes: number }> {
    const token = await signIn()
    const orders: StationOrder[] = []
    let cursor: string | null = null
    for (;;) {
      const page = await api.pullHistory(token, cursor, 5000)
      orders.push(...page.orders)
      cursor = page.cursor
      if (!page.more) break
    }
    const now = Date.now()
    let started = performance.now()
    const entries = deskEntries(orders, now)
    const buildMs = performance.now() - started
    const keystrokes: number[] = []
    for (const text of TYPED) {
      for (let i = 1; i <= text.length; i++) {
        started = performance.now()
        deskView(entries, { ...DEFAULT_FILTER, q: text.slice(0, i) }, now)
        keystrokes.push(performance.now() - started)
      }
    }
    const wanted = deskView(entries, { ...DEFAULT_FILTER, test: 'include' }, now).entries.slice(0, 10_000)
    started = performance.now()
    // The headers as catalogue keys: 20 look-ups cost nothing beside 10,000 rows.
    const xlsx = await ordersXlsx(wanted, (key) => key)
    const xlsxMs = performance.now() - started
    return { searched: entries.length, exported: wanted.length, keystrokes, buildMs, xlsxMs, xlsxBytes: xlsx.size }
  },


  /** A full first pull of the working set through the app's pull service, network included. */
  async pull(): Promise<{ ms: number; orders: number }> {
    const token = await signIn()
    const database = await freshDb(`bench-pull-${Date.now()}`)
    const started = performance.now()
    await pullOrders(database, api, token)
    const ms = performance.now() - started
    const orders = await database.orders.count()
    database.close()
    return { ms, orders }
  },

  /** The write side alone, app path against bare IndexedDB, on the same pages fetched beforehand. */
  async writeComparison(rounds: number): Promise<{ appMs: number; rawMs: number; records: number }> {
    const token = await signIn()
    const pages = await fetchAllPages(token)
    const records = pages.map((page) => page.orders.map((order: StationOrder) => toLocalOrder(order)))
    let appMs = Number.POSITIVE_INFINITY
    let rawMs = Number.POSITIVE_INFINITY
    // Best of several alternating rounds: the figure of each side least disturbed by the machine.
    for (let round = 0; round < rounds; round++) {
      const database = await freshDb(`bench-app-${round}`)
      let started = performance.now()
      for (const page of pages) await writeOrdersPage(database, page, true)
      appMs = Math.min(appMs, performance.now() - started)
      database.close()
      await new PickingDatabase(`bench-app-${round}`).delete()

      const rawName = `bench-raw-${round}`
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(rawName)
        request.onsuccess = request.onerror = resolve
      })
      started = performance.now()
      await rawWrite(rawName, records)
      rawMs = Math.min(rawMs, performance.now() - started)
      indexedDB.deleteDatabase(rawName)
    }
    return { appMs, rawMs, records: records.flat().length }
  },

  /** Queues changes offline-style, then times the drain of all of them to the station. */
  async drain(count: number): Promise<{ ms: number; sent: number; left: number }> {
    const token = await signIn()
    const database = await freshDb(`bench-drain-${Date.now()}`)
    await pullOrders(database, api, token)
    const ids = (await database.orders.where('status').equals('open').primaryKeys()).slice(0, count) as number[]
    let key = 0
    const platform = {
      db: database,
      clock: () => Date.now(),
      random: Math.random,
      makeKey: () => `bench-${Date.now()}-${key++}`,
      locks: navigator.locks,
      send: async (entry: OutboxEntry) => {
        if (entry.kind !== 'status') throw new Error('The drain bench queues status changes only.')
        return api.changeStatus(token, entry.order_id, entry.body, entry.key, 'bench-tablet')
      },
      // As the app's sync store sends them: status changes in batches of up to 100.
      sendBatch: (entries: StatusEntry[]) => api.sendChanges(token, entries.map((e) => ({ order_id: e.order_id, key: e.key, body: e.body })), 'bench-tablet'),
    }
    for (const id of ids) {
      const refusal = await enqueueStatusChange(platform, id, { status: 'shipping', confirmed: true }, 'picker')
      if (refusal) throw new Error(refusal.message)
    }
    const started = performance.now()
    let sent = 0
    for (;;) {
      const result = await drainOutbox(platform)
      sent += result.sent
      if (result.nextAt === null) break
    }
    const ms = performance.now() - started
    const left = await database.outbox.count()
    database.close()
    return { ms, sent, left }
  },

  /**
   * What strict durability costs a packer: the time to queue one change (the order and the outbox
   * in one transaction), on a strict database and on a relaxed one, best of `rounds`.
   */
  async queueDurability(count: number, rounds: number): Promise<{ strictMs: number; relaxedMs: number }> {
    const token = await signIn()
    const pages = await fetchAllPages(token)
    const orders = pages.flatMap((page) => page.orders).filter((order) => order.status === 'open').slice(0, count)
    const perChange = { strict: Number.POSITIVE_INFINITY, relaxed: Number.POSITIVE_INFINITY }
    for (let round = 0; round < rounds; round++) {
      for (const durability of ['strict', 'relaxed'] as const) {
        const database = await freshDb(`bench-durability-${durability}-${round}`, durability)
        await database.orders.bulkPut(orders.map((order) => toLocalOrder(order)))
        let key = 0
        const platform = { db: database, clock: () => Date.now(), makeKey: () => `durability-${key++}` }
        const started = performance.now()
        for (const order of orders) await enqueueStatusChange(platform, order.id, { status: 'shipping', confirmed: true }, 'picker')
        perChange[durability] = Math.min(perChange[durability], (performance.now() - started) / orders.length)
        database.close()
        await database.delete()
      }
    }
    return { strictMs: perChange.strict, relaxedMs: perChange.relaxed }
  },
}

;(window as unknown as { bench: typeof bench }).bench = bench
document.body.dataset.ready = 'true'
