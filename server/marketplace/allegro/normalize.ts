import { formatMallDate, formatMallDateTime } from '#core/datetime.ts'
import { ORDER_STATUSES, type Order, type OrderStatus, type StatusTimestamps } from '#core/order.ts'
import type { MallProduct } from '#core/product.ts'
import { EAN_PARAMETER_ID, type CheckoutForm, type ProductOffer } from './wire.ts'

/**
 * Allegro's checkout forms and offers read into the station's one order and product shape
 * (core/order.ts, core/product.ts). The station numbers Allegro's orders itself (Allegro's ids are
 * UUIDs; the station's are whole numbers), so the number comes from the caller.
 *
 * The status mapping, Allegro (`status` / `fulfillment.status`) → the station:
 * - BOUGHT, FILLED_IN → `blocked` (not paid or not filled in: held back, as MALL's blocked);
 * - CANCELLED (the buyer or Allegro cancelled), or fulfillment CANCELLED → `cancelled`;
 * - READY_FOR_PROCESSING with fulfillment NEW → `open`, not confirmed;
 * - … PROCESSING or SUSPENDED → `open`, confirmed (packing has started);
 * - … READY_FOR_SHIPMENT or READY_FOR_PICKUP → `shipping` (packed, waiting for the carrier or the buyer);
 * - … SENT → `shipped`; PICKED_UP → `delivered`; RETURNED → `returned`.
 */
export function stationStatus(form: Pick<CheckoutForm, 'status' | 'fulfillment'>): { status: OrderStatus; confirmed: boolean } {
  const fulfillment = form.fulfillment?.status ?? 'NEW'
  if (form.status === 'CANCELLED') return { status: 'cancelled', confirmed: fulfillment !== 'NEW' }
  if (form.status !== 'READY_FOR_PROCESSING') return { status: 'blocked', confirmed: false }
  switch (fulfillment) {
    case 'NEW':
      return { status: 'open', confirmed: false }
    case 'PROCESSING':
    case 'SUSPENDED':
      return { status: 'open', confirmed: true }
    case 'READY_FOR_SHIPMENT':
    case 'READY_FOR_PICKUP':
      return { status: 'shipping', confirmed: true }
    case 'SENT':
      return { status: 'shipped', confirmed: true }
    case 'PICKED_UP':
      return { status: 'delivered', confirmed: true }
    case 'RETURNED':
      return { status: 'returned', confirmed: true }
    case 'CANCELLED':
      return { status: 'cancelled', confirmed: true }
    default:
      // A fulfillment status Allegro adds later: keep the order on the floor rather than lose it.
      return { status: 'open', confirmed: true }
  }
}

/** Orders Allegro's own warehouse fulfils (One Fulfillment): not the station's to pack. */
export function isFulfilledByAllegro(form: Pick<CheckoutForm, 'fulfillment'>): boolean {
  return form.fulfillment?.provider?.id === 'ALLEGRO'
}

/**
 * Whether the parcel goes with Allegro's own labels ("Wysyłam z Allegro"): Allegro Delivery methods
 * ship only through them. Allegro's orders do not say so in a field; its delivery methods for
 * Allegro Delivery are named "Allegro …" (Allegro Paczkomaty InPost, Allegro One Box, Allegro
 * Kurier DPD…), which is what the station goes by (an inference, not a documented rule).
 */
export function shipsWithAllegroLabels(form: Pick<CheckoutForm, 'delivery'>): boolean {
  return /^allegro\b/i.test(form.delivery?.method?.name?.trim() ?? '')
}

const amount = (value: { amount: string } | null | undefined): number => {
  const n = Number(value?.amount ?? 0)
  return Number.isFinite(n) ? n : 0
}

const when = (iso: string | null | undefined): string | null => {
  if (!iso) return null
  const at = Date.parse(iso)
  return Number.isNaN(at) ? null : formatMallDateTime(at)
}

const joinName = (...parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim() !== '').join(' ')

/** The seller's SKU of an order line: the offer's external id, else the offer id itself. */
export function skuOf(offer: { id: string; external?: { id?: string | null } | null }): string {
  const external = offer.external?.id?.trim()
  return external ? external : offer.id
}

/** What the carrier's tracking last said of a sent parcel, when it ended its journey. */
export interface ParcelOutcome {
  code: 'DELIVERED' | 'RETURNED'
  /** ISO time the carrier reported it. */
  at: string
}

/**
 * A checkout form as the station's order. `number` is the station's number for it; `waybill` the
 * first parcel number Allegro holds for it (read from its shipments), if any; `outcome` what the
 * carrier's tracking says of a sent parcel (the only source of a delivery time, as Allegro's
 * orders carry none).
 */
/**
 * `untracked`: the order was sent with a parcel Allegro does not follow (no waybill, or carrier
 * OTHER), so nothing will ever say it was delivered: the seller closes it (`marketplace_closes`
 * false), and the station keeps that outcome as it keeps a carrier's.
 */
export function normalizeCheckoutForm(form: CheckoutForm, number: number, waybill: string | null = null, outcome: ParcelOutcome | null = null, untracked = false): Order {
  const mapped = stationStatus(form)
  const { confirmed } = mapped
  const status = mapped.status === 'shipped' && outcome ? (outcome.code === 'DELIVERED' ? 'delivered' : 'returned') : mapped.status
  const boughtAt = form.lineItems.map((item) => item.boughtAt).find(Boolean) ?? form.updatedAt ?? null
  const timestamps = Object.fromEntries(ORDER_STATUSES.map((s) => [s, null])) as StatusTimestamps
  timestamps.open = when(boughtAt)
  if (status !== 'open' && status !== 'blocked') timestamps[status] = when(form.updatedAt)
  if (outcome) {
    timestamps.shipped = when(form.updatedAt)
    timestamps[status] = when(outcome.at)
  }
  const delivery = form.delivery ?? null
  const to = delivery?.address ?? delivery?.pickupPoint?.address ?? null
  const buyer = form.buyer
  const cod = form.payment?.type === 'CASH_ON_DELIVERY' ? amount(form.summary.totalToPay) : 0
  const pickup = delivery?.pickupPoint ? 0 : null
  const dispatchBy = delivery?.time?.dispatch?.to ? Date.parse(delivery.time.dispatch.to) : NaN
  return {
    ...timestamps,
    id: number,
    external_id: form.id,
    purchase_id: 0,
    source: form.marketplace?.id ?? 'allegro-pl',
    customer_id: 0,
    customer: joinName(buyer.firstName, buyer.lastName) || buyer.companyName || buyer.login || '',
    cod,
    payment_type: form.payment?.type ?? '',
    ship_date: Number.isNaN(dispatchBy) ? null : formatMallDate(dispatchBy),
    tracking_number: waybill,
    tracking_url: null,
    delivered_at: status === 'delivered' ? when(outcome?.at ?? form.updatedAt) : null,
    status,
    confirmed,
    test: false,
    mdp: shipsWithAllegroLabels(form),
    mdp_classic: false,
    mdp_spectrum: false,
    marketplace_closes: !untracked,
    external_order_id: 0,
    currency: form.summary.totalToPay.currency,
    delivery_price: amount(delivery?.cost),
    cod_price: 0,
    discount: 0,
    delivery_method: delivery?.method?.name ?? delivery?.method?.id ?? '',
    delivery_method_id: 0,
    branch_id: pickup,
    branches: { branch_id: pickup, secondary_branch_id: null, overridden: false, last_change: null },
    delivery_date: null,
    first_delivery_attempt: null,
    address: {
      customer_id: 0,
      name: joinName(to?.firstName, to?.lastName) || delivery?.pickupPoint?.name || joinName(buyer.firstName, buyer.lastName),
      company: to?.companyName ?? null,
      phone: to?.phoneNumber ?? buyer.phoneNumber ?? '',
      email: buyer.email ?? '',
      street: to?.street ?? '',
      city: to?.city ?? '',
      zip: to?.zipCode ?? to?.postCode ?? '',
      country: to?.countryCode ?? '',
    },
    items: form.lineItems.map((item) => ({
      id: skuOf(item.offer),
      article_id: 0,
      title: item.offer.name ?? skuOf(item.offer),
      quantity: item.quantity,
      price: amount(item.price),
      vat: Number(item.tax?.rate ?? 0) || 0,
      commission: null,
      serial_numbers: [],
    })),
    ready_to_return: false,
    ulozenka_status_history: [],
    consignment_status_history: [],
  }
}

/** The EANs of an offer's products (parameter 225693), first product first. */
export function offerEans(offer: ProductOffer): string[] {
  const codes: string[] = []
  for (const element of offer.productSet ?? []) {
    for (const parameter of element.product?.parameters ?? []) {
      if (parameter.id === EAN_PARAMETER_ID) codes.push(...(parameter.values ?? []).map((v) => v.trim()).filter(Boolean))
    }
  }
  return [...new Set(codes)]
}

/** An offer as the catalogue's product: SKU = `external.id` (else the offer id), the EAN, its photos. */
export function normalizeOffer(offer: ProductOffer): MallProduct {
  const images = offer.images?.length ? offer.images : (offer.productSet ?? []).flatMap((element) => element.product?.images ?? [])
  const eans = offerEans(offer)
  return {
    id: skuOf(offer),
    title: offer.name ?? skuOf(offer),
    category_id: '',
    brand_id: null,
    barcode: eans[0] ?? null,
    price: 0,
    vat: 0,
    media: images.map((url, index) => ({ url, main: index === 0 })),
    variants: [],
    status: 'A',
  }
}
