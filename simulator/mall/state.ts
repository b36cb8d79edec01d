import { join } from 'node:path'
import { z } from 'zod'
import type { Order } from '#core/order.ts'
import { badRequest, notFound } from './errors.ts'
import { createRandom, type Random } from '../common/random.ts'
import { trackingUrlFor, type SeedProduct } from './seed.ts'
import { SimulatorStore, type Consignment } from './store.ts'
import type { SimulatorOptions } from './options.ts'

/** Turns a zod failure into the marketplace's 400, naming the field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
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
 * What every part of the simulated marketplace shares: its options, its persistent store and the
 * orders, consignments and catalogue loaded from it.
 */
export class SimulatorState {
  readonly store: SimulatorStore
  readonly orders = new Map<number, Order>()
  readonly consignments = new Map<number, Consignment>()
  readonly catalogue: SeedProduct[] = []
  readonly productsBySku = new Map<string, SeedProduct>()
  random: Random

  constructor(readonly options: SimulatorOptions) {
    this.store = new SimulatorStore(join(options.dataDir, 'marketplace-simulator.sqlite'))
    this.random = createRandom(options.seed)
  }

  /** Loads what the store holds; the random stream continues rather than replaying the first events. */
  load(): void {
    this.catalogue.push(...this.store.loadProducts())
    for (const product of this.catalogue) this.productsBySku.set(product.sku, product)
    for (const order of this.store.loadOrders()) this.orders.set(order.id, order)
    for (const consignment of this.store.loadConsignments()) this.consignments.set(consignment.order_id, consignment)
    this.random = createRandom(this.options.seed + this.orders.size * 7919 + this.store.listLog().length)
  }

  now(): number {
    return this.options.clock()
  }

  getOrder(id: string | number): Order {
    const order = this.orders.get(typeof id === 'number' ? id : parseOrderId(id))
    if (!order) throw notFound('Order', id)
    return order
  }

  withMallDeliveryTracking(order: Order): Order {
    const barcode = this.consignments.get(order.id)?.barcodes[0] ?? `14IS${order.id}`
    const trackingNumber = barcode.split('*')[0] as string
    return { ...order, tracking_number: trackingNumber, tracking_url: trackingUrlFor('mallDelivery', trackingNumber) }
  }

  facts(order: Order) {
    return {
      status: order.status,
      confirmed: order.confirmed,
      mdp: order.mdp,
      has_labels: this.consignments.has(order.id),
      shipped: order.shipped,
    }
  }

  save(order: Order): void {
    this.orders.set(order.id, order)
    this.store.saveOrders([order])
  }
}
