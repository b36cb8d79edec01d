import { createHash } from 'node:crypto'
import { stringify } from 'csv-stringify/sync'
import type { Problem } from '#core/problem.ts'
import type { ImportOutcome, ImportRowWithAnswer, ImportStore, StoredImportRow } from '../store/imports.ts'
import type { Session } from '../store/users.ts'
import type { OrderWriteDeps } from './deps.ts'
import { readImportFile, type ImportFile, type ImportRow } from './import-file.ts'
import type { StatusChanges } from './status-changes.ts'

/**
 * The import of states: a seller's file of order states (server/orders/import-file.ts reads it)
 * applied as the status changes the marketplace's PUT would get. A dry run says per row what would
 * happen and writes nothing; applying sends each row through the station's outbox to the
 * marketplace exactly once: its idempotency key is made of the file's SHA-256 and the row, so the
 * same file applied again is answered from the first time and sends nothing new.
 */

export interface ImportReportRow extends Omit<StoredImportRow, 'audit_id'> {
  /** Whether the change reached the marketplace (`queued`, `sent`, `refused`, `dropped`); null when nothing was sent. */
  marketplace: string | null
  marketplace_at: string | null
  /** The marketplace's words when it refused the change, or the last error while it waits. */
  marketplace_detail: string | null
}

export interface ImportReport {
  /** The SHA-256 of the file's bytes: the import's name, `GET /api/imports/:id`. */
  import_id: string
  file_name: string | null
  format: ImportFile['format']
  encoding: ImportFile['encoding']
  dry_run: boolean
  applied_at: string | null
  counts: Record<ImportOutcome, number>
  rows: ImportReportRow[]
}

/** Outcomes whose answer the station kept under the row's key: applying them again sends nothing. */
const DONE: ReadonlySet<ImportOutcome> = new Set(['sent', 'already_so', 'refused'])

function emptyCounts(): Record<ImportOutcome, number> {
  return { will_change: 0, already_so: 0, refused: 0, unknown_order: 0, unreadable: 0, sent: 0, already_imported: 0 }
}

function reportRow(row: Omit<ImportReportRow, 'marketplace' | 'marketplace_at' | 'marketplace_detail'>, answer: ImportRowWithAnswer | null = null): ImportReportRow {
  return {
    ...row,
    marketplace: answer?.marketplace ?? null,
    marketplace_at: answer?.marketplace_at ?? null,
    marketplace_detail: answer?.marketplace === 'refused' || answer?.marketplace === 'queued' ? (answer.marketplace_detail ?? null) : null,
  }
}

function unreadableRow(row: Extract<ImportRow, { readable: false }>): ImportReportRow {
  return reportRow({ row: row.row, order_id: row.order_id, status: row.status, outcome: 'unreadable', code: row.code, detail: row.message })
}

export class StateImports {
  constructor(private readonly deps: Pick<OrderWriteDeps, 'db' | 'clock'> & { changes: StatusChanges; imports: ImportStore }) {}

  static fileId(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex')
  }

  /** The idempotency key of a row of a file: the same file's same row is the same change. */
  static rowKey(importId: string, row: number): string {
    return `import:${importId.slice(0, 40)}:${row}`
  }

  /** What applying the file would do, row by row; nothing is written or sent. Throws ImportFileError. */
  dryRun(bytes: Uint8Array, fileName: string | null): ImportReport {
    const file = readImportFile(bytes)
    const id = StateImports.fileId(bytes)
    const earlier = this.deps.imports.rows(id)
    const rows = file.rows.map((row): ImportReportRow => {
      if (!row.readable) return unreadableRow(row)
      const before = earlier.get(row.row)
      const base = { row: row.row, order_id: row.order_id, status: row.status, code: null, detail: null }
      if (before && DONE.has(before.outcome)) return reportRow({ ...base, outcome: 'already_imported', code: before.code, detail: before.detail }, before)
      const preview = this.deps.changes.preview(row.order_id, row.change)
      if (preview.outcome === 'refused') return reportRow({ ...base, outcome: 'refused', code: preview.code, detail: preview.message })
      if (preview.outcome === 'unknown_order') return reportRow({ ...base, outcome: 'unknown_order', detail: `There is no order ${row.order_id} on this station.` })
      return reportRow({ ...base, outcome: preview.outcome })
    })
    return this.report(id, fileName, file, true, null, rows)
  }

  /**
   * Applies the file: each readable row as a status change under its own key, all in one
   * transaction. Throws ImportFileError. `queued` says whether anything went to the outbox.
   */
  apply(bytes: Uint8Array, fileName: string | null, session: Session, deviceId: string | null): { report: ImportReport; queued: boolean } {
    const file = readImportFile(bytes)
    const id = StateImports.fileId(bytes)
    const { db, imports, changes, clock } = this.deps
    const appliedAt = new Date(clock()).toISOString()
    let queued = false
    const rows = db.transaction(() => {
      imports.saveImport({ id, file_name: fileName, format: file.format, encoding: file.encoding, row_count: file.rows.length, user_name: session.user.name, device_id: deviceId, applied_at: appliedAt })
      const earlier = imports.rows(id)
      return file.rows.map((row): StoredImportRow | ImportReportRow => {
        if (!row.readable) {
          const stored: StoredImportRow = { row: row.row, order_id: row.order_id, status: row.status, outcome: 'unreadable', code: row.code, detail: row.message, audit_id: null }
          imports.saveRow(id, stored)
          return stored
        }
        const before = earlier.get(row.row)
        if (before && DONE.has(before.outcome)) {
          return reportRow({ row: row.row, order_id: row.order_id, status: row.status, outcome: 'already_imported', code: before.code, detail: before.detail }, before)
        }
        const answer = changes.change({ orderId: row.order_id, body: row.change, idempotencyKey: StateImports.rowKey(id, row.row), ifMatch: undefined, session, deviceId })
        const stored: StoredImportRow = { row: row.row, order_id: row.order_id, status: row.status, outcome: 'sent', code: null, detail: null, audit_id: answer.auditId ?? null }
        if (answer.status === 404) {
          stored.outcome = 'unknown_order'
          stored.detail = `There is no order ${row.order_id} on this station.`
        } else if (answer.status !== 200) {
          const problem = JSON.parse(answer.json) as Problem
          stored.outcome = 'refused'
          stored.code = problem.code
          stored.detail = problem.detail
        } else if (answer.auditId === undefined) {
          stored.outcome = 'already_so'
        } else {
          queued = true
        }
        imports.saveRow(id, stored)
        return stored
      })
    })()
    const answers = imports.rows(id)
    const report = rows.map((row) => ('audit_id' in row ? this.withAnswer(row, answers.get(row.row) ?? null) : row))
    return { report: this.report(id, fileName, file, false, appliedAt, report), queued }
  }

  /** An applied import's report as it stands now, with the marketplace's answers so far; null when never applied. */
  find(id: string): ImportReport | null {
    const record = this.deps.imports.find(id)
    if (!record) return null
    const rows = [...this.deps.imports.rows(id).values()].map((row) => this.withAnswer(row, row))
    const file = { format: record.format as ImportFile['format'], encoding: record.encoding as ImportFile['encoding'], rows: [] }
    return this.report(id, record.file_name, file, false, record.applied_at, rows)
  }

  private withAnswer(row: StoredImportRow, answer: ImportRowWithAnswer | null): ImportReportRow {
    const { audit_id: _audit, ...rest } = row
    return reportRow(rest, answer)
  }

  private report(id: string, fileName: string | null, file: Pick<ImportFile, 'format' | 'encoding'>, dryRun: boolean, appliedAt: string | null, rows: ImportReportRow[]): ImportReport {
    const counts = emptyCounts()
    for (const row of rows) counts[row.outcome]++
    return { import_id: id, file_name: fileName, format: file.format, encoding: file.encoding, dry_run: dryRun, applied_at: appliedAt, counts, rows }
  }
}

/** The columns of a report's CSV, in order. */
const REPORT_COLUMNS = ['row', 'order_id', 'status', 'outcome', 'code', 'detail', 'marketplace', 'marketplace_at', 'marketplace_detail'] as const

/** A report as CSV the way the desk's exports are: semicolons, UTF-8 with a BOM so Excel opens it. */
export function reportCsv(report: ImportReport): string {
  return stringify(
    report.rows.map((row) => REPORT_COLUMNS.map((column) => row[column] ?? '')),
    { delimiter: ';', bom: true, header: true, columns: [...REPORT_COLUMNS], record_delimiter: 'windows' },
  )
}
