import { notFound, invalid } from './errors.ts'
import type { AllegroSimulatorOptions } from './options.ts'
import { buildCheckoutForm, buildDemoSpecs, buildOffers, createRandom, historyOf, isoTime, type OrderSpec, type Random } from './seed.ts'
import { AllegroStore } from './store.ts'
import type { CheckoutForm, OrderEvent, OrderEventType, OrderShipment, SeedOffer, TrackingDetails } from './wire.ts'

/** Event ids are long numeric strings that only grow (#2700); the feed starts at an Allegro-like one. */
const FIRST_EVENT_ID = 1_532_603_898_317_497

/** How the events feed misbehaves when told to (`PUT /allegro/_sim/events/faults`). */
export interface EventFaults {
  /** Each new event is written twice, under two ids. */
  duplicates: boolean
  /** Each new event is held back and written after the next one, its `occurredAt` older than its predecessor's. */
  disorder: boolean
  /** The next this many events are never written (the order changes all the same). */
  drop: number
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * What every part of the simulated Allegro shares: its options, its store, and the checkout forms,
 * their waybills, the events feed and the offers loaded from it.
 */
export class AllegroState {
  readonly store: AllegroStore
  readonly forms = new Map<string, CheckoutForm>()
  /** Waybills per checkout form id, oldest first. */
  readonly shipments = new Map<string, OrderShipment[]>()
  readonly events: OrderEvent[] = []
  readonly offers = new Map<string, SeedOffer>()
  /** Carriers' tracking histories by `carrierId:waybill`. */
  readonly tracking = new Map<string, TrackingDetails>()
  faults: EventFaults = { duplicates: false, disorder: false, drop: 0 }
  private held: OrderEvent | null = null
  private lastEventId = FIRST_EVENT_ID
  random: Random

  constructor(readonly options: AllegroSimulatorOptions) {
    this.store = new AllegroStore(options.dataDir)
    this.random = createRandom(options.seed)
    if (this.store.load('meta').get('seeded_at') === undefined) this.seed()
    this.load()
  }

  now(): number {
    return this.options.clock()
  }

  /** The demo shop: offers, orders and the events that brought each order to its status. */
  seed(): void {
    const now = this.now()
    const offers = buildOffers(this.options.seed)
    const specs = buildDemoSpecs(offers, now, this.options.seed)
    const random = createRandom(this.options.seed + 1)
    const history: { at: number; type: OrderEventType; form: CheckoutForm }[] = []
    this.store.transaction(() => {
      for (const offer of offers) this.store.save('offer', offer.id, offer)
      for (const spec of specs) {
        const form = buildCheckoutForm(spec, random, now)
        this.store.save('form', form.id, form)
        historyOf(spec.status).forEach((type, step) => history.push({ at: spec.boughtAt + [0, 2, 5][step]! * 60_000, type, form }))
      }
      let id = FIRST_EVENT_ID
      for (const entry of history.sort((a, b) => a.at - b.at)) {
        const event = eventOf(String(++id), entry.type, isoTime(entry.at), entry.form, this.options.sellerId)
        this.store.save('event', event.id, event)
      }
      this.store.save('meta', 'seeded_at', isoTime(now))
    })
  }

  load(): void {
    for (const [id, offer] of this.store.load<SeedOffer>('offer')) this.offers.set(id, offer)
    for (const [id, form] of this.store.load<CheckoutForm>('form')) this.forms.set(id, form)
    for (const [id, list] of this.store.load<OrderShipment[]>('shipment')) this.shipments.set(id, list)
    for (const [key, details] of this.store.load<TrackingDetails>('tracking')) this.tracking.set(key, details)
    // One by one: a long demo's feed is longer than a call's arguments may be.
    for (const event of [...this.store.load<OrderEvent>('event').values()].sort((a, b) => compareIds(a.id, b.id))) this.events.push(event)
    this.lastEventId = Number(this.events.at(-1)?.id ?? FIRST_EVENT_ID)
    this.forgetExpiredEvents()
    this.random = createRandom(this.options.seed + this.forms.size * 7919 + this.events.length)
  }

  /** Forgets everything and seeds the demo shop again (`POST /allegro/_sim/reset`). */
  reset(): void {
    this.store.clear()
    this.forms.clear()
    this.shipments.clear()
    this.events.length = 0
    this.offers.clear()
    this.tracking.clear()
    this.held = null
    this.faults = { duplicates: false, disorder: false, drop: 0 }
    this.seed()
    this.load()
  }

  /** A checkout form by id: 422 for a malformed UUID (as the spec says for the detail), 404 for an unknown one. */
  getForm(id: string, malformedStatus = 422): CheckoutForm {
    if (!UUID.test(id)) {
      if (malformedStatus === 404) throw notFound('CheckoutFormNotFoundException', `Checkout form ${id} was not found.`)
      throw invalid('id', `The checkout form id ${id} is not a valid UUID.`)
    }
    const form = this.forms.get(id)
    if (!form) throw notFound('CheckoutFormNotFoundException', `Checkout form ${id} was not found.`)
    return form
  }

  saveForm(form: CheckoutForm): void {
    this.forms.set(form.id, form)
    this.store.save('form', form.id, form)
  }

  /** The form is gone (merged into a combined payment): its id answers 404 from now on. */
  removeForm(id: string): void {
    this.forms.delete(id)
    this.store.remove('form', id)
  }

  saveShipments(formId: string, list: OrderShipment[]): void {
    this.shipments.set(formId, list)
    this.store.save('shipment', formId, list)
  }

  saveTracking(carrierId: string, waybill: string, details: TrackingDetails): void {
    this.tracking.set(`${carrierId}:${waybill}`, details)
    this.store.save('tracking', `${carrierId}:${waybill}`, details)
  }

  /** A buyer's change: a new revision (#3187) and a new `updatedAt`. */
  touch(form: CheckoutForm, newRevision: boolean): void {
    form.updatedAt = isoTime(this.now())
    if (newRevision) form.revision = this.newRevision(form.revision)
  }

  private newRevision(old: string): string {
    for (;;) {
      const revision = this.random.hex(8)
      if (revision !== old) return revision
    }
  }

  /** Appends an event of `form` to the feed, subject to the faults switched on. */
  emit(type: OrderEventType, form: CheckoutForm): void {
    if (this.faults.drop > 0) {
      this.faults.drop -= 1
      return
    }
    const event = eventOf('', type, isoTime(this.now()), form, this.options.sellerId)
    if (this.faults.disorder && this.held === null) {
      this.held = event
      return
    }
    this.write(event)
    if (this.held !== null) {
      // Written after its successor with a larger id, yet it happened earlier (#2700).
      const late = this.held
      this.held = null
      late.occurredAt = isoTime(Date.parse(event.occurredAt) - 1000)
      this.write(late)
    }
  }

  /** Writes whatever disorder holds back (when the fault is switched off). */
  releaseHeld(): void {
    if (this.held === null) return
    const late = this.held
    this.held = null
    this.write(late)
  }

  /** Writes a copy of an existing event under a new id (`POST /allegro/_sim/events/replay`). */
  replay(eventId: string): OrderEvent {
    const event = this.events.find((e) => e.id === eventId)
    if (!event) throw notFound('EventNotFound', `There is no event ${eventId} in the feed.`)
    const copy = structuredClone(event)
    this.writeOne(copy)
    return copy
  }

  private write(event: OrderEvent): void {
    this.writeOne(event)
    if (this.faults.duplicates) this.writeOne(structuredClone({ ...event }))
  }

  private writeOne(event: OrderEvent): void {
    event.id = String(++this.lastEventId)
    this.events.push(event)
    this.store.save('event', event.id, event)
    this.forgetExpiredEvents()
  }

  /** Allegro keeps events for 60 days: older ones are dropped from the feed and the store. */
  private forgetExpiredEvents(): void {
    const oldest = this.now() - RETENTION_MS
    while (this.events.length > 0 && Date.parse((this.events[0] as OrderEvent).occurredAt) < oldest) {
      this.store.remove('event', (this.events.shift() as OrderEvent).id)
    }
  }

  /** The form built from a spec, saved, with the events of its history up to now. */
  addOrder(spec: OrderSpec): CheckoutForm {
    const form = buildCheckoutForm(spec, this.random, this.now())
    form.updatedAt = isoTime(this.now())
    this.saveForm(form)
    for (const type of historyOf(spec.status)) this.emit(type, form)
    return form
  }
}

/** How long Allegro keeps an event in the feed. */
export const RETENTION_MS = 60 * 24 * 3600 * 1000

export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

function eventOf(id: string, type: OrderEventType, occurredAt: string, form: CheckoutForm, sellerId: string): OrderEvent {
  return {
    id,
    type,
    occurredAt,
    order: {
      seller: { id: sellerId },
      buyer: { id: form.buyer.id, email: form.buyer.email, login: form.buyer.login, guest: form.buyer.guest },
      lineItems: form.lineItems.map((item) => ({
        id: item.id,
        offer: { id: item.offer.id, name: item.offer.name, external: { ...item.offer.external } },
        quantity: item.quantity,
        originalPrice: { ...item.originalPrice },
        price: { ...item.price },
        boughtAt: item.boughtAt,
      })),
      checkoutForm: { id: form.id, revision: form.revision },
      marketplace: { id: form.marketplace.id },
    },
  }
}
