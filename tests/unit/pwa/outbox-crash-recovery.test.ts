import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { PickingDatabase } from '../../../src/db/schema.ts'
import { drainOutbox, enqueueStatusChange, recoverInflight } from '../../../src/services/outbox/outbox.ts'
import type { ApiAnswer } from '../../../src/services/api/client.ts'
import { A, B, deferred, fakePlatform, localOrder, ok, outboxRows, putOrders, ScriptedStation, SHIP, stationAfter, stationOrder, until } from './fixtures.ts'

/** A page closed (or crashed) while a change was on its way: the next page sends it again, with the same key, once. */

const name = () => `test-${crypto.randomUUID()}`
const opened: PickingDatabase[] = []

function open(dbName: string): PickingDatabase {
  const db = new PickingDatabase(dbName)
  opened.push(db)
  return db
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

describe('crash recovery', () => {
  it('an in-flight change left by a closed page is sent again with the same key and settled once', async () => {
    const dbName = name()
    const orderA = stationOrder({ id: A, revision: 3 })
    const accepted = { ...stationAfter(orderA, SHIP), synced: true, pending_changes: 0 }

    // Page 1 queues a change and starts sending it; the answer never arrives: the page is closed.
    const page1 = open(dbName)
    await putOrders(page1, orderA, stationOrder({ id: B, revision: 1 }))
    const platform1 = fakePlatform(page1)
    expect(await enqueueStatusChange(platform1, A, SHIP, 'jana')).toBeNull()
    const never = deferred<ApiAnswer>()
    platform1.station.answer(A, () => never.promise)
    void drainOutbox(platform1)
    await until(async () => (await page1.outbox.get(1))?.state === 'inflight')
    page1.close()

    // Page 2 opens the same database and drains: the station sees the same key again.
    const page2 = open(dbName)
    expect(await outboxRows(page2)).toMatchObject([{ key: 'key-1', state: 'inflight', attempts: 1 }])
    // The station answers a key it has seen with its first answer: the order, changed once.
    const station = new ScriptedStation().answer(A, ok(accepted))
    const platform2 = fakePlatform(page2, { station })

    const result = await drainOutbox(platform2)

    expect(result).toEqual({ sent: 1, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(platform1.station.keys).toEqual(['key-1'])
    expect(station.sent).toEqual([{ order_id: A, key: 'key-1', body: SHIP }])
    expect(await page2.outbox.count()).toBe(0)
    expect(await localOrder(page2, A)).toEqual({ ...accepted, sort_at: accepted.status_changed_at, local_pending: 0 })

    // Settled once: a later drain has nothing to send.
    expect(await drainOutbox(platform2)).toEqual({ sent: 0, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(station.sent).toHaveLength(1)
  })

  it('recoverInflight puts the change back in the queue as it was, without making a second one', async () => {
    const db = open(name())
    await putOrders(db, stationOrder({ id: A }))
    const platform = fakePlatform(db)
    await enqueueStatusChange(platform, A, SHIP, 'jana')
    await db.outbox.update(1, { state: 'inflight', attempts: 3, next_at: platform.now() + 60_000 })

    expect(await recoverInflight(db)).toBe(1)

    expect(await outboxRows(db)).toEqual([
      expect.objectContaining({ seq: 1, key: 'key-1', state: 'queued', attempts: 3, next_at: 0, body: SHIP }),
    ])
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipping', local_pending: 1 })
    expect(await recoverInflight(db)).toBe(0)
  })

  it('leaves refused changes alone', async () => {
    const db = open(name())
    await putOrders(db, stationOrder({ id: A }))
    const platform = fakePlatform(db)
    await enqueueStatusChange(platform, A, SHIP, 'jana')
    await db.outbox.update(1, { state: 'conflict' })
    expect(await recoverInflight(db)).toBe(0)
    expect((await db.outbox.get(1))?.state).toBe('conflict')
  })
})
