import { formatTime } from '#core/datetime.ts'
import { problem, type Problem } from '#core/problem.ts'
import { CLAIM_MINUTES, type StationOrder } from '#core/station-api.ts'
import type { Marketplace } from '../marketplace/marketplace.ts'
import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { OrderRepository, OrderRow } from '../store/orders.ts'
import type { Outbox } from '../store/outbox.ts'
import type { SettingsStore } from '../store/settings.ts'
import type { Session } from '../store/users.ts'

/** The order as it is now, or why the station refused. */
export type OrderAnswer = { ok: true; order: StationOrder } | { ok: false; problem: Problem }

export interface ClaimsDeps {
  db: StationDatabase
  orders: OrderRepository
  audit: AuditLog
  settings: SettingsStore
  outbox: Outbox
  client: Pick<Marketplace, 'startPacking'>
  /** Called when something was queued for the marketplace, so the forwarder sends it soon. */
  queued: () => void
}

/**
 * Claims: who is packing an order. Advisory (the status rules stand on their own), but a second
 * packer is told, with who and until when, before doing the work twice. The first claim of an open
 * order is its first scan: where the marketplace is told that packing starts (Allegro), that goes
 * into the outbox with it, once per order.
 */
export class Claims {
  constructor(private readonly deps: ClaimsDeps) {}

  /** Claims the order for `user` on `deviceId` for CLAIM_MINUTES, unless someone else holds it. */
  take(row: OrderRow, user: string, deviceId: string | null): OrderAnswer {
    const { db, orders, audit, settings } = this.deps
    const id = row.id
    const result = db.transaction(() => {
      const taken = orders.takeClaim(id, user, deviceId, CLAIM_MINUTES)
      let queued = false
      if (taken.granted) {
        audit.record({ order_id: id, actor: 'user', user, device_id: deviceId, action: 'claim', details: { until: taken.claim.until }, marketplace_state: 'not_needed' })
        const order = orders.order(row)
        if (this.deps.client.startPacking && order.status === 'open' && !order.confirmed && !this.deps.outbox.hasEver(id, 'start_packing')) {
          const auditId = audit.record({ order_id: id, actor: 'user', user, device_id: deviceId, action: 'start_packing', details: {}, marketplace_state: 'queued' })
          this.deps.outbox.add(id, 'start_packing', {}, auditId)
          queued = true
        }
      }
      return { ...taken, queued }
    })()
    if (result.queued) this.deps.queued()
    const order = orders.toApi(orders.get(id) ?? row)
    if (result.granted) return { ok: true, order }
    const holder = result.claim
    // On the warehouse's clock, as every time a person reads.
    const until = formatTime(Date.parse(holder.until), settings.get().time_zone)
    return {
      ok: false,
      problem: problem(
        409,
        'ORDER_CLAIMED',
        `Order ${id} is already being packed by ${holder.user}${holder.device_id ? ` on ${holder.device_id}` : ''} (until ${until}): take another order, or ask them.`,
        { order, claim: holder },
      ),
    }
  }

  /** Releases the order's claim: only its holder or a team lead may. */
  release(row: OrderRow, session: Session | null): OrderAnswer {
    const { orders } = this.deps
    const claim = orders.claim(row.id)
    const user = session?.user
    if (claim && claim.user !== user?.name && user?.role !== 'lead') {
      return { ok: false, problem: problem(403, 'NOT_YOUR_CLAIM', `Only ${claim.user} or a team lead can release this order.`) }
    }
    orders.releaseClaim(row.id)
    return { ok: true, order: orders.toApi(orders.get(row.id) ?? row) }
  }
}
