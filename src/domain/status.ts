import { formatMallDateTime, parseMallDateTime } from './datetime'
import { isFinalStatus, isOrderStatus, type MallDateTime, type Order, type OrderStatus } from './order'

/**
 * The order status machine of the MALL Marketplace: who may make each change and what each change
 * needs. Every refusal carries a stable code and one sentence a packer can act on.
 * Source: shared/reference/mall-orders-api.md sections 4–5; DESIGN.md "Order status rules".
 */

/** Who asks for the change: the seller (the warehouse, through the API) or the marketplace itself. */
export type Actor = 'seller' | 'marketplace'

/** A change as the marketplace's `PUT /v1/orders/{id}` takes it. */
export interface StatusChange {
  status?: string | null
  confirmed?: boolean | null
  tracking_number?: string | null
  tracking_url?: string | null
  delivered_at?: MallDateTime | null
  first_delivery_attempt?: MallDateTime | null
}

/** What the rules look at in the order being changed. */
export interface OrderForChange {
  status: OrderStatus
  confirmed: boolean
  mdp: boolean
  /** MALL Delivery labels have been requested for the order. */
  has_labels?: boolean
  /** When the order was shipped; a delivery cannot predate it. */
  shipped?: MallDateTime | null
}

export type RefusalCode =
  | 'STATUS_UNKNOWN'
  | 'NOTHING_TO_CHANGE'
  | 'ORDER_BLOCKED'
  | 'ORDER_FINAL'
  | 'TRANSITION_NOT_ALLOWED'
  | 'STATUS_SET_BY_MARKETPLACE'
  | 'CONFIRMATION_REQUIRED'
  | 'CONFIRMED_CANNOT_BE_UNSET'
  | 'TRACKING_REQUIRED'
  | 'TRACKING_NUMBER_INVALID'
  | 'TRACKING_URL_INVALID'
  | 'TRACKING_NOT_ALLOWED'
  | 'TRACKING_SET_BY_MARKETPLACE'
  | 'MDP_SHIPPING_REQUIRED'
  | 'LABELS_REQUIRED'
  | 'DELIVERED_AT_REQUIRED'
  | 'DELIVERED_AT_NOT_ALLOWED'
  | 'DATETIME_INVALID'
  | 'DATETIME_IN_FUTURE'
  | 'DELIVERED_BEFORE_SHIPPED'
  | 'FIRST_ATTEMPT_AFTER_DELIVERY'

export interface Refusal {
  code: RefusalCode
  /** One sentence saying what is wrong and what to do. */
  message: string
  attributes: Record<string, string | number | boolean | null>
}

/** Letters, digits, hyphen and underscore: the only characters MALL takes in a tracking number. */
export const TRACKING_NUMBER_PATTERN = /^[0-9a-zA-Z_-]+$/

/** Changes the seller may make, MALL Delivery limits aside. */
const SELLER_TRANSITIONS: Readonly<Partial<Record<OrderStatus, readonly OrderStatus[]>>> = {
  open: ['shipping', 'shipped', 'cancelled'],
  shipping: ['shipped', 'cancelled'],
  shipped: ['delivered', 'returned'],
}

/** Changes the marketplace makes; the ones after `shipping` are MALL Delivery only. */
const MARKETPLACE_TRANSITIONS: Readonly<Partial<Record<OrderStatus, readonly OrderStatus[]>>> = {
  blocked: ['open', 'cancelled'],
  open: ['cancelled'],
  shipping: ['cancelled', 'shipped'],
  shipped: ['delivered', 'returned', 'lost'],
}

const MARKETPLACE_ONLY_TARGETS: readonly OrderStatus[] = ['blocked', 'open', 'lost']
const MDP_MARKETPLACE_TARGETS: readonly OrderStatus[] = ['delivered', 'returned', 'lost']

/** Words a packer reads for each status. */
export const STATUS_WORDS: Readonly<Record<OrderStatus, string>> = {
  blocked: 'waiting for payment',
  open: 'open',
  shipping: 'being packed (shipping)',
  shipped: 'shipped',
  delivered: 'delivered',
  returned: 'returned',
  cancelled: 'cancelled',
  lost: 'lost',
}

/** How far ahead of the clock a typed time may be before it counts as "in the future". */
const CLOCK_SKEW_MS = 5 * 60 * 1000

/** The statuses the actor may move this order to next, given MALL Delivery limits. */
export function nextStatuses(order: Pick<OrderForChange, 'status' | 'mdp'>, actor: Actor): OrderStatus[] {
  if (actor === 'seller') {
    const targets = SELLER_TRANSITIONS[order.status] ?? []
    if (!order.mdp) return [...targets]
    return targets.filter(
      (to) => !(order.status === 'open' && to === 'shipped') && !MDP_MARKETPLACE_TARGETS.includes(to),
    )
  }
  const targets = MARKETPLACE_TRANSITIONS[order.status] ?? []
  if (order.mdp) return [...targets]
  return targets.filter((to) => !(order.status === 'shipping' && to === 'shipped') && order.status !== 'shipped')
}

function refusal(code: RefusalCode, message: string, attributes: Refusal['attributes'] = {}): Refusal {
  return { code, message, attributes }
}

function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null
}

function listWords(statuses: readonly OrderStatus[]): string {
  if (statuses.length <= 1) return statuses.join('')
  return `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)}`
}

function finalMessage(status: OrderStatus): string {
  switch (status) {
    case 'cancelled':
      return 'This order was cancelled, which is final: do not ship it; put its items back on the shelf.'
    case 'delivered':
      return 'This order is already delivered, which is final and cannot be changed any more.'
    case 'returned':
      return 'This order is already returned, which is final and cannot be changed any more.'
    default:
      return `This order is ${STATUS_WORDS[status]}, which is final and cannot be changed any more.`
  }
}

/** A tracking number and link as MALL takes them, or the refusal. */
export function checkTracking(trackingNumber: unknown, trackingUrl: unknown): Refusal | null {
  if (!present(trackingNumber) || trackingNumber === '' || !present(trackingUrl) || trackingUrl === '') {
    return refusal(
      'TRACKING_REQUIRED',
      'Enter the parcel’s tracking number and tracking link before marking the order shipped.',
    )
  }
  if (typeof trackingNumber !== 'string' || !TRACKING_NUMBER_PATTERN.test(trackingNumber)) {
    return refusal(
      'TRACKING_NUMBER_INVALID',
      `The tracking number “${String(trackingNumber)}” has characters the marketplace refuses: use only letters, digits, - and _ (no spaces).`,
      { tracking_number: String(trackingNumber) },
    )
  }
  if (typeof trackingUrl !== 'string' || !isWebAddress(trackingUrl)) {
    return refusal(
      'TRACKING_URL_INVALID',
      `The tracking link “${String(trackingUrl)}” is not a web address: it must start with https:// or http://.`,
      { tracking_url: String(trackingUrl) },
    )
  }
  return null
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0
  } catch {
    return false
  }
}

const FIELD_WORDS: Readonly<Record<string, string>> = {
  delivered_at: 'delivery time',
  first_delivery_attempt: 'first delivery attempt',
}

function checkDateTime(field: keyof typeof FIELD_WORDS, value: unknown, now: number): Refusal | Date {
  const at = typeof value === 'string' ? parseMallDateTime(value) : null
  if (at === null) {
    return refusal(
      'DATETIME_INVALID',
      `The ${FIELD_WORDS[field]} “${String(value)}” is not a date and time: write it as YYYY-MM-DD HH:MM:SS.`,
      { field, value: String(value) },
    )
  }
  if (at.getTime() > now + CLOCK_SKEW_MS) {
    return refusal(
      'DATETIME_IN_FUTURE',
      `The ${FIELD_WORDS[field]} ${String(value)} lies in the future: enter when it actually happened.`,
      { field, value: String(value) },
    )
  }
  return at
}

/**
 * Why the actor may not make this change to the order, or null when it may.
 * `now` is the clock used to refuse delivery times in the future.
 */
export function checkStatusChange(
  order: OrderForChange,
  change: StatusChange,
  actor: Actor,
  now: Date | number = Date.now(),
): Refusal | null {
  const nowMs = Number(now)
  if (present(change.status) && !isOrderStatus(change.status)) {
    return refusal(
      'STATUS_UNKNOWN',
      `“${String(change.status)}” is not an order status: use shipping, shipped, delivered, returned or cancelled.`,
      { status: String(change.status) },
    )
  }
  if (actor === 'seller' && change.confirmed === false) {
    return refusal(
      'CONFIRMED_CANNOT_BE_UNSET',
      'An order cannot be un-confirmed: send confirmed as true, or leave it out.',
    )
  }
  const target = present(change.status) ? (change.status as OrderStatus) : null
  if (target === null && change.confirmed !== true) {
    return refusal('NOTHING_TO_CHANGE', 'The change names no status and does not confirm the order: say what should change.')
  }
  if (order.status === 'blocked' && actor === 'seller') {
    return refusal(
      'ORDER_BLOCKED',
      'This order is still waiting for payment at the marketplace: leave it until it opens.',
      { status: order.status },
    )
  }
  const moving = target !== null && target !== order.status
  if (target !== null && isFinalStatus(order.status)) {
    return refusal('ORDER_FINAL', finalMessage(order.status), { status: order.status })
  }

  const tracking = present(change.tracking_number) || present(change.tracking_url)
  const deliveryTimes = present(change.delivered_at) || present(change.first_delivery_attempt)

  if (moving) {
    const allowed = nextStatuses(order, actor)
    if (!allowed.includes(target)) {
      return transitionRefusal(order, target, actor)
    }
    if (actor === 'seller' && order.status === 'open' && !order.confirmed && change.confirmed !== true) {
      return refusal(
        'CONFIRMATION_REQUIRED',
        'Confirm the order before it leaves open: send confirmed: true with this change.',
        { from: order.status, to: target },
      )
    }
  }

  if (tracking && !(moving && target === 'shipped')) {
    return refusal(
      'TRACKING_NOT_ALLOWED',
      order.status === 'shipped'
        ? 'The order is already shipped: correct its tracking with a tracking change, not a status change.'
        : 'A tracking number goes with marking the order shipped: send it together with status shipped.',
    )
  }
  if (moving && target === 'shipped') {
    if (order.mdp) {
      if (tracking) {
        return refusal(
          'TRACKING_SET_BY_MARKETPLACE',
          'MALL fills in the tracking of MALL Delivery parcels itself: leave the tracking number out.',
        )
      }
      if (actor === 'seller' && !order.has_labels) {
        return refusal(
          'LABELS_REQUIRED',
          'Print the MALL Delivery labels for this order (with its parcel count) before marking it shipped.',
        )
      }
    } else if (actor === 'seller') {
      const trackingRefusal = checkTracking(change.tracking_number, change.tracking_url)
      if (trackingRefusal) return trackingRefusal
    }
  }

  const delivering = moving && target === 'delivered'
  if (deliveryTimes && !delivering) {
    const field = present(change.delivered_at) ? 'delivered_at' : 'first_delivery_attempt'
    return refusal(
      'DELIVERED_AT_NOT_ALLOWED',
      'A delivery time can only be given when marking the order delivered: remove it, or choose delivered.',
      { field, status: target ?? order.status },
    )
  }
  if (delivering && actor === 'seller') {
    if (!present(change.delivered_at) || change.delivered_at === '') {
      return refusal('DELIVERED_AT_REQUIRED', 'Give the time the parcel was delivered before marking the order delivered.')
    }
    const deliveredAt = checkDateTime('delivered_at', change.delivered_at, nowMs)
    if (!(deliveredAt instanceof Date)) return deliveredAt
    const shippedAt = present(order.shipped) ? parseMallDateTime(order.shipped) : null
    if (shippedAt !== null && deliveredAt.getTime() < shippedAt.getTime()) {
      return refusal(
        'DELIVERED_BEFORE_SHIPPED',
        `The delivery time ${change.delivered_at} is before the order was shipped (${order.shipped}): check the date.`,
        { delivered_at: change.delivered_at, shipped: order.shipped ?? null },
      )
    }
    if (present(change.first_delivery_attempt)) {
      const attempt = checkDateTime('first_delivery_attempt', change.first_delivery_attempt, nowMs)
      if (!(attempt instanceof Date)) return attempt
      if (attempt.getTime() > deliveredAt.getTime()) {
        return refusal(
          'FIRST_ATTEMPT_AFTER_DELIVERY',
          'The first delivery attempt cannot come after the delivery itself: check both times.',
          { delivered_at: change.delivered_at, first_delivery_attempt: change.first_delivery_attempt },
        )
      }
    }
  }
  return null
}

function transitionRefusal(order: OrderForChange, target: OrderStatus, actor: Actor): Refusal {
  const attributes = { from: order.status, to: target }
  if (actor === 'seller') {
    if (MARKETPLACE_ONLY_TARGETS.includes(target)) {
      return refusal(
        'STATUS_SET_BY_MARKETPLACE',
        `Only the marketplace moves an order to ${target}: leave this order as it is.`,
        attributes,
      )
    }
    if (order.mdp && order.status === 'open' && target === 'shipped') {
      return refusal(
        'MDP_SHIPPING_REQUIRED',
        'A MALL Delivery order cannot skip packing: move it to shipping and print its labels first.',
        attributes,
      )
    }
    if (order.mdp && MDP_MARKETPLACE_TARGETS.includes(target)) {
      return refusal(
        'STATUS_SET_BY_MARKETPLACE',
        `MALL sets ${target} for MALL Delivery orders from the carrier’s data: there is nothing to do here.`,
        attributes,
      )
    }
  }
  const allowed = nextStatuses(order, actor)
  const options =
    allowed.length > 0 ? `from ${order.status} it can only go to ${listWords(allowed)}.` : `nothing can follow ${order.status} here.`
  return refusal(
    'TRANSITION_NOT_ALLOWED',
    `An order that is ${order.status} cannot be moved to ${target}: ${options}`,
    attributes,
  )
}

/** Why the seller may not set this tracking on the order (`PUT /v1/orders/{id}/tracking`), or null. */
export function checkTrackingChange(
  order: Pick<OrderForChange, 'status' | 'mdp'>,
  change: Pick<StatusChange, 'tracking_number' | 'tracking_url'>,
): Refusal | null {
  if (order.mdp) {
    return refusal(
      'TRACKING_SET_BY_MARKETPLACE',
      'MALL fills in the tracking of MALL Delivery parcels itself: there is nothing to correct here.',
    )
  }
  if (order.status !== 'shipped') {
    return refusal(
      'TRACKING_NOT_ALLOWED',
      `Tracking can only be corrected while the order is shipped; this one is ${order.status}.`,
      { status: order.status },
    )
  }
  return checkTracking(change.tracking_number, change.tracking_url)
}

/**
 * The order after an allowed change, made at `at`: the new status with its entry time, the
 * confirmation, tracking and delivery times. A change the marketplace makes leaves the order
 * unconfirmed, as MALL does, so the seller sees it again.
 */
export function applyStatusChange<T extends Order>(order: T, change: StatusChange, actor: Actor, at: Date | number): T {
  const next: T = { ...order }
  const target = present(change.status) && isOrderStatus(change.status) ? change.status : order.status
  if (target !== order.status) {
    next.status = target
    next[target] = formatMallDateTime(at)
  }
  if (actor === 'marketplace') {
    next.confirmed = false
  } else if (change.confirmed === true) {
    next.confirmed = true
  }
  if (target === 'shipped' && target !== order.status && !order.mdp) {
    next.tracking_number = change.tracking_number ?? null
    next.tracking_url = change.tracking_url ?? null
  }
  if (target === 'delivered' && target !== order.status) {
    next.delivered_at = change.delivered_at ?? formatMallDateTime(at)
    next.first_delivery_attempt = change.first_delivery_attempt ?? null
  }
  return next
}
