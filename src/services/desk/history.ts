import type { StationOrder } from '#core/station-api.ts'
import { getMeta, setMeta, type HistoryOrder, type PickingDatabase } from '@/db/schema'
import type { StationApi } from '@/services/api/client'
import { orderDate } from './desk-orders'

/**
 * The desk's copy of every order the station holds (`GET /api/orders/history`), kept in its own
 * table beside the working set so the floor's queue never sees old or test orders. Pulled by
 * cursor like the working set: the whole history once, then only what changed.
 */

export const HISTORY_PAGE_SIZE = 2000
/** Orders read from the device at a time when the desk reads all it holds. */
export const HISTORY_READ_CHUNK = 1000

export async function pullHistory(db: PickingDatabase, api: StationApi, token: string, pageSize = HISTORY_PAGE_SIZE): Promise<number> {
  let cursor = await getMeta('history_cursor', null, db)
  let written = 0
  for (;;) {
    const page = await api.pullHistory(token, cursor, pageSize)
    await db.transaction('rw', db.history, db.meta, async () => {
      if (page.orders.length > 0) await db.history.bulkPut(page.orders.map((order): HistoryOrder => ({ ...order, desk_date: orderDate(order) })))
      await setMeta('history_cursor', page.cursor, db)
    })
    written += page.orders.length
    cursor = page.cursor
    if (!page.more) return written
  }
}

/**
 * Every order the desk shows: the history, with the working set's copy where this tablet has a
 * newer one (its own changes, not yet in the history), so the desk never shows less than the floor.
 */
export async function deskOrders(db: PickingDatabase, chunk = HISTORY_READ_CHUNK): Promise<StationOrder[]> {
  const byId = new Map<number, StationOrder>()
  // In slices by id: no read holds the device's database, or the page, for long (10,000 orders
  // read at once are a third of a second in which nothing else runs, not even a reload). Plain
  // awaits of Dexie's promises: the desk reads this in a live query, which follows them.
  for (let after = -Infinity; ; ) {
    const slice = await db.history.where('id').above(after).limit(chunk).toArray()
    for (const order of slice) byId.set(order.id, order)
    if (slice.length < chunk) break
    after = (slice[slice.length - 1] as StationOrder).id
  }
  for (let after = -Infinity; ; ) {
    const slice = await db.orders.where('id').above(after).limit(chunk).toArray()
    for (const order of slice) {
      const held = byId.get(order.id)
      if (!held || order.revision > held.revision || order.local_pending > 0) byId.set(order.id, order)
    }
    if (slice.length < chunk) break
    after = (slice[slice.length - 1] as StationOrder).id
  }
  return [...byId.values()]
}
