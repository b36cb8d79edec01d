import type { PickingDatabase } from '@/db/schema'
import { getMeta, productCodes, setMeta } from '@/db/schema'
import type { StationApi } from '@/services/api/client'
import { toLocalOrder } from '@/services/outbox/outbox'
import type { OrdersPage, ProductsPage } from '#core/station-api.ts'

/**
 * Brings the station's changes to the tablet by cursor: the whole working set the first time,
 * then only what changed. Each page is written in one transaction with its cursor, so an
 * interrupted pull resumes where it stopped. An order with changes still in this tablet's outbox
 * keeps its local state: the outbox settles it, an older server state never overwrites it.
 */

export const PAGE_SIZE = 1000

export interface PullResult {
  orders: number
  products: number
}

export async function writeOrdersPage(db: PickingDatabase, page: OrdersPage, firstPull: boolean): Promise<number> {
  return db.transaction('rw', db.orders, db.outbox, db.meta, async () => {
    const pending = new Set((await db.outbox.orderBy('order_id').uniqueKeys()) as number[])
    // On the first pull the table is empty: no need to read before writing.
    const existing = firstPull ? [] : await db.orders.bulkGet(page.orders.map((o) => o.id))
    const puts = []
    const deletes: number[] = []
    for (const [i, order] of page.orders.entries()) {
      if (pending.has(order.id)) continue
      const local = existing[i]
      if (local && local.revision > order.revision) continue
      if (order.in_working_set) puts.push(toLocalOrder(order))
      else deletes.push(order.id)
    }
    if (puts.length > 0) await db.orders.bulkPut(puts)
    if (deletes.length > 0) await db.orders.bulkDelete(deletes)
    await setMeta('orders_cursor', page.cursor, db)
    return puts.length + deletes.length
  })
}

async function writeProductsPage(db: PickingDatabase, page: ProductsPage): Promise<number> {
  return db.transaction('rw', db.products, db.meta, async () => {
    if (page.products.length > 0) await db.products.bulkPut(page.products.map((product) => ({ ...product, codes: productCodes(product) })))
    await setMeta('products_cursor', page.cursor, db)
    return page.products.length
  })
}

export async function pullOrders(db: PickingDatabase, api: StationApi, token: string, pageSize = PAGE_SIZE): Promise<number> {
  const cursor = await getMeta('orders_cursor', null, db)
  const firstPull = cursor === null && (await db.orders.count()) === 0
  let written = 0
  // The next page is fetched while this one is written: the network and IndexedDB overlap.
  let next = prefetch(api.pullOrders(token, cursor, pageSize))
  for (;;) {
    const page = await next
    if (page.more) next = prefetch(api.pullOrders(token, page.cursor, pageSize))
    written += await writeOrdersPage(db, page, firstPull)
    if (!page.more) return written
  }
}

/** A request started ahead: its failure is reported when it is awaited, never as unhandled. */
function prefetch<T>(request: Promise<T>): Promise<T> {
  request.catch(() => undefined)
  return request
}

export async function pullProducts(db: PickingDatabase, api: StationApi, token: string, pageSize = PAGE_SIZE): Promise<number> {
  const cursor = await getMeta('products_cursor', null, db)
  let written = 0
  let next = prefetch(api.pullProducts(token, cursor, pageSize))
  for (;;) {
    const page = await next
    if (page.more) next = prefetch(api.pullProducts(token, page.cursor, pageSize))
    written += await writeProductsPage(db, page)
    if (!page.more) return written
  }
}

export async function pullAll(db: PickingDatabase, api: StationApi, token: string): Promise<PullResult> {
  const products = await pullProducts(db, api, token)
  const orders = await pullOrders(db, api, token)
  return { orders, products }
}
