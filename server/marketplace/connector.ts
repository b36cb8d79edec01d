import type { BasicOrder } from '#core/order.ts'
import { BASIC_ORDER_KEYS } from '#core/order.ts'
import type { StationDatabase } from '../store/database.ts'
import type { OrderRepository } from '../store/orders.ts'
import { MarketplaceError, type Marketplace } from './marketplace.ts'

/**
 * Keeps the station's mirror in step with the marketplace, for all tablets at once (MALL asks
 * integrators not to poll hard). Each poll reads the live orders and the unconfirmed ones as basic
 * objects, and fetches the detail only of orders that are new or whose basic data changed. The
 * webhook's ids are kept in the database until their details are read, so a failure or a restart
 * never loses them.
 */

export interface ConnectorOptions {
  db: StationDatabase
  client: Marketplace
  orders: OrderRepository
  pollIntervalMs: number
  onChanged: () => void
  clock?: () => number
  warn?: (message: string) => void
}

export interface ConnectorState {
  reachable: boolean | null
  lastPollAt: string | null
  lastPollOkAt: string | null
  lastError: string | null
  /** When the marketplace asked us to wait (429), until when. */
  pausedUntil: string | null
  /** When the webhook last brought more ids than are kept ({@link MAX_PENDING_WEBHOOK_IDS}). */
  webhookOverflowAt: string | null
}

const DETAIL_CONCURRENCY = 4
const WEBHOOK_KEY = 'connector:webhook_pending'
/**
 * At most this many webhook ids wait to be read. Beyond, they are dropped for a full poll, which
 * finds every change anyway: a flood of ids (or an outage that lets them pile up) cannot grow the
 * list without bound, nor turn into one marketplace call per id.
 */
export const MAX_PENDING_WEBHOOK_IDS = 5000

export function basicFingerprint(order: BasicOrder): string {
  return JSON.stringify(BASIC_ORDER_KEYS.map((key) => order[key]))
}

export class Connector {
  readonly state: ConnectorState = { reachable: null, lastPollAt: null, lastPollOkAt: null, lastError: null, pausedUntil: null, webhookOverflowAt: null }
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = false
  private readonly clock: () => number

  constructor(private readonly options: ConnectorOptions) {
    this.clock = options.clock ?? Date.now
  }

  start(): void {
    this.stopped = false
    this.syncNow()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** Polls now (or right after the poll under way) and then on the interval. */
  syncNow(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    clearTimeout(this.timer)
    this.running = this.poll().finally(() => {
      this.running = undefined
      if (this.again) {
        this.again = false
        void this.syncNow()
        return
      }
      this.schedule()
    })
    return this.running
  }

  private schedule(): void {
    if (this.stopped) return
    const paused = this.state.pausedUntil ? Date.parse(this.state.pausedUntil) - this.clock() : 0
    this.timer = setTimeout(() => void this.syncNow(), Math.max(paused, this.options.pollIntervalMs))
    this.timer.unref()
  }

  /** The marketplace's webhook: changed order ids, read in detail as soon as possible. */
  acceptWebhook(ids: number[]): void {
    if (this.fullPollOwed) {
      // Ids were dropped and the full poll has not succeeded yet: it reads these too.
      void this.syncNow()
      return
    }
    const pending = new Set(this.pendingWebhookIds())
    for (const id of ids) pending.add(id)
    if (pending.size > MAX_PENDING_WEBHOOK_IDS) {
      this.savePendingWebhookIds([])
      this.fullPollOwed = true
      this.state.webhookOverflowAt = new Date(this.clock()).toISOString()
      this.options.warn?.(
        `the webhook brought more than ${MAX_PENDING_WEBHOOK_IDS} order ids to read (${pending.size}); they were dropped and the station reads everything from the marketplace instead (a full poll)`,
      )
      void this.syncNow()
      return
    }
    this.savePendingWebhookIds([...pending])
    void this.readWebhookIds()
  }

  /** How many webhook ids wait to be read. */
  pendingWebhookCount(): number {
    return this.pendingWebhookIds().length
  }

  private pendingWebhookIds(): number[] {
    const row = this.options.db.prepare('SELECT value FROM meta WHERE key = ?').get(WEBHOOK_KEY) as { value: string } | undefined
    return row ? (JSON.parse(row.value) as number[]) : []
  }

  private savePendingWebhookIds(ids: number[]): void {
    this.options.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(WEBHOOK_KEY, JSON.stringify(ids))
  }

  private webhookReading: Promise<void> | undefined
  /** Webhook ids were dropped over the cap: until a poll succeeds, the webhook asks for one. */
  private fullPollOwed = false

  private readWebhookIds(): Promise<void> {
    this.webhookReading ??= (async () => {
      try {
        for (;;) {
          const ids = this.pendingWebhookIds()
          if (ids.length === 0 || this.stopped) return
          let done: Set<number>
          try {
            done = await this.fetchDetails(ids)
          } catch (error) {
            // The marketplace is failing: the ids stay saved and the next poll reads them.
            this.failed(error)
            return
          }
          this.savePendingWebhookIds(this.pendingWebhookIds().filter((id) => !done.has(id)))
          if (done.size === 0) return
        }
      } finally {
        this.webhookReading = undefined
      }
    })()
    return this.webhookReading
  }

  private async poll(): Promise<void> {
    const { client, orders } = this.options
    this.state.lastPollAt = new Date(this.clock()).toISOString()
    try {
      const seen = new Map<number, BasicOrder>()
      for (const order of await client.ordersInPlay()) seen.set(order.id, order)
      const known = orders.fingerprints()
      const toFetch: number[] = []
      for (const [id, basic] of seen) {
        if (known.get(id)?.fingerprint !== basicFingerprint(basic)) toFetch.push(id)
      }
      // A live order that left both lists changed status without telling us (final, or confirmed
      // after a cancellation elsewhere): read it again.
      for (const [id, { status }] of known) {
        if (!seen.has(id) && (status === 'open' || status === 'shipping' || status === 'shipped')) toFetch.push(id)
      }
      toFetch.push(...this.pendingWebhookIds())
      const fetched = await this.fetchDetails([...new Set(toFetch)], seen)
      this.savePendingWebhookIds(this.pendingWebhookIds().filter((id) => !fetched.has(id)))
      this.state.reachable = true
      this.fullPollOwed = false
      this.state.lastPollOkAt = new Date(this.clock()).toISOString()
      this.state.lastError = null
      this.state.pausedUntil = null
    } catch (error) {
      this.failed(error)
    }
  }

  private failed(error: unknown): void {
    const message = (error as Error).message
    this.state.lastError = message
    if (error instanceof MarketplaceError) {
      this.state.reachable = error.kind === 'unavailable' ? false : true
      if (error.kind === 'rate_limited' && error.retryAfterMs !== null) {
        this.state.pausedUntil = new Date(this.clock() + error.retryAfterMs).toISOString()
      }
    } else {
      this.state.reachable = false
    }
    this.options.warn?.(`marketplace poll failed: ${message}`)
  }

  /**
   * Reads each order's detail into the mirror; returns the ids read (or found gone). Stops at the
   * first failure of the marketplace, keeping what it read so far.
   */
  private async fetchDetails(ids: number[], basics = new Map<number, BasicOrder>()): Promise<Set<number>> {
    const { client, orders } = this.options
    const done = new Set<number>()
    let changed = false
    let failure: unknown = null
    let next = 0
    const worker = async () => {
      while (next < ids.length && failure === null && !this.stopped) {
        const id = ids[next++] as number
        try {
          const order = await client.getOrder(id)
          const basic = basics.get(id)
          if (orders.upsertFromMarketplace(order, basic ? basicFingerprint(basic) : null)) changed = true
          done.add(id)
        } catch (error) {
          if (error instanceof MarketplaceError && error.kind === 'refused') {
            done.add(id) // the marketplace does not know this id; nothing to wait for
            continue
          }
          failure = error
        }
      }
    }
    await Promise.all(Array.from({ length: DETAIL_CONCURRENCY }, worker))
    if (changed) this.options.onChanged()
    if (failure !== null) throw failure
    return done
  }
}
