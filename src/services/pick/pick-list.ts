import type { Order } from '#core/order.ts'
import type { CatalogueProduct } from '#core/product.ts'

/**
 * Batch picking: several orders picked in one walk. Their lines are aggregated by SKU in
 * bin-location order, each with the total to pick and its split per order, and each order gets a
 * tote letter (A, B, C…) to pack it from afterwards.
 */

export interface PickListSplit {
  order_id: number
  tote: string
  quantity: number
}

export interface PickListEntry {
  sku: string
  title: string
  bin_location: string | null
  photo_url: string | null
  total: number
  split: PickListSplit[]
}

export interface PickList {
  totes: { order_id: number; tote: string }[]
  entries: PickListEntry[]
}

/** A, B, … Z, AA, AB, …: enough totes for any trolley. */
export function toteLabel(index: number): string {
  let label = ''
  let n = index
  do {
    label = String.fromCharCode(65 + (n % 26)) + label
    n = Math.floor(n / 26) - 1
  } while (n >= 0)
  return label
}

/** Orders bins "A-02-1" before "A-10-1" (numbers compared as numbers); unknown bins go last. */
export function compareBins(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })
}

export function buildPickList(
  orders: readonly Pick<Order, 'id' | 'items'>[],
  products: ReadonlyMap<string, Pick<CatalogueProduct, 'sku' | 'bin_location' | 'photo_url' | 'title'>>,
): PickList {
  const totes = orders.map((order, i) => ({ order_id: order.id, tote: toteLabel(i) }))
  const bySku = new Map<string, PickListEntry>()
  orders.forEach((order, i) => {
    for (const item of order.items) {
      const product = products.get(item.id)
      let entry = bySku.get(item.id)
      if (!entry) {
        entry = {
          sku: item.id,
          title: product?.title ?? item.title,
          bin_location: product?.bin_location ?? null,
          photo_url: product?.photo_url ?? null,
          total: 0,
          split: [],
        }
        bySku.set(item.id, entry)
      }
      entry.total += item.quantity
      const split = entry.split.find((s) => s.order_id === order.id)
      if (split) split.quantity += item.quantity
      else entry.split.push({ order_id: order.id, tote: toteLabel(i), quantity: item.quantity })
    }
  })
  const entries = [...bySku.values()].sort((a, b) => compareBins(a.bin_location, b.bin_location) || a.sku.localeCompare(b.sku))
  return { totes, entries }
}
