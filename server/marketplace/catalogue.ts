import type { MallProduct } from '#core/product.ts'
import type { StationDatabase } from '../store/database.ts'
import type { ProductRepository, StationProduct } from '../store/products.ts'
import type { Marketplace } from './marketplace.ts'

/** What only the warehouse knows of a SKU: where it lies and the other codes printed on it. */
export interface WarehouseProductData {
  sku: string
  barcodes: string[]
  case_barcodes: { code: string; units: number }[]
  bin_location: string | null
}

/** The station's photo address of a SKU; the station fetches and caches the marketplace's photo. */
export function stationPhotoUrl(sku: string): string {
  return `/media/products/${encodeURIComponent(sku)}`
}

/**
 * Builds the catalogue from the marketplace's products API (SKU, title, EAN, photo), merged with
 * the warehouse's own data (bin locations, extra and case barcodes). Products with variants give
 * one catalogue entry per variant, since order items name the variant.
 */
export async function syncCatalogue(options: {
  db: StationDatabase
  client: Marketplace
  products: ProductRepository
  warehouse: ReadonlyMap<string, WarehouseProductData>
}): Promise<number> {
  const { client, products, warehouse, db } = options
  const ids = await client.listProductIds()
  const mall: MallProduct[] = []
  for (const id of ids) mall.push(await client.getProduct(id))
  let changed = 0
  db.transaction(() => {
    for (const product of mall) {
      const units =
        product.variants.length > 0
          ? product.variants.map((v) => ({ sku: v.id, title: v.title, barcode: v.barcode, media: v.media.length > 0 ? v.media : product.media }))
          : [{ sku: product.id, title: product.title, barcode: product.barcode, media: product.media }]
      for (const unit of units) {
        const own = warehouse.get(unit.sku)
        const barcodes = [...new Set([unit.barcode, ...(own?.barcodes ?? [])].filter((code): code is string => !!code))]
        const photo = unit.media.find((m) => m.main) ?? unit.media[0]
        const entry: StationProduct = {
          sku: unit.sku,
          title: unit.title,
          barcodes,
          case_barcodes: own?.case_barcodes ?? [],
          photo_url: photo ? stationPhotoUrl(unit.sku) : null,
          bin_location: own?.bin_location ?? null,
          source_photo_url: photo?.url ?? null,
        }
        if (products.upsert(entry)) changed++
      }
    }
  })()
  return changed
}
