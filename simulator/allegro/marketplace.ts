import { WithOutageAndLog } from '../common/outage-and-log.ts'
import { renderProductPhoto, type ProductKind } from '../mall/photos.ts'
import { BuyerActivity } from './activity.ts'
import { Auth, type DeviceAnswer, type TokenAnswer } from './auth.ts'
import { BuyerActions } from './buyer.ts'
import { invalid, notFound } from './errors.ts'
import { ALLEGRO_SIMULATOR_DEFAULTS, type AllegroSimulatorOptions } from './options.ts'
import { OrderReading, SellerWrites, type RawQuery } from './orders.ts'
import { OutageAndLog, type OutageMode } from './outage-and-log.ts'
import { DELIVERY_METHODS, MARKETPLACES } from './seed.ts'
import { AllegroState, type EventFaults } from './state.ts'
import { FULFILLMENT_STATUSES, TRACKING_CODES, type CheckoutForm, type TrackingCode, type TrackingDetails, type FulfillmentStatus, type OrderEvent, type OrderShipment, type SeedOffer } from './wire.ts'
import { ShipWithAllegro } from './wza.ts'

export { OUTAGE_MODES, type OutageMode } from './outage-and-log.ts'
export { ALLEGRO_SIMULATOR_DEFAULTS, type AllegroSimulatorOptions } from './options.ts'
export type { RawQuery } from './orders.ts'

const IMAGES_PER_OFFER = 2

/**
 * The simulated Allegro: the parts of its REST API and OAuth server a picking station uses,
 * over its own persistent store. The HTTP layer (routes.ts) is a thin shell over this; each part
 * lives in its own file (auth, orders, buyer, wza, outage-and-log) over the shared state.
 */
export class AllegroSimulator extends WithOutageAndLog<OutageMode> {
  readonly options: AllegroSimulatorOptions
  private readonly state: AllegroState
  readonly auth: Auth
  private readonly reading: OrderReading
  private readonly writes: SellerWrites
  private readonly buyer: BuyerActions
  private readonly wza: ShipWithAllegro
  protected readonly outageAndLog: OutageAndLog
  private readonly activity: BuyerActivity

  constructor(options: Partial<AllegroSimulatorOptions> = {}) {
    super()
    this.options = { ...ALLEGRO_SIMULATOR_DEFAULTS, dataDir: null, ...options }
    this.state = new AllegroState(this.options)
    this.auth = new Auth(this.state)
    this.reading = new OrderReading(this.state)
    this.writes = new SellerWrites(this.state)
    this.buyer = new BuyerActions(this.state)
    this.wza = new ShipWithAllegro(this.state, this.writes)
    this.outageAndLog = new OutageAndLog(this.state)
    this.activity = new BuyerActivity(this.state, this.buyer)
    if (this.options.activity) this.activity.start()
  }

  // ---------------------------------------------------------------- OAuth (auth.ts)

  startDevice(clientId: string | undefined, scope: string | undefined, verificationUri: string): DeviceAnswer {
    return this.auth.startDevice(clientId, scope, verificationUri)
  }

  /** Approves (or denies) a pending user code, or every pending one when `userCode` is null. */
  decideDevice(userCode: string | null, allow: boolean): number {
    return this.auth.decide(userCode, allow)
  }

  issueTokens(): TokenAnswer {
    return this.auth.issue()
  }

  revokeTokens(): number {
    return this.auth.revokeAll()
  }

  /** Where the approval page is opened from a phone (the station's LAN address, known once it listens). */
  setVerificationBase(url: string | null): void {
    this.options.verificationBase = url
  }

  // ---------------------------------------------------------------- reading (orders.ts)

  listForms(query: RawQuery) {
    this.wza.settle()
    return this.reading.listForms(query)
  }

  getForm(id: string): CheckoutForm {
    this.wza.settle()
    return this.state.getForm(id)
  }

  events(query: RawQuery): { events: OrderEvent[] } {
    return this.reading.events(query)
  }

  eventStats() {
    return this.reading.eventStats()
  }

  carriers() {
    return this.reading.carriers()
  }

  tracking(carrierId: string, query: RawQuery) {
    this.wza.settle()
    return this.reading.tracking(carrierId, query)
  }

  /** The carrier reports a parcel's progress (`POST /allegro/_sim/tracking`); DELIVERED is the station's delivered time. */
  addTrackingStatus(body: unknown): TrackingDetails {
    const input = (body ?? {}) as { carrierId?: unknown; waybill?: unknown; code?: unknown }
    const key = `${String(input.carrierId)}:${String(input.waybill)}`
    const details = this.state.tracking.get(key)
    if (!details) throw notFound('NOT_FOUND', `No order has waybill ${String(input.waybill)} of carrier ${String(input.carrierId)}.`)
    if (typeof input.code !== 'string' || !(TRACKING_CODES as readonly string[]).includes(input.code)) {
      throw invalid('code', `code must be one of ${TRACKING_CODES.join(', ')}.`)
    }
    const now = new Date(this.options.clock()).toISOString()
    details.statuses.push({ occurredAt: now, code: input.code as TrackingCode })
    details.updatedAt = now
    this.state.saveTracking(String(input.carrierId), String(input.waybill), details)
    return structuredClone(details)
  }

  shipments(id: string): { shipments: OrderShipment[] } {
    this.wza.settle()
    return this.reading.shipments(id)
  }

  /** `GET /sale/product-offers/{offerId}`: images, `external.id` (SKU), the EAN as parameter 225693 of the product. */
  productOffer(offerId: string, mediaBase: string): Record<string, unknown> {
    const offer = this.state.offers.get(offerId)
    if (!offer) throw notFound('NOT_FOUND', `Offer ${offerId} was not found.`)
    const pl = MARKETPLACES[0]!
    return {
      id: offer.id,
      name: offer.name,
      productSet: [
        {
          quantity: { value: 1 },
          product: {
            id: offer.productId,
            publication: { status: 'LISTED' },
            parameters: [
              { id: '225693', name: 'EAN (GTIN)', values: [offer.ean], valuesIds: [] },
              { id: '11323', name: 'Stan', values: ['Nowy'], valuesIds: ['11323_1'] },
            ],
          },
        },
      ],
      category: { id: offer.categoryId },
      images: Array.from({ length: IMAGES_PER_OFFER }, (_, i) => `${mediaBase}/media/offers/${offer.id}/${i + 1}.svg`),
      external: { id: offer.sku },
      sellingMode: { format: 'BUY_NOW', price: { amount: offer.prices[pl.currency], currency: pl.currency } },
      stock: { available: offer.stock, unit: 'UNIT' },
      publication: { status: 'ACTIVE', marketplaces: { base: { id: 'allegro-pl' }, additional: MARKETPLACES.slice(1).map((m) => ({ id: m.id })) } },
      language: 'pl-PL',
    }
  }

  /** The generated photo of an offer (1-based), or null. */
  photo(offerId: string, index: number): string | null {
    const offer = this.state.offers.get(offerId)
    if (!offer || !Number.isInteger(index) || index < 1 || index > IMAGES_PER_OFFER) return null
    return renderProductPhoto({ sku: index === 1 ? offer.sku : `${offer.sku}#${index}`, kind: offer.kind as ProductKind, colour: offer.colour })
  }

  /** The demo shop's offers, for the station's demo seed (bins are the warehouse's own). */
  offers(): SeedOffer[] {
    return [...this.state.offers.values()]
  }

  deliveryMethods() {
    return DELIVERY_METHODS.map((method) => ({ ...method }))
  }

  // ---------------------------------------------------------------- the seller's writes (orders.ts, wza.ts)

  setFulfillment(id: string, revision: string | undefined, body: unknown): void {
    this.writes.setFulfillment(id, revision, body)
  }

  addShipment(id: string, body: unknown): OrderShipment {
    return this.writes.addShipment(id, body)
  }

  createCommand(body: unknown) {
    return this.wza.create(body)
  }

  commandStatus(commandId: string) {
    return this.wza.status(commandId)
  }

  wzaShipment(id: string) {
    return this.wza.shipment(id)
  }

  label(body: unknown) {
    return this.wza.label(body)
  }

  cancelCommand(body: unknown) {
    return this.wza.cancel(body)
  }

  cancelCommandStatus(commandId: string) {
    return this.wza.cancelStatus(commandId)
  }

  // ---------------------------------------------------------------- buyers and Allegro itself (buyer.ts, state.ts)

  createOrder(body: unknown): CheckoutForm {
    return this.buyer.createOrder(body)
  }

  combineOrders(body: unknown): CheckoutForm {
    return this.buyer.combine(body)
  }

  fillIn(id: string): CheckoutForm {
    return this.buyer.fillIn(id)
  }

  pay(id: string): CheckoutForm {
    return this.buyer.pay(id)
  }

  cancelByBuyer(id: string, body: unknown): CheckoutForm {
    return this.buyer.cancel(id, body)
  }

  modifyByBuyer(id: string, body: unknown): CheckoutForm {
    return this.buyer.modify(id, body)
  }

  /** Allegro sets a fulfillment status itself (RETURNED, PICKED_UP…), as carriers report (`POST /allegro/_sim/orders/{id}/fulfillment`). */
  setFulfillmentAsAllegro(id: string, body: unknown): CheckoutForm {
    const form = this.state.getForm(id, 404)
    const status = (body as { status?: unknown } | null)?.status
    if (typeof status !== 'string' || !(FULFILLMENT_STATUSES as readonly string[]).includes(status)) {
      throw invalid('status', `status must be one of ${FULFILLMENT_STATUSES.join(', ')}.`)
    }
    if (form.fulfillment.status !== status) {
      form.fulfillment.status = status as FulfillmentStatus
      this.state.touch(form, false)
      this.state.saveForm(form)
      this.state.emit('FULFILLMENT_STATUS_CHANGED', form)
    }
    return form
  }

  /** One thing buyers do by themselves (`POST /allegro/_sim/step`); what happened, or null. */
  step(): string | null {
    return this.activity.step()
  }

  get eventFaults(): EventFaults {
    return { ...this.state.faults }
  }

  setEventFaults(body: unknown): EventFaults {
    const input = (body ?? {}) as Partial<Record<keyof EventFaults, unknown>>
    const faults = this.state.faults
    if (typeof input.duplicates === 'boolean') faults.duplicates = input.duplicates
    if (typeof input.disorder === 'boolean') faults.disorder = input.disorder
    if (typeof input.drop === 'number' && Number.isInteger(input.drop) && input.drop >= 0) faults.drop = input.drop
    if (!faults.disorder) this.state.releaseHeld()
    return { ...faults }
  }

  replayEvents(ids: readonly string[]): OrderEvent[] {
    return ids.map((id) => this.state.replay(id))
  }

  /** Everything back to the seeded demo shop; tokens, commands and the log forgotten. */
  reset(): void {
    this.state.reset()
    this.auth.clear()
    this.wza.clear()
    this.outageAndLog.unblock()
    this.outageAndLog.setOutage('off')
  }

  // ---------------------------------------------------------------- outage, rate limit and the write log (outage-and-log.ts)
  // The outage switch and the write log (outageMode, setOutage, recordWrite, writeLog…) come from
  // WithOutageAndLog (../common/outage-and-log.ts); the rate limit is Allegro's own.

  countRequest(): void {
    this.outageAndLog.countRequest()
  }

  blockRequests(seconds: number) {
    return this.outageAndLog.block(seconds)
  }

  unblockRequests(): void {
    this.outageAndLog.unblock()
  }

  get blockedUntil(): string | null {
    return this.outageAndLog.blockedUntilTime
  }

  async close(): Promise<void> {
    this.activity.stop()
    this.state.store.close()
  }
}
