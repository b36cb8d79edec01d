import { formatMallDateTime, parseMallDateTime } from '#core/datetime.ts'
import { isFinalStatus, toBasicOrder, type BasicOrder, type Order } from '#core/order.ts'
import type { MallProduct } from '#core/product.ts'
import type { Seller } from '#core/seller.ts'
import type { StationDatabase } from '../../store/database.ts'
import { MarketplaceError, type LabelsAnswer, type Marketplace } from '../marketplace.ts'
import { AllegroAccount } from './account.ts'
import { AllegroApi } from './api.ts'
import { AllegroLabels } from './labels.ts'
import { isFulfilledByAllegro, normalizeCheckoutForm, normalizeOffer, shipsWithAllegroLabels, stationStatus, type ParcelOutcome } from './normalize.ts'
import { TokenBucket } from './rate-limit.ts'
import { AllegroStore } from './store.ts'
import {
  carriersSchema,
  checkoutFormSchema,
  checkoutFormsSchema,
  eventStatsSchema,
  orderEventsSchema,
  productOfferSchema,
  shipmentsSchema,
  trackingSchema,
  type CheckoutForm,
} from './wire.ts'

export interface AllegroHosts {
  /** The REST API, e.g. `https://api.allegro.pl`. */
  apiUrl: string
  /** Where `/auth/oauth/…` lives, e.g. `https://allegro.pl`. */
  oauthUrl: string
}

export interface AllegroOptions extends AllegroHosts {
  db: StationDatabase
  clientId: string
  clientSecret: string
  timeoutMs?: number
  /** The seller's address, the sender of Allegro's labels when Allegro proposes none. */
  sender: () => Seller
  /** How often the orders are read again by `updatedAt`, since events have gone missing. */
  reconcileIntervalMs?: number
  /** How often the carriers' tracking of sent parcels is read (the only source of delivered). */
  trackingIntervalMs?: number
  /** How long Allegro blocks the app after a 429 that does not say (one minute; tests shorten it). */
  rateLimitBlockMs?: number
  /** The app's share of Allegro's 9,000 requests a minute. */
  requestsPerMinute?: number
  fetch?: typeof fetch
  clock?: () => number
  warn?: (message: string) => void
  sleep?: (ms: number) => Promise<void>
}

const EVENTS_PAGE = 1000
const LIST_PAGE = 100
/** Allegro refuses `offset + limit` beyond this (422). */
const MAX_OFFSET_PLUS_LIMIT = 10_000
/** How far back the first reading reaches for orders already waiting. */
const FIRST_RECONCILE_DAYS = 30
/** A form read for the poll is reused by the order's read right after it, not later. */
const FRESH_MS = 5000
const REVISION_ATTEMPTS = 3
/** Allegro's tracking takes at most this many waybills a call. */
const TRACKING_BATCH = 20

/**
 * Allegro's REST API behind the station's marketplace seam (server/marketplace/marketplace.ts).
 * Reading follows `/order/events` from a persisted cursor (seeded once from `/order/event-stats`),
 * re-reads the checkout form of each event and reconciles by `updatedAt` now and then. Writing
 * sends the fulfillment status with the form's revision (re-read and retried on 409), the own
 * carrier's waybill (never twice: the shipments are read first) and Allegro's label commands
 * (their ids persisted before they are sent).
 */
export class AllegroMarketplace implements Marketplace {
  readonly account: AllegroAccount
  /** Offers are read as orders name them: each order may bring products the catalogue lacks. */
  readonly catalogueFollowsOrders = true
  readonly store: AllegroStore
  private readonly api: AllegroApi
  private hosts: AllegroHosts
  private readonly clock: () => number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly fresh = new Map<number, { at: number; order: Order }>()
  private carriers: { at: number; list: { id: string; name?: string | null }[] } | null = null
  private readonly labels: AllegroLabels

  constructor(private readonly options: AllegroOptions) {
    this.clock = options.clock ?? Date.now
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.hosts = { apiUrl: options.apiUrl, oauthUrl: options.oauthUrl }
    this.store = new AllegroStore(options.db, this.clock)
    const timeoutMs = options.timeoutMs ?? 15_000
    this.account = new AllegroAccount({
      store: this.store,
      oauthUrl: () => this.hosts.oauthUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      timeoutMs,
      fetch: options.fetch,
      clock: this.clock,
      warn: options.warn,
    })
    this.api = new AllegroApi({
      apiUrl: () => this.hosts.apiUrl,
      account: this.account,
      bucket: new TokenBucket(options.requestsPerMinute ?? 9000, 100, this.clock),
      timeoutMs,
      rateLimitBlockMs: options.rateLimitBlockMs,
      fetch: options.fetch,
      clock: this.clock,
    })
    this.labels = new AllegroLabels({ api: this.api, store: this.store, sender: options.sender, sleep: this.sleep })
  }

  get timeout(): number {
    return this.api.timeout
  }

  /** Points the connection elsewhere (the demo's simulator, once the station knows its port). */
  setHosts(hosts: AllegroHosts): void {
    this.hosts = { apiUrl: hosts.apiUrl.replace(/\/+$/, ''), oauthUrl: hosts.oauthUrl.replace(/\/+$/, '') }
  }

  close(): void {
    this.account.stop()
  }

  // ── Reading ────────────────────────────────────────────────────────────────────────────────

  async ordersInPlay(): Promise<BasicOrder[]> {
    this.fresh.clear()
    await this.followEvents()
    const last = Number(this.store.get('reconcile.at') ?? 0)
    if (this.clock() - last >= (this.options.reconcileIntervalMs ?? 10 * 60_000)) await this.reconcile()
    const tracked = Number(this.store.get('tracking.at') ?? 0)
    if (this.clock() - tracked >= (this.options.trackingIntervalMs ?? 10 * 60_000)) await this.followParcels()
    const basics: BasicOrder[] = []
    for (const { number, form } of this.store.formsInPlay()) {
      if (isFulfilledByAllegro(form) || this.store.get(`gone:${number}`)) continue
      const order = this.normalized(form, number, this.store.get(`waybill:${number}`))
      if (isFinalStatus(order.status)) {
        // The connector reads it once more (the order left the list); the polls never again,
        // unless an event brings the form back.
        this.store.settle(number)
        continue
      }
      basics.push(toBasicOrder(order))
    }
    return basics
  }

  private outcome(number: number): ParcelOutcome | null {
    const value = this.store.get(`outcome:${number}`)
    return value ? (JSON.parse(value) as ParcelOutcome) : null
  }

  /**
   * Sent parcels' tracking, by carrier, 20 waybills a call: DELIVERED or RETURNED ends the order
   * (Allegro's orders carry no delivery time; the carrier's report is its only source). Parcels
   * of carrier OTHER are not tracked by Allegro.
   */
  private async followParcels(): Promise<void> {
    const byCarrier = new Map<string, Map<string, number>>()
    for (const { number, form } of this.store.formsInPlay()) {
      if (isFulfilledByAllegro(form) || stationStatus(form).status !== 'shipped' || this.outcome(number)) continue
      const waybill = this.store.get(`waybill:${number}`)
      const carrier = this.store.get(`carrier:${number}`)
      if (!waybill || !carrier || carrier === 'OTHER') continue
      const waybills = byCarrier.get(carrier) ?? new Map<string, number>()
      waybills.set(waybill, number)
      byCarrier.set(carrier, waybills)
    }
    for (const [carrier, waybills] of byCarrier) {
      const all = [...waybills.keys()]
      for (let i = 0; i < all.length; i += TRACKING_BATCH) {
        const query = { waybill: all.slice(i, i + TRACKING_BATCH) }
        const answer = trackingSchema.parse((await this.api.json('GET', `/order/carriers/${encodeURIComponent(carrier)}/tracking`, { query })).body ?? {})
        for (const parcel of answer.waybills) {
          const number = waybills.get(parcel.waybill)
          const statuses = [...(parcel.trackingDetails?.statuses ?? [])].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt))
          const last = statuses.at(-1)
          if (number === undefined || !last || (last.code !== 'DELIVERED' && last.code !== 'RETURNED')) continue
          this.store.set(`outcome:${number}`, JSON.stringify({ code: last.code, at: last.occurredAt } satisfies ParcelOutcome))
        }
      }
    }
    this.store.set('tracking.at', String(this.clock()))
  }

  /** The events since the persisted cursor; each names a form, read again in full. */
  private async followEvents(): Promise<void> {
    let cursor = this.store.get('events.cursor')
    if (cursor === null) {
      // Once: start from now. Orders that waited before come from the first reconciliation.
      const stats = eventStatsSchema.parse((await this.api.json('GET', '/order/event-stats')).body ?? {})
      cursor = stats.latestEvent?.id ?? ''
      this.store.set('events.cursor', cursor)
    }
    for (;;) {
      const query: Record<string, string | number> = { limit: EVENTS_PAGE }
      if (cursor !== '') query.from = cursor
      const { events } = orderEventsSchema.parse((await this.api.json('GET', '/order/events', { query })).body ?? {})
      if (events.length === 0) return
      // Duplicates and disorder do not matter: each form is read as it is now, once per page.
      const ids = [...new Set(events.map((event) => event.order.checkoutForm?.id).filter((id): id is string => !!id))]
      for (const id of ids) await this.readFormById(id)
      cursor = events.at(-1)?.id ?? cursor
      this.store.set('events.cursor', cursor)
      if (events.length < EVENTS_PAGE) return
    }
  }

  /** Every form changed since the last reconciliation (the first one: the last 30 days). */
  private async reconcile(): Promise<void> {
    const startedAt = this.clock()
    let since = this.store.get('reconcile.since') ?? new Date(startedAt - FIRST_RECONCILE_DAYS * 86_400_000).toISOString()
    for (;;) {
      let offset = 0
      let lastUpdated: string | null = null
      let full = false
      for (;;) {
        const query = { 'updatedAt.gte': since, sort: 'updatedAt', limit: LIST_PAGE, offset }
        const page = checkoutFormsSchema.parse((await this.api.json('GET', '/order/checkout-forms', { query })).body ?? {})
        for (const form of page.checkoutForms) {
          const number = this.keepForm(form)
          // The list has the whole form: the order's read right after it needs no second GET.
          if (number !== null) this.fresh.set(number, { at: this.clock(), order: await this.toOrder(form, number) })
          lastUpdated = form.updatedAt ?? lastUpdated
        }
        if (page.checkoutForms.length < LIST_PAGE) break
        offset += LIST_PAGE
        if (offset + LIST_PAGE > MAX_OFFSET_PLUS_LIMIT) {
          full = true
          break
        }
      }
      // Allegro pages no further than 10,000: go on from the last form's time.
      if (!full || lastUpdated === null || lastUpdated === since) break
      since = lastUpdated
    }
    // A minute's overlap: a form changed while this ran is read again next time, not missed.
    this.store.set('reconcile.since', new Date(startedAt - 60_000).toISOString())
    this.store.set('reconcile.at', String(startedAt))
  }

  private keepForm(form: CheckoutForm): number | null {
    if (isFulfilledByAllegro(form)) return null
    return this.store.saveForm(form)
  }

  private async readFormById(formId: string): Promise<CheckoutForm | null> {
    try {
      const form = checkoutFormSchema.parse((await this.api.json('GET', `/order/checkout-forms/${encodeURIComponent(formId)}`)).body)
      const number = this.keepForm(form)
      if (number !== null) this.fresh.set(number, { at: this.clock(), order: await this.toOrder(form, number) })
      return form
    } catch (error) {
      if (error instanceof MarketplaceError && error.status === 404) {
        const number = this.store.knownNumber(formId)
        if (number !== null) this.store.set(`gone:${number}`, new Date(this.clock()).toISOString())
        return null
      }
      throw error
    }
  }

  private formId(id: number): string {
    const formId = this.store.formIdOf(id)
    if (!formId) throw new MarketplaceError('refused', `Order ${id} is not an Allegro order this station knows.`, 404, 'NOT_FOUND')
    return formId
  }

  /**
   * The form as Allegro has it now. A form Allegro no longer has was replaced (paying several
   * purchases at once makes a new form with their line items and deletes the old ones, #3284):
   * it is kept as gone, and its order leaves the floor as cancelled; the new form brings the items.
   */
  private async readForm(id: number): Promise<CheckoutForm> {
    let body: unknown
    try {
      body = (await this.api.json('GET', `/order/checkout-forms/${encodeURIComponent(this.formId(id))}`)).body
    } catch (error) {
      if (error instanceof MarketplaceError && error.status === 404) {
        this.store.set(`gone:${id}`, new Date(this.clock()).toISOString())
        throw new MarketplaceError(
          'refused',
          'Allegro no longer has this order: the buyer paid for it together with other purchases, which makes a new order with the same items. Pack that one instead.',
          404,
          'ORDER_REPLACED',
        )
      }
      throw error
    }
    const form = checkoutFormSchema.parse(body)
    this.store.saveForm(form)
    // A poll's copy is older than this read: never hand it out after it.
    this.fresh.delete(id)
    return form
  }

  private async toOrder(form: CheckoutForm, number: number): Promise<Order> {
    let waybill = this.store.get(`waybill:${number}`)
    const sent = form.fulfillment?.shipmentSummary?.lineItemsSent
    if (waybill === null && sent && sent !== 'NONE') {
      const first = (await this.shipments(form.id))[0]
      waybill = first?.waybill ?? null
      if (first?.waybill) {
        this.store.set(`waybill:${number}`, first.waybill)
        if (first.carrierId) this.store.set(`carrier:${number}`, first.carrierId)
      }
    }
    return this.normalized(form, number, waybill)
  }

  /** The station's order of a form, with what the station keeps of its parcel. */
  private normalized(form: CheckoutForm, number: number, waybill: string | null): Order {
    return normalizeCheckoutForm(form, number, waybill, this.outcome(number), this.untracked(form, number))
  }

  /**
   * No parcel Allegro reports on: no Allegro label, and no waybill of a carrier Allegro tracks
   * (none yet, or OTHER). Delivered and returned are then the seller's to record; once a tracked
   * waybill is on the order, the carrier's tracking closes it.
   */
  private untracked(form: CheckoutForm, number: number): boolean {
    if (shipsWithAllegroLabels(form)) return false
    const carrier = this.store.get(`carrier:${number}`)
    return this.store.get(`waybill:${number}`) === null || carrier === null || carrier === 'OTHER'
  }

  async getOrder(id: number): Promise<Order> {
    const fresh = this.fresh.get(id)
    this.fresh.delete(id)
    if (fresh && this.clock() - fresh.at < FRESH_MS) return fresh.order
    try {
      return await this.toOrder(await this.readForm(id), id)
    } catch (error) {
      const gone = this.goneOrder(id)
      if (gone && error instanceof MarketplaceError && error.status === 404) return gone
      throw error
    }
  }

  /** The order of a form Allegro replaced, as cancelled; null when the form is not gone. */
  private goneOrder(id: number): Order | null {
    const at = this.store.get(`gone:${id}`)
    const form = this.store.form(id)
    if (!at || !form) return null
    const order = this.normalized(form, id, this.store.get(`waybill:${id}`))
    return { ...order, status: 'cancelled', cancelled: formatMallDateTime(Date.parse(at)) }
  }

  private async shipments(formId: string) {
    return shipmentsSchema.parse((await this.api.json('GET', `/order/checkout-forms/${encodeURIComponent(formId)}/shipments`)).body ?? {}).shipments
  }

  // ── Writing ────────────────────────────────────────────────────────────────────────────────

  async startPacking(id: number): Promise<void> {
    await this.setFulfillment(id, 'PROCESSING')
  }

  async changeStatus(id: number, body: Record<string, unknown>): Promise<void> {
    const status = typeof body.status === 'string' ? body.status : null
    if (status === null) {
      // A confirmation alone: packing has started.
      if (body.confirmed === true) await this.setFulfillment(id, 'PROCESSING')
      return
    }
    if (status === 'shipping') return this.setFulfillment(id, 'READY_FOR_SHIPMENT')
    if (status === 'cancelled') return this.setFulfillment(id, 'CANCELLED')
    if (status === 'shipped') {
      if (typeof body.tracking_number === 'string' && body.tracking_number !== '') {
        await this.addWaybill(id, body.tracking_number, typeof body.tracking_url === 'string' ? body.tracking_url : null)
      }
      return this.setFulfillment(id, 'SENT')
    }
    if ((status === 'delivered' || status === 'returned') && this.untracked(await this.readForm(id), id)) {
      // Allegro has no status for it and no carrier's tracking will tell: the station keeps the
      // seller's word. Where a tracked waybill is on the order, the tracking closes it (below).
      const said = typeof body.delivered_at === 'string' ? parseMallDateTime(body.delivered_at) : null
      const outcome: ParcelOutcome = { code: status === 'delivered' ? 'DELIVERED' : 'RETURNED', at: (said ?? new Date(this.clock())).toISOString() }
      this.store.set(`outcome:${id}`, JSON.stringify(outcome))
      return
    }
    throw new MarketplaceError('refused', `Allegro sets ${status} itself: the seller cannot.`, 422, 'STATUS_SET_BY_MARKETPLACE')
  }

  async changeTracking(id: number, body: { tracking_number: string; tracking_url: string }): Promise<void> {
    await this.addWaybill(id, body.tracking_number, body.tracking_url)
  }

  /**
   * Sets the fulfillment status with the form's revision. On 409 the form changed meanwhile: read
   * it again, check again (a buyer's cancellation stops everything but CANCELLED), and retry.
   */
  private async setFulfillment(id: number, target: 'PROCESSING' | 'READY_FOR_SHIPMENT' | 'SENT' | 'CANCELLED'): Promise<void> {
    for (let attempt = 0; attempt < REVISION_ATTEMPTS; attempt++) {
      const form = await this.readForm(id)
      this.checkNotCancelled(form, target)
      const now = form.fulfillment?.status ?? 'NEW'
      if (now === target) return
      // Packing started is news only to a NEW order; never move an order back.
      if (target === 'PROCESSING' && now !== 'NEW') return
      try {
        await this.api.json('PUT', `/order/checkout-forms/${encodeURIComponent(form.id)}/fulfillment`, {
          query: form.revision ? { 'checkoutForm.revision': form.revision } : {},
          body: { status: target },
        })
        return
      } catch (error) {
        if (error instanceof MarketplaceError && error.status === 409) continue
        throw error
      }
    }
    throw new MarketplaceError('refused', `Allegro’s order ${id} kept changing while the station set it ${target}: look at the order in Allegro, then try again.`, 409, 'REVISION_CONFLICT')
  }

  private checkNotCancelled(form: CheckoutForm, target: string): void {
    if (form.status === 'CANCELLED' && target !== 'CANCELLED') {
      throw new MarketplaceError(
        'refused',
        'The buyer cancelled this order on Allegro (or Allegro cancelled it unpaid): do not ship it; put the items back. The refund is done in Allegro.',
        409,
        'ORDER_CANCELLED',
      )
    }
  }

  /** Adds the own carrier's waybill, unless Allegro has it already (the call is not idempotent). */
  private async addWaybill(id: number, waybill: string, trackingUrl: string | null): Promise<void> {
    const form = await this.readForm(id)
    this.checkNotCancelled(form, 'SENT')
    if ((await this.shipments(form.id)).some((shipment) => shipment.waybill === waybill)) return
    const carrier = await this.carrierFor(trackingUrl)
    await this.api.json('POST', `/order/checkout-forms/${encodeURIComponent(form.id)}/shipments`, {
      body: {
        carrierId: carrier.id,
        waybill,
        ...(carrier.id === 'OTHER' ? { carrierName: carrier.name.slice(0, 30) } : {}),
        lineItems: form.lineItems.map((item) => ({ id: item.id })),
      },
    })
    this.store.set(`waybill:${id}`, waybill)
    this.store.set(`carrier:${id}`, carrier.id)
  }

  /** Allegro's carrier whose id or name the tracking link's host names, else OTHER with the host as its name. */
  private async carrierFor(trackingUrl: string | null): Promise<{ id: string; name: string }> {
    let host = ''
    try {
      host = trackingUrl ? new URL(trackingUrl).hostname.toLowerCase() : ''
    } catch {
      host = ''
    }
    let carriers = this.carriers
    if (!carriers || this.clock() - carriers.at > 86_400_000) {
      carriers = { at: this.clock(), list: carriersSchema.parse((await this.api.json('GET', '/order/carriers')).body ?? { carriers: [] }).carriers }
      this.carriers = carriers
    }
    const hostWords = host.split(/[.-]/)
    const match = carriers.list.find((carrier) => {
      if (carrier.id === 'OTHER') return false
      const words = [carrier.id, carrier.name ?? ''].map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, ''))
      return words.some((w) => w.length >= 3 && hostWords.some((part) => part === w || part.startsWith(w)))
    })
    if (match) return { id: match.id, name: match.name ?? match.id }
    return { id: 'OTHER', name: host.replace(/^www\./, '') || 'Own carrier' }
  }

  // ── Labels ("Wysyłam z Allegro", labels.ts) ──────────────────────────────────────────────

  async requestLabels(id: number, request: { labels_type: 'pdf' | 'zpl'; parcel_count: number }): Promise<LabelsAnswer> {
    const form = await this.readForm(id)
    this.checkNotCancelled(form, 'labels')
    return this.labels.request(id, form, request)
  }

  lastLabels(id: number): Promise<{ parcel_count: number; labels_type: string; labels_raw: string; barcodes: string[] } | null> {
    return this.labels.last(id)
  }

  // ── Catalogue ──────────────────────────────────────────────────────────────────────────────

  /** The offers the orders name; each is read from Allegro once and kept. */
  async listProductIds(): Promise<string[]> {
    return this.store.offerIds()
  }

  async getProduct(offerId: string): Promise<MallProduct> {
    let offer = this.store.offer(offerId)
    if (!offer) {
      try {
        offer = productOfferSchema.parse((await this.api.json('GET', `/sale/product-offers/${encodeURIComponent(offerId)}`)).body)
        this.store.saveOffer(offer)
      } catch (error) {
        if (!(error instanceof MarketplaceError && error.kind === 'refused')) throw error
        // An offer ended or not the seller's any more: the order line's title and SKU, no photo.
        const line = this.store.orderLineOffer(offerId)
        offer = { id: offerId, name: line?.name ?? null, external: line?.external ?? null, images: [], productSet: [] }
      }
    }
    return normalizeOffer(offer)
  }

  /** Allegro has no webhook for orders: the events feed is read instead. */
  webhookIds(): number[] | null {
    return null
  }
}
