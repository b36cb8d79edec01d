import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { enqueueStatusChange } from '../../../src/services/outbox/outbox.ts'
import { fakePlatform, freshDatabase, putOrders, stationOrder } from './fixtures.ts'

/**
 * A packer's change is on disk before the screen says it is saved: the outbox and the order change
 * with it are written in IndexedDB transactions of "strict" durability, not Chrome's "relaxed".
 */
describe('the outbox’s durability', () => {
  let db: PickingDatabase
  afterEach(async () => {
    vi.restoreAllMocks()
    await db.delete()
  })

  it('writes a queued change and the order with it in a strict transaction', async () => {
    // Watched before Dexie opens its connection: it binds the connection's method when it opens.
    const opened = vi.spyOn(IDBDatabase.prototype, 'transaction')
    db = freshDatabase()
    await putOrders(db, stationOrder({ id: 7 }))
    opened.mockClear()
    expect(await enqueueStatusChange(fakePlatform(db), 7, { status: 'shipping', confirmed: true }, 'picker')).toBeNull()

    const writes = opened.mock.calls.filter(([stores, mode]) => mode === 'readwrite' && [stores].flat().includes('outbox'))
    expect(writes.length).toBeGreaterThan(0)
    for (const [stores, , options] of writes) {
      expect([stores].flat()).toContain('orders')
      expect(options).toMatchObject({ durability: 'strict' })
    }
  })
})
