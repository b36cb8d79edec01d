import type { OrderStatus } from '#core/order.ts'
import type { OrderClaim, OrderFlag } from '#core/station-api.ts'
import { phrase, type Phrase } from '@/i18n/phrase'

/**
 * The packer's way through the day: which order they take next (the oldest open one nobody else
 * is packing), and what a scanned order number says when that order cannot be packed.
 */

/** The packer asking: their own claims do not keep an order from them. */
export interface Packer {
  user: string
  device_id: string | null
}

/** Whether someone else holds the order now (a lapsed claim holds nothing). */
export function claimedByOther(claim: OrderClaim | null, me: Packer, now: number): boolean {
  if (!claim || Date.parse(claim.until) <= now) return false
  return claim.user !== me.user || claim.device_id !== me.device_id
}

/**
 * Whether the order may be offered as the next one to pack: open, not held by another packer,
 * and not flagged (a reported problem waits for the team lead).
 */
export function isFreeToPack(order: { status: OrderStatus; claim: OrderClaim | null; flag: OrderFlag | null }, me: Packer, now: number): boolean {
  return order.status === 'open' && order.flag === null && !claimedByOther(order.claim, me, now)
}

/** Why a scanned order cannot be packed, or null when it can (it is open). */
export function whyNotPackable(order: { id: number; status: OrderStatus }): Phrase | null {
  switch (order.status) {
    case 'open':
      return null
    case 'shipping':
    case 'blocked':
    case 'cancelled':
      return phrase(`scan.notPackable.${order.status}`, { id: order.id })
    default:
      return phrase('scan.notPackable.other', { id: order.id, status: order.status })
  }
}
