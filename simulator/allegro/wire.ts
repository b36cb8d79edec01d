/**
 * Allegro's wire shapes as the simulator keeps and answers them, named as in the official
 * OpenAPI document (openapi/allegro-rest-api.yaml, `components.schemas`). Only the fields the
 * simulator fills are typed; amounts are strings, as Allegro sends them.
 */

export interface Price {
  amount: string
  currency: string
}

export type CheckoutFormStatus = 'BOUGHT' | 'FILLED_IN' | 'READY_FOR_PROCESSING' | 'CANCELLED'
export const CHECKOUT_FORM_STATUSES: readonly CheckoutFormStatus[] = ['BOUGHT', 'FILLED_IN', 'READY_FOR_PROCESSING', 'CANCELLED']

export type FulfillmentStatus =
  | 'NEW'
  | 'PROCESSING'
  | 'READY_FOR_SHIPMENT'
  | 'READY_FOR_PICKUP'
  | 'SENT'
  | 'PICKED_UP'
  | 'CANCELLED'
  | 'SUSPENDED'
  | 'RETURNED'
export const FULFILLMENT_STATUSES: readonly FulfillmentStatus[] = [
  'NEW',
  'PROCESSING',
  'READY_FOR_SHIPMENT',
  'READY_FOR_PICKUP',
  'SENT',
  'PICKED_UP',
  'CANCELLED',
  'SUSPENDED',
  'RETURNED',
]

export type PaymentType = 'CASH_ON_DELIVERY' | 'WIRE_TRANSFER' | 'ONLINE' | 'SPLIT_PAYMENT' | 'EXTENDED_TERM'

export interface Address {
  firstName: string
  lastName: string
  street: string
  city: string
  zipCode: string
  countryCode: string
  companyName?: string
  phoneNumber: string
  modifiedAt?: string
}

export interface LineItem {
  id: string
  offer: { id: string; name: string; external: { id: string }; productSet?: { products: { id: string; quantity: number }[] } }
  quantity: number
  originalPrice: Price
  price: Price
  selectedAdditionalServices: unknown[]
  tax: { rate: string | null; subject: string | null; exemption: string | null }
  boughtAt: string
}

export interface CheckoutForm {
  id: string
  messageToSeller?: string
  buyer: {
    id: string
    email: string
    login: string
    firstName: string
    lastName: string
    companyName?: string
    guest: boolean
    phoneNumber: string
    preferences: { language: string }
    address: { street: string; city: string; postCode: string; countryCode: string }
  }
  payment: { id: string; type: PaymentType; provider?: string; finishedAt?: string; paidAmount?: Price }
  status: CheckoutFormStatus
  fulfillment: { status: FulfillmentStatus; shipmentSummary: { lineItemsSent: 'NONE' | 'SOME' | 'ALL' }; provider: { id: 'SELLER' | 'ALLEGRO' } }
  delivery: {
    address: Address
    method: { id: string; name: string }
    pickupPoint?: { id: string; name: string; description: string; address: { street: string; zipCode: string; city: string; countryCode: string } }
    cost: Price
    time: { from: string; to: string; dispatch: { from: string; to: string } }
    smart: boolean
    calculatedNumberOfPackages: number
  }
  invoice: { required: boolean }
  lineItems: LineItem[]
  surcharges: unknown[]
  note?: { text: string }
  marketplace: { id: string }
  summary: { totalToPay: Price }
  updatedAt: string
  revision: string
}

export type OrderEventType =
  | 'BOUGHT'
  | 'FILLED_IN'
  | 'READY_FOR_PROCESSING'
  | 'BUYER_CANCELLED'
  | 'FULFILLMENT_STATUS_CHANGED'
  | 'BUYER_MODIFIED'
  | 'AUTO_CANCELLED'
export const ORDER_EVENT_TYPES: readonly OrderEventType[] = [
  'BOUGHT',
  'FILLED_IN',
  'READY_FOR_PROCESSING',
  'BUYER_CANCELLED',
  'FULFILLMENT_STATUS_CHANGED',
  'BUYER_MODIFIED',
  'AUTO_CANCELLED',
]

export interface OrderEvent {
  id: string
  type: OrderEventType
  occurredAt: string
  order: {
    seller: { id: string }
    buyer: { id: string; email: string; login: string; guest: boolean }
    lineItems: { id: string; offer: { id: string; name: string; external: { id: string } }; quantity: number; originalPrice: Price; price: Price; boughtAt: string }[]
    checkoutForm: { id: string; revision: string }
    marketplace: { id: string }
  }
}

/** A waybill added to an order (`CheckoutFormAddWaybillCreated`). */
export interface OrderShipment {
  id: string
  waybill: string
  carrierId: string
  carrierName?: string
  lineItems: { id: string }[]
  createdAt: string
}

/** What the simulator keeps of an offer; answered as `SaleProductOfferResponseV1`. */
export interface SeedOffer {
  id: string
  name: string
  sku: string
  ean: string
  productId: string
  kind: string
  colour: string
  /** The price in each marketplace's currency. */
  prices: Record<string, string>
  stock: number
  categoryId: string
}

export const TRACKING_CODES = ['PENDING', 'IN_TRANSIT', 'RELEASED_FOR_DELIVERY', 'AVAILABLE_FOR_PICKUP', 'NOTICE_LEFT', 'DELIVERED', 'ISSUE', 'RETURNED'] as const
export type TrackingCode = (typeof TRACKING_CODES)[number]

/** A parcel's tracking history as the carrier reported it (`ParcelTrackingHistory.trackingDetails`). */
export interface TrackingDetails {
  statuses: { occurredAt: string; code: TrackingCode; description?: string }[]
  createdAt: string
  updatedAt: string
}
