import type { LocalOrder, LocalProduct, PickingDatabase } from '@/db/schema'
import { normalizeCode } from '@/services/scan/matching'

/** What a scanned code names on this tablet. */
export type ScannedThing = { kind: 'order'; order: LocalOrder } | { kind: 'product'; product: LocalProduct } | { kind: 'unknown'; code: string }

/**
 * Looks a scanned code up: an order number (typed, or the barcode of a printed delivery note)
 * first, then a product's barcode or case barcode.
 */
export async function lookUpScan(db: PickingDatabase, code: string): Promise<ScannedThing> {
  const trimmed = code.trim()
  if (/^\d{6,16}$/.test(trimmed)) {
    const order = await db.orders.get(Number(trimmed))
    if (order) return { kind: 'order', order }
  }
  const product = await db.products.where('codes').equals(normalizeCode(trimmed)).first()
  return product ? { kind: 'product', product } : { kind: 'unknown', code: trimmed }
}

/** Every product that a scanned code names (a unit's or a case's code), from the whole catalogue. */
export async function productsWithCode(db: PickingDatabase, code: string): Promise<LocalProduct[]> {
  return db.products.where('codes').equals(normalizeCode(code)).toArray()
}
