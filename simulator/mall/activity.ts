import { z } from 'zod'
import { FINAL_STATUSES, type Order } from '#core/order.ts'
import { applyStatusChange, checkStatusChange, type Actor, type StatusChange } from '#core/status.ts'
import { badRequest, MallApiError } from './errors.ts'
import { buildOrder, pickLines } from './seed.ts'
import { parseBody, type SimulatorState } from './state.ts'
import type { WebhookSender } from './webhook.ts'


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

/**
 * The marketplace's own changes: payments, cancellations, new orders and MALL Delivery's pick-ups
 * and deliveries, by hand (`/mall/_sim/…`) or by itself every `activityIntervalMs`.
 */
export class MarketplaceActivity {
  private activityTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly state: SimulatorState,
    private readonly webhook: WebhookSender,
  ) {}

  marketplaceChange(id: number, change: StatusChange): Order {
    const order = this.state.getOrder(id)
    const refusal = checkStatusChange(this.state.facts(order), change, 'marketplace' satisfies Actor, this.state.now())
    if (refusal) throw new MallApiError(400, refusal.code, refusal.message, refusal.attributes)
    let next = applyStatusChange(order, change, 'marketplace', this.state.now())
    if (order.mdp && next.status === 'shipped' && order.status !== 'shipped') next = this.state.withMallDeliveryTracking(next)
    this.state.save(next)
    this.webhook.notifyChanged(next.id)
    return next
  }

  /** The customer cancels their order (`POST /mall/_sim/orders/{id}/cancel`). */
  cancelByCustomer(id: string): Order {
    const order = this.state.getOrder(id)
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
    const random = this.state.random
    const items = request.items
      ? request.items.map(({ id, quantity }) => {
          const product = this.state.productsBySku.get(id)
          if (!product) throw badRequest(`There is no product with SKU “${id}” in the catalogue.`, { id }, 'PRODUCT_NOT_FOUND')
          return { product, quantity }
        })
      : pickLines(this.state.catalogue, random)
    const id = Math.max(0, ...this.state.orders.keys()) + random.int(3, 977)
    const now = this.state.now()
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
    this.state.save(order)
    this.webhook.notifyChanged(order.id)
    return order
  }

  /** One thing MALL does by itself; returns what happened, or null when nothing could. */
  step(): string | null {
    const all = [...this.state.orders.values()].filter((o) => !o.test)
    const candidates = {
      blocked: all.filter((o) => o.status === 'blocked'),
      open: all.filter((o) => o.status === 'open'),
      mdpLabelled: all.filter((o) => o.mdp && o.status === 'shipping' && this.state.consignments.has(o.id)),
      mdpShipped: all.filter((o) => o.mdp && o.status === 'shipped'),
    }
    const events: [number, () => string | null][] = [
      [4, () => `order ${this.createOrder({ status: this.state.random.chance(0.5) ? 'open' : 'blocked' }).id} arrived`],
      [3, () => (candidates.blocked.length ? `order ${this.marketplaceChange(this.state.random.pick(candidates.blocked).id, { status: 'open' }).id} paid and opened` : null)],
      [0.5, () => (candidates.blocked.length ? `order ${this.marketplaceChange(this.state.random.pick(candidates.blocked).id, { status: 'cancelled' }).id} unpaid and cancelled` : null)],
      [1, () => (candidates.open.length ? `order ${this.cancelByCustomer(String(this.state.random.pick(candidates.open).id)).id} cancelled by the customer` : null)],
      [2, () => (candidates.mdpLabelled.length ? `order ${this.marketplaceChange(this.state.random.pick(candidates.mdpLabelled).id, { status: 'shipped' }).id} picked up by MALL Delivery` : null)],
      [
        2,
        () => {
          if (!candidates.mdpShipped.length) return null
          const roll = this.state.random.next()
          const status = roll < 0.85 ? 'delivered' : roll < 0.97 ? 'returned' : 'lost'
          return `order ${this.marketplaceChange(this.state.random.pick(candidates.mdpShipped).id, { status }).id} ${status} by MALL Delivery`
        },
      ],
    ]
    const total = events.reduce((sum, [weight]) => sum + weight, 0)
    let roll = this.state.random.next() * total
    for (const [weight, run] of events) {
      roll -= weight
      if (roll <= 0) return run()
    }
    return null
  }

  start(): void {
    this.activityTimer = setInterval(() => {
      try {
        this.step()
      } catch (error) {
        this.state.options.warn(`simulator activity: ${(error as Error).message}`)
      }
    }, this.state.options.activityIntervalMs)
    this.activityTimer.unref()
  }

  stop(): void {
    clearInterval(this.activityTimer)
  }
}
