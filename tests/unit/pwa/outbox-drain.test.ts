import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import type { ApiAnswer } from '../../../src/services/api/client.ts'
import { drainOutbox, enqueueStatusChange } from '../../../src/services/outbox/outbox.ts'
import type { StatusChange } from '#core/status.ts'
import {
  A,
  B,
  C,
  deferred,
  fakePlatform,
  freshDatabase,
  localOrder,
  offline,
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
  T0,
  TRACKING,
  type FakePlatform,
} from './fixtures.ts'

/** The drain: what the station is sent, in which order, with which key, and what the tablet shows after each answer. */

/** Orders 5001…5012, for the drains that must not try every order. */
const MANY = Array.from({ length: 12 }, (_, i) => 5001 + i)

let db: PickingDatabase
let platform: FakePlatform

beforeEach(async () => {
  db = freshDatabase()
  platform = fakePlatform(db)
  await putOrders(db, orderA, orderB, orderC, ...MANY.map((id) => stationOrder({ id })))
})

afterEach(async () => {
  await db.delete()
})

async function change(orderId: number, body: StatusChange): Promise<void> {
  expect(await enqueueStatusChange(platform, orderId, body, 'jana')).toBeNull()
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('drainOutbox: done', () => {
  it('sends the change with its key and shows the station’s order once nothing else waits', async () => {
    await change(A, SHIP)
    const accepted = { ...stationAfter(orderA, SHIP), synced: true, pending_changes: 0 }
    platform.station.answer(A, ok(accepted))

    const result = await drainOutbox(platform)

    expect(result).toEqual({ sent: 1, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(platform.station.sent).toEqual([{ order_id: A, key: 'key-1', body: SHIP }])
    expect(await db.outbox.count()).toBe(0)
    expect(await localOrder(db, A)).toEqual({ ...accepted, sort_at: accepted.status_changed_at, local_pending: 0 })
  })

  it('while a later change of the order still waits, keeps showing it and learns the station’s revision', async () => {
    await change(A, SHIP)
    await change(A, SHIPPED)
    platform.station.answer(A, ok(stationAfter(orderA, SHIP)), offline())

    await drainOutbox(platform)

    expect(platform.station.keys).toEqual(['key-1', 'key-2'])
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', ...TRACKING, revision: 4, local_pending: 1, synced: false })
    expect((await outboxRows(db)).map((r) => r.key)).toEqual(['key-2'])
  })

  it('sends every change due, each order’s changes in the order they were made, each once', async () => {
    await change(A, SHIP)
    await change(B, SHIP)
    await change(A, SHIPPED)
    await change(C, { status: 'cancelled' })
    await change(B, { status: 'cancelled' })
    const afterA = stationAfter(orderA, SHIP)
    const afterB = stationAfter(orderB, SHIP)
    platform.station
      .answer(A, ok(afterA), ok(stationAfter(afterA, SHIPPED)))
      .answer(B, ok(afterB), ok(stationAfter(afterB, { status: 'cancelled' })))
      .answer(C, ok(stationAfter(orderC, { status: 'cancelled' })))

    const result = await drainOutbox(platform)

    expect(result).toEqual({ sent: 5, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(platform.station.sent).toHaveLength(5)
    expect(platform.station.of(A).map((s) => [s.body.status, s.key])).toEqual([
      ['shipping', 'key-1'],
      ['shipped', 'key-3'],
    ])
    expect(platform.station.of(B).map((s) => [s.body.status, s.key])).toEqual([
      ['shipping', 'key-2'],
      ['cancelled', 'key-5'],
    ])
    expect(platform.station.of(C).map((s) => [s.body.status, s.key])).toEqual([['cancelled', 'key-4']])
    expect(await db.outbox.count()).toBe(0)
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', revision: 5, local_pending: 0 })
    expect(await localOrder(db, B)).toMatchObject({ status: 'cancelled', revision: 10, local_pending: 0 })
  })

  it('does not send an order’s next change before the station answered the one before', async () => {
    await change(A, SHIP)
    await change(A, SHIPPED)
    await change(B, SHIP)
    const answerA1 = deferred<ApiAnswer>()
    const afterA = stationAfter(orderA, SHIP)
    platform.station.answer(A, () => answerA1.promise, ok(stationAfter(afterA, SHIPPED))).answer(B, ok(stationAfter(orderB, SHIP)))

    const draining = drainOutbox(platform)
    // A's first change is on its way (however busy the machine); its second waits for the answer.
    await vi.waitFor(() => expect(platform.station.of(A)).toHaveLength(1), { timeout: 5000 })
    await vi.waitFor(() => expect(platform.station.of(B)).toHaveLength(1), { timeout: 5000 })
    await sleep(50)
    expect(platform.station.of(A).map((s) => s.key)).toEqual(['key-1'])

    answerA1.resolve(ok(afterA))
    expect(await draining).toMatchObject({ sent: 3 })
    expect(platform.station.of(A).map((s) => s.key)).toEqual(['key-1', 'key-2'])
  })

  it('with nothing queued, sends nothing', async () => {
    expect(await drainOutbox(platform)).toEqual({ sent: 0, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(platform.station.sent).toEqual([])
  })
})

describe('drainOutbox: retry', () => {
  it('puts the change off to a time in the future and stops, without trying the other orders’ heads in turn', async () => {
    for (const id of MANY) {
      await change(id, SHIP)
      platform.station.answer(id, offline('Failed to fetch'))
    }

    const result = await drainOutbox(platform)

    const rows = await outboxRows(db)
    const tried = rows.filter((r) => r.attempts > 0)
    const untouched = rows.filter((r) => r.attempts === 0)
    // Only requests already on their way when the station was found out of reach: not every order.
    expect(platform.station.sent.length).toBe(tried.length)
    expect(tried.length).toBeGreaterThanOrEqual(1)
    expect(tried.length).toBeLessThan(MANY.length)
    for (const row of tried) {
      expect(row).toMatchObject({ state: 'queued', attempts: 1, last_error: 'Failed to fetch' })
      // random 0.5 at the first attempt: half of one second.
      expect(row.next_at).toBe(T0 + 500)
    }
    for (const row of untouched) expect(row).toMatchObject({ state: 'queued', next_at: 0, last_error: null })
    expect(result).toEqual({ sent: 0, needsSignIn: false, nextAt: T0 + 500, busyElsewhere: false })
    // The orders still show the packer's changes.
    expect(await localOrder(db, MANY[0]!)).toMatchObject({ status: 'shipping', local_pending: 1 })
  })

  it('sending one change at a time, stops at the first order the station did not answer', async () => {
    await change(A, SHIP)
    await change(B, SHIP)
    await change(C, SHIP)
    platform.station.answer(A, offline())

    const result = await drainOutbox(platform, 1)

    expect(platform.station.sent.map((s) => s.order_id)).toEqual([A])
    expect(result.nextAt).toBe(T0 + 500)
  })

  it('even when the jitter draws zero, the retry lies in the future and the drain says when', async () => {
    platform = fakePlatform(db, { random: 0 })
    await change(A, SHIP)
    platform.station.answer(A, offline())

    const result = await drainOutbox(platform)

    const [a] = await outboxRows(db)
    expect(a!.next_at).toBeGreaterThan(platform.now())
    expect(result.nextAt).toBe(a!.next_at)
  })

  it('a retry of order A’s head does not let A’s second change overtake it', async () => {
    await change(A, SHIP)
    await change(A, SHIPPED)
    await change(B, SHIP)
    platform.station.answer(A, offline())
    platform.station.answer(B, ok(stationAfter(orderB, SHIP)))
    const first = await drainOutbox(platform)
    expect(first.nextAt).toBe(T0 + 500)

    // Before A's head is due again nothing of A goes, though B's change went meanwhile.
    const second = await drainOutbox(platform)
    expect(second).toMatchObject({ nextAt: T0 + 500 })
    expect(platform.station.of(A).map((s) => s.key)).toEqual(['key-1'])
    expect(platform.station.of(B).map((s) => s.key)).toEqual(['key-3'])

    platform.advance(500)
    const afterA = stationAfter(orderA, SHIP)
    platform.station.answer(A, ok(afterA), ok(stationAfter(afterA, SHIPPED)))
    const third = await drainOutbox(platform)
    expect(third).toMatchObject({ sent: 2, nextAt: null })

    expect(platform.station.of(A).map((s) => [s.body.status, s.key])).toEqual([
      ['shipping', 'key-1'],
      ['shipping', 'key-1'],
      ['shipped', 'key-2'],
    ])
    expect(await localOrder(db, A)).toMatchObject({ status: 'shipped', revision: 5, local_pending: 0 })
  })

  it('sends the same key on every attempt of a change, and backs off longer each time', async () => {
    platform = fakePlatform(db, { random: 0.999 })
    await change(A, SHIP)
    platform.station.answer(A, offline(), problemAnswer(502, 'BAD_GATEWAY'), problemAnswer(500, 'INTERNAL'), ok(stationAfter(orderA, SHIP)))

    const waits: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await drainOutbox(platform)
      expect(result.sent).toBe(0)
      waits.push(result.nextAt! - platform.now())
      expect((await outboxRows(db))[0]).toMatchObject({ attempts: attempt, state: 'queued' })
      platform.advance(result.nextAt! - platform.now())
    }
    expect(await drainOutbox(platform)).toMatchObject({ sent: 1 })

    expect(waits).toEqual([999, 1_998, 3_996])
    expect(platform.station.keys).toEqual(['key-1', 'key-1', 'key-1', 'key-1'])

    // A new change gets a new key.
    await change(A, SHIPPED)
    platform.station.answer(A, ok(stationAfter(stationAfter(orderA, SHIP), SHIPPED)))
    await drainOutbox(platform)
    expect(platform.station.keys.at(-1)).toBe('key-2')
  })

  it('waits as long as the station’s Retry-After asks when that is longer', async () => {
    await change(A, SHIP)
    platform.station.answer(A, problemAnswer(429, 'TOO_MANY_REQUESTS', {}, 30_000))

    const result = await drainOutbox(platform)

    expect(result.nextAt).toBe(T0 + 30_000)
    expect((await outboxRows(db))[0]).toMatchObject({ next_at: T0 + 30_000, last_error: 'the station answered 429' })
    // Not due before then.
    platform.advance(29_999)
    expect(await drainOutbox(platform)).toMatchObject({ sent: 0, nextAt: T0 + 30_000 })
    expect(platform.station.sent).toHaveLength(1)
  })
})

describe('drainOutbox: sign in again', () => {
  it('stops with needsSignIn, keeps the changes queued without counting the attempt, and sends the same keys after sign-in', async () => {
    for (const id of MANY) {
      await change(id, SHIP)
      // The session is gone: every request gets 401.
      platform.station.answer(id, problemAnswer(401, 'UNAUTHENTICATED'))
    }

    const result = await drainOutbox(platform)

    expect(result).toEqual({ sent: 0, needsSignIn: true, nextAt: null, busyElsewhere: false })
    const tried = platform.station.sent.length
    expect(tried).toBeGreaterThanOrEqual(1)
    expect(tried).toBeLessThan(MANY.length)
    const rows = await outboxRows(db)
    expect(rows).toHaveLength(MANY.length)
    for (const row of rows) expect(row).toMatchObject({ state: 'queued', attempts: 0, next_at: 0 })
    expect(rows.filter((r) => r.last_error === 'Sign in again to send this change.')).toHaveLength(tried)
    expect(await localOrder(db, MANY[0]!)).toMatchObject({ status: 'shipping', local_pending: 1 })

    // Signed in again: every change goes, each with the key it was queued with.
    platform.station.clearReplies()
    for (const id of MANY) platform.station.answer(id, ok(stationAfter(stationOrder({ id }), SHIP)))
    expect(await drainOutbox(platform)).toMatchObject({ sent: MANY.length, needsSignIn: false })
    for (const [i, id] of MANY.entries()) {
      expect(new Set(platform.station.of(id).map((s) => s.key))).toEqual(new Set([`key-${i + 1}`]))
    }
    expect(await db.outbox.count()).toBe(0)
  })
})

describe('drainOutbox: a request the station cannot take', () => {
  it('sets it aside for a person and goes on with the other orders', async () => {
    await change(A, SHIP)
    await change(B, SHIP)
    platform.station
      .answer(A, problemAnswer(422, 'VALIDATION_FAILED', { detail: 'The change is not valid: status: invalid.' }))
      .answer(B, ok(stationAfter(orderB, SHIP)))

    const result = await drainOutbox(platform)

    expect(result.sent).toBe(1)
    expect(platform.station.sent.map((s) => s.order_id).sort()).toEqual([A, B])
    const rows = await outboxRows(db)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      order_id: A,
      state: 'conflict',
      last_error: 'The change is not valid: status: invalid.',
      conflict: { status: 422, code: 'VALIDATION_FAILED' },
    })
    // Never retried on its own.
    platform.advance(24 * 60 * 60 * 1000)
    expect(await drainOutbox(platform)).toMatchObject({ sent: 0, nextAt: null })
    expect(platform.station.sent).toHaveLength(2)
  })
})
