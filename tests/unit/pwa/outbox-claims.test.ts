import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { discardConflict, drainOutbox, enqueueClaim, enqueueFlag, enqueueStatusChange } from '../../../src/services/outbox/outbox.ts'
import { fakePlatform, freshDatabase, localOrder, ok, outboxRows, problemAnswer, putOrders, stationOrder } from './fixtures.ts'

/** Starting an order claims it; a claim made offline is provisional until the station answers. */
describe('claims from the tablet', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  it('shows the claim at once, queues it once, and takes the station’s claim when it answers', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 5 })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    await enqueueClaim(platform, 5, 'picker', 'tablet-1')
    await enqueueClaim(platform, 5, 'picker', 'tablet-1')
    expect((await outboxRows(db)).map((e) => [e.kind, e.key])).toEqual([['claim', 'key-1']])
    expect((await localOrder(db, 5))?.claim).toMatchObject({ user: 'picker', device_id: 'tablet-1' })

    const claimed = { ...order, claim: { user: 'picker', device_id: 'tablet-1', claimed_at: '2024-07-15T08:00:00.000Z', until: '2024-07-15T08:30:00.000Z' } }
    platform.station.answer(5, ok(claimed))
    expect((await drainOutbox(platform)).sent).toBe(1)
    expect(await outboxRows(db)).toEqual([])
    expect((await localOrder(db, 5))?.claim).toEqual(claimed.claim)
  })

  it('turns a claim another packer got first into a conflict, holding back this tablet’s changes of that order', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 6 })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    await enqueueClaim(platform, 6, 'picker', 'tablet-1')
    expect(await enqueueStatusChange(platform, 6, { status: 'shipping', confirmed: true }, 'picker')).toBeNull()
    const theirs = { ...order, claim: { user: 'lead', device_id: 'tablet-2', claimed_at: '2024-07-15T07:59:00.000Z', until: '2024-07-15T08:29:00.000Z' } }
    platform.station.answer(6, problemAnswer(409, 'ORDER_CLAIMED', { detail: 'Order 6 is already being packed by lead on tablet-2 (until 08:29 UTC): take another order, or ask them.', order: theirs }))

    await drainOutbox(platform)
    const rows = await outboxRows(db)
    expect(rows.map((e) => [e.kind, e.state])).toEqual([
      ['claim', 'conflict'],
      ['status', 'queued'],
    ])
    expect(rows[0]?.conflict?.detail).toMatch(/already being packed by lead on tablet-2/)
    // Only the claim went out: the packing waits until the packer decides.
    expect(platform.station.sent.map((s) => s.key)).toEqual(['key-1'])
    expect((await localOrder(db, 6))?.claim?.user).toBe('lead')
  })
})

describe('problems reported from the tablet', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  it('shows a short pick at once, keeps the order open, and sends it, then its clearing, in order', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 9 })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    await enqueueFlag(platform, 9, { reason: 'out_of_stock', sku: 'KETTLE-17', note: 'shelf empty' }, 'picker', 'tablet-1')
    expect(await localOrder(db, 9)).toMatchObject({ status: 'open', flag: { reason: 'out_of_stock', sku: 'KETTLE-17', user: 'picker' } })
    await enqueueFlag(platform, 9, null, 'picker', 'tablet-1')
    expect((await localOrder(db, 9))?.flag).toBeNull()
    expect((await outboxRows(db)).map((e) => [e.kind, e.kind === 'flag' ? e.flag.reason : null])).toEqual([
      ['flag', 'out_of_stock'],
      ['unflag', null],
    ])
    platform.station.answer(9, ok({ ...order, flag: { reason: 'out_of_stock', sku: 'KETTLE-17', note: 'shelf empty', user: 'picker', device_id: 'tablet-1', flagged_at: 'x' } }), ok(order))
    expect((await drainOutbox(platform)).sent).toBe(2)
    expect(platform.station.sent.map((s) => s.key)).toEqual(['key-1', 'key-2'])
    expect((await localOrder(db, 9))?.flag).toBeNull()
  })
})

describe('discarding a refused claim', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  it('drops only the claim: the packing confirmed behind it is still sent', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 11 })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    await enqueueClaim(platform, 11, 'picker', 'tablet-1')
    expect(await enqueueStatusChange(platform, 11, { status: 'shipping', confirmed: true }, 'picker')).toBeNull()
    const theirs = { ...order, claim: { user: 'lead', device_id: 'tablet-2', claimed_at: 'x', until: '2099-01-01T00:00:00.000Z' } }
    platform.station.answer(11, problemAnswer(409, 'ORDER_CLAIMED', { detail: 'Order 11 is already being packed by lead.', order: theirs }))
    await drainOutbox(platform)
    const [claim] = await outboxRows(db)
    expect(claim).toMatchObject({ kind: 'claim', state: 'conflict' })

    await discardConflict(db, claim?.seq as number)
    expect((await outboxRows(db)).map((e) => [e.kind, e.state])).toEqual([['status', 'queued']])
    // The tablet still shows its own change until the station has it.
    expect((await localOrder(db, 11))?.status).toBe('shipping')
    platform.station.answer(11, ok({ ...theirs, status: 'shipping', confirmed: true }))
    expect((await drainOutbox(platform)).sent).toBe(1)
    expect(platform.station.sent.map((s) => s.key)).toEqual(['key-1', 'key-2'])
  })
})
