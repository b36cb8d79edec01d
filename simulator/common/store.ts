import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

/** A write request a simulated marketplace received, for tests that count what arrived. */
export interface LogEntry {
  seq: number
  at: string
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  /** The HTTP status answered; null when the simulator never answered (an outage that hangs). */
  status: number | null
}

/** The table of writes both simulators keep (`write_log`); part of each one's first migration. */
export const WRITE_LOG_TABLE = `CREATE TABLE write_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL,
     path TEXT NOT NULL, query TEXT NOT NULL, body TEXT, status INTEGER);`

/**
 * A simulator's SQLite file (`:memory:` for none; its folder is made), its schema brought up to
 * date (migration N runs once, when the file's `user_version` is below N + 1), and the log of
 * writes (`write_log`) both simulators keep. Each simulator's store adds its own tables.
 */
export class SimulatorDatabase {
  protected readonly db: Database.Database

  constructor(file: string, migrations: readonly string[]) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    const version = this.db.pragma('user_version', { simple: true }) as number
    for (let v = version; v < migrations.length; v++) {
      this.db.transaction(() => {
        this.db.exec(migrations[v] as string)
        this.db.pragma(`user_version = ${v + 1}`)
      })()
    }
  }

  /** Records a write and returns its sequence number, so the answer can be filled in later. */
  appendLog(entry: Omit<LogEntry, 'seq'>): number {
    const result = this.db
      .prepare('INSERT INTO write_log (at, method, path, query, body, status) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.at, entry.method, entry.path, JSON.stringify(entry.query), entry.body === undefined ? null : JSON.stringify(entry.body), entry.status)
    return Number(result.lastInsertRowid)
  }

  /** The writes recorded after `afterSeq`, oldest first. */
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
