import type { MarketplaceState } from './audit.ts'
import type { StationDatabase } from './database.ts'

/**
 * Imports of states that were applied: the file (named by the SHA-256 of its bytes) and each of its
 * rows with what became of it, and the history entry of the change it queued for the marketplace.
 */

/**
 * What became of a row: a dry run says `will_change`; applying says `sent` (accepted and queued
 * for the marketplace); either may say `already_so`, `refused`, `unknown_order`, `unreadable`, or
 * `already_imported` (this file's row was applied before, so nothing is sent again).
 */
export type ImportOutcome = 'will_change' | 'already_so' | 'refused' | 'unknown_order' | 'unreadable' | 'sent' | 'already_imported'

export interface ImportRecord {
  id: string
  file_name: string | null
  format: string
  encoding: string
  row_count: number
  user_name: string
  device_id: string | null
  applied_at: string
}

/** One row of an import as the station keeps it (the report adds the marketplace's answer). */
export interface StoredImportRow {
  row: number
  order_id: number | null
  /** The MALL status the row asks for (the file's word when it maps to none). */
  status: string | null
  outcome: ImportOutcome
  /** The refusal's code (`TRANSITION_NOT_ALLOWED`, `ROW_UNREADABLE`, …). */
  code: string | null
  /** The sentence that says why, for a row refused or unreadable. */
  detail: string | null
  audit_id: number | null
}

/** A row of an applied import with the marketplace's answer to its change, as far as it came. */
export interface ImportRowWithAnswer extends StoredImportRow {
  marketplace: MarketplaceState | null
  marketplace_at: string | null
  marketplace_detail: string | null
}

export class ImportStore {
  constructor(private readonly db: StationDatabase) {}

  find(id: string): ImportRecord | null {
    return (this.db.prepare('SELECT * FROM imports WHERE id = ?').get(id) as ImportRecord | undefined) ?? null
  }

  /** Records the file (again): the latest application's time and person. */
  saveImport(record: ImportRecord): void {
    this.db
      .prepare(
        `INSERT INTO imports (id, file_name, format, encoding, row_count, user_name, device_id, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, user_name = excluded.user_name, device_id = excluded.device_id, applied_at = excluded.applied_at`,
      )
      .run(record.id, record.file_name, record.format, record.encoding, record.row_count, record.user_name, record.device_id, record.applied_at)
  }

  saveRow(importId: string, row: StoredImportRow): void {
    this.db
      .prepare(
        `INSERT INTO import_rows (import_id, row, order_id, status, outcome, code, detail, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (import_id, row) DO UPDATE SET order_id = excluded.order_id, status = excluded.status, outcome = excluded.outcome,
           code = excluded.code, detail = excluded.detail, audit_id = excluded.audit_id`,
      )
      .run(importId, row.row, row.order_id, row.status, row.outcome, row.code, row.detail, row.audit_id)
  }

  /** The rows of an applied import by row number, with the marketplace's answers. */
  rows(importId: string): Map<number, ImportRowWithAnswer> {
    const rows = this.db
      .prepare(
        `SELECT r.row, r.order_id, r.status, r.outcome, r.code, r.detail, r.audit_id,
                a.marketplace_state AS marketplace, a.marketplace_at, o.last_error AS marketplace_detail
         FROM import_rows r LEFT JOIN audit a ON a.id = r.audit_id LEFT JOIN outbox o ON o.audit_id = r.audit_id AND r.audit_id IS NOT NULL
         WHERE r.import_id = ? ORDER BY r.row`,
      )
      .all(importId) as ImportRowWithAnswer[]
    return new Map(rows.map((row) => [row.row, row]))
  }
}
