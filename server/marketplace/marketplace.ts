import type { BasicOrder, Order } from '#core/order.ts'
import type { MallProduct } from '#core/product.ts'
import type { MarketplaceAccountState } from '#core/station-api.ts'

/**
 * The seam between the station and a marketplace: all the connector, the forwarder, the catalogue
 * and the routes ask of one. Each marketplace implements it in its own folder (`mall/` for MALL's
 * orders API v1); nothing else in the station knows a marketplace's wire shapes, and only the
 * wiring (server/app.ts) picks the implementation.
 */
export interface Marketplace {
  /** How long a request may go unanswered; a write that timed out may still be applied within it. */
  readonly timeout: number
  /** The orders in play (live and unconfirmed) as summaries; the connector tells what changed since from them. */
  ordersInPlay(): Promise<BasicOrder[]>
  /** One order in full. */
  getOrder(id: number): Promise<Order>
  /** A status change, with what the new status requires (confirmed, tracking, delivery time). */
  changeStatus(id: number, body: Record<string, unknown>): Promise<void>
  changeTracking(id: number, body: { tracking_number: string; tracking_url: string }): Promise<void>
  /** The marketplace's own shipping labels for an order (its delivery service). */
  requestLabels(id: number, request: { labels_type: 'pdf' | 'zpl'; parcel_count: number }): Promise<LabelsAnswer>
  /** The last labels of an order, or null when it has none; with their parcels' barcodes where the marketplace tells them. */
  lastLabels(id: number): Promise<{ parcel_count: number; labels_type: string; labels_raw: string; barcodes?: string[] } | null>
  /** The ids of the seller's products (and their variants' parent products). */
  listProductIds(): Promise<string[]>
  getProduct(id: string): Promise<MallProduct>
  /** The order ids a webhook call names; null when its body is not what the marketplace sends. */
  webhookIds(body: unknown): number[] | null
  /**
   * Tells the marketplace that packing has started, at the order's first scan (Allegro's
   * fulfillment PROCESSING, which also closes the buyer's window to cancel). Marketplaces with
   * nothing to tell then (MALL) leave it out. Sent through the outbox, once per order; the order's
   * `confirmed` says whether the marketplace has it.
   */
  startPacking?(id: number): Promise<void>
  /**
   * The seller's account, where a person connects it (OAuth) rather than an operator's key in the
   * environment (MALL). Its tokens never leave the station.
   */
  readonly account?: MarketplaceAccount
  /**
   * The catalogue is made of what the orders name (Allegro's offers), so it is read again when
   * orders change; MALL's products API lists the whole catalogue on its own.
   */
  readonly catalogueFollowsOrders?: boolean
  /** Stops background work of its own (a connection flow under way). */
  close?(): void
}

/** Where the connection of the seller's account stands, as a lead sees it in Settings. */
export type AccountState = MarketplaceAccountState

export interface MarketplaceAccount {
  state(): AccountState
  /** Starts connecting (OAuth device flow): the state then says the code and the page. */
  connect(): Promise<AccountState>
}

export interface LabelsAnswer {
  /** The document as the marketplace sent it (base64 PDF or ZPL). */
  labels_raw: string
  /** One barcode per parcel. */
  barcodes: string[]
}

export type MarketplaceErrorKind =
  /** The marketplace answered and refused the request (400, or 404 for an order it does not have). */
  | 'refused'
  /** The partner key is missing, wrong or not allowed (401, 403): an operator must act. */
  | 'unauthorized'
  /** Too many requests (429): wait `retryAfterMs`. */
  | 'rate_limited'
  /** The marketplace failed (5xx) or could not be reached, or did not answer in time. */
  | 'unavailable'

export class MarketplaceError extends Error {
  constructor(
    readonly kind: MarketplaceErrorKind,
    message: string,
    readonly status: number | null = null,
    /** MALL's `errorCodes[0].errorCode`, when it sent one. */
    readonly code: string | null = null,
    readonly retryAfterMs: number | null = null,
    /** True when the request may have reached the marketplace although no answer came back. */
    readonly uncertain = false,
  ) {
    super(message)
    this.name = 'MarketplaceError'
  }
}
