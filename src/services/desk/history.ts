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
export async function deskOrders(db: PickingDatabase): Promise<StationOrder[]> {
  const [history, working] = await Promise.all([db.history.toArray(), db.orders.toArray()])
  const byId = new Map<number, StationOrder>(history.map((order) => [order.id, order]))
  for (const order of working) {
    const held = byId.get(order.id)
    if (!held || order.revision > held.revision || order.local_pending > 0) byId.set(order.id, order)
  }
  return [...byId.values()]
}

/**
 * The newest orders of the history (test orders left out), read by index: the desk's first screen
 * is on the glass before the whole history has been read.
 */
export async function deskHead(db: PickingDatabase, limit: number): Promise<StationOrder[]> {
  return db.history.orderBy('desk_date').reverse().filter((order) => !order.test).limit(limit).toArray()
}
