import type { StationDatabase } from './database.ts'

/** MALL Delivery labels as the marketplace produced them, kept so they can be printed again. */
export interface StoredLabels {
  labels_type: 'pdf' | 'zpl'
  parcel_count: number
  /** The document, base64, as the marketplace sent it. */
  labels_raw: string
  /** One barcode per parcel. */
  barcodes: string[]
}

export class LabelStore {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  save(orderId: number, labels: StoredLabels): void {
    this.db
      .prepare('INSERT INTO labels (order_id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at')
      .run(orderId, JSON.stringify(labels), new Date(this.clock()).toISOString())
  }

  get(orderId: number): StoredLabels | null {
    const row = this.db.prepare('SELECT data FROM labels WHERE order_id = ?').get(orderId) as { data: string } | undefined
    return row ? (JSON.parse(row.data) as StoredLabels) : null
  }
}
