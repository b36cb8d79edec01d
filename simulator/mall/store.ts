import type { Order } from '#core/order.ts'
import { SimulatorDatabase, WRITE_LOG_TABLE } from '../common/store.ts'
import type { SeedProduct } from './seed.ts'

/** Labels MALL generated for a MALL Delivery order; the last version is the valid one. */
export interface Consignment {
  id: number
  order_id: number
  labels_raw: string
  labels_type: 'pdf' | 'zpl'
  parcel_count: number
  type: 'online'
  barcodes: string[]
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE orders (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
   CREATE TABLE products (sku TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
   CREATE TABLE consignments (order_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
   ${WRITE_LOG_TABLE}`,
]

/**
 * The simulator's own persistent store: one SQLite file. Orders are kept whole as JSON, as the
 * marketplace returns them; the simulator holds them in memory and writes each change through.
 */
export class SimulatorStore extends SimulatorDatabase {
  constructor(file: string) {
    super(file, MIGRATIONS)
  }

  getMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value ?? null
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
  }

  loadOrders(): Order[] {
    return this.loadJson<Order>('SELECT data FROM orders ORDER BY id')
  }

  saveOrders(orders: readonly Order[]): void {
    this.saveJson('INSERT INTO orders (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data', orders, (order) => [order.id, JSON.stringify(order)])
  }

  loadProducts(): SeedProduct[] {
    return this.loadJson<SeedProduct>('SELECT data FROM products ORDER BY position')
  }

  saveProducts(products: readonly SeedProduct[]): void {
    this.saveJson('INSERT OR REPLACE INTO products (sku, position, data) VALUES (?, ?, ?)', products, (product, position) => [product.sku, position, JSON.stringify(product)])
  }

  /** Rows kept as one JSON document each, in the query's order. */
  private loadJson<T>(sql: string): T[] {
    return (this.db.prepare(sql).all() as { data: string }[]).map((row) => JSON.parse(row.data) as T)
  }

  /** Writes rows in one transaction, each with the parameters `values` gives it. */
  private saveJson<T>(sql: string, rows: readonly T[], values: (row: T, index: number) => unknown[]): void {
    const put = this.db.prepare(sql)
    this.db.transaction(() => {
      rows.forEach((row, index) => put.run(...values(row, index)))
    })()
  }

  loadConsignments(): Consignment[] {
    return this.loadJson<Consignment>('SELECT data FROM consignments')
  }

  saveConsignment(consignment: Consignment): void {
    this.db
      .prepare('INSERT INTO consignments (order_id, data) VALUES (?, ?) ON CONFLICT(order_id) DO UPDATE SET data = excluded.data')
      .run(consignment.order_id, JSON.stringify(consignment))
  }
}
