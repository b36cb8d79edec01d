import { join } from 'node:path'
import { z } from 'zod'
import { formatMallDateTime } from '#core/datetime.ts'
import {
  FINAL_STATUSES,
  toBasicOrder,
  type BasicOrder,
  type Order,
  type OrderStatus,
} from '#core/order.ts'
import type { MallProduct, MallVariant } from '#core/product.ts'
import {
  applyStatusChange,
  checkStatusChange,
  checkTrackingChange,
  type Actor,
  type StatusChange,
} from '#core/status.ts'
import { badRequest, MallApiError, notFound } from './errors.ts'
import { renderLabelsPdf, renderLabelsZpl, type LabelParcel } from './labels.ts'
import { renderProductPhoto } from './photos.ts'
import { paginate, parseListQuery, runListQuery, type Page, type RawQuery } from './query.ts'
import {
  buildCatalogue,
  buildDemoOrders,
  buildOrder,
  createRandom,
  DEFAULT_SEED,
  pickLines,
  trackingUrlFor,
  type Random,
  type SeedProduct,
} from './seed.ts'
import { SimulatorStore, type Consignment, type LogEntry } from './store.ts'

export type OutageMode = 'off' | '503' | '429' | 'hang'
export const OUTAGE_MODES: readonly OutageMode[] = ['off', '503', '429', 'hang']

export interface SimulatorOptions {
  /** Folder of the simulator's own SQLite file. */
  dataDir: string
  /** The partner key every `/v1` call must carry as `client_id`. */
  clientId: string
  /** Whether the marketplace acts by itself (new orders, payments, cancellations, deliveries). */
  activity: boolean
  activityIntervalMs: number
  /** Where changed order ids are posted, as MALL's webhook does; null for none. */
  webhookUrl: string | null
  /** At most one webhook call per this interval (MALL: a minute). */
  webhookIntervalMs: number
  seed: number
  clock: () => number
  /** Where the simulator's diagnostics go. */
  warn: (message: string) => void
}

export const SIMULATOR_DEFAULTS: Omit<SimulatorOptions, 'dataDir'> = {
  clientId: 'demo',
  activity: true,
  activityIntervalMs: 20_000,
  webhookUrl: null,
  webhookIntervalMs: 60_000,
  seed: DEFAULT_SEED,
  clock: Date.now,
  warn: (message) => console.warn(message),
}

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

const createOrderSchema = z
  .object({
    status: z.enum(['open', 'blocked']).default('open'),
    items: z.array(z.object({ id: z.string(), quantity: z.number().int().min(1).max(999) })).min(1).optional(),
    cod: z.boolean().optional(),
    mdp: z.boolean().optional(),
    pickup_point: z.boolean().optional(),
    test: z.boolean().default(false),
    discount: z.number().min(0).default(0),
    market: z.enum(['cz', 'sk']).default('cz'),
    // A chosen customer (a long name or street, say) instead of a random one.
    address: z.object({ name: z.string().min(1), company: z.string().nullable(), street: z.string().min(1), city: z.string().min(1) }).partial().optional(),
  })
  .default({ status: 'open', test: false, discount: 0, market: 'cz' })

/** Turns a zod failure into the marketplace's 400, naming the field. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body === undefined || body === null ? undefined : body)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue?.path.join('.') || 'body'
  throw badRequest(`The request body is not valid: ${field}: ${issue?.message ?? 'invalid'}.`, { field })
}

function parseOrderId(raw: string): number {
  if (!/^\d{1,16}$/.test(raw)) throw notFound('Order', raw)
  return Number(raw)
}

/**
 * The simulated MALL Marketplace: orders, products, labels and MALL's own activity, over its
 * own persistent store. The HTTP layer (routes.ts) is a thin shell over this.
 */
export class MarketplaceSimulator {
  readonly options: SimulatorOptions
  private readonly store: SimulatorStore
  private readonly orders = new Map<number, Order>()
  private readonly consignments = new Map<number, Consignment>()
  private readonly catalogue: SeedProduct[]
  private readonly productsBySku = new Map<string, SeedProduct>()
  private readonly photos = new Map<string, string>()
  private readonly random: Random
  private outage: OutageMode = 'off'
  private readonly outageListeners = new Set<(mode: OutageMode) => void>()
  private activityTimer: NodeJS.Timeout | undefined
  private readonly pendingWebhook = new Set<number>()
  private lastWebhookAt = Number.NEGATIVE_INFINITY
  private webhookTimer: NodeJS.Timeout | undefined
  private webhookInFlight: Promise<void> | undefined
  private closed = false

  constructor(options: Partial<SimulatorOptions> & { dataDir: string }) {
    this.options = { ...SIMULATOR_DEFAULTS, ...options }
    this.store = new SimulatorStore(join(this.options.dataDir, 'marketplace-simulator.sqlite'))
    if (this.store.getMeta('seeded_at') === null) this.seed()
    this.catalogue = this.store.loadProducts()
    for (const product of this.catalogue) this.productsBySku.set(product.sku, product)
    for (const order of this.store.loadOrders()) this.orders.set(order.id, order)
    for (const consignment of this.store.loadConsignments()) this.consignments.set(consignment.order_id, consignment)
    // Continue the same random stream after a restart rather than replaying the first events.
    this.random = createRandom(this.options.seed + this.orders.size * 7919 + this.store.listLog().length)
    if (this.options.activity) this.startActivity()
  }

  private seed(): void {
    const catalogue = buildCatalogue(this.options.seed)
    const orders = buildDemoOrders(catalogue, this.options.clock(), this.options.seed)
    this.store.transaction(() => {
      this.store.saveProducts(catalogue)
      this.store.saveOrders(orders)
      this.store.setMeta('seeded_at', formatMallDateTime(this.options.clock()))
    })
    // MALL Delivery orders past packing have labels already, as they would at MALL.
    for (const order of orders) {
      if (order.mdp && ['shipped', 'delivered', 'returned', 'lost'].includes(order.status)) {
        this.store.saveConsignment(this.placeholderConsignment(order, 1))
      }
    }
  }

  private placeholderConsignment(order: Order, parcelCount: number): Consignment {
    const barcodes = this.parcelBarcodes(order.id, parcelCount, 1)
    return {
      id: order.id * 1000 + 1,
      order_id: order.id,
      labels_raw: Buffer.from(renderLabelsZpl(this.labelParcels(order, barcodes))).toString('base64'),
      labels_type: 'zpl',
      parcel_count: parcelCount,
      type: 'online',
      barcodes,
    }
  }

  private now(): number {
    return this.options.clock()
  }

  // ---------------------------------------------------------------- reading

  getOrder(id: string | number): Order {
    const order = this.orders.get(typeof id === 'number' ? id : parseOrderId(id))
    if (!order) throw notFound('Order', id)
    return order
  }

  listOrders(query: RawQuery): Page<BasicOrder> {
    const parsed = parseListQuery(query)
    return runListQuery([...this.orders.values()].map(toBasicOrder), parsed)
  }

  /** `GET /v1/orders/unconfirmed` and `GET /v1/orders/{status}`: ids, or basic orders with `filter=basic`. */
  listIds(query: RawQuery, which: 'unconfirmed' | OrderStatus): Page<number | BasicOrder> {
    const parsed = parseListQuery(query, false)
    const filters =
      which === 'unconfirmed'
        ? [{ field: 'confirmed' as const, op: 'eq' as const, values: [false] }]
        : [{ field: 'status' as const, op: 'eq' as const, values: [which] }]
    const page = runListQuery([...this.orders.values()].map(toBasicOrder), { ...parsed, filters })
    return parsed.basic ? page : { ...page, data: page.data.map((order) => order.id) }
  }

  stats(query: RawQuery): Record<OrderStatus, number> {
    const raw = Array.isArray(query.days) ? query.days.at(-1) : query.days
    const days = raw === undefined || raw === '' ? 30 : Number(raw)
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw badRequest(`days must be a whole number of days from 1 to 3650, not “${String(raw)}”.`, { days: String(raw) })
    }
    const since = formatMallDateTime(this.now() - days * 24 * 60 * 60 * 1000)
    const counts: Record<OrderStatus, number> = {
      blocked: 0, open: 0, shipping: 0, shipped: 0, cancelled: 0, delivered: 0, lost: 0, returned: 0,
    }
    for (const order of this.orders.values()) {
      const created = order.blocked ?? order.open ?? order[order.status]
      if (order.test || created === null || created < since) continue
      counts[order.status]++
    }
    return counts
  }

  consignment(id: string): Omit<Consignment, 'barcodes'> {
    const order = this.getOrder(id)
    const consignment = this.consignments.get(order.id)
    if (!consignment) throw notFound('Consignment of order', order.id)
    const { barcodes: _barcodes, ...rest } = consignment
    return rest
  }

  listProducts(query: RawQuery, mediaBase: string): Page<Record<string, unknown>> {
    const parsed = parseListQuery({ page: query.page, page_size: query.page_size }, false)
    const products = this.mallProducts(mediaBase).map(({ id, title, category_id, price, status, variants }) => ({
      id, title, category_id, price, status, variants_count: variants.length,
    }))
    return paginate(products, parsed.page, parsed.pageSize)
  }

  getProduct(id: string, mediaBase: string): MallProduct {
    const product = this.mallProducts(mediaBase).find((p) => p.id === id)
    if (!product) throw notFound('Product', id)
    return product
  }

  /** The catalogue as MALL's products API shows it: variants grouped under their product. */
  private mallProducts(mediaBase: string): MallProduct[] {
    const media = (sku: string) => [{ url: `${mediaBase}/media/products/${encodeURIComponent(sku)}.svg`, main: true }]
    const byProduct = new Map<string, SeedProduct[]>()
    for (const product of this.catalogue) {
      const group = byProduct.get(product.product_id) ?? []
      group.push(product)
      byProduct.set(product.product_id, group)
    }
    return [...byProduct.entries()].map(([id, group]) => {
      const first = group[0] as SeedProduct
      const hasVariants = group.some((p) => p.sku !== id)
      const variants: MallVariant[] = hasVariants
        ? group.map((p) => ({
            id: p.sku,
            title: p.title,
            barcode: p.barcodes[0] ?? null,
            price: p.price,
            media: media(p.sku),
            parameters: p.parameters,
          }))
        : []
      return {
        id,
        title: hasVariants ? first.title.replace(/, size .*$/, '') : first.title,
        category_id: first.category_id,
        brand_id: null,
        barcode: hasVariants ? null : (first.barcodes[0] ?? null),
        price: first.price,
        vat: first.vat,
        media: media(first.sku),
        variants,
        status: 'A' as const,
      }
    })
  }

  /** The demo warehouse's own catalogue data (bins, extra and case barcodes), for the station's demo seed. */
  warehouseCatalogue(): readonly SeedProduct[] {
    return this.catalogue
  }

  /** The generated photo of a SKU, or null for an unknown one. */
  photo(sku: string): string | null {
    const cached = this.photos.get(sku)
    if (cached) return cached
    const product = this.productsBySku.get(sku)
    if (!product) return null
    const svg = renderProductPhoto({ sku, kind: product.kind, colour: product.colour, label: product.parameters.size })
    this.photos.set(sku, svg)
    return svg
  }

  // ---------------------------------------------------------------- the seller's writes

  /** `PUT /v1/orders/{id}`: confirm and/or change the status, refused only where MALL refuses. */
  updateOrder(id: string, body: unknown): void {
    const order = this.getOrder(id)
    const change = parseBody(statusChangeSchema, body ?? {}) as StatusChange
    const refusal = checkStatusChange(this.facts(order), change, 'seller', this.now())
    if (refusal) throw new MallApiError(400, refusal.code, refusal.message, refusal.attributes)
    let next = applyStatusChange(order, change, 'seller', this.now())
    if (order.mdp && next.status === 'shipped' && order.status !== 'shipped') next = this.withMallDeliveryTracking(next)
    this.save(next)
  }

  /** `PUT /v1/orders/{id}/tracking`: correct the tracking of a shipped order. */
  updateTracking(id: string, body: unknown): void {
    const order = this.getOrder(id)
    const change = parseBody(trackingSchema, body ?? {})
    const refusal = checkTrackingChange(order, change)
    if (refusal) throw new MallApiError(400, refusal.code, refusal.message, refusal.attributes)
    // MALL Delivery tracking is MALL's: the correction is taken and not kept.
    if (order.mdp) return
    this.save({ ...order, tracking_number: change.tracking_number ?? null, tracking_url: change.tracking_url ?? null })
  }

  /** `PUT /v1/orders/{id}/items/{itemId}/serial-numbers`. */
  updateSerialNumbers(id: string, itemId: string, body: unknown): void {
    const order = this.getOrder(id)
    const serials = parseBody(z.array(z.string().min(1).max(100)).max(1000), body)
    const index = order.items.findIndex((item) => item.id === itemId)
    if (index < 0) throw notFound(`Item of order ${order.id}`, itemId)
    if (FINAL_STATUSES.includes(order.status)) {
      throw new MallApiError(400, 'ORDER_FINAL', `Order ${order.id} is ${order.status}; its items cannot change any more.`)
    }
    const items = order.items.map((item, i) => (i === index ? { ...item, serial_numbers: serials } : item))
    this.save({ ...order, items })
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
      const order = this.getOrder(order_id)
      this.checkLabelRequest(order, parcel_count)
      return { order, parcelCount: parcel_count }
    })
    const versions = new Map<number, number>()
    const parcels: LabelParcel[] = []
    const results = plan.map(({ order, parcelCount }) => {
      const previous = this.consignments.get(order.id)
      // After shipped only the last labels can be printed again; while shipping they are remade.
      const reuse = previous !== undefined && order.status === 'shipped'
      const version = reuse ? versionOf(previous) : (previous ? versionOf(previous) : 0) + 1
      versions.set(order.id, version)
      const barcodes = reuse ? previous.barcodes : this.parcelBarcodes(order.id, parcelCount, version)
      parcels.push(...this.labelParcels(order, barcodes))
      return { order_id: order.id, barcodes }
    })
    const document =
      request.labels_type === 'pdf'
        ? Buffer.from(await renderLabelsPdf(parcels, { first_position: request.first_position, labels_per_page: request.labels_per_page }))
        : Buffer.from(renderLabelsZpl(parcels))
    const labelsRaw = document.toString('base64')
    // Rendering is asynchronous: check again, so a cancellation meanwhile is not labelled.
    for (const { order, parcelCount } of plan) this.checkLabelRequest(this.getOrder(order.id), parcelCount)
    this.store.transaction(() => {
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
        this.consignments.set(result.order_id, consignment)
        this.store.saveConsignment(consignment)
      }
    })
    return { orders: results, labels_raw: labelsRaw }
  }

  /** `POST /v1/orders/{id}/labels`, the old single-order form. */
  async requestOrderLabels(id: string, body: unknown) {
    const order = this.getOrder(id)
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
    const previous = this.consignments.get(order.id)
    if (order.status === 'shipped' && previous && previous.parcel_count !== parcelCount) {
      throw new MallApiError(
        400,
        'PARCEL_COUNT_LOCKED',
        `Order ${order.id} is shipped: its labels can only be printed again with the same ${previous.parcel_count} parcel(s).`,
        { order_id: order.id, parcel_count: previous.parcel_count },
      )
    }
  }

  private parcelBarcodes(orderId: number, parcelCount: number, version: number): string[] {
    const parcelId = `14IS${String((orderId * 31 + version * 7919) % 100_000_000).padStart(8, '0')}`
    const pad = (n: number) => String(n).padStart(3, '0')
    return Array.from({ length: parcelCount }, (_, i) => `${parcelId}*${pad(i + 1)}${pad(parcelCount)}`)
  }

  private labelParcels(order: Order, barcodes: readonly string[]): LabelParcel[] {
    return barcodes.map((barcode, i) => ({
      barcode,
      order_id: order.id,
      parcel_index: i + 1,
      parcel_count: barcodes.length,
      recipient: {
        name: order.address.name,
        company: order.address.company,
        street: order.address.street,
        city: order.address.city,
        zip: order.address.zip,
        country: order.address.country,
        phone: order.address.phone,
      },
      pickup_point: order.branch_id === null ? null : `Pickup point ${order.branch_id}`,
      // Only the first parcel collects the cash.
      cod: i === 0 ? order.cod : 0,
      currency: order.currency,
      sender: { name: 'Demo Shop s.r.o.', street: 'Skladová 1', city: 'Brno', zip: '62700', country: 'CZ' },
      carrier: 'MALL Delivery',
    }))
  }

  private withMallDeliveryTracking(order: Order): Order {
    const barcode = this.consignments.get(order.id)?.barcodes[0] ?? `14IS${order.id}`
    const trackingNumber = barcode.split('*')[0] as string
    return { ...order, tracking_number: trackingNumber, tracking_url: trackingUrlFor('mallDelivery', trackingNumber) }
  }

  private facts(order: Order) {
    return {
      status: order.status,
      confirmed: order.confirmed,
      mdp: order.mdp,
      has_labels: this.consignments.has(order.id),
      shipped: order.shipped,
    }
  }

  private save(order: Order): void {
    this.orders.set(order.id, order)
    this.store.saveOrders([order])
  }

  // ---------------------------------------------------------------- the marketplace's own changes

  /** A change MALL makes itself: the order becomes unconfirmed and the webhook hears of it. */
  marketplaceChange(id: number, change: StatusChange): Order {
    const order = this.getOrder(id)
    const refusal = checkStatusChange(this.facts(order), change, 'marketplace' satisfies Actor, this.now())
    if (refusal) throw new MallApiError(400, refusal.code, refusal.message, refusal.attributes)
    let next = applyStatusChange(order, change, 'marketplace', this.now())
    if (order.mdp && next.status === 'shipped' && order.status !== 'shipped') next = this.withMallDeliveryTracking(next)
    this.save(next)
    this.notifyChanged(next.id)
    return next
  }

  /** The customer cancels their order (`POST /mall/_sim/orders/{id}/cancel`). */
  cancelByCustomer(id: string): Order {
    const order = this.getOrder(id)
    if (FINAL_STATUSES.includes(order.status)) {
      throw new MallApiError(400, 'ORDER_FINAL', `Order ${order.id} is already ${order.status}; the customer can no longer cancel it.`, {
        status: order.status,
      })
    }
    if (order.status === 'shipped') {
      throw new MallApiError(400, 'TRANSITION_NOT_ALLOWED', `Order ${order.id} is already shipped; the customer can only refuse the parcel now.`, {
        status: order.status,
      })
    }
    return this.marketplaceChange(order.id, { status: 'cancelled' })
  }

  /** A new order arrives (`POST /mall/_sim/orders`); open unless asked for blocked. */
  createOrder(body: unknown): Order {
    const request = parseBody(createOrderSchema, body ?? undefined)
    const random = this.random
    const items = request.items
      ? request.items.map(({ id, quantity }) => {
          const product = this.productsBySku.get(id)
          if (!product) throw badRequest(`There is no product with SKU “${id}” in the catalogue.`, { id }, 'PRODUCT_NOT_FOUND')
          return { product, quantity }
        })
      : pickLines(this.catalogue, random)
    const id = Math.max(0, ...this.orders.keys()) + random.int(3, 977)
    const now = this.now()
    const order = buildOrder(
      {
        id,
        status: request.status,
        createdAt: now,
        statusAt: now,
        items,
        cod: request.status === 'blocked' ? false : (request.cod ?? random.chance(0.45)),
        mdp: request.mdp ?? random.chance(0.35),
        pickup: request.pickup_point ?? random.chance(0.3),
        test: request.test,
        discount: request.discount,
        market: request.market,
      },
      random,
    )
    order.confirmed = false
    if (request.address) {
      order.address = { ...order.address, ...request.address }
      order.customer = order.address.name
    }
    this.save(order)
    this.notifyChanged(order.id)
    return order
  }

  /** One thing MALL does by itself; returns what happened, or null when nothing could. */
  step(): string | null {
    const all = [...this.orders.values()].filter((o) => !o.test)
    const candidates = {
      blocked: all.filter((o) => o.status === 'blocked'),
      open: all.filter((o) => o.status === 'open'),
      mdpLabelled: all.filter((o) => o.mdp && o.status === 'shipping' && this.consignments.has(o.id)),
      mdpShipped: all.filter((o) => o.mdp && o.status === 'shipped'),
    }
    const events: [number, () => string | null][] = [
      [4, () => `order ${this.createOrder({ status: this.random.chance(0.5) ? 'open' : 'blocked' }).id} arrived`],
      [3, () => (candidates.blocked.length ? `order ${this.marketplaceChange(this.random.pick(candidates.blocked).id, { status: 'open' }).id} paid and opened` : null)],
      [0.5, () => (candidates.blocked.length ? `order ${this.marketplaceChange(this.random.pick(candidates.blocked).id, { status: 'cancelled' }).id} unpaid and cancelled` : null)],
      [1, () => (candidates.open.length ? `order ${this.cancelByCustomer(String(this.random.pick(candidates.open).id)).id} cancelled by the customer` : null)],
      [2, () => (candidates.mdpLabelled.length ? `order ${this.marketplaceChange(this.random.pick(candidates.mdpLabelled).id, { status: 'shipped' }).id} picked up by MALL Delivery` : null)],
      [
        2,
        () => {
          if (!candidates.mdpShipped.length) return null
          const roll = this.random.next()
          const status = roll < 0.85 ? 'delivered' : roll < 0.97 ? 'returned' : 'lost'
          return `order ${this.marketplaceChange(this.random.pick(candidates.mdpShipped).id, { status }).id} ${status} by MALL Delivery`
        },
      ],
    ]
    const total = events.reduce((sum, [weight]) => sum + weight, 0)
    let roll = this.random.next() * total
    for (const [weight, run] of events) {
      roll -= weight
      if (roll <= 0) return run()
    }
    return null
  }

  private startActivity(): void {
    this.activityTimer = setInterval(() => {
      try {
        this.step()
      } catch (error) {
        this.options.warn(`simulator activity: ${(error as Error).message}`)
      }
    }, this.options.activityIntervalMs)
    this.activityTimer.unref()
  }

  // ---------------------------------------------------------------- webhook

  /** Queues an order id for the next webhook call; calls are batched, at most one per interval. */
  notifyChanged(id: number): void {
    if (!this.options.webhookUrl) return
    this.pendingWebhook.add(id)
    this.scheduleWebhook()
  }

  setWebhook(url: string | null, intervalMs?: number): void {
    this.options.webhookUrl = url
    if (intervalMs !== undefined) this.options.webhookIntervalMs = intervalMs
    this.scheduleWebhook()
  }

  private scheduleWebhook(): void {
    if (this.closed || this.webhookTimer || this.webhookInFlight || this.pendingWebhook.size === 0 || !this.options.webhookUrl) return
    // News is gathered for a moment before the first call too, so a burst goes out as one batch.
    const gather = Math.min(this.options.webhookIntervalMs, 1000)
    const wait = Math.max(gather, this.lastWebhookAt + this.options.webhookIntervalMs - this.now())
    this.webhookTimer = setTimeout(() => {
      this.webhookTimer = undefined
      this.webhookInFlight = this.sendWebhook().finally(() => {
        this.webhookInFlight = undefined
        this.scheduleWebhook()
      })
    }, wait)
    this.webhookTimer.unref()
  }

  private async sendWebhook(): Promise<void> {
    const url = this.options.webhookUrl
    if (!url) return
    const ids = [...this.pendingWebhook]
    this.pendingWebhook.clear()
    this.lastWebhookAt = this.now()
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ids),
        signal: AbortSignal.timeout(10_000),
      })
      if (!response.ok) throw new Error(`answered ${response.status}`)
    } catch (error) {
      // MALL keeps the ids for the next call rather than losing the news.
      for (const id of ids) this.pendingWebhook.add(id)
      this.options.warn(`simulator webhook to ${url} failed: ${(error as Error).message}`)
    }
  }

  // ---------------------------------------------------------------- outage and the write log

  get outageMode(): OutageMode {
    return this.outage
  }

  setOutage(mode: string): OutageMode {
    if (!(OUTAGE_MODES as readonly string[]).includes(mode)) {
      throw badRequest(`Outage mode must be one of ${OUTAGE_MODES.join(', ')}, not “${mode}”.`, { mode })
    }
    this.outage = mode as OutageMode
    for (const listener of this.outageListeners) listener(this.outage)
    return this.outage
  }

  onOutageChange(listener: (mode: OutageMode) => void): () => void {
    this.outageListeners.add(listener)
    return () => this.outageListeners.delete(listener)
  }

  recordWrite(entry: Omit<LogEntry, 'seq' | 'at'>): number {
    return this.store.appendLog({ ...entry, at: formatMallDateTime(this.now()) })
  }

  writeLog(afterSeq = 0): LogEntry[] {
    return this.store.listLog(afterSeq)
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.activityTimer)
    clearTimeout(this.webhookTimer)
    await this.webhookInFlight
    this.store.close()
  }
}

/** Labels are remade while shipping; the consignment id counts the versions. */
function versionOf(consignment: Consignment): number {
  return consignment.id % 1000 || 1
}
