import type { MarketplaceMode } from '../config.ts'
import type { Connector } from '../marketplace/connector.ts'
import type { OutboxForwarder } from '../marketplace/forwarder.ts'
import type { Marketplace } from '../marketplace/marketplace.ts'
import type { StatusChanges } from '../orders/status-changes.ts'
import type { PhotoCache } from '../photos.ts'
import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { ImportStore } from '../store/imports.ts'
import type { LabelStore } from '../store/labels.ts'
import type { OrderRepository } from '../store/orders.ts'
import type { Outbox } from '../store/outbox.ts'
import type { ProductRepository } from '../store/products.ts'
import type { SettingsStore } from '../store/settings.ts'
import type { IdempotencyStore, UserStore } from '../store/users.ts'
import type { EventHub } from './events.ts'

/** What the station API is built from (server/app.ts makes them); each route file takes its part. */
export interface ApiDeps {
  db: StationDatabase
  mode: MarketplaceMode
  users: UserStore
  orders: OrderRepository
  products: ProductRepository
  outbox: Outbox
  audit: AuditLog
  labels: LabelStore
  changes: StatusChanges
  events: EventHub
  connector: Connector
  forwarder: OutboxForwarder
  client: Marketplace
  photos: PhotoCache
  settings: SettingsStore
  idempotency: IdempotencyStore
  imports: ImportStore
  /** In demo mode, asks the simulated marketplace for a test order and gives its id; null with the real MALL. */
  placeTestOrder: (() => number) | null
  /** How long connecting to a label printer and sending it a job may take. */
  printTimeoutMs: number
  clock: () => number
}
