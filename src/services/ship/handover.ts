import { TRACKING_PLACEHOLDER, type Carrier } from '#core/carriers.ts'
import { amountToCollect } from '#core/cod.ts'
import { MARKETPLACE_TIME_ZONE, mallDateTimeDay } from '#core/datetime.ts'
import { ALLEGRO_DELIVERY_CARRIER, carrierForMethod, deliveryMethodOf, marketplaceDeliveryName } from '#core/delivery-methods.ts'
import type { Order } from '#core/order.ts'

/**
 * The hand-over list: the parcels each carrier takes today, for the driver to sign. An order's
 * carrier is read from its tracking link (the station's templates), else from its delivery method
 * (a `dpdCz` parcel is DPD's); MALL Delivery orders are MALL's, and a parcel neither names is
 * listed under "Other carrier" rather than dropped.
 */

export const MALL_DELIVERY = 'MALL Delivery'
export const OTHER_CARRIER = 'Other carrier'

/** The carrier whose template made this tracking link, or null. */
export function carrierOfLink(url: string | null, carriers: readonly Carrier[]): Carrier | null {
  if (!url) return null
  for (const carrier of carriers) {
    const [before, after] = carrier.tracking_url_template.split(TRACKING_PLACEHOLDER) as [string, string]
    if (url.startsWith(before) && url.endsWith(after) && url.length > before.length + after.length) return carrier
  }
  return null
}

export interface HandoverRow {
  order_id: number
  recipient: string
  city: string
  tracking_number: string | null
  /** The amount the carrier collects, 0 when prepaid. */
  cod: number
  currency: string
  shipped_at: string
}

export interface HandoverGroup {
  carrier: string
  rows: HandoverRow[]
  /** Cash to collect per currency, for the driver's receipt. */
  cod_totals: Record<string, number>
}

type HandoverOrder = Pick<
  Order,
  'id' | 'source' | 'status' | 'mdp' | 'shipped' | 'tracking_number' | 'tracking_url' | 'cod' | 'currency' | 'address' | 'delivery_method' | 'branch_id' | 'branches'
>

/** The carrier a shipped parcel went with, as the list heads its group. */
function carrierOf(order: HandoverOrder, carriers: readonly Carrier[]): string {
  if (order.mdp) return marketplaceDeliveryName(order)
  const byLink = carrierOfLink(order.tracking_url, carriers)
  if (byLink) return byLink.name
  const method = deliveryMethodOf(order)
  return carrierForMethod(method, carriers)?.name ?? method.carrier ?? OTHER_CARRIER
}

/**
 * The parcels shipped on `day` (`YYYY-MM-DD` on the warehouse's clock, in `timeZone`), grouped by
 * carrier in the order of the carrier list, MALL Delivery next and other carriers last; rows by
 * tracking number.
 */
export function handoverList(orders: readonly HandoverOrder[], carriers: readonly Carrier[], day: string, timeZone: string = MARKETPLACE_TIME_ZONE): HandoverGroup[] {
  const groups = new Map<string, HandoverGroup>()
  const rank = (name: string) => {
    const i = carriers.findIndex((c) => c.name === name)
    return i >= 0 ? i : name === MALL_DELIVERY || name === ALLEGRO_DELIVERY_CARRIER ? carriers.length : carriers.length + 1
  }
  for (const order of orders) {
    if (order.status !== 'shipped' || !order.shipped || mallDateTimeDay(order.shipped, timeZone) !== day) continue
    const carrier = carrierOf(order, carriers)
    const group = groups.get(carrier) ?? { carrier, rows: [], cod_totals: {} }
    const cod = amountToCollect(order)
    group.rows.push({
      order_id: order.id,
      recipient: order.address.name,
      city: order.address.city,
      tracking_number: order.tracking_number,
      cod,
      currency: order.currency,
      shipped_at: order.shipped,
    })
    if (cod > 0) group.cod_totals[order.currency] = Math.round(((group.cod_totals[order.currency] ?? 0) + cod) * 100) / 100
    groups.set(carrier, group)
  }
  for (const group of groups.values()) group.rows.sort((a, b) => (a.tracking_number ?? '').localeCompare(b.tracking_number ?? '') || a.order_id - b.order_id)
  return [...groups.values()].sort((a, b) => rank(a.carrier) - rank(b.carrier) || a.carrier.localeCompare(b.carrier))
}
