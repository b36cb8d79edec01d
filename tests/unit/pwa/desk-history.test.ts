import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StationOrder } from '#core/station-api.ts'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { orderDate } from '../../../src/services/desk/desk-orders.ts'
import { deskHead, readDeskHeadEarly, takeDeskHead } from '../../../src/services/desk/first-screen.ts'
import { deskOrders, followDeskOrders } from '../../../src/services/desk/history.ts'
import { freshDatabase, putOrders, stationOrder, until } from './fixtures.ts'

/** What the desk reads from the device: its first screen, and every order it holds. */
describe("the desk's orders on the device", () => {
  let db: PickingDatabase
  afterEach(async () => {
    vi.useRealTimers()
    await db.delete()
  })

  /** An order of the history, placed `minute` minutes after 9:00. */
  const placed = (id: number, minute: number, overrides: Partial<StationOrder> = {}): StationOrder => {
    const at = `2024-03-10 ${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`
    return stationOrder({ id, blocked: at, open: at, ...overrides })
  }
  const putHistory = (...orders: StationOrder[]) => db.history.bulkPut(orders.map((order) => ({ ...order, desk_date: orderDate(order) })))

  it('reads every order of the history, slice by slice, with the working copy where it is newer', async () => {
    db = freshDatabase()
    await putHistory(...Array.from({ length: 7 }, (_, i) => placed(100 + i, i, { revision: 3 })))
    // The tablet's own change to 103, not yet in the history; 104 older on the tablet than in the history.
    await putOrders(db, placed(103, 3, { revision: 4, status: 'shipping' }), placed(104, 4, { revision: 2, status: 'cancelled' }), placed(200, 50))
    const orders = await deskOrders(db, 3)
    expect(orders.map((order) => order.id).sort()).toEqual([100, 101, 102, 103, 104, 105, 106, 200])
    expect(orders.find((order) => order.id === 103)?.status).toBe('shipping')
    expect(orders.find((order) => order.id === 104)?.status).toBe('open')
    // A slice size that divides the history exactly reads it all too.
    expect(await deskOrders(db, 7)).toHaveLength(8)
  })

  it('reads the newest orders first for the first screen, test orders left out', async () => {
    db = freshDatabase()
    await putHistory(placed(1, 0), placed(2, 30), placed(3, 10, { test: true }), placed(4, 20), placed(5, 40, { test: true }))
    expect((await deskHead(db, 2)).map((order) => order.id)).toEqual([2, 4])
    // The newest orders are nearly all test orders: the first screen still has its rows.
    await putHistory(...[50, 51, 52, 53].map((minute) => placed(minute, minute, { test: true })))
    expect((await deskHead(db, 2)).map((order) => order.id)).toEqual([2, 4])
    expect((await deskHead(db, 1)).map((order) => order.id)).toEqual([2])
  })

  it('hands the first screen read as the app started to the desk once, and reads it again when it is stale', async () => {
    db = freshDatabase()
    await putHistory(placed(1, 0), placed(2, 30))
    await readDeskHeadEarly(db)
    const first = takeDeskHead(db)
    expect(first.orders?.map((order) => order.id)).toEqual([2, 1])
    // Taken once: the desk opened again reads its rows itself.
    const again = takeDeskHead(db)
    expect(again.orders).toBeNull()
    expect((await again.promise).map((order) => order.id)).toEqual([2, 1])

    // Read at start, but the desk came a minute later (after a sign-in): not taken as it was.
    vi.useFakeTimers({ toFake: ['Date'] })
    await readDeskHeadEarly(db)
    await putHistory(placed(3, 50))
    vi.setSystemTime(Date.now() + 60_000)
    const late = takeDeskHead(db)
    expect(late.orders).toBeNull()
    expect((await late.promise).map((order) => order.id)).toEqual([3, 2, 1])
  })

  it('follows the history and the working set as they change, one read at a time, until stopped', async () => {
    db = freshDatabase()
    await putHistory(placed(1, 0), placed(2, 1))
    const shown: number[][] = []
    const following = followDeskOrders(db, (entries) => shown.push(entries.map((entry) => entry.order.id).sort()))
    await until(() => shown.length === 1)
    expect(shown[0]).toEqual([1, 2])

    // A pull's pages and the floor's sync, written while the desk reads: the last state is shown,
    // and the burst of changes costs no read per change.
    await Promise.all([putHistory(placed(3, 2)), putHistory(placed(4, 3)), putHistory(placed(5, 4)), putOrders(db, placed(6, 5)), putHistory(placed(7, 6))])
    await until(() => shown.at(-1)?.length === 7)
    expect(shown.at(-1)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(shown.length).toBeLessThanOrEqual(4)

    following.stop()
    const before = shown.length
    await putHistory(placed(8, 7))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(shown.length).toBe(before)
  })
})
