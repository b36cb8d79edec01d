import type { OrderFlag, StationOrder } from '#core/station-api.ts'
import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { OrderRepository, OrderRow } from '../store/orders.ts'

export interface FlagsDeps {
  db: StationDatabase
  orders: OrderRepository
  audit: AuditLog
  clock: () => number
}

/** What a picker says is wrong with an order. */
export type FlagReport = Pick<OrderFlag, 'reason' | 'sku' | 'note' | 'user' | 'device_id'>

/**
 * Flags: a problem with an order (a short pick). The order stays open, flagged with the reason,
 * until the picker who raised it or a team lead clears it; both are in the audit log.
 */
export class Flags {
  constructor(private readonly deps: FlagsDeps) {}

  raise(row: OrderRow, report: FlagReport): StationOrder {
    const { db, orders, audit, clock } = this.deps
    const flag: OrderFlag = { ...report, flagged_at: new Date(clock()).toISOString() }
    db.transaction(() => {
      orders.setFlag(row.id, flag)
      audit.record({ order_id: row.id, actor: 'user', user: flag.user, device_id: flag.device_id, action: 'flag', details: { ...flag }, marketplace_state: 'not_needed' })
    })()
    return orders.toApi(orders.get(row.id) ?? row)
  }

  clear(row: OrderRow, user: string | null, deviceId: string | null): StationOrder {
    const { db, orders, audit } = this.deps
    db.transaction(() => {
      if (orders.clearFlag(row.id)) {
        audit.record({ order_id: row.id, actor: 'user', user, device_id: deviceId, action: 'flag_cleared', details: {}, marketplace_state: 'not_needed' })
      }
    })()
    return orders.toApi(orders.get(row.id) ?? row)
  }
}
