import { join } from 'node:path'
import { SimulatorDatabase, WRITE_LOG_TABLE } from '../common/store.ts'

/** The kinds of document the simulator keeps, each a JSON value under an id. */
export type DocKind = 'form' | 'event' | 'offer' | 'token' | 'shipment' | 'command' | 'wza' | 'tracking' | 'meta'

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE docs (kind TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
   ${WRITE_LOG_TABLE}`,
]

/**
 * The simulator's own persistent store: one SQLite file (or memory), documents kept whole as JSON.
 * The simulator holds them in memory and writes each change through.
 */
export class AllegroStore extends SimulatorDatabase {
  private position = 0

  constructor(dataDir: string | null) {
    super(dataDir === null ? ':memory:' : join(dataDir, 'allegro-simulator.sqlite'), MIGRATIONS)
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
}
