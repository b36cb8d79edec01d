import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getMeta, type PickingDatabase } from '../../../src/db/schema.ts'
import { ApiError, type StationApi } from '../../../src/services/api/client.ts'
import { enqueueStatusChange } from '../../../src/services/outbox/outbox.ts'
import { pullOrders, writeOrdersPage } from '../../../src/services/sync/pull.ts'
import type { OrdersPage, StationOrder } from '#core/station-api.ts'
import { A, B, C, fakePlatform, freshDatabase, localOrder, problemAnswer, putOrders, stationOrder, TRACKING, type FakePlatform } from './fixtures.ts'

/** The pull brings the station's orders by cursor and merges them with what this tablet has not sent yet. */

const D = 4004

let db: PickingDatabase
let platform: FakePlatform

beforeEach(() => {
  db = freshDatabase()
  platform = fakePlatform(db)
})

afterEach(async () => {
  await db.delete()
})

function page(orders: StationOrder[], cursor: string, more = false): OrdersPage {
  return { orders, cursor, more }
}

/** A station serving pages by cursor; a page may be a failure. */
function fakeStation(pages: Record<string, OrdersPage | Error>) {
  const asked: (string | null)[] = []
  const api = {
    async pullOrders(_token: string, since: string | null, _limit: number): Promise<OrdersPage> {
      asked.push(since)
      const answer = pages[since ?? '']
      if (answer === undefined) throw new Error(`no page after ${since}`)
      if (answer instanceof Error) throw answer
      return structuredClone(answer)
    },
  }
  return { api: api as unknown as StationApi, asked }
}

describe('pullOrders', () => {
  it('the first pull writes the working set page by page and keeps the cursor', async () => {
    const { api, asked } = fakeStation({
      '': page([stationOrder({ id: A }), stationOrder({ id: B })], '10', true),
      '10': page([stationOrder({ id: C, status: 'shipping', status_changed_at: '2024-07-15T07:00:00.000Z' })], '12'),
    })

    expect(await pullOrders(db, api, 'token', 2)).toBe(3)

    expect(asked).toEqual([null, '10'])
    expect((await db.orders.toArray()).map((o) => o.id)).toEqual([A, B, C])
    expect(await localOrder(db, C)).toMatchObject({ status: 'shipping', sort_at: '2024-07-15T07:00:00.000Z', local_pending: 0 })
    expect(await getMeta('orders_cursor', null, db)).toBe('12')
  })

  it('an interrupted pull keeps page 1 and its cursor, and resumes from there', async () => {
    const failing = fakeStation({
      '': page([stationOrder({ id: A }), stationOrder({ id: B })], '10', true),
      '10': new ApiError(problemAnswer(0, 'OFFLINE'), 'The station cannot be reached: check the Wi-Fi.'),
    })
    await expect(pullOrders(db, failing.api, 'token', 2)).rejects.toThrow('The station cannot be reached: check the Wi-Fi.')
    expect(failing.asked).toEqual([null, '10'])
    expect((await db.orders.toArray()).map((o) => o.id)).toEqual([A, B])
    expect(await getMeta('orders_cursor', null, db)).toBe('10')

    const working = fakeStation({
      '10': page([stationOrder({ id: C }), stationOrder({ id: A, revision: 4, status: 'cancelled', cancelled: '2024-07-15 09:00:00' })], '14'),
    })
    expect(await pullOrders(db, working.api, 'token', 2)).toBe(2)
    // The resumed pull starts from page 2, not from the beginning.
    expect(working.asked).toEqual(['10'])
    expect((await db.orders.toArray()).map((o) => [o.id, o.status])).toEqual([
      [A, 'cancelled'],
      [B, 'open'],
      [C, 'open'],
    ])
    expect(await getMeta('orders_cursor', null, db)).toBe('14')
  })
})

describe('writeOrdersPage: merge rules', () => {
  it('never overwrites a change still waiting in the outbox with the station’s older state', async () => {
    await putOrders(db, stationOrder({ id: A, revision: 3 }))
    expect(await enqueueStatusChange(platform, A, { status: 'shipping', confirmed: true }, 'jana')).toBeNull()

    // The station still has it open (it has not got the change yet), even at a newer revision.
    await writeOrdersPage(db, page([stationOrder({ id: A, revision: 3 })], '20'), false)
    await writeOrdersPage(db, page([stationOrder({ id: A, revision: 5, customer: 'Jana Novákova-Svobodová' })], '21'), false)

    expect(await localOrder(db, A)).toMatchObject({ status: 'shipping', confirmed: true, synced: false, local_pending: 1, revision: 3 })
    expect(await getMeta('orders_cursor', null, db)).toBe('21')
  })

  it('keeps an order with a refused change as it is until the packer decides', async () => {
    await putOrders(db, stationOrder({ id: A, revision: 3 }))
    await enqueueStatusChange(platform, A, { status: 'cancelled' }, 'jana')
    await db.outbox.update(1, { state: 'conflict' })
    await writeOrdersPage(db, page([stationOrder({ id: A, revision: 6, status: 'shipping', shipping: '2024-07-15 09:00:00' })], '20'), false)
    expect(await localOrder(db, A)).toMatchObject({ status: 'cancelled', local_pending: 1 })
  })

  it('ignores a station revision lower than the one on the tablet', async () => {
    await putOrders(db, stationOrder({ id: A, revision: 7, status: 'shipped', shipping: '2024-07-15 09:00:00', shipped: '2024-07-15 09:30:00', ...TRACKING }))
    await writeOrdersPage(db, page([stationOrder({ id: A, revision: 6, status: 'shipping', shipping: '2024-07-15 09:00:00' })], '20'), false)
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', revision: 7 })
  })

  it('takes the station’s order at the same or a higher revision', async () => {
    await putOrders(db, stationOrder({ id: A, revision: 7 }), stationOrder({ id: B, revision: 2 }))
    const newerA = stationOrder({ id: A, revision: 8, status: 'cancelled', cancelled: '2024-07-15 09:00:00', confirmed: false, status_changed_at: '2024-07-15T07:00:00.000Z' })
    const sameB = stationOrder({ id: B, revision: 2, synced: false, pending_changes: 1 })
    await writeOrdersPage(db, page([newerA, sameB], '20'), false)
    expect(await localOrder(db, A)).toEqual({ ...newerA, sort_at: '2024-07-15T07:00:00.000Z', local_pending: 0 })
    expect(await localOrder(db, B)).toMatchObject({ synced: false, pending_changes: 1 })
  })

  it('deletes orders that left the working set, unless they have changes waiting', async () => {
    await putOrders(db, stationOrder({ id: A }), stationOrder({ id: B }), stationOrder({ id: C }))
    await enqueueStatusChange(platform, B, { status: 'cancelled' }, 'jana')

    const written = await writeOrdersPage(
      db,
      page(
        [
          stationOrder({ id: A, revision: 9, status: 'delivered', in_working_set: false }),
          stationOrder({ id: B, revision: 9, status: 'blocked', in_working_set: false }),
          // Never on this tablet: nothing to delete, nothing written.
          stationOrder({ id: D, revision: 9, status: 'blocked', in_working_set: false }),
        ],
        '30',
      ),
      false,
    )

    expect(written).toBe(2)
    expect((await db.orders.toArray()).map((o) => [o.id, o.status])).toEqual([
      [B, 'cancelled'],
      [C, 'open'],
    ])
  })

  it('adds a new order of the working set', async () => {
    await putOrders(db, stationOrder({ id: A }))
    await writeOrdersPage(db, page([stationOrder({ id: D, revision: 1 })], '40'), false)
    expect((await db.orders.toArray()).map((o) => o.id)).toEqual([A, D])
  })

  it('writes the page and its cursor together: a failed write keeps the old cursor', async () => {
    await putOrders(db, stationOrder({ id: A }))
    await writeOrdersPage(db, page([], '50'), false)
    db.orders.hook('creating', () => {
      throw new Error('disk full')
    })
    await expect(writeOrdersPage(db, page([stationOrder({ id: D })], '51'), false)).rejects.toThrow()
    expect(await getMeta('orders_cursor', null, db)).toBe('50')
    expect(await db.orders.count()).toBe(1)
  })
})
