import type { StationDatabase } from './database.ts'

/**
 * The audit log: every change with who made it, when and from which device, and whether it has
 * reached the marketplace (`marketplace_state`: `queued`, `sent`, `refused`, `dropped`, or
 * `not_needed` for what never goes there).
 */

export type MarketplaceState = 'queued' | 'sent' | 'refused' | 'dropped' | 'not_needed' | 'from_marketplace'

export interface AuditEntry {
  id: number
  at: string
  order_id: number | null
  actor: 'user' | 'marketplace' | 'station'
  user: string | null
  device_id: string | null
  action: string
  details: Record<string, unknown>
  marketplace_state: MarketplaceState
  marketplace_at: string | null
}

interface AuditRow {
  id: number
  at: string
  order_id: number | null
  actor: AuditEntry['actor']
  user_name: string | null
  device_id: string | null
  action: string
  details: string
  marketplace_state: MarketplaceState
  marketplace_at: string | null
}

const fromRow = ({ user_name, details, ...row }: AuditRow): AuditEntry => ({
  ...row,
  user: user_name,
  details: JSON.parse(details) as Record<string, unknown>,
})

export class AuditLog {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  record(entry: Omit<AuditEntry, 'id' | 'at' | 'marketplace_at'> & { marketplace_at?: string | null }): number {
    const result = this.db
      .prepare(
        'INSERT INTO audit (at, order_id, actor, user_name, device_id, action, details, marketplace_state, marketplace_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        new Date(this.clock()).toISOString(),
        entry.order_id,
        entry.actor,
        entry.user,
        entry.device_id,
        entry.action,
        JSON.stringify(entry.details),
        entry.marketplace_state,
        entry.marketplace_at ?? null,
      )
    return Number(result.lastInsertRowid)
  }

  setMarketplaceState(id: number, state: MarketplaceState): void {
    this.db.prepare('UPDATE audit SET marketplace_state = ?, marketplace_at = ? WHERE id = ?').run(state, new Date(this.clock()).toISOString(), id)
  }

  forOrder(orderId: number): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM audit WHERE order_id = ? ORDER BY id').all(orderId) as AuditRow[]
    return rows.map(fromRow)
  }

  byId(id: number): AuditEntry | null {
    const row = this.db.prepare('SELECT * FROM audit WHERE id = ?').get(id) as AuditRow | undefined
    return row ? fromRow(row) : null
  }
}
