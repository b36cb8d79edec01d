import { formatMallDateTime } from '#core/datetime.ts'
import type { BasicOrder, Order, OrderStatus } from '#core/order.ts'
import type { MallProduct } from '#core/product.ts'
import type { StatusChange } from '#core/status.ts'
import { WithOutageAndLog } from '../common/outage-and-log.ts'
import { MarketplaceActivity } from './activity.ts'
import { SIMULATOR_DEFAULTS, type SimulatorOptions } from './options.ts'
import { OutageAndLog, type OutageMode } from './outage-and-log.ts'
import type { Page, RawQuery } from './query.ts'
import { Reading } from './reading.ts'
import { buildCatalogue, buildDemoOrders, type SeedProduct } from './seed.ts'
import { placeholderConsignment, SellerWrites } from './seller-writes.ts'
import { SimulatorState } from './state.ts'
import type { Consignment } from './store.ts'
import { WebhookSender } from './webhook.ts'

export { OUTAGE_MODES, type OutageMode } from './outage-and-log.ts'
export { SIMULATOR_DEFAULTS, type SimulatorOptions } from './options.ts'

/**
 * The simulated MALL Marketplace: orders, products, labels and MALL's own activity, over its
 * own persistent store. The HTTP layer (routes.ts) is a thin shell over this; each part lives in
 * its own file (reading, seller-writes, activity, webhook, outage-and-log) over the shared state.
 */
export class MarketplaceSimulator extends WithOutageAndLog<OutageMode> {
  readonly options: SimulatorOptions
  private readonly state: SimulatorState
  private readonly reading: Reading
  private readonly writes: SellerWrites
  private readonly activity: MarketplaceActivity
  private readonly webhook: WebhookSender
  protected readonly outageAndLog: OutageAndLog

  constructor(options: Partial<SimulatorOptions> & { dataDir: string }) {
    super()
    this.options = { ...SIMULATOR_DEFAULTS, ...options }
    this.state = new SimulatorState(this.options)
    if (this.state.store.getMeta('seeded_at') === null) this.seed()
    this.state.load()
    this.reading = new Reading(this.state)
    this.writes = new SellerWrites(this.state)
    this.webhook = new WebhookSender(this.state)
    this.activity = new MarketplaceActivity(this.state, this.webhook)
    this.outageAndLog = new OutageAndLog(this.state)
    if (this.options.activity) this.activity.start()
  }

  private seed(): void {
    const { store, options } = this.state
    const catalogue = buildCatalogue(options.seed)
    const orders = buildDemoOrders(catalogue, options.clock(), options.seed)
    store.transaction(() => {
      store.saveProducts(catalogue)
      store.saveOrders(orders)
      store.setMeta('seeded_at', formatMallDateTime(options.clock()))
    })
    // MALL Delivery orders past packing have labels already, as they would at MALL.
    for (const order of orders) {
      if (order.mdp && ['shipped', 'delivered', 'returned', 'lost'].includes(order.status)) {
        store.saveConsignment(placeholderConsignment(order, 1))
      }
    }
  }

  // ---------------------------------------------------------------- reading (reading.ts)

  getOrder(id: string | number): Order {
    return this.state.getOrder(id)
  }

  listOrders(query: RawQuery): Page<BasicOrder> {
    return this.reading.listOrders(query)
  }

  /** `GET /v1/orders/unconfirmed` and `GET /v1/orders/{status}`: ids, or basic orders with `filter=basic`. */
  listIds(query: RawQuery, which: 'unconfirmed' | OrderStatus): Page<number | BasicOrder> {
    return this.reading.listIds(query, which)
  }

  stats(query: RawQuery): Record<OrderStatus, number> {
    return this.reading.stats(query)
  }

  consignment(id: string): Omit<Consignment, 'barcodes'> {
    return this.reading.consignment(id)
  }

  listProducts(query: RawQuery, mediaBase: string): Page<Record<string, unknown>> {
    return this.reading.listProducts(query, mediaBase)
  }

  getProduct(id: string, mediaBase: string): MallProduct {
    return this.reading.getProduct(id, mediaBase)
  }

  /** The demo warehouse's own catalogue data (bins, extra and case barcodes), for the station's demo seed. */
  warehouseCatalogue(): readonly SeedProduct[] {
    return this.reading.warehouseCatalogue()
  }

  /** The generated photo of a SKU, or null for an unknown one. */
  photo(sku: string): string | null {
    return this.reading.photo(sku)
  }

  // ---------------------------------------------------------------- the seller's writes (seller-writes.ts)

  /** `PUT /v1/orders/{id}`: confirm and/or change the status, refused only where MALL refuses. */
  updateOrder(id: string, body: unknown): void {
    this.writes.updateOrder(id, body)
  }

  /** `PUT /v1/orders/{id}/tracking`: correct the tracking of a shipped order. */
  updateTracking(id: string, body: unknown): void {
    this.writes.updateTracking(id, body)
  }

  /** `PUT /v1/orders/{id}/items/{itemId}/serial-numbers`. */
  updateSerialNumbers(id: string, itemId: string, body: unknown): void {
    this.writes.updateSerialNumbers(id, itemId, body)
  }

  /** `POST /v1/orders/labels`: MALL Delivery labels for one or more orders, as one PDF or ZPL document. */
  requestLabels(body: unknown): Promise<{ orders: { order_id: number; barcodes: string[] }[]; labels_raw: string }> {
    return this.writes.requestLabels(body)
  }

  /** `POST /v1/orders/{id}/labels`, the old single-order form. */
  requestOrderLabels(id: string, body: unknown) {
    return this.writes.requestOrderLabels(id, body)
  }

  // ---------------------------------------------------------------- the marketplace's own changes (activity.ts)

  /** A change MALL makes itself: the order becomes unconfirmed and the webhook hears of it. */
  marketplaceChange(id: number, change: StatusChange): Order {
    return this.activity.marketplaceChange(id, change)
  }

  /** The customer cancels their order (`POST /mall/_sim/orders/{id}/cancel`). */
  cancelByCustomer(id: string): Order {
    return this.activity.cancelByCustomer(id)
  }

  /** A new order arrives (`POST /mall/_sim/orders`); open unless asked for blocked. */
  createOrder(body: unknown): Order {
    return this.activity.createOrder(body)
  }

  /** One thing MALL does by itself; returns what happened, or null when nothing could. */
  step(): string | null {
    return this.activity.step()
  }

  // ---------------------------------------------------------------- webhook (webhook.ts)

  /** Queues an order id for the next webhook call; calls are batched, at most one per interval. */
  notifyChanged(id: number): void {
    this.webhook.notifyChanged(id)
  }

  setWebhook(url: string | null, intervalMs?: number): void {
    this.webhook.setWebhook(url, intervalMs)
  }

  // The outage switch and the write log (outageMode, setOutage, recordWrite, writeLog…) come from
  // WithOutageAndLog (../common/outage-and-log.ts), over outage-and-log.ts.

  async close(): Promise<void> {
    this.activity.stop()
    await this.webhook.close()
    this.state.store.close()
  }
}
