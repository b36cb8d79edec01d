import type { StationDatabase } from './database.ts'

/**
 * The station's durable outbox to the marketplace. An entry is `queued` until sent, `inflight`
 * while (or if a crash left it) being sent, and ends `done`, `refused` (the marketplace said no)
 * or `dropped` (it built on a refused change). Entries of one order go in id order.
 */

/** `start_packing`: the order's first scan, for marketplaces told when packing starts (Allegro). */
export type OutboxKind = 'status' | 'tracking' | 'labels' | 'start_packing'
export type OutboxState = 'queued' | 'inflight' | 'done' | 'refused' | 'dropped'

export interface OutboxEntry {
  id: number
  order_id: number
  kind: OutboxKind
  body: Record<string, unknown>
  state: OutboxState
  attempts: number
  next_attempt_at: number
  last_error: string | null
  audit_id: number | null
  created_at: string
}

interface OutboxRow extends Omit<OutboxEntry, 'body'> {
  body: string
}

const fromRow = (row: OutboxRow): OutboxEntry => ({ ...row, body: JSON.parse(row.body) as Record<string, unknown> })

export class Outbox {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Queues a change. `maybeSent` when a first attempt left without an answer: the marketplace
   * may have it, so it is checked before anything is sent again, not before `notBefore`.
   */
  add(orderId: number, kind: OutboxKind, body: Record<string, unknown>, auditId: number | null, options: { maybeSent?: boolean; notBefore?: number } = {}): number {
    const result = this.db
      .prepare('INSERT INTO outbox (order_id, kind, body, state, audit_id, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(orderId, kind, JSON.stringify(body), options.maybeSent ? 'inflight' : 'queued', auditId, new Date(this.clock()).toISOString(), options.notBefore ?? 0)
    return Number(result.lastInsertRowid)
  }

  /** The head of each order's queue that is due now, oldest first. */
  nextDue(now = this.clock()): OutboxEntry | null {
    const row = this.db
      .prepare(
        `SELECT o.* FROM outbox o
         JOIN (SELECT order_id, MIN(id) AS id FROM outbox WHERE state IN ('queued', 'inflight') GROUP BY order_id) head ON head.id = o.id
         WHERE o.next_attempt_at <= ? ORDER BY o.id LIMIT 1`,
      )
      .get(now) as OutboxRow | undefined
    return row ? fromRow(row) : null
  }

  /** When the next entry falls due, or null when nothing waits. */
  nextDueAt(): number | null {
    const row = this.db
      .prepare(
        `SELECT MIN(o.next_attempt_at) AS at FROM outbox o
         JOIN (SELECT order_id, MIN(id) AS id FROM outbox WHERE state IN ('queued', 'inflight') GROUP BY order_id) head ON head.id = o.id`,
      )
      .get() as { at: number | null }
    return row.at
  }

  /** Marked before sending, so a restart knows the marketplace may already have it. */
  markInflight(id: number): void {
    this.db.prepare("UPDATE outbox SET state = 'inflight', attempts = attempts + 1 WHERE id = ?").run(id)
  }

  /** Back to the queue for a later attempt; `maybeSent` keeps it marked in flight so it is checked first. */
  retryLater(id: number, at: number, error: string, maybeSent: boolean): void {
    this.db
      .prepare('UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?')
      .run(maybeSent ? 'inflight' : 'queued', at, error, id)
  }

  finish(id: number, state: 'done' | 'refused' | 'dropped', error: string | null = null): void {
    this.db
      .prepare('UPDATE outbox SET state = ?, last_error = COALESCE(?, last_error), finished_at = ? WHERE id = ?')
      .run(state, error, new Date(this.clock()).toISOString(), id)
  }

  /** The entries still waiting behind a given one for the same order. */
  waitingAfter(orderId: number, id: number): OutboxEntry[] {
    const rows = this.db
      .prepare("SELECT * FROM outbox WHERE order_id = ? AND id > ? AND state IN ('queued', 'inflight') ORDER BY id")
      .all(orderId, id) as OutboxRow[]
    return rows.map(fromRow)
  }

  /** Whether an entry of this kind was ever queued for the order (whatever became of it). */
  hasEver(orderId: number, kind: OutboxKind): boolean {
    return this.db.prepare('SELECT 1 FROM outbox WHERE order_id = ? AND kind = ? LIMIT 1').get(orderId, kind) !== undefined
  }

  queuedForOrder(orderId: number): OutboxEntry[] {
    const rows = this.db.prepare("SELECT * FROM outbox WHERE order_id = ? AND state IN ('queued', 'inflight') ORDER BY id").all(orderId) as OutboxRow[]
    return rows.map(fromRow)
  }

  depth(): { waiting: number; oldest: string | null; lastError: string | null } {
    const row = this.db
      .prepare("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE state IN ('queued', 'inflight')")
      .get() as { n: number; oldest: string | null }
    const error = this.db
      .prepare("SELECT last_error FROM outbox WHERE state IN ('queued', 'inflight') AND last_error IS NOT NULL ORDER BY id LIMIT 1")
      .get() as { last_error: string } | undefined
    return { waiting: row.n, oldest: row.oldest, lastError: error?.last_error ?? null }
  }
}
