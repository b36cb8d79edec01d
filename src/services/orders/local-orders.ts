import Dexie from 'dexie'
import type { CatalogueProduct } from '#core/product.ts'
import type { LocalLabels, LocalOrder, LocalProduct, OutboxEntry, PickingDatabase, PickProgress } from '@/db/schema'

/**
 * What the pages read of the tablet's orders, in one place: the queries and the indexes they
 * use live here, not in components.
 */

/** An order with its lines' products (undefined where the catalogue lacks one), or null. */
export async function orderWithProducts(db: PickingDatabase, id: number): Promise<{ order: LocalOrder | null; products: (CatalogueProduct | undefined)[] }> {
  const order = await db.orders.get(id)
  const products = order ? await db.products.bulkGet(order.items.map((i) => i.id)) : []
  return { order: order ?? null, products }
}

/**
 * An order of the desk's history that is not in the working set (finished long ago, or a test
 * order), as the order page shows it: read only.
 */
export async function historyOrderWithProducts(db: PickingDatabase, id: number): Promise<{ order: LocalOrder | null; products: (CatalogueProduct | undefined)[] }> {
  const order = await db.history.get(id)
  if (!order) return { order: null, products: [] }
  const products = await db.products.bulkGet(order.items.map((i) => i.id))
  return { order: { ...order, sort_at: order.status_changed_at, local_pending: 0 }, products }
}

export async function localOrder(db: PickingDatabase, id: number): Promise<LocalOrder | null> {
  return (await db.orders.get(id)) ?? null
}

export async function localOrders(db: PickingDatabase, ids: readonly number[]): Promise<LocalOrder[]> {
  return (await db.orders.bulkGet([...ids])).filter((o): o is LocalOrder => o !== undefined)
}

export async function localProducts(db: PickingDatabase, skus: readonly string[]): Promise<LocalProduct[]> {
  return (await db.products.bulkGet([...skus])).filter((p): p is LocalProduct => p !== undefined)
}

/** The photo of each SKU (null where there is none), in the order asked. */
export async function productPhotos(db: PickingDatabase, skus: readonly string[]): Promise<(string | null)[]> {
  const products = await db.products.bulkGet([...skus])
  return products.map((product) => product?.photo_url ?? null)
}

/** This order's changes in the outbox, oldest first. */
export async function orderOutbox(db: PickingDatabase, id: number): Promise<OutboxEntry[]> {
  return db.outbox.where('order_id').equals(id).toArray()
}

/** The order's picking progress on this tablet, if it has any. */
export async function pickProgress(db: PickingDatabase, id: number): Promise<PickProgress | undefined> {
  return db.picks.get(id)
}

/** The MALL Delivery labels of an order on this tablet, or null. */
export async function localLabels(db: PickingDatabase, id: number): Promise<LocalLabels | null> {
  return (await db.labels.get(id)) ?? null
}

/** A queue tab's first orders, oldest first, read by the [status+sort_at] index. */
export async function tabHead(db: PickingDatabase, status: string, limit: number): Promise<LocalOrder[]> {
  return db.orders.where('[status+sort_at]').between([status, Dexie.minKey], [status, Dexie.maxKey]).limit(limit).toArray()
}

/** Every order id of a queue tab, oldest first, as keys only: 10,000 orders are listed without reading them. */
export async function tabIds(db: PickingDatabase, status: string): Promise<number[]> {
  return (await db.orders.where('[status+sort_at]').between([status, Dexie.minKey], [status, Dexie.maxKey]).primaryKeys()) as number[]
}

export async function countInStatus(db: PickingDatabase, status: string): Promise<number> {
  return db.orders.where('status').equals(status).count()
}

export async function ordersInStatus(db: PickingDatabase, status: string): Promise<LocalOrder[]> {
  return db.orders.where('status').equals(status).toArray()
}

/** The open orders holding a product, oldest first. */
export async function openOrdersWithProduct(db: PickingDatabase, sku: string): Promise<LocalOrder[]> {
  const orders = await db.orders
    .where('status')
    .equals('open')
    .filter((order) => order.items.some((item) => item.id === sku))
    .toArray()
  return orders.sort((a, b) => a.sort_at.localeCompare(b.sort_at))
}
