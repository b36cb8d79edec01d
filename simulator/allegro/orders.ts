import { randomBytes } from 'node:crypto'
import { AllegroApiError, invalid } from './errors.ts'
import { CARRIERS, isoTime } from './seed.ts'
import { compareIds, RETENTION_MS, type AllegroState } from './state.ts'
import {
  FULFILLMENT_STATUSES,
  type CheckoutForm,
  type FulfillmentStatus,
  type OrderEvent,
  type OrderShipment,
  type TrackingDetails,
} from './wire.ts'

/** A query string as the router gives it: a value, or several for a repeated key. */
export type RawQuery = Record<string, string | string[] | undefined>

const SORTS = ['lineItems.boughtAt', '-lineItems.boughtAt', 'updatedAt', '-updatedAt'] as const

function values(query: RawQuery, key: string): string[] {
  const raw = query[key]
  if (raw === undefined) return []
  return (Array.isArray(raw) ? raw : [raw]).flatMap((value) => value.split(',')).filter((value) => value !== '')
}

function one(query: RawQuery, key: string): string | undefined {
  const raw = query[key]
  return Array.isArray(raw) ? raw[0] : raw
}

function integer(query: RawQuery, key: string, fallback: number, min: number, max: number): number {
  const raw = one(query, key)
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw invalid(key, `${key} must be an integer from ${min} to ${max}, not “${raw}”.`)
  }
  return value
}

/*
 * Allegro's documents do not say what it answers to a filter value it does not know (a status, a
 * sort, a date that is not one, an event type, a carrier): the simulator accepts them, as it must
 * not be stricter than the marketplace. An unknown value matches nothing; a date that does not
 * parse, or an unknown sort, is left out.
 */

function time(query: RawQuery, key: string): number | undefined {
  const raw = one(query, key)
  if (raw === undefined || raw === '') return undefined
  const value = Date.parse(raw)
  return Number.isNaN(value) ? undefined : value
}

/** The latest purchase time of a form's line items, what `lineItems.boughtAt` filters and sorts by. */
export function boughtAt(form: CheckoutForm): number {
  return Math.max(...form.lineItems.map((item) => Date.parse(item.boughtAt)))
}

/** What the seller reads: checkout forms, the events feed and its statistics, carriers, waybills. */
export class OrderReading {
  constructor(private readonly state: AllegroState) {}

  /** `GET /order/checkout-forms`: filtered, sorted, and paged with `offset + limit ≤ 10000`. */
  listForms(query: RawQuery): { checkoutForms: CheckoutForm[]; count: number; totalCount: number } {
    const limit = integer(query, 'limit', 100, 1, 100)
    const offset = integer(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
    if (offset + limit > 10_000) {
      throw invalid('offset', `offset + limit must not exceed 10000 (it is ${offset + limit}): narrow the search with filters such as updatedAt.gte instead.`)
    }
    const statuses = values(query, 'status')
    const fulfillment = values(query, 'fulfillment.status')
    const providers = values(query, 'fulfillment.provider.id')
    const sent = values(query, 'fulfillment.shipmentSummary.lineItemsSent')
    const asked = one(query, 'sort')
    const sort = asked !== undefined && (SORTS as readonly string[]).includes(asked) ? asked : '-lineItems.boughtAt'
    const equal: [string, (form: CheckoutForm) => string | undefined][] = [
      ['marketplace.id', (form) => form.marketplace.id],
      ['buyer.login', (form) => form.buyer.login],
      ['payment.id', (form) => form.payment.id],
      ['delivery.method.id', (form) => form.delivery.method.id],
    ]
    const bounds: [string, (form: CheckoutForm) => number, 'gte' | 'lte'][] = [
      ['lineItems.boughtAt.gte', boughtAt, 'gte'],
      ['lineItems.boughtAt.lte', boughtAt, 'lte'],
      ['updatedAt.gte', (form) => Date.parse(form.updatedAt), 'gte'],
      ['updatedAt.lte', (form) => Date.parse(form.updatedAt), 'lte'],
    ]
    const limits = bounds.map(([key, read, op]) => [time(query, key), read, op] as const)
    const wanted = equal.map(([key, read]) => [values(query, key), read] as const)
    const matches = [...this.state.forms.values()].filter(
      (form) =>
        (statuses.length === 0 || statuses.includes(form.status)) &&
        (fulfillment.length === 0 || fulfillment.includes(form.fulfillment.status)) &&
        (providers.length === 0 || providers.includes(form.fulfillment.provider.id)) &&
        (sent.length === 0 || sent.includes(form.fulfillment.shipmentSummary.lineItemsSent)) &&
        wanted.every(([accepted, read]) => accepted.length === 0 || accepted.includes(read(form) ?? '')) &&
        limits.every(([bound, read, op]) => bound === undefined || (op === 'gte' ? read(form) >= bound : read(form) <= bound)),
    )
    const key = sort.replace(/^-/, '') === 'updatedAt' ? (form: CheckoutForm) => Date.parse(form.updatedAt) : boughtAt
    const direction = sort.startsWith('-') ? -1 : 1
    matches.sort((a, b) => direction * (key(a) - key(b)) || a.id.localeCompare(b.id))
    const page = matches.slice(offset, offset + limit)
    return { checkoutForms: page, count: page.length, totalCount: matches.length }
  }

  /** `GET /order/events`: oldest first after the exclusive `from`, within the 60-day retention. */
  events(query: RawQuery): { events: OrderEvent[] } {
    const limit = integer(query, 'limit', 100, 1, 1000)
    // An event id is digits; anything else is no cursor at all.
    const asked = one(query, 'from')
    const from = asked !== undefined && /^\d+$/.test(asked) ? asked : undefined
    const types: string[] = values(query, 'type')
    const oldest = this.state.now() - RETENTION_MS
    const events = this.state.events.filter(
      (event) =>
        (from === undefined || compareIds(event.id, from) > 0) &&
        Date.parse(event.occurredAt) >= oldest &&
        (types.length === 0 || types.includes(event.type)),
    )
    return { events: events.slice(0, limit) }
  }

  /** `GET /order/event-stats`: the latest event within the retention, to seed a cursor. */
  eventStats(): { latestEvent?: { id: string; occurredAt: string } } {
    const oldest = this.state.now() - RETENTION_MS
    const latest = this.state.events.findLast((event) => Date.parse(event.occurredAt) >= oldest)
    // Allegro answers `latestEvent: null` after 60 quiet days (#8496); the spec types it non-null, so it is left out.
    return latest ? { latestEvent: { id: latest.id, occurredAt: latest.occurredAt } } : {}
  }

  carriers(): { carriers: { id: string; name?: string }[] } {
    return { carriers: CARRIERS.map((carrier) => ({ ...carrier })) }
  }

  /** `GET /order/carriers/{carrierId}/tracking?waybill=…` (at most 20): each waybill's history, none for an unknown one. */
  tracking(carrierId: string, query: RawQuery): { carrierId: string; waybills: { waybill: string; trackingDetails?: TrackingDetails }[] } {
    const raw = query.waybill
    const waybills = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
    if (waybills.length === 0 || waybills.length > 20) throw invalid('waybill', 'Ask for 1 to 20 waybills (waybill=…&waybill=…).', 400)
    return {
      carrierId,
      waybills: waybills.map((waybill) => {
        const details = this.state.tracking.get(`${carrierId}:${waybill}`)
        return details ? { waybill, trackingDetails: structuredClone(details) } : { waybill }
      }),
    }
  }

  shipments(formId: string): { shipments: OrderShipment[] } {
    const form = this.state.getForm(formId, 404)
    return { shipments: structuredClone(this.state.shipments.get(form.id) ?? []) }
  }
}

/** What the seller writes: the fulfillment status and waybills of an order. */
export class SellerWrites {
  constructor(private readonly state: AllegroState) {}

  /** `PUT /order/checkout-forms/{id}/fulfillment`: 409 on a stale revision, 422 for RETURNED. */
  setFulfillment(formId: string, revision: string | undefined, body: unknown): void {
    const form = this.state.getForm(formId, 404)
    const status = (body as { status?: unknown } | null)?.status
    if (typeof status !== 'string' || !(FULFILLMENT_STATUSES as readonly string[]).includes(status)) {
      throw invalid('status', `status must be one of ${FULFILLMENT_STATUSES.filter((s) => s !== 'RETURNED').join(', ')}, not ${JSON.stringify(status ?? null)}.`)
    }
    if (status === 'RETURNED') {
      throw new AllegroApiError(422, 'VALIDATION_ERROR', 'The RETURNED status is set by Allegro only; the seller cannot set it.', {
        path: 'status',
        userMessage: 'Zwrot oznacza Allegro / Allegro marks a return itself.',
      })
    }
    if (revision !== undefined && revision !== form.revision) {
      throw new AllegroApiError(409, 'CONFLICT', `The checkout form revision ${revision} is outdated (the current one is ${form.revision}): read the order again and decide anew.`, {
        path: 'checkoutForm.revision',
      })
    }
    if (form.fulfillment.status === status) return
    form.fulfillment.status = status as FulfillmentStatus
    // Whether a seller's change moves the revision is undocumented; here it does not (only buyers' changes do, #3187).
    this.state.touch(form, false)
    this.state.saveForm(form)
    this.state.emit('FULFILLMENT_STATUS_CHANGED', form)
  }

  /** `POST /order/checkout-forms/{id}/shipments`: not idempotent; each call adds a waybill. */
  addShipment(formId: string, body: unknown): OrderShipment {
    const form = this.state.getForm(formId, 404)
    const input = (body ?? {}) as { carrierId?: unknown; waybill?: unknown; carrierName?: unknown; lineItems?: unknown }
    if (typeof input.carrierId !== 'string' || input.carrierId === '') throw invalid('carrierId', 'carrierId is required: take one from GET /order/carriers.', 400)
    if (typeof input.waybill !== 'string' || input.waybill.trim() === '' || input.waybill.length > 64) {
      throw invalid('waybill', 'The waybill cannot be empty and must be no longer than 64 characters.', 400, 'WaybillValidationException')
    }
    if (input.carrierName !== undefined && (typeof input.carrierName !== 'string' || input.carrierName.length > 30)) {
      throw invalid('carrierName', 'carrierName must be a text of at most 30 characters.', 400)
    }
    const lineItems = input.lineItems ?? []
    if (!Array.isArray(lineItems)) throw invalid('lineItems', 'lineItems must be a list of {id}.', 400)
    const ids = lineItems.map((item) => (item as { id?: unknown } | null)?.id)
    for (const id of ids) {
      if (typeof id !== 'string' || !form.lineItems.some((item) => item.id === id)) {
        throw invalid('lineItems', `Line item ${String(id)} does not belong to checkout form ${form.id}.`, 422)
      }
    }
    const waybill = input.waybill.trim()
    const others = new Set<string>()
    for (const [otherId, list] of this.state.shipments) {
      if (otherId !== form.id && list.some((s) => s.waybill === waybill && s.carrierId === input.carrierId)) others.add(otherId)
    }
    if (others.size >= this.state.options.waybillMaxOrders) {
      throw new AllegroApiError(409, 'WAYBILL_USAGE_EXCEEDED', `Waybill ${waybill} is already used in too many orders (${others.size}).`, { path: 'waybill' })
    }
    const shipment: OrderShipment = {
      id: randomBytes(12).toString('base64url'),
      waybill,
      carrierId: input.carrierId,
      ...(input.carrierId === 'OTHER' && typeof input.carrierName === 'string' ? { carrierName: input.carrierName } : {}),
      lineItems: (ids.length > 0 ? (ids as string[]) : form.lineItems.map((item) => item.id)).map((id) => ({ id })),
      createdAt: isoTime(this.state.now()),
    }
    this.attach(form, shipment)
    return shipment
  }

  /** Adds a waybill to an order: the seller's own, or one "Wysyłam z Allegro" made. */
  attach(form: CheckoutForm, shipment: OrderShipment): void {
    const list = [...(this.state.shipments.get(form.id) ?? []), shipment]
    this.state.saveShipments(form.id, list)
    if (!this.state.tracking.has(`${shipment.carrierId}:${shipment.waybill}`)) {
      this.state.saveTracking(shipment.carrierId, shipment.waybill, { statuses: [{ occurredAt: shipment.createdAt, code: 'PENDING' }], createdAt: shipment.createdAt, updatedAt: shipment.createdAt })
    }
    const covered = new Set(list.flatMap((s) => s.lineItems.map((item) => item.id)))
    const sent = form.lineItems.filter((item) => covered.has(item.id)).length
    form.fulfillment.shipmentSummary.lineItemsSent = sent === 0 ? 'NONE' : sent === form.lineItems.length ? 'ALL' : 'SOME'
    this.state.touch(form, false)
    const flips = this.state.options.waybillSetsSent && form.fulfillment.status !== 'SENT'
    if (flips) form.fulfillment.status = 'SENT'
    this.state.saveForm(form)
    if (flips) this.state.emit('FULFILLMENT_STATUS_CHANGED', form)
  }
}
