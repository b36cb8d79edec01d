import { DELIVERY_METHODS, deliveryMethodOf, type DeliveryMethod } from '#core/delivery-methods.ts'
import { isOrderStatus, marketplaceName, marketplaceOf, pickupPointOf, type Order } from '#core/order.ts'
import type { FlagReason } from '#core/station-api.ts'
import type { Refusal, StatusWarning } from '#core/status.ts'
import { ApiError } from '@/services/api/client'
import { i18n, t } from './index'
import { say, type Phrase, type Translate } from './phrase'

/**
 * Codes into sentences: every refusal (core/status.ts), warning and problem the station sends is
 * said from the reader's catalogue, with its attributes; the station's English `detail` is only
 * the last resort for a code the tablet does not know yet.
 */

const KNOWN_METHODS = new Set(DELIVERY_METHODS.map((method) => method.code))
const isDeliveryMethodCode = (code: string): boolean => KNOWN_METHODS.has(code)

type Attributes = Record<string, string | number | boolean | null>

/** The marketplace's word for a status (`otevřená`, `expedice`…); what is not one shows as it came. */
export function statusWord(status: unknown, translate: Translate = t): string {
  return isOrderStatus(status) ? translate(`status.${status}`) : String(status)
}

function params(attributes: Attributes, translate: Translate): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(attributes)) out[name] = value === null ? '' : typeof value === 'boolean' ? String(value) : value
  for (const name of ['status', 'from', 'to'] as const) if (name in attributes) out[name] = statusWord(attributes[name], translate)
  if (typeof attributes.field === 'string') out.field = translate(`refusalField.${attributes.field}`)
  return out
}

/** A refusal in the reader's words. */
export function refusalSentence(refusal: Pick<Refusal, 'code' | 'attributes'> & { message?: string }, translate: Translate = t): string {
  // The core writes each refusal's English sentence for the very case: English screens show it.
  if (translate === t && refusal.message && i18n.global.locale.value === 'en') return refusal.message
  const { code, attributes } = refusal
  if (code === 'ORDER_FINAL' && (attributes.status === 'cancelled' || attributes.status === 'delivered' || attributes.status === 'returned')) {
    return translate(`refusalFinal.${attributes.status}`)
  }
  if (code === 'STATUS_SET_BY_MARKETPLACE' && (attributes.to === 'delivered' || attributes.to === 'returned') && attributes.from === 'shipped') {
    return translate('refusalFinal.mdpFromCarrier', params(attributes, translate))
  }
  // A change the tablet could not even check (the order is not on it) names no statuses.
  if (code === 'TRANSITION_NOT_ALLOWED' && !('to' in attributes)) return translate('problem.NOT_FOUND')
  return translate(`refusal.${code}`, params(attributes, translate))
}

/** A warning in the reader's words. */
export function warningSentence(warning: Pick<StatusWarning, 'code' | 'attributes'> & { message?: string }, translate: Translate = t): string {
  if (translate === t && warning.message && i18n.global.locale.value === 'en') return warning.message
  return translate(`warning.${warning.code}`, params(warning.attributes, translate))
}

/** What went wrong with a call to the station, in the reader's words. */
export function errorSentence(error: unknown, translate: Translate = t): string {
  if (!(error instanceof ApiError)) return translate('problem.failed', { reason: (error as Error)?.message ?? String(error) })
  if (error.answer.status === 0) return translate('problem.UNREACHABLE')
  const body = (error.answer.body ?? {}) as { code?: unknown; attributes?: unknown }
  const code = typeof body.code === 'string' ? body.code : null
  const attributes = (body.attributes && typeof body.attributes === 'object' ? body.attributes : {}) as Attributes
  if (code && i18n.global.te(`refusal.${code}`)) return refusalSentence({ code: code as Refusal['code'], attributes }, translate)
  // The station writes its details in English, naming the very field: English screens show them.
  if (i18n.global.locale.value === 'en' && error.message) return error.message
  const seconds = (error.answer.body as { retry_after_seconds?: unknown } | null)?.retry_after_seconds
  if (code && i18n.global.te(`problem.${code}`)) return translate(`problem.${code}`, { seconds: typeof seconds === 'number' ? seconds : 60 })
  return error.message
}

/** A service's phrase in the screen's words. */
export function sayPhrase(what: Phrase): string {
  return say(t, what)
}

/** A delivery method by name in the reader's words ("DPD (home delivery)", "Delivery method 20"). */
export function deliveryName(method: Pick<DeliveryMethod, 'code' | 'name'>, translate: Translate = t): string {
  const code = method.code.trim()
  if (isDeliveryMethodCode(code)) return translate(`delivery.${code}`)
  if (code === '') return translate('delivery.notGiven')
  if (/^\d+$/.test(code)) return translate('delivery.numbered', { code })
  return method.name
}

/** The marketplace's own delivery service of an order (its labels, its tracking): MALL Delivery or Allegro Delivery. */
export function deliveryServiceName(order: Partial<Pick<Order, 'source'>>, translate: Translate = t): string {
  return marketplaceOf(order) === 'allegro' ? translate('order.allegroDelivery') : translate('order.mallDelivery')
}

/** How the parcel goes, in one word for badges: the marketplace's delivery service, or the warehouse's own carrier. */
export function carriedBy(order: Pick<Order, 'mdp'> & Partial<Pick<Order, 'source'>>, translate: Translate = t): string {
  return order.mdp ? deliveryServiceName(order, translate) : translate('order.ownCarrier')
}

/** The sentence saying delivered and returned are the marketplace's to set, for an order where they are. */
export function marketplaceClosesSentence(order: Pick<Order, 'mdp' | 'marketplace_closes'> & Partial<Pick<Order, 'source'>>, translate: Translate = t): string {
  return order.marketplace_closes ? translate('order.marketplaceOwned', { marketplace: marketplaceName(order) }) : translate('order.mdpOwned')
}

/** What a picker reported wrong with an order, in the reader's words. */
export function flagWord(reason: FlagReason, translate: Translate = t): string {
  return translate(`flag.${reason}`)
}

/** How the order travels: the method by name, with its pickup point when it goes to one. */
export function deliveryLineOf(order: Pick<Order, 'delivery_method' | 'mdp' | 'branch_id' | 'branches'>, translate: Translate = t): string {
  const method = deliveryMethodOf(order)
  const name = deliveryName(method, translate)
  const point = pickupPointOf(order)
  if (point === null) return name
  return method.pickup_point && KNOWN_METHODS.has(method.code.trim()) ? `${name} ${point}` : translate('delivery.pickupPoint', { name, point })
}

/** What the station or the marketplace refused about an order, in the reader's words (English as it came). */
export function conflictSentence(conflict: { code: string; message: string; attributes?: unknown }, translate: Translate = t): string {
  if (i18n.global.locale.value === 'en') return conflict.message
  const attributes = (conflict.attributes && typeof conflict.attributes === 'object' ? conflict.attributes : {}) as Attributes
  if (i18n.global.te(`refusal.${conflict.code}`)) return refusalSentence({ code: conflict.code as Refusal['code'], attributes }, translate)
  if (i18n.global.te(`problem.${conflict.code}`)) return translate(`problem.${conflict.code}`, { seconds: 60 })
  return conflict.message
}
