import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

/**
 * The station's SQLite file and its versioned migrations. A migration is appended, never edited:
 * `user_version` records how many have run, so an older data folder is brought forward on start.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the order mirror, catalogue, users, sessions, idempotency keys, the outbox and the audit log.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

   -- Every order the marketplace told us of. data is the order as the station shows it (the
   -- marketplace's shape with local changes applied); marketplace_data is the last state read
   -- from the marketplace. seq is the delta cursor: it takes a new, higher value on every change.
   CREATE TABLE orders (
     id INTEGER PRIMARY KEY,
     data TEXT NOT NULL,
     marketplace_data TEXT,
     status TEXT NOT NULL,
     test INTEGER NOT NULL DEFAULT 0,
     revision INTEGER NOT NULL,
     seq INTEGER NOT NULL UNIQUE,
     status_changed_at TEXT NOT NULL,
     synced INTEGER NOT NULL DEFAULT 1,
     conflict TEXT,
     fingerprint TEXT,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX orders_status ON orders (status);

   CREATE TABLE products (
     sku TEXT PRIMARY KEY,
     data TEXT NOT NULL,
     seq INTEGER NOT NULL UNIQUE,
     updated_at TEXT NOT NULL
   );

   CREATE TABLE users (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL,
     pin_hash TEXT NOT NULL,
     failed_attempts INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT
   );

   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users (id),
     device_id TEXT,
     created_at TEXT NOT NULL,
     last_used_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );

   CREATE TABLE idempotency_keys (
     key TEXT NOT NULL,
     user_id INTEGER NOT NULL,
     request_hash TEXT NOT NULL,
     status INTEGER NOT NULL,
     response TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (user_id, key)
   );

   -- Changes waiting to reach the marketplace, forwarded in id order per order.
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     order_id INTEGER NOT NULL,
     kind TEXT NOT NULL,
     body TEXT NOT NULL,
     state TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     audit_id INTEGER,
     created_at TEXT NOT NULL,
     finished_at TEXT
   );
   CREATE INDEX outbox_pending ON outbox (state, order_id, id);

   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     order_id INTEGER,
     actor TEXT NOT NULL,
     user_name TEXT,
     device_id TEXT,
     action TEXT NOT NULL,
     details TEXT NOT NULL,
     marketplace_state TEXT NOT NULL,
     marketplace_at TEXT
   );
   CREATE INDEX audit_order ON audit (order_id, id);

   -- MALL Delivery labels the marketplace produced, kept for reprinting.
   CREATE TABLE labels (
     order_id INTEGER PRIMARY KEY,
     data TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
  // 2: an idempotency key names one change whoever signs in to send it (a tablet's outbox may be
  // sent under the next shift's session).
  `CREATE UNIQUE INDEX idempotency_key ON idempotency_keys (key);`,
  // 3: who is packing an order: one claim per order, until it expires.
  `CREATE TABLE claims (
     order_id INTEGER PRIMARY KEY,
     user_name TEXT NOT NULL,
     device_id TEXT,
     claimed_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );`,
  // 4: a problem reported on an order (a short pick): it stays open, flagged with the reason.
  `CREATE TABLE flags (
     order_id INTEGER PRIMARY KEY,
     reason TEXT NOT NULL,
     sku TEXT,
     note TEXT,
     user_name TEXT NOT NULL,
     device_id TEXT,
     flagged_at TEXT NOT NULL
   );`,
  // 5: the station's settings every tablet shares (seller, carriers, printers), one JSON value a key.
  `CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
  // 6: leads see and revoke the signed-in devices: each session gets an id to name it by and the
  // client address it was last used from; the devices each user signed in on successfully are
  // remembered, so a lock set off by someone else's guesses never keeps them out there.
  `ALTER TABLE sessions ADD COLUMN id TEXT;
   ALTER TABLE sessions ADD COLUMN client_address TEXT;
   UPDATE sessions SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
   CREATE UNIQUE INDEX sessions_id ON sessions (id);
   CREATE TABLE user_devices (
     user_id INTEGER NOT NULL REFERENCES users (id),
     device_id TEXT NOT NULL,
     first_signed_in_at TEXT NOT NULL,
     last_signed_in_at TEXT NOT NULL,
     PRIMARY KEY (user_id, device_id)
   );
   INSERT OR IGNORE INTO user_devices (user_id, device_id, first_signed_in_at, last_signed_in_at)
     SELECT user_id, device_id, MIN(created_at), MAX(last_used_at) FROM sessions WHERE device_id IS NOT NULL GROUP BY user_id, device_id;`,
  // 7: one word for a change waiting to be sent, on the tablet and on the station: `queued`.
  `UPDATE outbox SET state = 'queued' WHERE state = 'pending';
   UPDATE audit SET marketplace_state = 'queued' WHERE marketplace_state = 'pending';`,
  // 8: imports of states: one row per file (named by the SHA-256 of its bytes) and one per row of
  // it that was applied, with the history entry of the change it queued, so the same file applied
  // again sends nothing new and its report shows the marketplace's answers.
  `CREATE TABLE IF NOT EXISTS imports (
     id TEXT PRIMARY KEY,
     file_name TEXT,
     format TEXT NOT NULL,
     encoding TEXT NOT NULL,
     row_count INTEGER NOT NULL,
     user_name TEXT NOT NULL,
     device_id TEXT,
     applied_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS import_rows (
     import_id TEXT NOT NULL REFERENCES imports (id),
     row INTEGER NOT NULL,
     order_id INTEGER,
     status TEXT,
     outcome TEXT NOT NULL,
     code TEXT,
     detail TEXT,
     audit_id INTEGER,
     PRIMARY KEY (import_id, row)
   );`,
  // 9: notes on an order (MALL has none), each named by the id the tablet made for it.
  `CREATE TABLE IF NOT EXISTS notes (
     id TEXT PRIMARY KEY,
     order_id INTEGER NOT NULL,
     text TEXT NOT NULL,
     user_name TEXT NOT NULL,
     device_id TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     updated_by TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS notes_order ON notes (order_id, created_at);`,
]

export type StationDatabase = Database.Database

/** SQLite's `synchronous` setting for the station: FULL, so an acknowledged change survives a power cut. */
export const DURABLE_SYNCHRONOUS = 'FULL'

export function openDatabase(file: string): StationDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  // Every repository prepares its SQL where it uses it; compiling a statement costs more than
  // running it, so each distinct SQL text is compiled once per connection and reused.
  const statements = new Map<string, Database.Statement>()
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }) as typeof db.prepare
  db.pragma('journal_mode = WAL')
  // The station answers "done" and the tablet then drops its copy, so what was answered must be
  // on disk. WAL with NORMAL survives a crash of the process but, by SQLite's own documentation,
  // may roll back the last commits after a power cut or an OS crash; FULL syncs the log at every
  // commit. The batch call (`POST /api/changes`) commits many changes at once to pay for it.
  db.pragma(`synchronous = ${DURABLE_SYNCHRONOUS}`)
  db.pragma('foreign_keys = ON')
  // The working set (10,000 orders of a few KB each) fits in memory: no re-reading from disk.
  db.pragma('cache_size = -65536')
  db.pragma('mmap_size = 268435456')
  db.pragma('temp_store = MEMORY')
  // Checkpoint the write-ahead log in larger steps: fewer interruptions of a burst of changes.
  db.pragma('wal_autocheckpoint = 8000')
  const version = db.pragma('user_version', { simple: true }) as number
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  return db
}

/** The next value of a named counter, inside the caller's transaction. */
export function nextSequence(db: StationDatabase, name: string): number {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(`seq:${name}`) as { value: string } | undefined
  const next = (row ? Number(row.value) : 0) + 1
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(`seq:${name}`, String(next))
  return next
}
