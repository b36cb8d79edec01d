import { backoffDelay } from '#core/backoff.ts'
import type { Order } from '#core/order.ts'
import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { LabelStore } from '../store/labels.ts'
import type { OrderConflict, OrderRepository } from '../store/orders.ts'
import type { Outbox, OutboxEntry } from '../store/outbox.ts'
import { MarketplaceError, type Marketplace } from './marketplace.ts'

/**
 * Sends the station's outbox to the marketplace: one entry at a time, each order's changes in the
 * order they were accepted, retried with full-jitter backoff while the marketplace fails or does
 * not answer. The marketplace has no idempotency keys, so an entry that may have arrived (no
 * answer came back, or the station stopped mid-send) is checked against the marketplace's order
 * before it is sent again: each change reaches the marketplace once. A refusal becomes a conflict
 * on the order that tablets see; nothing is dropped in silence.
 */

export interface ForwarderOptions {
  db: StationDatabase
  client: Marketplace
  orders: OrderRepository
  outbox: Outbox
  audit: AuditLog
  labels: LabelStore
  /** Called after anything tablets should pull. */
  onChanged: () => void
  clock?: () => number
  random?: () => number
  baseDelayMs?: number
  maxDelayMs?: number
  warn?: (message: string) => void
}

export interface ForwarderState {
  lastAttemptAt: string | null
  lastSuccessAt: string | null
  lastError: string | null
}

export class OutboxForwarder {
  private timer: NodeJS.Timeout | undefined
  /**
   * While the marketplace is down the whole outbox waits, not each entry on its own: one probe per
   * backoff step instead of one per waiting order, which would hammer a struggling marketplace.
   */
  private pausedUntil = 0
  private consecutiveFailures = 0
  private running: Promise<void> | undefined
  private again = false
  private stopped = false
  readonly state: ForwarderState = { lastAttemptAt: null, lastSuccessAt: null, lastError: null }
  private readonly clock: () => number
  private readonly random: () => number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number

  constructor(private readonly options: ForwarderOptions) {
    this.clock = options.clock ?? Date.now
    this.random = options.random ?? Math.random
    this.baseDelayMs = options.baseDelayMs ?? 1000
    this.maxDelayMs = options.maxDelayMs ?? 60_000
  }

  /** Something was queued or the marketplace may be back: drain now (or when the pause ends). */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.pausedUntil > this.clock()) {
      this.scheduleNext()
      return
    }
    clearTimeout(this.timer)
    this.timer = undefined
    this.running = this.drain().finally(() => {
      this.running = undefined
      if (this.again) {
        this.again = false
        this.kick()
      } else {
        this.scheduleNext()
      }
    })
  }

  private scheduleNext(): void {
    if (this.stopped) return
    if (this.pausedUntil > this.clock()) {
      // Paused: one wake-up at the end of the pause covers every waiting entry.
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined
          this.kick()
        }, this.pausedUntil - this.clock())
        this.timer.unref()
      }
      return
    }
    const at = this.options.outbox.nextDueAt()
    if (at === null) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.kick()
    }, Math.max(0, at - this.clock()))
    this.timer.unref()
  }

  /** Waits until the outbox is empty or the deadline passes (tests and shutdown). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = this.clock() + timeoutMs
    while (this.running && this.clock() < deadline) await this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return
      if (this.pausedUntil > this.clock()) return
      const entry = this.options.outbox.nextDue(this.clock())
      if (!entry) return
      await this.forward(entry)
    }
  }

  private async forward(entry: OutboxEntry): Promise<void> {
    const { outbox, client } = this.options
    const maybeSentBefore = entry.state === 'inflight'
    outbox.markInflight(entry.id)
    this.state.lastAttemptAt = new Date(this.clock()).toISOString()
    try {
      if (maybeSentBefore && (await this.alreadyApplied(entry))) {
        this.succeeded(entry)
        return
      }
      switch (entry.kind) {
        case 'status':
          await client.changeStatus(entry.order_id, entry.body)
          break
        case 'start_packing':
          // Queued only where the marketplace takes it (server/orders/claims.ts).
          await client.startPacking?.(entry.order_id)
          break
        case 'tracking':
          await client.changeTracking(entry.order_id, entry.body as { tracking_number: string; tracking_url: string })
          break
        case 'labels': {
          const labels = await client.requestLabels(entry.order_id, {
            labels_type: (entry.body.labels_type as 'pdf' | 'zpl' | undefined) ?? 'pdf',
            parcel_count: Number(entry.body.parcel_count),
          })
          this.options.labels.save(entry.order_id, {
            labels_type: (entry.body.labels_type as 'pdf' | 'zpl' | undefined) ?? 'pdf',
            parcel_count: Number(entry.body.parcel_count),
            labels_raw: labels.labels_raw,
            barcodes: labels.barcodes,
          })
          break
        }
      }
      this.succeeded(entry)
    } catch (error) {
      if (error instanceof MarketplaceError && error.kind === 'refused') {
        await this.refused(entry, error)
        return
      }
      const err = error instanceof MarketplaceError ? error : new MarketplaceError('unavailable', (error as Error).message, null, null, null, true)
      this.consecutiveFailures++
      let delay =
        err.retryAfterMs ?? (err.kind === 'unauthorized' ? this.maxDelayMs : backoffDelay(this.consecutiveFailures, { baseMs: this.baseDelayMs, capMs: this.maxDelayMs, random: this.random }))
      // A slow marketplace may still be applying a write that timed out: check only after as long again.
      if (err.uncertain) delay = Math.max(delay, this.options.client.timeout)
      this.pausedUntil = this.clock() + delay
      this.state.lastError = err.message
      outbox.retryLater(entry.id, this.pausedUntil, err.message, maybeSentBefore || err.uncertain)
      this.options.onChanged()
    }
  }

  /** Whether the marketplace already shows this change, so sending it again would repeat it. */
  private async alreadyApplied(entry: OutboxEntry): Promise<boolean> {
    const { client } = this.options
    if (entry.kind === 'labels') {
      const consignment = await client.lastLabels(entry.order_id)
      if (!consignment || consignment.parcel_count !== Number(entry.body.parcel_count)) return false
      this.options.labels.save(entry.order_id, {
        labels_type: consignment.labels_type === 'zpl' ? 'zpl' : 'pdf',
        parcel_count: consignment.parcel_count,
        labels_raw: consignment.labels_raw,
        barcodes: consignment.barcodes ?? [],
      })
      return true
    }
    const order = await client.getOrder(entry.order_id)
    this.options.orders.upsertFromMarketplace(order)
    if (entry.kind === 'tracking') return order.tracking_number === entry.body.tracking_number
    if (entry.kind === 'start_packing') return order.confirmed || order.status !== 'open'
    const wanted = entry.body as { status?: string; confirmed?: boolean }
    const statusThere = wanted.status === undefined || wanted.status === null || order.status === wanted.status
    const confirmedThere = wanted.confirmed !== true || order.confirmed
    return statusThere && confirmedThere
  }

  private succeeded(entry: OutboxEntry): void {
    const { db, outbox, orders, audit } = this.options
    db.transaction(() => {
      outbox.finish(entry.id, 'done')
      if (entry.audit_id !== null) audit.setMarketplaceState(entry.audit_id, 'sent')
      if (outbox.queuedForOrder(entry.order_id).length === 0) orders.markSynced(entry.order_id)
    })()
    this.state.lastSuccessAt = new Date(this.clock()).toISOString()
    this.state.lastError = null
    this.consecutiveFailures = 0
    this.pausedUntil = 0
    this.options.onChanged()
  }

  /** The marketplace said no: the order takes the marketplace's state and carries the conflict. */
  private async refused(entry: OutboxEntry, error: MarketplaceError): Promise<void> {
    const { db, outbox, orders, audit, client } = this.options
    let current: Order | null = null
    try {
      current = await client.getOrder(entry.order_id)
    } catch {
      // The conflict stands even if the order cannot be read now; the next poll brings it.
    }
    const auditRow = entry.audit_id === null ? null : audit.byId(entry.audit_id)
    db.transaction(() => {
      outbox.finish(entry.id, 'refused', error.message)
      if (entry.audit_id !== null) audit.setMarketplaceState(entry.audit_id, 'refused')
      const later = outbox.waitingAfter(entry.order_id, entry.id)
      for (const next of later) {
        outbox.finish(next.id, 'dropped', `Not sent: the change before it (#${entry.id}) was refused.`)
        if (next.audit_id !== null) audit.setMarketplaceState(next.audit_id, 'dropped')
      }
      const conflict: OrderConflict = {
        code: error.code ?? 'MARKETPLACE_REFUSED',
        message: error.message,
        change: { kind: entry.kind, ...entry.body },
        dropped_changes: later.map((next) => ({ kind: next.kind, ...next.body })),
        user: auditRow?.user ?? null,
        device_id: auditRow?.device_id ?? null,
        refused_at: new Date(this.clock()).toISOString(),
      }
      orders.writeConflict(entry.order_id, current, conflict)
      audit.record({
        order_id: entry.order_id,
        actor: 'marketplace',
        user: null,
        device_id: null,
        action: 'refused',
        details: { code: conflict.code, message: conflict.message, change: conflict.change },
        marketplace_state: 'from_marketplace',
      })
    })()
    this.options.warn?.(`marketplace refused ${entry.kind} change of order ${entry.order_id}: ${error.message}`)
    this.options.onChanged()
  }
}
