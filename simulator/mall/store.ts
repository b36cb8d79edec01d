import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Order } from '#core/order.ts'
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

/** A write request the marketplace received, for tests that count what arrived. */
export interface LogEntry {
  seq: number
  at: string
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  /** The HTTP status answered; null when the marketplace never answered (an outage that hangs). */
  status: number | null
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE orders (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
   CREATE TABLE products (sku TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
   CREATE TABLE consignments (order_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
   CREATE TABLE write_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL,
     path TEXT NOT NULL, query TEXT NOT NULL, body TEXT, status INTEGER);`,
]

/**
 * The simulator's own persistent store: one SQLite file. Orders are kept whole as JSON, as the
 * marketplace returns them; the simulator holds them in memory and writes each change through.
 */
export class SimulatorStore {
  private readonly db: Database.Database

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.migrate()
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v] as string)
        this.db.pragma(`user_version = ${v + 1}`)
      })()
    }
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

  /** Records a write and returns its sequence number, so the answer can be filled in later. */
  appendLog(entry: Omit<LogEntry, 'seq'>): number {
    const result = this.db
      .prepare('INSERT INTO write_log (at, method, path, query, body, status) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.at, entry.method, entry.path, JSON.stringify(entry.query), entry.body === undefined ? null : JSON.stringify(entry.body), entry.status)
    return Number(result.lastInsertRowid)
  }

  listLog(afterSeq = 0): LogEntry[] {
    const rows = this.db.prepare('SELECT * FROM write_log WHERE seq > ? ORDER BY seq').all(afterSeq) as {
      seq: number
      at: string
      method: string
      path: string
      query: string
      body: string | null
      status: number | null
    }[]
    return rows.map((row) => ({
      seq: row.seq,
      at: row.at,
      method: row.method,
      path: row.path,
      query: JSON.parse(row.query) as Record<string, string>,
      body: row.body === null ? null : (JSON.parse(row.body) as unknown),
      status: row.status,
    }))
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)()
  }

  close(): void {
    this.db.close()
  }
}
