import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { LabelStore } from '../store/labels.ts'
import type { OrderRepository } from '../store/orders.ts'
import type { Outbox } from '../store/outbox.ts'
import type { IdempotencyStore } from '../store/users.ts'

/** What the services that write an order (status changes, label requests) read and write. */
export interface OrderWriteDeps {
  db: StationDatabase
  orders: OrderRepository
  outbox: Outbox
  audit: AuditLog
  labels: LabelStore
  idempotency: IdempotencyStore
  clock: () => number
}
