import { amountToCollect, formatMoney, itemsTotal, orderTotal } from '#core/cod.ts'
import { deliveryMethodOf, MALL_DELIVERY_CARRIER } from '#core/delivery-methods.ts'
import { pickupPointOf, postalAddress, type Order } from '#core/order.ts'
import type { Seller } from '#core/seller.ts'
import type { Language } from '@/i18n/languages'
import type { Translate } from '@/i18n/phrase'

/**
 * What goes on the papers of an order: the delivery note that travels in the parcel and the
 * shipping label stuck on it. Both are plain data here; the PWA lays them out for the browser's
 * print and `zpl.ts` for thermal printers, so every format shows the same facts. They are written in
 * the paper's language (the customer's, see src/i18n/languages.ts): `Paper` carries its words.
 */

/** The paper's language: its words (`paper.*` of its catalogue) and its `Intl` locale for money. */
export interface Paper {
  language: Language
  translate: Translate
  /** The `Intl` locale amounts are written in, e.g. `sk-SK`. */
  locale: string
  /** The delivery method by name in this language. */
  methodName: (order: Order) => string
}

/**
 * What the barcode on every paper of an order holds: the marketplace's order number, digits only,
 * so a scan of the delivery note or the label opens the order (Code 128 set C packs it densely).
 */
export function orderBarcodeValue(order: Pick<Order, 'id'>): string {
  return String(order.id)
}

export interface DeliveryNoteLine {
  sku: string
  title: string
  quantity: number
  unit_price: string
  total: string
  vat: number
}

export interface DeliveryNote {
  order_id: number
  barcode: string
  seller: Seller
  customer: { name: string; company: string | null; street: string; city: string; zip: string; country: string; phone: string; email: string }
  /** The pickup point the parcel goes to, or null for delivery to the address. */
  pickup_point: string | null
  /** The delivery method's name, e.g. "DPD (home delivery)", never the marketplace's code. */
  delivery_method: string
  /** The carrier's name ("DPD", "MALL Delivery"), or "Own carrier" when the method is not one we know. */
  carrier: string
  lines: DeliveryNoteLine[]
  items_total: string
  delivery_price: string | null
  cod_price: string | null
  discount: string | null
  total: string
  /** The amount the carrier collects, or null when the order is prepaid. */
  to_collect: string | null
  payment: string
  unit_count: number
}

/** The pickup point's number, or null when the parcel goes to the customer's address. */
export function deliveryNote(order: Order, seller: Seller, paper: Paper): DeliveryNote {
  const money = (amount: number) => formatMoney(amount, order.currency, paper.locale)
  const toCollect = amountToCollect(order)
  return {
    order_id: order.id,
    barcode: orderBarcodeValue(order),
    seller,
    customer: { ...postalAddress(order.address), email: order.address.email },
    pickup_point: pickupPointOf(order),
    delivery_method: paper.methodName(order),
    carrier: deliveryMethodOf(order).carrier ?? (order.mdp ? MALL_DELIVERY_CARRIER : paper.translate('paper.ownCarrier')),
    lines: order.items.map((item) => ({
      sku: item.id,
      title: item.title,
      quantity: item.quantity,
      unit_price: money(item.price),
      total: money(itemsTotal([item])),
      vat: item.vat,
    })),
    items_total: money(itemsTotal(order.items)),
    delivery_price: order.delivery_price > 0 ? money(order.delivery_price) : null,
    cod_price: order.cod_price > 0 ? money(order.cod_price) : null,
    discount: order.discount > 0 ? `−${money(order.discount)}` : null,
    total: money(orderTotal(order)),
    to_collect: toCollect > 0 ? money(toCollect) : null,
    payment: toCollect > 0 ? paper.translate('paper.cashOnDelivery') : paper.translate('paper.paid'),
    unit_count: order.items.reduce((sum, item) => sum + item.quantity, 0),
  }
}

export interface ShippingLabel {
  order_id: number
  barcode: string
  /** 1-based. */
  parcel: number
  parcels: number
  recipient: { name: string; company: string | null; street: string; city: string; zip: string; country: string; phone: string }
  pickup_point: string | null
  /** The delivery method's name, never the marketplace's code. */
  delivery_method: string
  /** The amount the carrier collects, formatted, or null when prepaid. */
  cod: string | null
  /** The amount as a plain number for machines (e.g. `1867.00`), or null when prepaid. */
  cod_amount: string | null
  currency: string
  /** The label's own words in the paper's language (`FROM`, `COD`…). */
  words: LabelWords
  sender: Pick<Seller, 'name' | 'street' | 'city' | 'zip' | 'country' | 'phone'>
}

export interface LabelWords {
  from: string
  to: string
  phone: string
  pickup_point: string
  cod: string
  prepaid: string
  parcel: string
  order: string
}

function labelWords(translate: Translate): LabelWords {
  const word = (key: keyof LabelWords) => translate(`paper.label.${key}`)
  return {
    from: word('from'),
    to: word('to'),
    phone: word('phone'),
    pickup_point: word('pickup_point'),
    cod: word('cod'),
    prepaid: word('prepaid'),
    parcel: word('parcel'),
    order: word('order'),
  }
}

/** The most parcels one order can be split into (MALL's own limit for labels). */
export const MAX_PARCELS = 100

/** One label per parcel, `parcels` of them (1 to 100). */
export function shippingLabels(order: Order, seller: Seller, parcels: number, paper: Paper): ShippingLabel[] {
  if (!Number.isInteger(parcels) || parcels < 1 || parcels > MAX_PARCELS) {
    throw new RangeError(`A parcel count is a whole number from 1 to ${MAX_PARCELS}; got ${parcels}.`)
  }
  const toCollect = amountToCollect(order)
  const words = labelWords(paper.translate)
  return Array.from({ length: parcels }, (_, i) => ({
    order_id: order.id,
    barcode: orderBarcodeValue(order),
    parcel: i + 1,
    parcels,
    recipient: postalAddress(order.address),
    pickup_point: pickupPointOf(order),
    delivery_method: paper.methodName(order),
    cod: toCollect > 0 ? formatMoney(toCollect, order.currency, paper.locale) : null,
    cod_amount: toCollect > 0 ? toCollect.toFixed(2) : null,
    currency: order.currency,
    words,
    sender: { name: seller.name, street: seller.street, city: seller.city, zip: seller.zip, country: seller.country, phone: seller.phone },
  }))
}
