import { parseMallDateTime } from '#core/datetime.ts'
import { isFinalStatus, type Order, type OrderStatus, type StatusTimestamps } from '#core/order.ts'

/** MALL flags an order whose status has not moved for longer than this as a "missing state". */
export const MISSING_STATE_DAYS = 7
const DAY_MS = 24 * 60 * 60 * 1000

/** When the order entered its current status, or null when the marketplace did not say. */
export function statusSince(order: StatusTimestamps & { status: OrderStatus }): Date | null {
  const at = order[order.status]
  return at === null ? null : parseMallDateTime(at)
}

/**
 * Whether the order is a "missing state": still in play (not final, not blocked) and its status
 * has not changed for more than {@link MISSING_STATE_DAYS} days, so the seller owes the
 * marketplace an update.
 */
export function isMissingState(order: Pick<Order, 'status' | keyof StatusTimestamps>, now: Date | number): boolean {
  if (order.status === 'blocked' || isFinalStatus(order.status)) return false
  const since = statusSince(order)
  if (since === null) return false
  return Number(now) - since.getTime() > MISSING_STATE_DAYS * DAY_MS
}

/** Whole days the order has spent in its current status (0 when unknown). */
export function daysInStatus(order: Pick<Order, 'status' | keyof StatusTimestamps>, now: Date | number): number {
  const since = statusSince(order)
  if (since === null) return 0
  return Math.max(0, Math.floor((Number(now) - since.getTime()) / DAY_MS))
}
