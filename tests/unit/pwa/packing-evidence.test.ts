import { afterEach, beforeEach, describe, expect, it } from 'vitest'
// First: it puts fake-indexeddb in place before Dexie loads.
import { freshDatabase } from './fixtures.ts'
import type { PickingDatabase } from '../../../src/db/schema.ts'
import { indexBarcodes } from '../../../src/services/scan/matching.ts'
import { clearProgress, confirmLineByHand, packingEvidence, scanIntoOrder, undoLastScan } from '../../../src/services/pick/progress.ts'

/**
 * What the pack screen sends with the change to `shipping`: the right scans as evidence, and how
 * many scans it answered as wrong, which the desk's "Today at a glance" counts per packer.
 */

const KETTLE_EAN13 = '4006381333931'
const TOASTER_EAN13 = '5901234123457'
const STRANGER_EAN13 = '8594001021499'
const index = indexBarcodes([
  { sku: 'KETTLE-17', barcodes: [KETTLE_EAN13], case_barcodes: [] },
  { sku: 'TOASTER-2', barcodes: [TOASTER_EAN13], case_barcodes: [] },
])
const order = { id: 10085339302, status: 'open' as const, items: [{ id: 'KETTLE-17', title: 'Electric kettle 1.7 l', quantity: 1 }] }
const at = new Date(Date.UTC(2024, 6, 15, 8, 0, 0))

describe('the packing evidence', () => {
  let db: PickingDatabase
  beforeEach(async () => {
    db = freshDatabase()
    await db.open()
  })
  afterEach(async () => {
    await db.delete()
  })

  it('counts each scan the packer saw answered as wrong, beside the right scans', async () => {
    expect((await scanIntoOrder(db, order, TOASTER_EAN13, index, 'wedge', 'picker', at)).kind).toBe('not_on_order')
    expect((await scanIntoOrder(db, order, STRANGER_EAN13, index, 'camera', 'picker', at)).kind).toBe('unknown_code')
    expect((await scanIntoOrder(db, order, KETTLE_EAN13, index, 'wedge', 'picker', at)).kind).toBe('match')
    expect((await scanIntoOrder(db, order, KETTLE_EAN13, index, 'wedge', 'picker', at)).kind).toBe('over_quantity')

    const evidence = await packingEvidence(db, order.id)
    expect(evidence.wrong_scans).toBe(3)
    expect(evidence.scans).toEqual([{ sku: 'KETTLE-17', units: 1, code: KETTLE_EAN13, at: at.toISOString(), source: 'wedge' }])
  })

  it('keeps the count when a right scan is taken back or a line is confirmed by hand, and starts again after packing', async () => {
    await scanIntoOrder(db, order, TOASTER_EAN13, index, 'wedge', 'picker', at)
    await scanIntoOrder(db, order, KETTLE_EAN13, index, 'wedge', 'picker', at)
    await undoLastScan(db, order.id)
    await confirmLineByHand(db, order, 'KETTLE-17', 'label torn', 'picker', at)
    expect(await packingEvidence(db, order.id)).toMatchObject({ wrong_scans: 1, scans: [{ sku: 'KETTLE-17', source: 'manual' }] })

    await clearProgress(db, order.id)
    expect(await packingEvidence(db, order.id)).toEqual({ scans: [], wrong_scans: 0 })
  })

  it('does not count a scan on an order that cannot be packed', async () => {
    expect((await scanIntoOrder(db, { ...order, status: 'cancelled' }, KETTLE_EAN13, index, 'wedge', 'picker', at)).kind).toBe('not_packable')
    expect(await packingEvidence(db, order.id)).toEqual({ scans: [], wrong_scans: 0 })
  })
})
