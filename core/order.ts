/**
 * The order as the MALL Marketplace orders API v1 describes it (`GET /v1/orders/{id}` → `data`),
 * in the marketplace's own field names, as MALL's orders API v1 documentation gives them.
 */

export const ORDER_STATUSES = [
  'blocked',
  'open',
  'shipping',
  'shipped',
  'delivered',
  'returned',
  'cancelled',
  'lost',
] as const

export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Statuses an order never leaves. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['delivered', 'returned', 'cancelled', 'lost']

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value)
}

export function isFinalStatus(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status)
}

/** `YYYY-MM-DD HH:MM:SS`, marketplace local time (Europe/Prague), no zone designator. */
export type MallDateTime = string
/** `YYYY-MM-DD`. */
export type MallDate = string

/** The time the order entered each status, or null; one key per status. */
export type StatusTimestamps = { [S in OrderStatus]: MallDateTime | null }

export interface OrderItem {
  /** The seller's own product or variant id (SKU); always a string, possibly all digits. */
  id: string
  article_id: number
  title: string
  quantity: number
  /** Unit price including VAT. */
  price: number
  /** VAT rate in per cent. */
  vat: number
  commission: number | null
  serial_numbers: string[]
}

export interface Customer {
  customer_id: number
  name: string
  company: string | null
  phone: string
  email: string
  street: string
  city: string
  zip: string
  /** ISO 3166-1 alpha-2. */
  country: string
}

/** Where a parcel goes, as a label prints it: the customer's postal address and phone. */
export type PostalAddress = Pick<Customer, 'name' | 'company' | 'street' | 'city' | 'zip' | 'country' | 'phone'>

export function postalAddress(customer: Customer): PostalAddress {
  const { name, company, street, city, zip, country, phone } = customer
  return { name, company, street, city, zip, country, phone }
}

export interface Branches {
  branch_id: number | null
  secondary_branch_id: number | null
  overridden: boolean
  last_change: MallDateTime | null
}

export type ConsignmentStatusCode =
  | 'CREATED'
  | 'RECEIVED'
  | 'CANCELLED'
  | 'DELIVERING'
  | 'DAMAGED'
  | 'RETURNING'
  | 'RETURNED'
  | 'READY_FOR_PICKUP'
  | 'DELIVERED'
  | 'LOST'

export interface ConsignmentStatusEntry {
  status: ConsignmentStatusCode
  date: MallDateTime
  flags: ('damaged' | 'lost')[]
  tracking_number: string | null
}

export interface UlozenkaStatusEntry {
  id: number
  name: string
  date: MallDateTime
}

/** The list form of an order (`GET /v1/orders`, or `filter=basic`). */
export interface BasicOrder extends StatusTimestamps {
  id: number
  external_id: string | null
  purchase_id: number
  source: string
  customer_id: number
  customer: string
  /** Amount the carrier collects on delivery ("remaining to pay"); 0 when prepaid. */
  cod: number
  payment_type: string
  ship_date: MallDate | null
  tracking_number: string | null
  tracking_url: string | null
  delivered_at: MallDateTime | null
  status: OrderStatus
  confirmed: boolean
  test: boolean
  mdp: boolean
  mdp_classic: boolean
  mdp_spectrum: boolean
}

/** The order detail (`GET /v1/orders/{id}`). */
export interface Order extends BasicOrder {
  external_order_id: number
  currency: string
  delivery_price: number
  cod_price: number
  discount: number
  delivery_method: string
  /** The real API sends it as a number or a numeric string. */
  delivery_method_id: number
  branch_id: number | null
  branches: Branches
  delivery_date: MallDate | null
  first_delivery_attempt: MallDateTime | null
  address: Customer
  items: OrderItem[]
  ready_to_return: boolean
  /**
   * Delivered and returned are the marketplace's to set, whatever the carrier (Allegro: carrier
   * tracking and RETURNED); absent or false where the seller closes own-carrier orders (MALL).
   */
  marketplace_closes?: boolean
  ulozenka_status_history: UlozenkaStatusEntry[]
  consignment_status_history: ConsignmentStatusEntry[]
}

/** Keys of the basic order, in the order the marketplace lists them. */
export const BASIC_ORDER_KEYS = [
  'id',
  'external_id',
  'purchase_id',
  'source',
  'customer_id',
  'customer',
  'cod',
  'payment_type',
  'ship_date',
  'tracking_number',
  'tracking_url',
  'delivered_at',
  'status',
  'confirmed',
  'test',
  'mdp',
  'mdp_classic',
  'mdp_spectrum',
  ...ORDER_STATUSES,
] as const satisfies readonly (keyof BasicOrder)[]

export function toBasicOrder(order: Order): BasicOrder {
  const basic: Record<string, unknown> = {}
  for (const key of BASIC_ORDER_KEYS) basic[key] = order[key]
  return basic as unknown as BasicOrder
}

/** The marketplace an order comes from: Allegro's sites name themselves `allegro-pl`, `allegro-cz`…; the rest is MALL. */
export function marketplaceOf(order: Partial<Pick<BasicOrder, 'source'>>): 'allegro' | 'mall' {
  return order.source?.startsWith('allegro-') ? 'allegro' : 'mall'
}

/** The marketplace's name as people read it. */
export function marketplaceName(order: Partial<Pick<BasicOrder, 'source'>>): string {
  return marketplaceOf(order) === 'allegro' ? 'Allegro' : 'MALL'
}

/** Whether the parcel goes to a carrier's pickup point rather than the customer's address. */
export function isPickupPointDelivery(order: Pick<Order, 'branch_id' | 'branches'>): boolean {
  return pickupPointOf(order) !== null
}

/** The pickup point the parcel goes to (the secondary one where MALL set it), or null for a home delivery. */
export function pickupPointOf(order: Pick<Order, 'branch_id' | 'branches'>): string | null {
  const branch = order.branches.secondary_branch_id ?? order.branches.branch_id ?? order.branch_id
  return branch === null ? null : String(branch)
}

/** Total number of units across all lines. */
export function unitCount(order: Pick<Order, 'items'>): number {
  return order.items.reduce((sum, item) => sum + item.quantity, 0)
}
