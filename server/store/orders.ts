import { parseMallDateTime } from '#core/datetime.ts'
import { isFinalStatus, type Order } from '#core/order.ts'
import type { OrderClaim, OrderConflict, OrderFlag, OrderNote, StationOrder } from '#core/station-api.ts'
import type { AuditLog } from './audit.ts'
import type { StationDatabase } from './database.ts'

/**
 * The station's mirror of the marketplace's orders. Each row keeps the order as the station
 * shows it, the last state read from the marketplace, a `revision` that grows on every change of
 * the order, and a `seq` cursor that grows on every change tablets must pull (a new revision, or
 * news that the latest change reached the marketplace).
 */

export type { OrderConflict, StationOrder } from '#core/station-api.ts'

interface ClaimRow {
  order_id: number
  user_name: string
  device_id: string | null
  claimed_at: string
  expires_at: string
}

interface FlagRow {
  order_id: number
  reason: OrderFlag['reason']
  sku: string | null
  note: string | null
  user_name: string
  device_id: string | null
  flagged_at: string
}

function flagOf(row: FlagRow): OrderFlag {
  return { reason: row.reason, sku: row.sku, note: row.note, user: row.user_name, device_id: row.device_id, flagged_at: row.flagged_at }
}

interface NoteRow {
  id: string
  order_id: number
  text: string
  user_name: string
  device_id: string | null
  created_at: string
  updated_at: string
  updated_by: string
}

function noteOf(row: NoteRow): OrderNote {
  return { id: row.id, text: row.text, user: row.user_name, device_id: row.device_id, created_at: row.created_at, updated_at: row.updated_at, updated_by: row.updated_by }
}

function claimOf(row: ClaimRow, now: number): OrderClaim | null {
  if (Date.parse(row.expires_at) <= now) return null
  return { user: row.user_name, device_id: row.device_id, claimed_at: row.claimed_at, until: row.expires_at }
}

export interface OrderRow {
  id: number
  data: string
  marketplace_data: string | null
  status: string
  test: number
  revision: number
  seq: number
  status_changed_at: string
  synced: number
  conflict: string | null
  fingerprint: string | null
  updated_at: string
}

const WORKING_SET_FINAL_DAYS = 7

export function isInWorkingSet(order: Pick<Order, 'status'>, statusChangedAt: string, now: number): boolean {
  if (order.status === 'blocked') return false
  if (!isFinalStatus(order.status)) return true
  return now - Date.parse(statusChangedAt) <= WORKING_SET_FINAL_DAYS * 24 * 60 * 60 * 1000
}

/** When the order entered its status, from the marketplace's timestamp, else now. */
function statusTime(order: Order, now: number): string {
  const at = order[order.status]
  const parsed = at ? parseMallDateTime(at) : null
  return new Date(parsed ? parsed.getTime() : now).toISOString()
}

export class OrderRepository {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
    /** Where the marketplace's own status changes are written, beside the tablets' ones. */
    private readonly audit: AuditLog | null = null,
  ) {}

  /**
   * The next delta cursor: one past the highest. Every change takes a new highest value, so the
   * maximum only grows and a value is never given out twice.
   */
  private nextSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM orders').get() as { seq: number }).seq
  }

  get(id: number): OrderRow | null {
    return (this.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined) ?? null
  }

  order(row: OrderRow): Order {
    return JSON.parse(row.data) as Order
  }

  marketplaceOrder(row: OrderRow): Order | null {
    return row.marketplace_data === null ? null : (JSON.parse(row.marketplace_data) as Order)
  }

  pendingChanges(orderId: number): number {
    const row = this.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE order_id = ? AND state IN ('queued', 'inflight')").get(orderId) as { n: number }
    return row.n
  }

  /** The order as the API shows it; `order` and `queued` may be passed when the caller has them. */
  toApi(row: OrderRow, order: Order = this.order(row), pending: number = this.pendingChanges(row.id)): StationOrder {
    return {
      ...order,
      revision: row.revision,
      status_changed_at: row.status_changed_at,
      synced: row.synced === 1,
      pending_changes: pending,
      conflict: row.conflict === null ? null : (JSON.parse(row.conflict) as OrderConflict),
      in_working_set: isInWorkingSet(order, row.status_changed_at, this.clock()),
      claim: this.claim(row.id),
      flag: this.flag(row.id),
      notes: this.notes(row.id),
      packed_by: this.packedBy([row.id]).get(row.id) ?? null,
    }
  }

  /**
   * Who packed each of the orders: the display name on the latest packing evidence (a change to
   * `shipping` with the scans, or the evidence of a packing done again), from the audit log.
   */
  packedBy(orderIds: readonly number[]): Map<number, string> {
    if (orderIds.length === 0) return new Map()
    const rows = this.db
      .prepare(
        `SELECT a.order_id, COALESCE(u.display_name, a.user_name) AS packed_by
         FROM audit a LEFT JOIN users u ON u.name = a.user_name
         WHERE a.id IN (
           SELECT MAX(id) FROM audit
           WHERE order_id IN (SELECT value FROM json_each(?)) AND actor = 'user' AND action IN ('status', 'packing')
             AND json_extract(details, '$.packing') IS NOT NULL
           GROUP BY order_id)`,
      )
      .all(JSON.stringify(orderIds)) as { order_id: number; packed_by: string | null }[]
    return new Map(rows.filter((row) => row.packed_by !== null).map((row) => [row.order_id, row.packed_by as string]))
  }

  /** The order's notes, oldest first. */
  notes(orderId: number): OrderNote[] {
    return (this.db.prepare('SELECT * FROM notes WHERE order_id = ? ORDER BY created_at, id').all(orderId) as NoteRow[]).map(noteOf)
  }

  note(id: string): (OrderNote & { order_id: number }) | null {
    const row = this.db.prepare('SELECT * FROM notes WHERE id = ?').get(id) as NoteRow | undefined
    return row ? { ...noteOf(row), order_id: row.order_id } : null
  }

  /** Writes a note (new, or its new text); tablets pull the order again. */
  putNote(orderId: number, note: OrderNote): void {
    this.db
      .prepare(
        `INSERT INTO notes (id, order_id, text, user_name, device_id, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(note.id, orderId, note.text, note.user, note.device_id, note.created_at, note.updated_at, note.updated_by)
    this.touch(orderId)
  }

  deleteNote(orderId: number, id: string): boolean {
    const deleted = this.db.prepare('DELETE FROM notes WHERE id = ? AND order_id = ?').run(id, orderId).changes > 0
    if (deleted) this.touch(orderId)
    return deleted
  }

  flag(orderId: number): OrderFlag | null {
    const row = this.db.prepare('SELECT * FROM flags WHERE order_id = ?').get(orderId) as FlagRow | undefined
    return row ? flagOf(row) : null
  }

  setFlag(orderId: number, flag: OrderFlag): void {
    this.db
      .prepare(
        'INSERT INTO flags (order_id, reason, sku, note, user_name, device_id, flagged_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET reason = excluded.reason, sku = excluded.sku, note = excluded.note, user_name = excluded.user_name, device_id = excluded.device_id, flagged_at = excluded.flagged_at',
      )
      .run(orderId, flag.reason, flag.sku, flag.note, flag.user, flag.device_id, flag.flagged_at)
    this.touch(orderId)
  }

  clearFlag(orderId: number): boolean {
    const cleared = this.db.prepare('DELETE FROM flags WHERE order_id = ?').run(orderId).changes > 0
    if (cleared) this.touch(orderId)
    return cleared
  }

  /** The order's claim, unless it has lapsed. */
  claim(orderId: number): OrderClaim | null {
    const row = this.db.prepare('SELECT * FROM claims WHERE order_id = ?').get(orderId) as ClaimRow | undefined
    return row ? claimOf(row, this.clock()) : null
  }

  /**
   * Claims the order for a packer. Granted when nobody holds it, the claim lapsed, or it is the
   * same packer on the same tablet (a renewal); otherwise the holder's claim is returned.
   */
  takeClaim(orderId: number, user: string, deviceId: string | null, minutes: number): { granted: boolean; claim: OrderClaim } {
    const current = this.claim(orderId)
    if (current && !(current.user === user && current.device_id === deviceId)) return { granted: false, claim: current }
    const now = this.clock()
    const claim: OrderClaim = {
      user,
      device_id: deviceId,
      claimed_at: current?.claimed_at ?? new Date(now).toISOString(),
      until: new Date(now + minutes * 60_000).toISOString(),
    }
    this.db
      .prepare(
        'INSERT INTO claims (order_id, user_name, device_id, claimed_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET user_name = excluded.user_name, device_id = excluded.device_id, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at',
      )
      .run(orderId, user, deviceId, claim.claimed_at, claim.until)
    this.touch(orderId)
    return { granted: true, claim }
  }

  releaseClaim(orderId: number): void {
    if (this.db.prepare('DELETE FROM claims WHERE order_id = ?').run(orderId).changes > 0) this.touch(orderId)
  }

  /** Tablets pull the order again (a claim came or went); its revision stays. */
  private touch(orderId: number): void {
    this.db.prepare('UPDATE orders SET seq = ? WHERE id = ?').run(this.nextSeq(), orderId)
  }

  /**
   * Takes the marketplace's view of an order. While the station still has changes of this order
   * on their way to the marketplace, the station's view stands (the outbox settles it); otherwise
   * the marketplace's view replaces it. Returns whether tablets have something new to pull.
   */
  upsertFromMarketplace(order: Order, fingerprint: string | null = null): boolean {
    return this.db.transaction(() => {
      const row = this.get(order.id)
      const now = this.clock()
      const json = JSON.stringify(order)
      if (!row) {
        this.db
          .prepare(
            `INSERT INTO orders (id, data, marketplace_data, status, test, revision, seq, status_changed_at, synced, fingerprint, updated_at)
             VALUES (?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?)`,
          )
          .run(order.id, json, json, order.status, order.test ? 1 : 0, this.nextSeq(), statusTime(order, now), fingerprint, new Date(now).toISOString())
        return true
      }
      this.db.prepare('UPDATE orders SET marketplace_data = ?, fingerprint = ? WHERE id = ?').run(json, fingerprint, order.id)
      if (this.pendingChanges(order.id) > 0 || row.data === json) return false
      const previous = this.order(row)
      if (previous.status !== order.status) {
        this.audit?.record({
          order_id: order.id,
          actor: 'marketplace',
          user: null,
          device_id: null,
          action: 'status',
          details: { from: previous.status, to: order.status, confirmed: order.confirmed },
          marketplace_state: 'from_marketplace',
        })
      }
      this.db
        .prepare('UPDATE orders SET data = ?, status = ?, test = ?, revision = revision + 1, seq = ?, status_changed_at = ?, synced = 1, updated_at = ? WHERE id = ?')
        .run(
          json,
          order.status,
          order.test ? 1 : 0,
          this.nextSeq(),
          previous.status === order.status ? row.status_changed_at : statusTime(order, now),
          new Date(now).toISOString(),
          order.id,
        )
      return true
    })()
  }

  /** Writes the station's new view of an order after a change it accepted; the caller holds the transaction. */
  writeLocalChange(row: OrderRow, next: Order): void {
    const now = new Date(this.clock()).toISOString()
    const previous = this.order(row)
    this.db
      .prepare('UPDATE orders SET data = ?, status = ?, revision = revision + 1, seq = ?, status_changed_at = ?, synced = 0, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(next), next.status, this.nextSeq(), previous.status === next.status ? row.status_changed_at : now, now, row.id)
  }

  /** Marks the order as having reached the marketplace; tablets pull the news, the revision stays. */
  markSynced(orderId: number): void {
    this.db.prepare('UPDATE orders SET synced = 1, seq = ? WHERE id = ?').run(this.nextSeq(), orderId)
  }

  /** The marketplace refused a change: its view becomes the station's, with the conflict to show. */
  writeConflict(orderId: number, marketplaceOrder: Order | null, conflict: OrderConflict): void {
    const row = this.get(orderId)
    if (!row) return
    const now = this.clock()
    const next = marketplaceOrder ?? this.marketplaceOrder(row) ?? this.order(row)
    const previous = this.order(row)
    this.db
      .prepare(
        'UPDATE orders SET data = ?, marketplace_data = COALESCE(?, marketplace_data), status = ?, revision = revision + 1, seq = ?, status_changed_at = ?, synced = 1, conflict = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        JSON.stringify(next),
        marketplaceOrder ? JSON.stringify(marketplaceOrder) : null,
        next.status,
        this.nextSeq(),
        previous.status === next.status ? row.status_changed_at : statusTime(next, now),
        JSON.stringify(conflict),
        new Date(now).toISOString(),
        orderId,
      )
  }

  clearConflict(orderId: number): void {
    this.db.prepare('UPDATE orders SET conflict = NULL, revision = revision + 1, seq = ? WHERE id = ?').run(this.nextSeq(), orderId)
  }

  /**
   * The delta pull: orders changed after the cursor, oldest change first. Without a cursor, the
   * whole working set. Test orders only when asked for.
   */
  delta(since: number | null, limit: number, includeTest: boolean): { ordersJson: string; cursor: number; more: boolean } {
    const test = includeTest ? '' : 'AND o.test = 0'
    const rows = this.db
      .prepare(
        `SELECT o.*, c.user_name, c.device_id AS claim_device, c.claimed_at, c.expires_at,
                f.reason AS flag_reason, f.sku AS flag_sku, f.note AS flag_note, f.user_name AS flag_user, f.device_id AS flag_device, f.flagged_at
         FROM orders o LEFT JOIN claims c ON c.order_id = o.id LEFT JOIN flags f ON f.order_id = o.id
         WHERE o.seq > ? ${test} ORDER BY o.seq LIMIT ?`,
      )
      .all(since ?? 0, limit + 1) as (OrderRow &
      Partial<{ user_name: string; claim_device: string | null; claimed_at: string; expires_at: string }> &
      Partial<{ flag_reason: OrderFlag['reason']; flag_sku: string | null; flag_note: string | null; flag_user: string; flag_device: string | null; flagged_at: string }>)[]
    const more = rows.length > limit
    const page = rows.slice(0, limit)
    const cursor = page.length > 0 ? (page.at(-1) as OrderRow).seq : (since ?? 0)
    const now = this.clock()
    const pending = new Map(
      (this.db.prepare("SELECT order_id, COUNT(*) AS n FROM outbox WHERE state IN ('queued', 'inflight') GROUP BY order_id").all() as { order_id: number; n: number }[]).map(
        (r) => [r.order_id, r.n],
      ),
    )
    const notes = new Map<number, OrderNote[]>()
    if (page.length > 0) {
      const rows = this.db
        .prepare(`SELECT * FROM notes WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`)
        .all(JSON.stringify(page.map((row) => row.id))) as NoteRow[]
      for (const note of rows) notes.set(note.order_id, [...(notes.get(note.order_id) ?? []), noteOf(note)])
    }
    const packers = this.packedBy(page.map((row) => row.id))
    const parts: string[] = []
    for (const row of page) {
      const inWorkingSet = isInWorkingSet({ status: row.status as Order['status'] }, row.status_changed_at, now)
      // A first pull wants what the warehouse works on; a delta also reports orders that left it.
      if (since === null && !inWorkingSet) continue
      // The stored order is already JSON: the station's fields are appended to it without parsing
      // and re-serializing 10,000 orders (the same object `toApi` gives).
      parts.push(
        `${row.data.slice(0, -1)},"revision":${row.revision},"status_changed_at":${JSON.stringify(row.status_changed_at)},"synced":${row.synced === 1},` +
          `"pending_changes":${pending.get(row.id) ?? 0},"conflict":${row.conflict ?? 'null'},"in_working_set":${inWorkingSet},` +
          `"claim":${JSON.stringify(row.user_name ? claimOf({ order_id: row.id, user_name: row.user_name, device_id: row.claim_device ?? null, claimed_at: row.claimed_at as string, expires_at: row.expires_at as string }, now) : null)},` +
          `"flag":${JSON.stringify(row.flag_reason ? flagOf({ order_id: row.id, reason: row.flag_reason, sku: row.flag_sku ?? null, note: row.flag_note ?? null, user_name: row.flag_user as string, device_id: row.flag_device ?? null, flagged_at: row.flagged_at as string }) : null)},` +
          `"notes":${JSON.stringify(notes.get(row.id) ?? [])},"packed_by":${JSON.stringify(packers.get(row.id) ?? null)}}`,
      )
    }
    return { ordersJson: `[${parts.join(',')}]`, cursor, more }
  }

  /** Ids and fingerprints of every mirrored order, for the connector's comparison with the marketplace. */
  fingerprints(): Map<number, { fingerprint: string | null; status: string }> {
    const rows = this.db.prepare('SELECT id, fingerprint, status FROM orders').all() as { id: number; fingerprint: string | null; status: string }[]
    return new Map(rows.map((row) => [row.id, { fingerprint: row.fingerprint, status: row.status }]))
  }

  latestSeq(): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM orders').get() as { seq: number | null }
    return row.seq ?? 0
  }
}
