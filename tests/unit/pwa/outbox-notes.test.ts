import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { OrderNote } from '#core/station-api.ts'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { drainOutbox, enqueueNote } from '../../../src/services/outbox/outbox.ts'
import { fakePlatform, freshDatabase, localOrder, ok, outboxRows, problemAnswer, putOrders, stationOrder, T0 } from './fixtures.ts'

/** A note on an order is shown at once and waits in the outbox until the station has it. */
describe('notes from the tablet', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  const stationNote = (text: string, user = 'picker'): OrderNote => ({
    id: 'note-1',
    text,
    user,
    device_id: 'tablet-1',
    created_at: new Date(T0).toISOString(),
    updated_at: new Date(T0).toISOString(),
    updated_by: user,
  })

  it('shows a note, its edit and its deletion at once, and sends them in order', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 7 })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    await enqueueNote(platform, 7, { id: 'note-1', text: 'Gift wrap' }, 'picker', 'tablet-1')
    expect((await localOrder(db, 7))?.notes).toEqual([stationNote('Gift wrap')])
    await enqueueNote(platform, 7, { id: 'note-1', text: 'Gift wrap, red' }, 'picker', 'tablet-1')
    expect((await localOrder(db, 7))?.notes?.map((note) => note.text)).toEqual(['Gift wrap, red'])
    await enqueueNote(platform, 7, { id: 'note-1', text: null }, 'picker', 'tablet-1')
    expect((await localOrder(db, 7))?.notes).toEqual([])
    const rows = await outboxRows(db)
    expect(rows.map((entry) => (entry.kind === 'note' ? entry.note.text : entry.kind))).toEqual(['Gift wrap', 'Gift wrap, red', null])
    expect((await localOrder(db, 7))?.local_pending).toBe(3)

    platform.station.answer(7, ok({ ...order, notes: [stationNote('Gift wrap')] }), ok({ ...order, notes: [stationNote('Gift wrap, red')] }), ok({ ...order, notes: [] }))
    await drainOutbox(platform)
    expect(await outboxRows(db)).toEqual([])
    expect(platform.station.keys).toEqual(['key-1', 'key-2', 'key-3'])
    expect(await localOrder(db, 7)).toMatchObject({ notes: [], local_pending: 0 })
  })

  it('a change the station refuses (someone else’s note) shows the station’s notes again, as a conflict', async () => {
    db = freshDatabase()
    const theirs = stationNote('Call the customer first', 'lead')
    const order = stationOrder({ id: 8, notes: [theirs] })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    await enqueueNote(platform, 8, { id: 'note-1', text: null }, 'picker', 'tablet-1')
    expect((await localOrder(db, 8))?.notes).toEqual([])
    platform.station.answer(8, problemAnswer(403, 'FORBIDDEN', { detail: 'Only lead, who wrote the note, or a team lead can delete it.', order }))
    await drainOutbox(platform)
    expect((await outboxRows(db)).map((entry) => entry.state)).toEqual(['conflict'])
    expect((await localOrder(db, 8))?.notes).toEqual([theirs])
  })
})
