import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { OrderRepository, OrderRow } from '../store/orders.ts'

/** Who made the change that became the order's conflict, if it has one and it says. */
export function conflictOwner(row: OrderRow): string | null {
  return row.conflict === null ? null : ((JSON.parse(row.conflict) as { user?: string | null }).user ?? null)
}

/** Dismisses the order's conflict, keeping it in the audit log. */
export function dismissConflict(deps: { db: StationDatabase; orders: OrderRepository; audit: AuditLog }, row: OrderRow, user: string | null, deviceId: string | null): void {
  if (row.conflict === null) return
  const conflict = JSON.parse(row.conflict) as unknown
  deps.db.transaction(() => {
    deps.orders.clearConflict(row.id)
    deps.audit.record({ order_id: row.id, actor: 'user', user, device_id: deviceId, action: 'conflict_dismissed', details: { conflict }, marketplace_state: 'not_needed' })
  })()
}
