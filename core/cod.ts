import { numberFormat } from './intl'
import type { Order, OrderItem } from './order'

/*
 * Money is added in whole cents: 0.1 + 0.2 must be 0.3 on a delivery note, and EUR or HUF
 * amounts arrive as JSON numbers with decimals.
 */
const toCents = (amount: number): number => Math.round(amount * 100)
const fromCents = (cents: number): number => cents / 100

/** Price × quantity summed over the lines. */
export function itemsTotal(items: readonly Pick<OrderItem, 'price' | 'quantity'>[]): number {
  return fromCents(items.reduce((sum, item) => sum + toCents(item.price) * item.quantity, 0))
}

export type CodInputs = Pick<Order, 'items' | 'delivery_price' | 'cod_price' | 'discount'>

/**
 * What the customer pays in all: the goods, delivery and the cash-on-delivery fee, less the
 * order discount; never below zero.
 */
export function orderTotal(order: CodInputs): number {
  const cents =
    toCents(itemsTotal(order.items)) +
    toCents(order.delivery_price) +
    toCents(order.cod_price) -
    toCents(order.discount)
  return fromCents(Math.max(0, cents))
}

/**
 * The amount the carrier must collect ("remaining to pay"). It is the marketplace's `cod`,
 * never derived from `payment_type`: a prepaid order has 0, a cash-on-delivery one the rest.
 */
export function amountToCollect(order: Pick<Order, 'cod'>): number {
  const cod = Number(order.cod)
  return Number.isFinite(cod) && cod > 0 ? fromCents(toCents(cod)) : 0
}

/** Whether the parcel goes cash on delivery: decided by `cod` alone. */
export function isCashOnDelivery(order: Pick<Order, 'cod'>): boolean {
  return amountToCollect(order) > 0
}

/** The `cod` a cash-on-delivery order carries when nothing was paid in advance. */
export function codForUnpaidOrder(order: CodInputs): number {
  return orderTotal(order)
}

/** An amount in the order's currency, for people: "1 867 Kč", "€12.99". */
export function formatMoney(amount: number, currency: string, locale = 'cs-CZ'): string {
  const fractionDigits = Number.isInteger(amount) ? 0 : 2
  return numberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: 2,
  }).format(amount)
}
