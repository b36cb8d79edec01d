import type { StationOrder } from '#core/station-api.ts'
import { getMeta, setMeta, type HistoryOrder, type PickingDatabase } from '@/db/schema'
import type { StationApi } from '@/services/api/client'
import { Dexie, type ObservabilitySet } from 'dexie'
import { deskEntriesInSlices, nextTask, orderDate, type DeskEntry } from './desk-orders'

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

/** A read overtaken by a change to what it reads: dropped between two slices. */
const OVERTAKEN = Symbol('overtaken')

/**
 * Every order the desk shows, made into its entries, handed to `show`: read now, and again
 * whenever the history or the working set changes (a pull, the floor's sync, another tab). One
 * read at a time: changes during a read make one more after it, and the read they overtook stops
 * at its next slice, so a pull of 10,000 orders in five pages costs two reads, not five.
 */
export function followDeskOrders(db: PickingDatabase, show: (entries: DeskEntry[]) => void, now: () => number = Date.now): { stop: () => void } {
  const watched = [`idb://${db.name}/history/`, `idb://${db.name}/orders/`]
  let running = false
  let again = false
  let stopped = false
  const pause = async () => {
    await nextTask()
    if (again || stopped) throw OVERTAKEN
  }
  const read = async (): Promise<void> => {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      do {
        again = false
        try {
          const entries = await deskEntriesInSlices(await deskOrders(db), now(), undefined, pause)
          if (!again && !stopped) show(entries)
        } catch (error) {
          if (error !== OVERTAKEN) throw error
        }
      } while (again && !stopped)
    } finally {
      running = false
    }
  }
  const changed = (parts: ObservabilitySet) => {
    if (Object.keys(parts).some((part) => watched.some((table) => part.startsWith(table)))) void read().catch((error: unknown) => console.error('the desk could not read its orders', error))
  }
  Dexie.on('storagemutated', changed)
  void read().catch((error: unknown) => console.error('the desk could not read its orders', error))
  return {
    stop: () => {
      stopped = true
      Dexie.on.storagemutated.unsubscribe(changed)
    },
  }
}
