import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { OutboxEntry, PickingDatabase } from '../../../src/db/schema.ts'
import type { ApiAnswer } from '../../../src/services/api/client.ts'
import { drainOutbox, enqueueClaim, enqueueStatusChange, MAX_BATCH } from '../../../src/services/outbox/outbox.ts'
import {
  fakePlatform,
  freshDatabase,
  localOrder,
  offline,
  ok,
  outboxRows,
  problemAnswer,
  putOrders,
  stationAfter,
  stationOrder,
  type FakePlatform,
} from './fixtures.ts'

/**
 * The outbox drains in batches (`POST /api/changes`): the status changes at the head of up to 100
 * orders go in one request, each with the key it was given when it was made, and each answer
 * settles its own change. An order's changes still go in the order they were made.
 */

interface BatchPlatform extends FakePlatform {
  /** The keys of each batch sent, in order. */
  batches: string[][]
}

/** The scripted station, reached through the batch call: each change answered by its order's script. */
function batchPlatform(db: PickingDatabase, whole?: (entries: OutboxEntry[]) => ApiAnswer | null): BatchPlatform {
  const platform = fakePlatform(db) as BatchPlatform
  platform.batches = []
  platform.sendBatch = async (entries) => {
    platform.batches.push(entries.map((entry) => entry.key))
    const failed = whole?.(entries) ?? null
    if (failed) return failed
    return Promise.all(entries.map((entry) => platform.station.send(entry)))
  }
  return platform
}

const SHIPPING = { status: 'shipping', confirmed: true } as const

describe('draining in batches', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  it('sends the heads of many orders in one request, each with its own key, and settles each', async () => {
    db = freshDatabase()
    const orders = [1, 2, 3].map((id) => stationOrder({ id }))
    await putOrders(db, ...orders)
    const platform = batchPlatform(db)
    for (const order of orders) {
      await enqueueStatusChange(platform, order.id, SHIPPING, 'picker')
      platform.station.answer(order.id, ok(stationAfter(order, SHIPPING)))
    }
    const result = await drainOutbox(platform)
    expect(result.sent).toBe(3)
    expect(platform.batches).toEqual([['key-1', 'key-2', 'key-3']])
    expect(await outboxRows(db)).toEqual([])
    for (const order of orders) {
      expect(await localOrder(db, order.id)).toMatchObject({ status: 'shipping', synced: false, local_pending: 0, revision: stationAfter(order, SHIPPING).revision })
    }
  })

  it('keeps each order’s changes in the order they were made: one per order in each batch', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 4 })
    await putOrders(db, order)
    const platform = batchPlatform(db)
    const shipped = { status: 'shipped', tracking_number: 'T4', tracking_url: 'https://t.example/T4' } as const
    await enqueueStatusChange(platform, 4, SHIPPING, 'picker')
    await enqueueStatusChange(platform, 4, shipped, 'picker')
    const packed = stationAfter(order, SHIPPING)
    platform.station.answer(4, ok(packed), ok(stationAfter(packed, shipped)))
    expect((await drainOutbox(platform)).sent).toBe(2)
    expect(platform.batches).toEqual([['key-1'], ['key-2']])
    expect(platform.station.of(4).map((change) => change.body.status)).toEqual(['shipping', 'shipped'])
  })

  it('takes at most 100 changes in one request', async () => {
    db = freshDatabase()
    const orders = Array.from({ length: MAX_BATCH + 5 }, (_, i) => stationOrder({ id: 100 + i }))
    await putOrders(db, ...orders)
    const platform = batchPlatform(db)
    for (const order of orders) {
      await enqueueStatusChange(platform, order.id, SHIPPING, 'picker')
      platform.station.answer(order.id, ok(stationAfter(order, SHIPPING)))
    }
    expect((await drainOutbox(platform)).sent).toBe(MAX_BATCH + 5)
    expect(platform.batches.map((batch) => batch.length)).toEqual([MAX_BATCH, 5])
  })

  it('settles a conflict on its own, and the changes the station took beside it', async () => {
    db = freshDatabase()
    const [open, cancelled] = [stationOrder({ id: 5 }), stationOrder({ id: 6 })]
    await putOrders(db, open, cancelled)
    const platform = batchPlatform(db)
    await enqueueStatusChange(platform, 5, SHIPPING, 'picker')
    await enqueueStatusChange(platform, 6, SHIPPING, 'picker')
    platform.station.answer(5, ok(stationAfter(open, SHIPPING)))
    platform.station.answer(6, problemAnswer(409, 'ORDER_FINAL', { order: { ...cancelled, status: 'cancelled', revision: 2 } }))
    expect((await drainOutbox(platform)).sent).toBe(1)
    expect((await outboxRows(db)).map((entry) => [entry.order_id, entry.state])).toEqual([[6, 'conflict']])
    expect((await localOrder(db, 6))?.status).toBe('cancelled')
    expect((await localOrder(db, 5))?.status).toBe('shipping')
  })

  it('keeps every change when the request gets no answer, and sends them again with the same keys', async () => {
    db = freshDatabase()
    const orders = [7, 8].map((id) => stationOrder({ id }))
    await putOrders(db, ...orders)
    let down = true
    const platform = batchPlatform(db, () => (down ? offline() : null))
    for (const order of orders) await enqueueStatusChange(platform, order.id, SHIPPING, 'picker')
    const first = await drainOutbox(platform)
    expect(first.sent).toBe(0)
    expect(first.nextAt).not.toBeNull()
    expect((await outboxRows(db)).map((entry) => [entry.key, entry.state, entry.attempts])).toEqual([
      ['key-1', 'queued', 1],
      ['key-2', 'queued', 1],
    ])

    down = false
    for (const order of orders) platform.station.answer(order.id, ok(stationAfter(order, SHIPPING)))
    platform.advance(60_000)
    expect((await drainOutbox(platform)).sent).toBe(2)
    expect(platform.batches).toEqual([
      ['key-1', 'key-2'],
      ['key-1', 'key-2'],
    ])
  })

  it('sends one by one to a station that has no batch call', async () => {
    db = freshDatabase()
    const orders = [9, 10].map((id) => stationOrder({ id }))
    await putOrders(db, ...orders)
    const platform = batchPlatform(db, () => problemAnswer(404, 'NOT_FOUND'))
    for (const order of orders) {
      await enqueueStatusChange(platform, order.id, SHIPPING, 'picker')
      platform.station.answer(order.id, ok(stationAfter(order, SHIPPING)))
    }
    expect((await drainOutbox(platform)).sent).toBe(2)
    expect(platform.station.keys.sort()).toEqual(['key-1', 'key-2'])
    expect(await outboxRows(db)).toEqual([])
  })

  it('sends a claim at an order’s head on its own, then the packing behind it in a batch', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 11 })
    await putOrders(db, order)
    const platform = batchPlatform(db)
    await enqueueClaim(platform, 11, 'picker', 'tablet-1')
    await enqueueStatusChange(platform, 11, SHIPPING, 'picker')
    const claimed = { ...order, claim: { user: 'picker', device_id: 'tablet-1', claimed_at: '2024-07-15T08:00:00.000Z', until: '2024-07-15T08:30:00.000Z' } }
    platform.station.answer(11, ok(claimed), ok(stationAfter(claimed, SHIPPING)))
    // The claim goes first, on its own; the packing then heads the order and goes in a batch.
    expect((await drainOutbox(platform)).sent).toBe(2)
    expect(platform.batches).toEqual([['key-2']])
    expect(platform.station.keys).toEqual(['key-1', 'key-2'])
  })
})
