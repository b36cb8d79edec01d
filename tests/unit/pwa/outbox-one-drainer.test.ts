import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { PickingDatabase } from '../../../src/db/schema.ts'
import { DRAIN_LOCK, drainOutbox, enqueueStatusChange, type DrainResult } from '../../../src/services/outbox/outbox.ts'
import type { ApiAnswer } from '../../../src/services/api/client.ts'
import { A, deferred, fakePlatform, ok, putOrders, SHIP, stationAfter, stationOrder, until } from './fixtures.ts'

/** Two tabs of the app on one tablet: one drains, the other leaves it be (Web Locks, ifAvailable). */

/** A small LockManager: exclusive locks by name; `ifAvailable` gets null instead of waiting. */
class FakeLocks {
  readonly requests: { name: string; ifAvailable: boolean }[] = []
  private readonly held = new Map<string, Promise<void>>()

  async request(name: string, options: LockOptions, callback: (lock: Lock | null) => unknown): Promise<unknown> {
    this.requests.push({ name, ifAvailable: options.ifAvailable === true })
    if (this.held.has(name)) {
      if (options.ifAvailable) return callback(null)
      while (this.held.has(name)) await this.held.get(name)
    }
    let release!: () => void
    this.held.set(name, new Promise<void>((resolve) => (release = resolve)))
    try {
      return await callback({ name, mode: options.mode ?? 'exclusive' } as Lock)
    } finally {
      this.held.delete(name)
      release()
    }
  }

  isHeld(name: string): boolean {
    return this.held.has(name)
  }
}

const opened: PickingDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

function timeout(ms: number): Promise<'timed out'> {
  return new Promise((resolve) => setTimeout(() => resolve('timed out'), ms))
}

describe('one drainer across tabs', () => {
  it('a second tab that finds the drain lock held sends nothing and says another tab is busy', async () => {
    const dbName = `test-${crypto.randomUUID()}`
    const locks = new FakeLocks() as unknown as Pick<LockManager, 'request'>
    const fake = locks as unknown as FakeLocks
    const tab1 = new PickingDatabase(dbName)
    const tab2 = new PickingDatabase(dbName)
    opened.push(tab1, tab2)
    const orderA = stationOrder({ id: A })
    await putOrders(tab1, orderA)

    const platform1 = fakePlatform(tab1, { locks })
    const platform2 = fakePlatform(tab2, { locks })
    expect(await enqueueStatusChange(platform1, A, SHIP, 'jana')).toBeNull()

    // Tab 1 drains; its request is on its way.
    const answer = deferred<ApiAnswer>()
    platform1.station.answer(A, () => answer.promise)
    const first = drainOutbox(platform1)
    await until(() => platform1.station.sent.length === 1)
    expect(fake.isHeld(DRAIN_LOCK)).toBe(true)

    // Tab 2 tries meanwhile: it does not wait for the lock, does not touch the change in flight, sends nothing.
    const second = await Promise.race([drainOutbox(platform2), timeout(1_000)])
    expect(second).toEqual({ sent: 0, needsSignIn: false, nextAt: null, busyElsewhere: true } satisfies DrainResult)
    expect(platform2.station.sent).toEqual([])
    expect((await tab2.outbox.get(1))?.state).toBe('inflight')

    // Tab 1 gets its answer and finishes; the lock is free again.
    answer.resolve(ok(stationAfter(orderA, SHIP)))
    expect(await first).toEqual({ sent: 1, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(fake.isHeld(DRAIN_LOCK)).toBe(false)
    expect(await tab2.outbox.count()).toBe(0)

    // Now tab 2 gets the lock, finds nothing left, and sends nothing.
    expect(await drainOutbox(platform2)).toEqual({ sent: 0, needsSignIn: false, nextAt: null, busyElsewhere: false })
    expect(platform2.station.sent).toEqual([])
    expect(fake.requests).toEqual([
      { name: DRAIN_LOCK, ifAvailable: true },
      { name: DRAIN_LOCK, ifAvailable: true },
      { name: DRAIN_LOCK, ifAvailable: true },
    ])
  })
})
