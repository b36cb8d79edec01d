import { formatMallDateTime, parseMallDateTime } from './datetime'
import { isFinalStatus, isOrderStatus, type MallDateTime, type Order, type OrderStatus } from './order'

/**
 * The order status machine of the MALL Marketplace: who may make each change and what each change
 * needs. Every refusal carries a stable code and one sentence a packer can act on.
 * Source: MALL's orders API v1 documentation (order statuses and their changes); the tables in
 * tests/unit/core/status-machine.test.ts pin every rule down.
 *
 * Never stricter than MALL: a change is refused only where a source marks MALL as refusing it
 * ([C] in the contract). What looks wrong but no source refuses is accepted, with a warning the
 * packer reads instead.
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
  /** Delivered and returned are the marketplace's to set for every order (Allegro), not only MALL Delivery's. */
  marketplace_closes?: boolean
}

/** What the rules look at, taken from an order as the station and the tablet hold it. */
export function orderForChange(
  order: Pick<OrderForChange, 'status' | 'confirmed' | 'mdp' | 'shipped'> & { marketplace_closes?: boolean | null },
  hasLabels: boolean,
): OrderForChange {
  return { status: order.status, confirmed: order.confirmed, mdp: order.mdp, has_labels: hasLabels, shipped: order.shipped ?? null, marketplace_closes: order.marketplace_closes === true }
}

/** What MALL refuses; each has its source in mall-orders-api.md. */
export type RefusalCode =
  | 'STATUS_UNKNOWN'
  | 'ORDER_BLOCKED'
  | 'ORDER_FINAL'
  | 'TRANSITION_NOT_ALLOWED'
  | 'STATUS_SET_BY_MARKETPLACE'
  | 'CONFIRMATION_REQUIRED'
  | 'TRACKING_REQUIRED'
  | 'TRACKING_NUMBER_INVALID'
  | 'TRACKING_NOT_ALLOWED'
  | 'MDP_SHIPPING_REQUIRED'
  | 'LABELS_REQUIRED'
  | 'DELIVERED_AT_REQUIRED'
  | 'DELIVERED_AT_NOT_ALLOWED'
  | 'DATETIME_INVALID'

export interface Refusal {
  code: RefusalCode
  /** One sentence saying what is wrong and what to do. */
  message: string
  attributes: Record<string, string | number | boolean | null>
}

/** What is accepted, as MALL accepts it, but a packer should look at again. */
export type WarningCode =
  | 'NOTHING_TO_CHANGE'
  | 'STATUS_UNCHANGED'
  | 'CONFIRMED_NOT_UNSET'
  | 'TRACKING_BEFORE_SHIPPED'
  | 'TRACKING_REPLACED'
  | 'TRACKING_SET_BY_MARKETPLACE'
  | 'TRACKING_URL_NOT_WEB_ADDRESS'
  | 'FIRST_ATTEMPT_NOT_KEPT'
  | 'DATETIME_IN_FUTURE'
  | 'DELIVERED_BEFORE_SHIPPED'
  | 'FIRST_ATTEMPT_AFTER_DELIVERY'

export interface StatusWarning {
  code: WarningCode
  /** One sentence saying what looks wrong and what became of it. */
  message: string
  attributes: Record<string, string | number | boolean | null>
}

/** The verdict on a change: the refusal (null when accepted) and, beside it, what to warn about. */
export interface ChangeReview {
  refusal: Refusal | null
  /** Meaningful when the change is accepted; a refused change may carry only some of them. */
  warnings: StatusWarning[]
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
export function nextStatuses(order: Pick<OrderForChange, 'status' | 'mdp' | 'marketplace_closes'>, actor: Actor): OrderStatus[] {
  if (actor === 'seller') {
    const targets = (SELLER_TRANSITIONS[order.status] ?? []).filter((to) => !(order.marketplace_closes && MDP_MARKETPLACE_TARGETS.includes(to)))
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

function warning(code: WarningCode, message: string, attributes: StatusWarning['attributes'] = {}): StatusWarning {
  return { code, message, attributes }
}

function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null
}

/** Given and not empty: an empty tracking field says nothing. */
function given(value: unknown): boolean {
  return present(value) && value !== ''
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

/**
 * The refusal for a tracking number and link MALL would not take, or null. Both are required, and
 * the number may hold only `0-9 a-z A-Z - _` [C: OMN]; what the link looks like no source limits,
 * see {@link trackingLinkWarning}.
 */
export function checkTracking(trackingNumber: unknown, trackingUrl: unknown): Refusal | null {
  if (!given(trackingNumber) || !given(trackingUrl)) {
    return refusal(
      'TRACKING_REQUIRED',
      'Enter the parcel’s tracking number and tracking link before marking the order shipped.',
    )
  }
  return checkTrackingNumber(trackingNumber)
}

function checkTrackingNumber(trackingNumber: unknown): Refusal | null {
  if (typeof trackingNumber !== 'string' || !TRACKING_NUMBER_PATTERN.test(trackingNumber)) {
    return refusal(
      'TRACKING_NUMBER_INVALID',
      `The tracking number “${String(trackingNumber)}” has characters the marketplace refuses: use only letters, digits, - and _ (no spaces).`,
      { tracking_number: String(trackingNumber) },
    )
  }
  return null
}

/** A tracking link customers may not be able to open (not http or https), which MALL still takes. */
export function trackingLinkWarning(trackingUrl: unknown): StatusWarning | null {
  if (!given(trackingUrl) || (typeof trackingUrl === 'string' && isWebAddress(trackingUrl))) return null
  return warning(
    'TRACKING_URL_NOT_WEB_ADDRESS',
    `The tracking link “${String(trackingUrl)}” is not a web address (https:// or http://): customers may not be able to open it.`,
    { tracking_url: String(trackingUrl) },
  )
}

/** Whether a link is an http(s) address, the only kind the app opens. */
export function isWebAddress(value: string): boolean {
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

/** The time, or the refusal when it is not one; a time in the future is only warned about. */
function checkDateTime(field: keyof typeof FIELD_WORDS, value: unknown, now: number, warnings: StatusWarning[]): Refusal | Date {
  const at = typeof value === 'string' ? parseMallDateTime(value) : null
  if (at === null) {
    return refusal(
      'DATETIME_INVALID',
      `The ${FIELD_WORDS[field]} “${String(value)}” is not a date and time: write it as YYYY-MM-DD HH:MM:SS.`,
      { field, value: String(value) },
    )
  }
  if (at.getTime() > now + CLOCK_SKEW_MS) {
    warnings.push(
      warning(
        'DATETIME_IN_FUTURE',
        `The ${FIELD_WORDS[field]} ${String(value)} lies in the future: check it is when it actually happened.`,
        { field, value: String(value) },
      ),
    )
  }
  return at
}

const MINUTE_MS = 60 * 1000

/**
 * Why the actor may not make this change to the order, or null when it may.
 * `now` is the clock delivery times are compared with. {@link reviewStatusChange} also tells what
 * to warn about.
 */
export function checkStatusChange(
  order: OrderForChange,
  change: StatusChange,
  actor: Actor,
  now: Date | number = Date.now(),
): Refusal | null {
  return reviewStatusChange(order, change, actor, now).refusal
}

/**
 * The verdict on a change with what the packer should be warned about. Only what MALL refuses is
 * refused; the rest is accepted as MALL accepts it (and kept as {@link applyStatusChange} keeps it).
 */
export function reviewStatusChange(
  order: OrderForChange,
  change: StatusChange,
  actor: Actor,
  now: Date | number = Date.now(),
): ChangeReview {
  const warnings: StatusWarning[] = []
  const refused = (why: Refusal): ChangeReview => ({ refusal: why, warnings })
  const nowMs = Number(now)
  if (present(change.status) && !isOrderStatus(change.status)) {
    return refused(
      refusal(
        'STATUS_UNKNOWN',
        `“${String(change.status)}” is not an order status: use shipping, shipped, delivered, returned or cancelled.`,
        { status: String(change.status) },
      ),
    )
  }
  if (order.status === 'blocked' && actor === 'seller') {
    return refused(
      refusal(
        'ORDER_BLOCKED',
        'This order is still waiting for payment at the marketplace: leave it until it opens.',
        { status: order.status },
      ),
    )
  }
  const target = present(change.status) ? (change.status as OrderStatus) : null
  const moving = target !== null && target !== order.status
  // Nothing leaves a final status [C]. The seller repeating it is not documented as refused, so it
  // is taken as a no-op; the simulator's own changes keep refusing it, as each would unconfirm.
  if (target !== null && isFinalStatus(order.status) && (moving || actor === 'marketplace')) {
    return refused(refusal('ORDER_FINAL', finalMessage(order.status), { status: order.status }))
  }

  const tracking = given(change.tracking_number) || given(change.tracking_url)

  if (moving) {
    const allowed = nextStatuses(order, actor)
    if (!allowed.includes(target)) {
      return refused(transitionRefusal(order, target, actor))
    }
    if (actor === 'seller' && order.status === 'open' && !order.confirmed && change.confirmed !== true) {
      return refused(
        refusal(
          'CONFIRMATION_REQUIRED',
          'Confirm the order before it leaves open: send confirmed: true with this change.',
          { from: order.status, to: target },
        ),
      )
    }
  }

  if (moving && target === 'shipped' && !order.mdp) {
    if (actor === 'seller') {
      const trackingRefusal = checkTracking(change.tracking_number, change.tracking_url)
      if (trackingRefusal) return refused(trackingRefusal)
    }
  } else if (moving && target === 'shipped' && actor === 'seller' && !order.has_labels) {
    return refused(
      refusal(
        'LABELS_REQUIRED',
        'Print the MALL Delivery labels for this order (with its parcel count) before marking it shipped.',
      ),
    )
  } else if (tracking && !order.mdp && given(change.tracking_number)) {
    // The number's characters are a rule of the field, wherever it is sent [C: OMN].
    const numberRefusal = checkTrackingNumber(change.tracking_number)
    if (numberRefusal) return refused(numberRefusal)
  }

  if (present(change.delivered_at) && target !== 'delivered') {
    return refused(
      refusal(
        'DELIVERED_AT_NOT_ALLOWED',
        'A delivery time can only be given when marking the order delivered: remove it, or choose delivered.',
        { field: 'delivered_at', status: target ?? order.status },
      ),
    )
  }
  let deliveredAt: Date | null = null
  if (target === 'delivered' && actor === 'seller') {
    if (!given(change.delivered_at)) {
      return refused(
        refusal('DELIVERED_AT_REQUIRED', 'Give the time the parcel was delivered before marking the order delivered.'),
      )
    }
    const checked = checkDateTime('delivered_at', change.delivered_at, nowMs, warnings)
    if (!(checked instanceof Date)) return refused(checked)
    deliveredAt = checked
  }
  let attempt: Date | null = null
  if (present(change.first_delivery_attempt) && target === 'delivered') {
    const checked = checkDateTime('first_delivery_attempt', change.first_delivery_attempt, nowMs, warnings)
    if (!(checked instanceof Date)) return refused(checked)
    attempt = checked
  }

  // Accepted from here on: what follows only warns.
  if (actor === 'seller' && change.confirmed === false) {
    warnings.push(
      warning('CONFIRMED_NOT_UNSET', 'Only the marketplace un-confirms an order: confirmed: false was ignored.'),
    )
  }
  if (target === null && change.confirmed !== true && change.confirmed !== false && !tracking) {
    warnings.push(warning('NOTHING_TO_CHANGE', 'The change names no status and does not confirm the order, so nothing changed.'))
  }
  if (target !== null && !moving) {
    warnings.push(
      warning(
        'STATUS_UNCHANGED',
        `The order is already ${order.status}, so its status did not change; MALL asks not to send a status again.`,
        { status: order.status },
      ),
    )
  }
  if (tracking) warnings.push(...trackingWarnings(order, change, moving && target === 'shipped'))
  if (present(change.first_delivery_attempt) && target !== 'delivered') {
    warnings.push(
      warning(
        'FIRST_ATTEMPT_NOT_KEPT',
        'A first delivery attempt is kept only with marking the order delivered: it was ignored.',
        { status: target ?? order.status },
      ),
    )
  }
  if (deliveredAt !== null && present(order.shipped)) {
    const shippedAt = parseMallDateTime(order.shipped)
    // Whole minutes: a time typed to the minute is not "before" a shipping later in that minute.
    if (shippedAt !== null && Math.floor(deliveredAt.getTime() / MINUTE_MS) < Math.floor(shippedAt.getTime() / MINUTE_MS)) {
      warnings.push(
        warning(
          'DELIVERED_BEFORE_SHIPPED',
          `The delivery time ${String(change.delivered_at)} is before the order was shipped (${order.shipped}): check the date.`,
          { delivered_at: String(change.delivered_at), shipped: order.shipped },
        ),
      )
    }
  }
  if (deliveredAt !== null && attempt !== null && attempt.getTime() > deliveredAt.getTime()) {
    warnings.push(
      warning(
        'FIRST_ATTEMPT_AFTER_DELIVERY',
        'The first delivery attempt comes after the delivery itself: check both times.',
        { delivered_at: String(change.delivered_at), first_delivery_attempt: String(change.first_delivery_attempt) },
      ),
    )
  }
  return { refusal: null, warnings }
}

/** What becomes of tracking the seller sends: MALL's own for MALL Delivery, otherwise kept. */
function trackingWarnings(order: OrderForChange, change: StatusChange, shipping: boolean): StatusWarning[] {
  if (order.mdp) {
    return [
      warning(
        'TRACKING_SET_BY_MARKETPLACE',
        'MALL fills in the tracking of MALL Delivery parcels itself: the tracking sent was not kept.',
      ),
    ]
  }
  const warnings: StatusWarning[] = []
  if (!shipping && order.status === 'shipped') {
    warnings.push(warning('TRACKING_REPLACED', 'The tracking of this shipped order was replaced with the one sent.', { status: order.status }))
  } else if (!shipping) {
    warnings.push(
      warning(
        'TRACKING_BEFORE_SHIPPED',
        'The tracking is kept on the order, but it must go again with status shipped when the parcel leaves.',
        { status: order.status },
      ),
    )
  }
  const link = trackingLinkWarning(change.tracking_url)
  if (link) warnings.push(link)
  return warnings
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
    if (order.marketplace_closes && !order.mdp && MDP_MARKETPLACE_TARGETS.includes(target)) {
      return refusal(
        'STATUS_SET_BY_MARKETPLACE',
        `The marketplace sets ${target} itself (from the carrier’s tracking, or the buyer’s return): there is nothing to do here.`,
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
  return reviewTrackingChange(order, change).refusal
}

/**
 * The verdict on a tracking correction, with its warnings. Only a shipped order's tracking can be
 * corrected [C: OMN]; a MALL Delivery order's correction is taken but not kept, as MALL fills it in.
 */
export function reviewTrackingChange(
  order: Pick<OrderForChange, 'status' | 'mdp'>,
  change: Pick<StatusChange, 'tracking_number' | 'tracking_url'>,
): ChangeReview {
  if (order.status !== 'shipped') {
    return {
      refusal: refusal(
        'TRACKING_NOT_ALLOWED',
        `Tracking can only be corrected while the order is shipped; this one is ${order.status}.`,
        { status: order.status },
      ),
      warnings: [],
    }
  }
  if (order.mdp) {
    return {
      refusal: null,
      warnings: [
        warning(
          'TRACKING_SET_BY_MARKETPLACE',
          'MALL fills in the tracking of MALL Delivery parcels itself: the tracking sent was not kept.',
        ),
      ],
    }
  }
  const link = trackingLinkWarning(change.tracking_url)
  return { refusal: checkTracking(change.tracking_number, change.tracking_url), warnings: link ? [link] : [] }
}

/**
 * The order after an allowed change, made at `at`: the new status with its entry time, the
 * confirmation, tracking and delivery times. A change the marketplace makes leaves the order
 * unconfirmed, as MALL does, so the seller sees it again. The seller's tracking of a MALL Delivery
 * order is not kept (MALL fills it in); `confirmed: false` from the seller changes nothing.
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
  if (!order.mdp) {
    if (target === 'shipped' && target !== order.status) {
      next.tracking_number = change.tracking_number ?? null
      next.tracking_url = change.tracking_url ?? null
    } else {
      // Tracking sent with another change is kept, as MALL keeps it (its own client sends it with shipping).
      if (given(change.tracking_number)) next.tracking_number = change.tracking_number ?? null
      if (given(change.tracking_url)) next.tracking_url = change.tracking_url ?? null
    }
  }
  if (target === 'delivered' && target !== order.status) {
    next.delivered_at = change.delivered_at ?? formatMallDateTime(at)
    next.first_delivery_attempt = change.first_delivery_attempt ?? null
  }
  return next
}
