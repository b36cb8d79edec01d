import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { discardConflict, drainOutbox, enqueueLabels, enqueueStatusChange } from '../../../src/services/outbox/outbox.ts'
import { fakePlatform, freshDatabase, localOrder, offline, ok, outboxRows, problemAnswer, putOrders, stationAfter, stationOrder } from './fixtures.ts'

const PDF = Buffer.from('%PDF-1.7 labels').toString('base64')

/** MALL Delivery labels asked for on the tablet: queued like any change, so offline loses nothing. */
describe('MALL Delivery labels from the tablet', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  it('refuses shipped for a MALL Delivery order before labels are asked for, and allows it right after, offline', async () => {
    db = freshDatabase()
    await putOrders(db, stationOrder({ id: 21, mdp: true, status: 'shipping', shipping: '2024-07-15 09:00:00' }))
    const platform = fakePlatform(db)
    const refused = await enqueueStatusChange(platform, 21, { status: 'shipped' }, 'picker')
    expect(refused?.code).toBe('LABELS_REQUIRED')
    expect(await outboxRows(db)).toEqual([])

    await enqueueLabels(platform, 21, { parcel_count: 2, labels_type: 'pdf' }, 'picker')
    expect(await db.labels.get(21)).toMatchObject({ state: 'queued', parcel_count: 2, labels_type: 'pdf' })
    expect(await enqueueStatusChange(platform, 21, { status: 'shipped' }, 'picker')).toBeNull()
    // The labels go first, the shipped change behind them.
    expect((await outboxRows(db)).map((e) => e.kind)).toEqual(['labels', 'status'])
    expect((await localOrder(db, 21))?.local_pending).toBe(2)
  })

  it('keeps the labels the station sends back, and sends the shipped change after them', async () => {
    db = freshDatabase()
    const order = stationOrder({ id: 22, mdp: true, status: 'shipping', shipping: '2024-07-15 09:00:00' })
    await putOrders(db, order)
    const platform = fakePlatform(db)
    await enqueueLabels(platform, 22, { parcel_count: 2, labels_type: 'pdf' }, 'picker')
    await enqueueStatusChange(platform, 22, { status: 'shipped' }, 'picker')
    platform.station.answer(
      22,
      { status: 200, body: { order_id: 22, labels_type: 'pdf', parcel_count: 2, labels_raw: PDF, barcodes: ['14IS0000000022*001002', '14IS0000000022*002002'] }, retryAfterMs: null },
      ok(stationAfter(order, { status: 'shipped' })),
    )
    expect((await drainOutbox(platform)).sent).toBe(2)
    expect(await db.labels.get(22)).toMatchObject({ state: 'ready', parcel_count: 2, labels_raw: PDF, barcodes: ['14IS0000000022*001002', '14IS0000000022*002002'] })
    expect(platform.station.of(22).map((s) => s.key)).toEqual(['key-1', 'key-2'])
    expect(await localOrder(db, 22)).toMatchObject({ status: 'shipped', local_pending: 0 })
  })

  it('waits offline with the same key, and notes when the station queued it for the marketplace', async () => {
    db = freshDatabase()
    await putOrders(db, stationOrder({ id: 23, mdp: true, status: 'shipping' }))
    const platform = fakePlatform(db)
    await enqueueLabels(platform, 23, { parcel_count: 1, labels_type: 'zpl' }, 'picker')
    platform.station.answer(23, offline(), {
      status: 202,
      body: { queued: true, detail: 'The marketplace cannot be reached now: the label request waits in the station’s queue.' },
      retryAfterMs: null,
    })
    await drainOutbox(platform)
    expect(await db.labels.get(23)).toMatchObject({ state: 'queued' })
    platform.advance(60_000)
    await drainOutbox(platform)
    expect(platform.station.of(23).map((s) => s.key)).toEqual(['key-1', 'key-1'])
    expect(await db.labels.get(23)).toMatchObject({ state: 'waiting', labels_type: 'zpl', labels_raw: null })
    expect(await outboxRows(db)).toEqual([])
  })

  it('asks once when the packer changes the parcel count before the request went out', async () => {
    db = freshDatabase()
    await putOrders(db, stationOrder({ id: 24, mdp: true, status: 'shipping' }))
    const platform = fakePlatform(db)
    await enqueueLabels(platform, 24, { parcel_count: 1, labels_type: 'pdf' }, 'picker')
    await enqueueLabels(platform, 24, { parcel_count: 3, labels_type: 'pdf' }, 'picker')
    const rows = await outboxRows(db)
    expect(rows.map((e) => (e.kind === 'labels' ? e.labels : null))).toEqual([{ parcel_count: 3, labels_type: 'pdf' }])
    expect((await localOrder(db, 24))?.local_pending).toBe(1)
  })

  it('drops the tablet’s labels when a refused request is discarded', async () => {
    db = freshDatabase()
    await putOrders(db, stationOrder({ id: 25, mdp: true, status: 'shipping' }))
    const platform = fakePlatform(db)
    await enqueueLabels(platform, 25, { parcel_count: 1, labels_type: 'pdf' }, 'picker')
    platform.station.answer(25, problemAnswer(422, 'LABELS_WRONG_STATUS', { detail: 'Start packing the order first: labels are printed while it is shipping (it is cancelled).' }))
    await drainOutbox(platform)
    const [entry] = await outboxRows(db)
    expect(entry?.state).toBe('conflict')
    await discardConflict(db, entry?.seq as number)
    expect(await db.labels.get(25)).toBeUndefined()
    expect(await outboxRows(db)).toEqual([])
  })
})
