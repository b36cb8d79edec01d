import { z } from 'zod'
import { FINAL_STATUSES, postalAddress, type Order } from '#core/order.ts'
import { applyStatusChange, checkStatusChange, checkTrackingChange, type StatusChange } from '#core/status.ts'
import { badRequest, MallApiError, notFound } from './errors.ts'
import { renderLabelsPdf, renderLabelsZpl, type LabelParcel } from './labels.ts'
import { parseBody, type SimulatorState } from './state.ts'
import type { Consignment } from './store.ts'

const statusChangeSchema = z.object({
  status: z.string().nullish(),
  confirmed: z.boolean().nullish(),
  tracking_number: z.string().nullish(),
  tracking_url: z.string().nullish(),
  delivered_at: z.string().nullish(),
  first_delivery_attempt: z.string().nullish(),
})

const trackingSchema = z.object({
  tracking_number: z.string().nullish(),
  tracking_url: z.string().nullish(),
})

const labelsSchema = z.object({
  labels_type: z.enum(['pdf', 'zpl']).default('pdf'),
  first_position: z.number().int().min(1).max(100).default(1),
  labels_per_page: z.union([z.literal(1), z.literal(2), z.literal(4)]).default(4),
  labels: z
    .array(z.object({ order_id: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]), parcel_count: z.number().int() }))
    .min(1),
})

const legacyLabelsSchema = z.object({
  label_type: z.enum(['pdf', 'zpl']).default('pdf'),
  parcel_count: z.number().int(),
})

/** What the seller changes: status, tracking, serial numbers, and MALL Delivery labels. */
export class SellerWrites {
  constructor(private readonly state: SimulatorState) {}

  /** `PUT /v1/orders/{id}`: confirm and/or change the status, refused only where MALL refuses. */
  updateOrder(id: string, body: unknown): void {
    const order = this.state.getOrder(id)
    const change = parseBody(statusChangeSchema, body ?? {}) as StatusChange
    const refusal = checkStatusChange(this.state.facts(order), change, 'seller', this.state.now())
    if (refusal) throw new MallApiError(400, refusal.code, refusal.message, refusal.attributes)
    let next = applyStatusChange(order, change, 'seller', this.state.now())
    if (order.mdp && next.status === 'shipped' && order.status !== 'shipped') next = this.state.withMallDeliveryTracking(next)
    this.state.save(next)
  }

  /** `PUT /v1/orders/{id}/tracking`: correct the tracking of a shipped order. */
  updateTracking(id: string, body: unknown): void {
    const order = this.state.getOrder(id)
    const change = parseBody(trackingSchema, body ?? {})
    const refusal = checkTrackingChange(order, change)
    if (refusal) throw new MallApiError(400, refusal.code, refusal.message, refusal.attributes)
    // MALL Delivery tracking is MALL's: the correction is taken and not kept.
    if (order.mdp) return
    this.state.save({ ...order, tracking_number: change.tracking_number ?? null, tracking_url: change.tracking_url ?? null })
  }

  /** `PUT /v1/orders/{id}/items/{itemId}/serial-numbers`. */
  updateSerialNumbers(id: string, itemId: string, body: unknown): void {
    const order = this.state.getOrder(id)
    const serials = parseBody(z.array(z.string().min(1).max(100)).max(1000), body)
    const index = order.items.findIndex((item) => item.id === itemId)
    if (index < 0) throw notFound(`Item of order ${order.id}`, itemId)
    if (FINAL_STATUSES.includes(order.status)) {
      throw new MallApiError(400, 'ORDER_FINAL', `Order ${order.id} is ${order.status}; its items cannot change any more.`)
    }
    const items = order.items.map((item, i) => (i === index ? { ...item, serial_numbers: serials } : item))
    this.state.save({ ...order, items })
  }

  /** `POST /v1/orders/labels`: MALL Delivery labels for one or more orders, as one PDF or ZPL document. */
  async requestLabels(body: unknown): Promise<{ orders: { order_id: number; barcodes: string[] }[]; labels_raw: string }> {
    const request = parseBody(labelsSchema, body)
    if (request.first_position > request.labels_per_page) {
      throw badRequest(
        `first_position ${request.first_position} is past the ${request.labels_per_page} label(s) on a sheet: start at 1 to ${request.labels_per_page}.`,
        { first_position: request.first_position, labels_per_page: request.labels_per_page },
      )
    }
    const plan = request.labels.map(({ order_id, parcel_count }) => {
      const order = this.state.getOrder(order_id)
      this.checkLabelRequest(order, parcel_count)
      return { order, parcelCount: parcel_count }
    })
    const versions = new Map<number, number>()
    const parcels: LabelParcel[] = []
    const results = plan.map(({ order, parcelCount }) => {
      const previous = this.state.consignments.get(order.id)
      // After shipped only the last labels can be printed again; while shipping they are remade.
      const reuse = previous !== undefined && order.status === 'shipped'
      const version = reuse ? versionOf(previous) : (previous ? versionOf(previous) : 0) + 1
      versions.set(order.id, version)
      const barcodes = reuse ? previous.barcodes : parcelBarcodes(order.id, parcelCount, version)
      parcels.push(...labelParcels(order, barcodes))
      return { order_id: order.id, barcodes }
    })
    const document =
      request.labels_type === 'pdf'
        ? Buffer.from(await renderLabelsPdf(parcels, { first_position: request.first_position, labels_per_page: request.labels_per_page }))
        : Buffer.from(renderLabelsZpl(parcels))
    const labelsRaw = document.toString('base64')
    // Rendering is asynchronous: check again, so a cancellation meanwhile is not labelled.
    for (const { order, parcelCount } of plan) this.checkLabelRequest(this.state.getOrder(order.id), parcelCount)
    this.state.store.transaction(() => {
      for (const result of results) {
        const consignment: Consignment = {
          id: result.order_id * 1000 + (versions.get(result.order_id) ?? 1),
          order_id: result.order_id,
          labels_raw: labelsRaw,
          labels_type: request.labels_type,
          parcel_count: result.barcodes.length,
          type: 'online',
          barcodes: result.barcodes,
        }
        this.state.consignments.set(result.order_id, consignment)
        this.state.store.saveConsignment(consignment)
      }
    })
    return { orders: results, labels_raw: labelsRaw }
  }

  /** `POST /v1/orders/{id}/labels`, the old single-order form. */
  async requestOrderLabels(id: string, body: unknown) {
    const order = this.state.getOrder(id)
    const request = parseBody(legacyLabelsSchema, body ?? {})
    return this.requestLabels({ labels_type: request.label_type, labels: [{ order_id: order.id, parcel_count: request.parcel_count }] })
  }

  private checkLabelRequest(order: Order, parcelCount: number): void {
    if (!order.mdp) {
      throw new MallApiError(400, 'LABELS_NOT_MALL_DELIVERY', `Order ${order.id} does not go by MALL Delivery: print your own carrier’s label for it.`, { order_id: order.id })
    }
    if (order.status !== 'shipping' && order.status !== 'shipped') {
      throw new MallApiError(
        400,
        'LABELS_WRONG_STATUS',
        `Labels can be printed only while an order is shipping or shipped; order ${order.id} is ${order.status}.`,
        { order_id: order.id, status: order.status },
      )
    }
    if (parcelCount < 1 || parcelCount > 100) {
      throw badRequest(`parcel_count must be from 1 to 100, not ${parcelCount}.`, { order_id: order.id, parcel_count: parcelCount })
    }
    if (order.branch_id !== null && parcelCount > 1) {
      throw new MallApiError(400, 'PARCEL_COUNT_PICKUP', `Order ${order.id} goes to a pickup point, which takes a single parcel only: pack it as one parcel.`, {
        order_id: order.id,
        parcel_count: parcelCount,
      })
    }
    const previous = this.state.consignments.get(order.id)
    if (order.status === 'shipped' && previous && previous.parcel_count !== parcelCount) {
      throw new MallApiError(
        400,
        'PARCEL_COUNT_LOCKED',
        `Order ${order.id} is shipped: its labels can only be printed again with the same ${previous.parcel_count} parcel(s).`,
        { order_id: order.id, parcel_count: previous.parcel_count },
      )
    }
  }

}

/** Labels are remade while shipping; the consignment id counts the versions. */
function versionOf(consignment: Consignment): number {
  return consignment.id % 1000 || 1
}

/** The barcodes of an order's parcels: one per parcel, the same for the same label version. */
export function parcelBarcodes(orderId: number, parcelCount: number, version: number): string[] {
    const parcelId = `14IS${String((orderId * 31 + version * 7919) % 100_000_000).padStart(8, '0')}`
    const pad = (n: number) => String(n).padStart(3, '0')
    return Array.from({ length: parcelCount }, (_, i) => `${parcelId}*${pad(i + 1)}${pad(parcelCount)}`)
  }


/** What each parcel's label shows. */
export function labelParcels(order: Order, barcodes: readonly string[]): LabelParcel[] {
    return barcodes.map((barcode, i) => ({
      barcode,
      order_id: order.id,
      parcel_index: i + 1,
      parcel_count: barcodes.length,
      recipient: postalAddress(order.address),
      pickup_point: order.branch_id === null ? null : `Pickup point ${order.branch_id}`,
      // Only the first parcel collects the cash.
      cod: i === 0 ? order.cod : 0,
      currency: order.currency,
      sender: { name: 'Demo Shop s.r.o.', street: 'Skladová 1', city: 'Brno', zip: '62700', country: 'CZ' },
      carrier: 'MALL Delivery',
    }))
  }

/** The labels an order past packing has at seeding, as it would at MALL. */
export function placeholderConsignment(order: Order, parcelCount: number): Consignment {
    const barcodes = parcelBarcodes(order.id, parcelCount, 1)
    return {
      id: order.id * 1000 + 1,
      order_id: order.id,
      labels_raw: Buffer.from(renderLabelsZpl(labelParcels(order, barcodes))).toString('base64'),
      labels_type: 'zpl',
      parcel_count: parcelCount,
      type: 'online',
      barcodes,
    }
  }
