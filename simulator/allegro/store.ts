import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/** A write request the simulated Allegro received, for tests that count what arrived. */
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

/** The kinds of document the simulator keeps, each a JSON value under an id. */
export type DocKind = 'form' | 'event' | 'offer' | 'token' | 'shipment' | 'command' | 'wza' | 'tracking' | 'meta'

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE docs (kind TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
   CREATE TABLE write_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL,
     path TEXT NOT NULL, query TEXT NOT NULL, body TEXT, status INTEGER);`,
]

/**
 * The simulator's own persistent store: one SQLite file (or memory), documents kept whole as JSON.
 * The simulator holds them in memory and writes each change through.
 */
export class AllegroStore {
  private readonly db: Database.Database
  private position = 0

  constructor(dataDir: string | null) {
    let file = ':memory:'
    if (dataDir !== null) {
      mkdirSync(dataDir, { recursive: true })
      file = join(dataDir, 'allegro-simulator.sqlite')
    }
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    const version = this.db.pragma('user_version', { simple: true }) as number
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v] as string)
        this.db.pragma(`user_version = ${v + 1}`)
      })()
    }
    const row = this.db.prepare('SELECT MAX(position) AS p FROM docs').get() as { p: number | null }
    this.position = row.p ?? 0
  }

  load<T>(kind: DocKind): Map<string, T> {
    const rows = this.db.prepare('SELECT id, data FROM docs WHERE kind = ? ORDER BY position').all(kind) as { id: string; data: string }[]
    return new Map(rows.map((row) => [row.id, JSON.parse(row.data) as T]))
  }

  /** Saves a document; a new one goes after every other, an existing one keeps its place. */
  save(kind: DocKind, id: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO docs (kind, id, position, data) VALUES (?, ?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data')
      .run(kind, id, ++this.position, JSON.stringify(value))
  }

  remove(kind: DocKind, id: string): void {
    this.db.prepare('DELETE FROM docs WHERE kind = ? AND id = ?').run(kind, id)
  }

  clear(): void {
    this.db.exec('DELETE FROM docs; DELETE FROM write_log;')
  }

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
