import { marketplaceDeliveryName } from '#core/delivery-methods.ts'
import { problem, type Problem } from '#core/problem.ts'
import { MarketplaceError, type Marketplace } from '../marketplace/marketplace.ts'
import type { OrderWriteDeps } from './deps.ts'
import type { StoredLabels } from '../store/labels.ts'
import type { OrderRow } from '../store/orders.ts'
import { IdempotencyStore, type Session } from '../store/users.ts'

export interface LabelRequestsDeps extends OrderWriteDeps {
  client: Marketplace
  /** Called when a request waits in the outbox, so the forwarder sends it soon. */
  queued: () => void
}

export interface LabelRequest {
  parcel_count: number
  labels_type: 'pdf' | 'zpl'
}

/** The labels, or that the request waits in the outbox (202), or why the station refused. */
export type LabelAnswer =
  | { kind: 'labels'; labels: { order_id: number } & StoredLabels }
  | { kind: 'queued'; detail: string }
  | { kind: 'problem'; problem: Problem }

const UNREACHABLE = 'The marketplace cannot be reached now: the label request waits in the station’s queue and is sent when it is back.'

/**
 * MALL Delivery labels for an order being packed: asked of the marketplace at once when it can be
 * reached, else queued in the outbox behind the order's earlier changes.
 */
export class LabelRequests {
  constructor(private readonly deps: LabelRequestsDeps) {}

  async request(row: OrderRow, request: LabelRequest, by: { session: Session | null; deviceId: string | null; idempotencyKey: string | null }): Promise<LabelAnswer> {
    const { db, orders, outbox, audit, labels, idempotency, client, clock } = this.deps
    const id = row.id
    const keyed = by.idempotencyKey
    // A tablet's retry of a request whose answer it lost: asking the marketplace again would
    // void the labels of the first request, so the same key gets those labels (or, while the
    // request still waits for the marketplace, the same 202).
    const requestHash = IdempotencyStore.hashRequest({ order: id, labels: request })
    if (keyed) {
      const seen = idempotency.find(keyed)
      if (seen && seen.request_hash !== requestHash) {
        return { kind: 'problem', problem: problem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request: make a new key for each label request.') }
      }
      if (seen) {
        const saved = labels.get(id)
        if (saved) return { kind: 'labels', labels: { order_id: id, ...saved } }
        return { kind: 'queued', detail: UNREACHABLE }
      }
    }
    const remember = (status: number) => {
      if (keyed && by.session) idempotency.save(by.session.user.id, keyed, requestHash, status, '{}')
    }
    const order = orders.order(row)
    if (!order.mdp) {
      return {
        kind: 'problem',
        problem: problem(422, 'LABELS_NOT_MALL_DELIVERY', `This order does not go by ${marketplaceDeliveryName(order)}: print your own carrier’s label for it.`),
      }
    }
    if (order.status !== 'shipping' && order.status !== 'shipped') {
      return { kind: 'problem', problem: problem(422, 'LABELS_WRONG_STATUS', `Start packing the order first: labels are printed while it is shipping (it is ${order.status}).`) }
    }
    const audited = {
      order_id: id,
      actor: 'user' as const,
      user: by.session?.user.name ?? null,
      device_id: by.deviceId,
      action: 'labels',
      details: { parcel_count: request.parcel_count, labels_type: request.labels_type },
    }
    const queue = (maybeSent = false, why = UNREACHABLE): LabelAnswer => {
      db.transaction(() => {
        const auditId = audit.record({ ...audited, marketplace_state: 'queued' })
        // Labels asked for without an answer may exist already: asking again would void them.
        outbox.add(id, 'labels', { ...request }, auditId, maybeSent ? { maybeSent, notBefore: clock() + client.timeout } : {})
        remember(202)
      })()
      this.deps.queued()
      return { kind: 'queued', detail: why }
    }
    // Labels follow the order's earlier changes, which the marketplace must have first.
    if (outbox.queuedForOrder(id).length > 0) {
      return queue(false, 'The order’s earlier changes are still on their way to the marketplace: the label request follows them, and the labels arrive shortly.')
    }
    try {
      const result = await client.requestLabels(id, { labels_type: request.labels_type, parcel_count: request.parcel_count })
      const stored: StoredLabels = {
        labels_type: request.labels_type,
        parcel_count: request.parcel_count,
        labels_raw: result.labels_raw,
        barcodes: result.barcodes,
      }
      db.transaction(() => {
        labels.save(id, stored)
        audit.record({ ...audited, marketplace_state: 'sent', marketplace_at: new Date(clock()).toISOString() })
        remember(200)
      })()
      return { kind: 'labels', labels: { order_id: id, ...stored } }
    } catch (error) {
      if (error instanceof MarketplaceError && error.kind === 'refused') {
        return { kind: 'problem', problem: problem(422, error.code ?? 'MARKETPLACE_REFUSED', error.message) }
      }
      if (error instanceof MarketplaceError && error.kind === 'unauthorized') {
        // MALL's key is in the environment; Allegro's account is connected in Settings.
        const what = client.account ? 'the Allegro account’s access: a team lead connects Allegro again in Settings' : 'the station’s API key: the team lead must check MALL_CLIENT_ID'
        return { kind: 'problem', problem: problem(502, 'MARKETPLACE_UNAUTHORIZED', `The marketplace refused ${what}.`) }
      }
      return queue(error instanceof MarketplaceError && error.uncertain)
    }
  }
}
