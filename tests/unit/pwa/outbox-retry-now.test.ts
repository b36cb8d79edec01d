import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { PickingDatabase, StatusEntry } from '../../../src/db/schema.ts'
import { drainOutbox, enqueueStatusChange, retryNow } from '../../../src/services/outbox/outbox.ts'
import { fakePlatform, freshDatabase, ok, offline, outboxRows, putOrders, stationAfter, stationOrder } from './fixtures.ts'

/** Refresh, or the Wi-Fi coming back: a change waiting out its backoff is tried at once, with its key. */
describe('retryNow', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  it('makes a change in backoff due now, and the next drain sends it with the same key', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 7 })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    expect(await enqueueStatusChange(platform, 7, { status: 'shipping', confirmed: true }, 'picker')).toBeNull()
    platform.station.answer(7, offline(), ok(stationAfter(order, { status: 'shipping', confirmed: true })))

    const first = await drainOutbox(platform)
    expect(first.sent).toBe(0)
    expect(first.nextAt).toBeGreaterThan(platform.now())
    // Without retryNow nothing is due yet: the drain sends nothing.
    expect((await drainOutbox(platform)).sent).toBe(0)
    expect(platform.station.sent).toHaveLength(1)

    expect(await retryNow(db)).toBe(1)
    expect((await drainOutbox(platform)).sent).toBe(1)
    expect(platform.station.keys).toEqual(['key-1', 'key-1'])
    expect(await outboxRows(db)).toEqual([])
  })

  it('leaves refused changes alone: they wait for a person', async () => {
    db = freshDatabase()
    await putOrders(db, stationOrder({ id: 8 }))
    const refused: StatusEntry = {
      order_id: 8, key: 'k', kind: 'status', body: { status: 'shipping' }, state: 'conflict', attempts: 1, next_at: 0,
      created_at: new Date(0).toISOString(), user: 'picker', last_error: 'refused', conflict: null,
    }
    await db.outbox.add(refused)
    expect(await retryNow(db)).toBe(0)
  })
})
