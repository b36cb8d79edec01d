import type { CatalogueProduct } from '#core/product.ts'
import { nextSequence, type StationDatabase } from './database.ts'

/** The station's product catalogue, pulled by tablets by cursor like the orders. */
export interface StationProduct extends CatalogueProduct {
  /** Where the marketplace keeps the photo; tablets load `photo_url`, served by the station. */
  source_photo_url: string | null
}

export class ProductRepository {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  get(sku: string): StationProduct | null {
    const row = this.db.prepare('SELECT data FROM products WHERE sku = ?').get(sku) as { data: string } | undefined
    return row ? (JSON.parse(row.data) as StationProduct) : null
  }

  /** Writes a product if it differs from what is stored; returns whether it changed. */
  upsert(product: StationProduct): boolean {
    const json = JSON.stringify(product)
    const row = this.db.prepare('SELECT data FROM products WHERE sku = ?').get(product.sku) as { data: string } | undefined
    if (row?.data === json) return false
    this.db
      .prepare('INSERT INTO products (sku, data, seq, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(sku) DO UPDATE SET data = excluded.data, seq = excluded.seq, updated_at = excluded.updated_at')
      .run(product.sku, json, nextSequence(this.db, 'products'), new Date(this.clock()).toISOString())
    return true
  }

  delta(since: number | null, limit: number): { products: CatalogueProduct[]; cursor: number; more: boolean } {
    const rows = this.db.prepare('SELECT data, seq FROM products WHERE seq > ? ORDER BY seq LIMIT ?').all(since ?? 0, limit + 1) as { data: string; seq: number }[]
    const more = rows.length > limit
    const page = rows.slice(0, limit)
    return {
      products: page.map((row) => {
        const { source_photo_url: _source, ...product } = JSON.parse(row.data) as StationProduct
        return product
      }),
      cursor: page.length > 0 ? (page.at(-1) as { seq: number }).seq : (since ?? 0),
      more,
    }
  }

  /** The cursor of the newest catalogue change, as the event stream announces it. */
  latestSeq(): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM products').get() as { seq: number | null }
    return row.seq ?? 0
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number }).n
  }
}
