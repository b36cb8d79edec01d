import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { discardConflict, drainOutbox, enqueueStatusChange, reapplyConflict } from '../../../src/services/outbox/outbox.ts'
import {
  A,
  B,
  C,
  fakePlatform,
  freshDatabase,
  localOrder,
  ok,
  orderA,
  orderB,
  orderC,
  outboxRows,
  problemAnswer,
  putOrders,
  SHIP,
  SHIPPED,
  stationAfter,
  stationOrder,
  statusBody,
  TRACKING,
  type FakePlatform,
} from './fixtures.ts'

/** A change the station refuses is shown to the packer with the station's order; a person discards it or applies it again. */

const CANCELLED_SENTENCE = 'This order was cancelled, which is final: do not ship it; put its items back on the shelf.'

let db: PickingDatabase
let platform: FakePlatform

/** Order A as the station has it now: the customer cancelled it meanwhile. */
const cancelledA = stationOrder({ id: A, revision: 4, status: 'cancelled', cancelled: '2024-07-15 09:55:00', confirmed: false })

beforeEach(async () => {
  db = freshDatabase()
  platform = fakePlatform(db)
  await putOrders(db, orderA, orderB, orderC)
})

afterEach(async () => {
  await db.delete()
})

async function change(orderId: number, body: Parameters<typeof enqueueStatusChange>[2]): Promise<void> {
  expect(await enqueueStatusChange(platform, orderId, body, 'jana')).toBeNull()
}

/** A1 shipping, A2 shipped, B1 shipping; the station refuses A1 because the order was cancelled. */
async function cancelledUpstream(): Promise<number> {
  await change(A, SHIP)
  await change(A, SHIPPED)
  await change(B, SHIP)
  platform.station.answer(A, problemAnswer(409, 'ORDER_FINAL', { detail: CANCELLED_SENTENCE, order: cancelledA })).answer(B, ok(stationAfter(orderB, SHIP)))
  await drainOutbox(platform)
  const [head] = await outboxRows(db)
  return head!.seq!
}

describe('a conflict', () => {
  it('is kept with the station’s problem, and the order shows as the station has it', async () => {
    await cancelledUpstream()

    const rows = await outboxRows(db)
    expect(rows.map((r) => [r.order_id, r.key, r.state])).toEqual([
      [A, 'key-1', 'conflict'],
      [A, 'key-2', 'queued'],
    ])
    expect(rows[0]!.conflict).toMatchObject({ status: 409, code: 'ORDER_FINAL', detail: CANCELLED_SENTENCE, order: cancelledA })
    expect(rows[0]!.last_error).toBe(CANCELLED_SENTENCE)
    // The packer sees the order cancelled (not "shipped"), with two changes of theirs still held.
    expect(await localOrder(db, A)).toMatchObject({ status: 'cancelled', revision: 4, local_pending: 2 })
  })

  it('holds back the later changes of its order, and never blocks another order', async () => {
    await cancelledUpstream()
    expect(platform.station.of(A).map((s) => s.key)).toEqual(['key-1'])
    expect(platform.station.of(B).map((s) => s.key)).toEqual(['key-3'])
    expect(platform.station.sent).toHaveLength(2)
    expect(await localOrder(db, B)).toMatchObject({ status: 'shipping', revision: 9, local_pending: 0 })

    // Later drains send other orders' changes but nothing of A, however long they wait.
    await change(C, { status: 'cancelled' })
    platform.station.answer(C, ok(stationAfter(orderC, { status: 'cancelled' })))
    platform.advance(60 * 60 * 1000)
    expect(await drainOutbox(platform)).toEqual({ sent: 1, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(platform.station.of(C)).toHaveLength(1)
    expect(platform.station.of(A)).toHaveLength(1)
  })

  it('from a rule the station’s order breaks (422 TRANSITION_NOT_ALLOWED) is a conflict too', async () => {
    const shippedA = stationOrder({ id: A, revision: 5, status: 'shipped', shipping: '2024-07-15 09:00:00', shipped: '2024-07-15 09:30:00', ...TRACKING })
    await change(A, { status: 'cancelled' })
    platform.station.answer(A, problemAnswer(422, 'TRANSITION_NOT_ALLOWED', { order: shippedA }))
    await drainOutbox(platform)
    expect((await outboxRows(db))[0]).toMatchObject({ state: 'conflict', conflict: { code: 'TRANSITION_NOT_ALLOWED' } })
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', revision: 5, local_pending: 1 })
  })
})

describe('discardConflict', () => {
  it('drops the refused change and the later ones of its order; the station’s order stands', async () => {
    const seq = await cancelledUpstream()
    await change(C, { status: 'cancelled' })

    await discardConflict(db, seq)

    expect((await outboxRows(db)).map((r) => [r.order_id, r.key, r.state])).toEqual([[C, 'key-4', 'queued']])
    expect(await localOrder(db, A)).toEqual({ ...cancelledA, sort_at: cancelledA.status_changed_at, local_pending: 0 })
    // Nothing of A is sent afterwards.
    platform.station.answer(C, ok(stationAfter(orderC, { status: 'cancelled' })))
    await drainOutbox(platform)
    expect(platform.station.of(C)).toHaveLength(1)
    expect(platform.station.of(A)).toHaveLength(1)
  })

  it('of a change that is gone already does nothing', async () => {
    await change(A, SHIP)
    await discardConflict(db, 999)
    expect(await db.outbox.count()).toBe(1)
  })
})

describe('reapplyConflict', () => {
  it('refuses with the domain sentence when the change no longer fits the order, and keeps the conflict', async () => {
    const seq = await cancelledUpstream()
    const before = await outboxRows(db)

    const refusal = await reapplyConflict(platform, seq, 'jana')

    expect(refusal).toMatchObject({ code: 'ORDER_FINAL', message: CANCELLED_SENTENCE })
    expect(await outboxRows(db)).toEqual(before)
    expect(await localOrder(db, A)).toMatchObject({ status: 'cancelled', local_pending: 2 })
  })

  it('re-queues the change with a new key when it fits the station’s order', async () => {
    // A MALL Delivery order: the station refused "shipped" because its labels were not printed yet.
    const mdpA = stationOrder({ id: A, revision: 3, mdp: true, mdp_classic: true, status: 'shipping', shipping: '2024-07-15 09:00:00' })
    await putOrders(db, mdpA)
    // The tablet has labels (asked for on another tablet, say) that the station had not got yet.
    await db.labels.put({ order_id: A, state: 'ready', parcel_count: 1, labels_type: 'pdf', labels_raw: 'JVBERi0=', barcodes: ['P1'], requested_at: '2024-07-15T07:00:00.000Z' })
    await change(A, { status: 'shipped' })
    platform.station.answer(
      A,
      problemAnswer(422, 'LABELS_REQUIRED', {
        detail: 'Print the MALL Delivery labels for this order (with its parcel count) before marking it shipped.',
        order: mdpA,
      }),
    )
    await drainOutbox(platform)
    const [refused] = await outboxRows(db)
    expect(refused).toMatchObject({ key: 'key-1', state: 'conflict' })
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipping' })

    // Labels printed; the packer applies the change again.
    expect(await reapplyConflict(platform, refused!.seq!, 'petr')).toBeNull()

    const rows = await outboxRows(db)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ order_id: A, key: 'key-2', state: 'queued', attempts: 0, next_at: 0, conflict: null, last_error: null, user: 'petr', body: { status: 'shipped' } })
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', synced: false, local_pending: 1 })

    platform.station.answer(A, ok(stationAfter(mdpA, { status: 'shipped' })))
    expect(await drainOutbox(platform)).toMatchObject({ sent: 1 })
    expect(platform.station.sent.map((s) => s.key)).toEqual(['key-1', 'key-2'])
    expect(await db.outbox.count()).toBe(0)
  })

  it('refuses again a delivery the marketplace records itself (Allegro), as the station did', async () => {
    const shippedA = stationOrder({ id: A, revision: 3, status: 'shipped', shipping: '2024-07-15 08:00:00', shipped: '2024-07-15 09:00:00', ...TRACKING })
    await putOrders(db, shippedA)
    await change(A, { status: 'delivered', delivered_at: '2024-07-16 10:00:00' })
    const detail = 'Allegro records delivered and returned itself, from the carrier.'
    platform.station.answer(A, problemAnswer(422, 'STATUS_SET_BY_MARKETPLACE', { detail, order: { ...shippedA, marketplace_closes: true } }))
    await drainOutbox(platform)
    const [refused] = await outboxRows(db)
    expect(refused).toMatchObject({ state: 'conflict' })

    expect(await reapplyConflict(platform, refused!.seq!, 'jana')).toMatchObject({ code: 'STATUS_SET_BY_MARKETPLACE' })
    expect((await outboxRows(db)).map((r) => r.state)).toEqual(['conflict'])
  })

    it('keeps the re-applied change ahead of the later changes of its order', async () => {
    // The station did not know the order yet (404); two changes of it were queued.
    await change(A, SHIP)
    await change(A, SHIPPED)
    platform.station.answer(A, problemAnswer(404, 'NOT_FOUND', { detail: `Order ${A} is not on this station: pull the orders again.` }))
    await drainOutbox(platform)
    const [refused] = await outboxRows(db)
    expect(refused).toMatchObject({ key: 'key-1', state: 'conflict' })

    expect(await reapplyConflict(platform, refused!.seq!, 'jana')).toBeNull()
    expect((await outboxRows(db)).map((r) => [r.seq, r.key, r.state, statusBody(r)?.status])).toEqual([
      [1, 'key-3', 'queued', 'shipping'],
      [2, 'key-2', 'queued', 'shipped'],
    ])
    // The tablet still shows what the packer did last.
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', local_pending: 2 })
    const afterA = stationAfter(orderA, SHIP)
    platform.station.answer(A, ok(afterA), ok(stationAfter(afterA, SHIPPED)))
    await drainOutbox(platform)

    // shipping (with its new key) first, then shipped: the order the packer made them in.
    expect(platform.station.sent.map((s) => [s.body.status, s.key])).toEqual([
      ['shipping', 'key-1'],
      ['shipping', 'key-3'],
      ['shipped', 'key-2'],
    ])
    expect(await db.outbox.count()).toBe(0)
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', local_pending: 0 })
  })

  it('never loses a change the station refused without saying what the order is now', async () => {
    // The key was refused as reused (a bug); the tablet already shows the order shipped.
    const shippingA = stationOrder({ id: A, revision: 4, status: 'shipping', shipping: '2024-07-15 09:00:00' })
    await putOrders(db, shippingA)
    await change(A, SHIPPED)
    platform.station.answer(A, problemAnswer(422, 'IDEMPOTENCY_KEY_REUSED'))
    await drainOutbox(platform)
    const [refused] = await outboxRows(db)
    expect(refused).toMatchObject({ state: 'conflict', conflict: { code: 'IDEMPOTENCY_KEY_REUSED' } })
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', local_pending: 1 })

    // Applying it again sends the same change with a new key.
    expect(await reapplyConflict(platform, refused!.seq!, 'jana')).toBeNull()
    expect(await outboxRows(db)).toMatchObject([{ key: 'key-2', state: 'queued', body: SHIPPED }])
    platform.station.answer(A, ok(stationAfter(shippingA, SHIPPED)))
    await drainOutbox(platform)
    expect(platform.station.sent.map((s) => [s.body.status, s.key])).toEqual([
      ['shipped', 'key-1'],
      ['shipped', 'key-2'],
    ])
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', revision: 5, local_pending: 0 })
  })

  it('of a change that is gone already does nothing', async () => {
    expect(await reapplyConflict(platform, 999, 'jana')).toBeNull()
    expect(await db.outbox.count()).toBe(0)
  })
})
