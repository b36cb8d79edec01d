import type { StationOrder } from '#core/station-api.ts'
import type { PickingDatabase } from '@/db/schema'

/**
 * The desk's first screen: the newest orders of the history, read by index, so the desk is on the
 * glass before its whole history is read. When the app starts on the desk (a reload, a bookmark),
 * the read starts with the app, beside the session's, and the desk's first render already has its
 * rows. Kept apart from the desk's other code: the app's first download carries it.
 */

/** Rows of the first screen: more than a 1280 px desk shows. */
export const FIRST_SCREEN_ROWS = 40

/** The newest orders of the history, test orders left out. */
export async function deskHead(db: PickingDatabase, limit = FIRST_SCREEN_ROWS): Promise<StationOrder[]> {
  // One read of a little more than the screen, newest first (a filter would make it a cursor,
  // one round trip per order); test orders are few and are left out here.
  const newest = await db.history.orderBy('desk_date').reverse().limit(limit * 2).toArray()
  const shown = newest.filter((order) => !order.test)
  if (shown.length >= limit || newest.length < limit * 2) return shown.slice(0, limit)
  // Mostly test orders among the newest: on through the rest.
  return db.history.orderBy('desk_date').reverse().filter((order) => !order.test).limit(limit).toArray()
}

/** How long a first screen read at start is worth taking (a sign-in may come between). */
const FRESH_MS = 10_000

interface FirstScreenRead {
  promise: Promise<StationOrder[]>
  /** The rows, once read. */
  orders: StationOrder[] | null
  at: number
}

let early: FirstScreenRead | null = null

/**
 * Starts reading the first screen as the app starts on the desk's address; the app mounts once it
 * is read (it is read beside the session, so this costs no wait), and the desk's first render has
 * its rows: one layout, one paint.
 */
export function readDeskHeadEarly(db: PickingDatabase): Promise<void> {
  const read: FirstScreenRead = { promise: deskHead(db), orders: null, at: Date.now() }
  early = read
  return read.promise.then(
    (orders) => {
      read.orders = orders
    },
    () => undefined,
  )
}

/** The desk's first screen: as read when the app started (once, while fresh), or read now. */
export function takeDeskHead(db: PickingDatabase): Pick<FirstScreenRead, 'promise' | 'orders'> {
  const read = early && Date.now() - early.at < FRESH_MS ? early : null
  early = null
  return read ?? { promise: deskHead(db), orders: null }
}
