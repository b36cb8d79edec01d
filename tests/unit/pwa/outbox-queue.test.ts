import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { enqueueStatusChange } from '../../../src/services/outbox/outbox.ts'
import { T0, TRACKING, fakePlatform, freshDatabase, localOrder, outboxRows, putOrders, stationOrder, statusBody, type FakePlatform } from './fixtures.ts'

/** A packer's status change: applied to the order on the tablet and queued in the outbox, together or not at all. */

const ORDER = 10085339302
let db: PickingDatabase
let platform: FakePlatform

beforeEach(async () => {
  db = freshDatabase()
  platform = fakePlatform(db)
  await putOrders(db, stationOrder({ id: ORDER, status: 'open', confirmed: false, revision: 3 }))
})

afterEach(async () => {
  await db.delete()
})

describe('enqueueStatusChange', () => {
  it('shows the change on the order at once and queues it with a new key', async () => {
    const refusal = await enqueueStatusChange(platform, ORDER, { status: 'shipping', confirmed: true }, 'jana')
    expect(refusal).toBeNull()

    const order = await localOrder(db, ORDER)
    expect(order).toMatchObject({
      status: 'shipping',
      confirmed: true,
      // Marketplace time (Prague, summer) for the status entry time, ISO for the queue's sort key.
      shipping: '2024-07-15 10:00:00',
      status_changed_at: new Date(T0).toISOString(),
      sort_at: new Date(T0).toISOString(),
      synced: false,
      local_pending: 1,
      // The revision is the station's; only its answer moves it.
      revision: 3,
    })
    expect(await outboxRows(db)).toEqual([
      {
        seq: 1,
        order_id: ORDER,
        key: 'key-1',
        kind: 'status',
        body: { status: 'shipping', confirmed: true },
        state: 'queued',
        attempts: 0,
        next_at: 0,
        created_at: new Date(T0).toISOString(),
        user: 'jana',
        last_error: null,
        conflict: null,
      },
    ])
  })

  it('queues a second change of the same order behind the first, with a key of its own', async () => {
    await enqueueStatusChange(platform, ORDER, { status: 'shipping', confirmed: true }, 'jana')
    platform.advance(60_000)
    expect(await enqueueStatusChange(platform, ORDER, { status: 'shipped', ...TRACKING }, 'jana')).toBeNull()

    const rows = await outboxRows(db)
    expect(rows.map((r) => [r.seq, r.key, statusBody(r)?.status])).toEqual([
      [1, 'key-1', 'shipping'],
      [2, 'key-2', 'shipped'],
    ])
    expect(await localOrder(db, ORDER)).toMatchObject({ status: 'shipped', ...TRACKING, local_pending: 2, sort_at: new Date(T0 + 60_000).toISOString() })
  })

  it('a change that keeps the status (confirming only) keeps the order’s place in the queue', async () => {
    expect(await enqueueStatusChange(platform, ORDER, { confirmed: true }, 'jana')).toBeNull()
    const order = await localOrder(db, ORDER)
    expect(order).toMatchObject({ status: 'open', confirmed: true, sort_at: '2024-03-10T08:10:00.000Z', local_pending: 1 })
  })

  it('refuses shipped without tracking with the rule’s sentence, and writes nothing', async () => {
    await enqueueStatusChange(platform, ORDER, { status: 'shipping', confirmed: true }, 'jana')
    const orderBefore = await localOrder(db, ORDER)
    const outboxBefore = await outboxRows(db)

    const refusal = await enqueueStatusChange(platform, ORDER, { status: 'shipped' }, 'jana')
    expect(refusal).toMatchObject({
      code: 'TRACKING_REQUIRED',
      message: 'Enter the parcel’s tracking number and tracking link before marking the order shipped.',
    })
    expect(await localOrder(db, ORDER)).toEqual(orderBefore)
    expect(await outboxRows(db)).toEqual(outboxBefore)
  })

  it('refuses leaving open unconfirmed, and writes nothing', async () => {
    const refusal = await enqueueStatusChange(platform, ORDER, { status: 'shipping' }, 'jana')
    expect(refusal?.code).toBe('CONFIRMATION_REQUIRED')
    expect(await localOrder(db, ORDER)).toMatchObject({ status: 'open', local_pending: 0, synced: true })
    expect(await db.outbox.count()).toBe(0)
  })

  it('refuses a change of an order that is not on the tablet', async () => {
    const refusal = await enqueueStatusChange(platform, 42, { status: 'shipping', confirmed: true }, 'jana')
    expect(refusal).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', message: 'Order 42 is not on this tablet: refresh the orders.' })
    expect(await db.outbox.count()).toBe(0)
    expect(await db.orders.count()).toBe(1)
  })

  it('writes the order and the outbox together: when the order cannot be written, nothing is queued', async () => {
    db.orders.hook('updating', () => {
      throw new Error('disk full')
    })
    db.orders.hook('creating', () => {
      throw new Error('disk full')
    })
    await expect(enqueueStatusChange(platform, ORDER, { status: 'shipping', confirmed: true }, 'jana')).rejects.toThrow('disk full')
    expect(await db.outbox.count()).toBe(0)
  })

  it('writes the order and the outbox together: when the change cannot be queued, the order stays as it was', async () => {
    db.outbox.hook('creating', () => {
      throw new Error('disk full')
    })
    await expect(enqueueStatusChange(platform, ORDER, { status: 'shipping', confirmed: true }, 'jana')).rejects.toThrow('disk full')
    expect(await localOrder(db, ORDER)).toMatchObject({ status: 'open', confirmed: false, local_pending: 0, synced: true })
  })
})
