import 'fake-indexeddb/auto'
import { formatMallDateTime } from '#core/datetime.ts'
import { PickingDatabase, type OutboxChange } from '@/db/schema'
import { StationApi } from '@/services/api/client'
import { SyncEngine } from '@/services/sync/engine'

/**
 * One simulated tablet of the soak (`npm run soak`, bench/soak/run.ts), in Node: the PWA's own
 * sync engine (`SyncEngine`: outbox, pull, reachability) on a Dexie `PickingDatabase` over
 * fake-indexeddb, talking to the real station through the real `StationApi`. Only the person and the Wi-Fi are simulated: a packer
 * packs, ships and closes the tablet's orders; the Wi-Fi drops when told to; now and then an
 * answer is lost on the way back, or a change goes out twice.
 *
 * It lives beside the PWA benchmarks because it compiles with the app's settings (`@/`); the
 * soak loads it by URL, so the Node-side scripts never compile the app's sources.
 */

export interface SoakTabletEvents {
  made(change: { key: string; tablet: number; orderId: number; status: string; madeAt: number }): void
  acknowledged(key: string, at: number): void
  /** The station refused the change; the tablet shows the conflict. */
  refused(key: string): void
  /** The change built on a refused one and went with it when the packer discarded that. */
  discarded(key: string): void
  duplicateSent(kind: 'lost-answer' | 'twice'): void
  conflictShown(kind: 'change' | 'order'): void
}

export interface SoakTabletOptions {
  index: number
  tablets: number
  /** The tablet's IndexedDB name (fake-indexeddb, in memory). */
  dbName: string
  baseUrl: string
  user: string
  pin: string
  random: () => number
  /** Whether an order was made by the soak (only those are worked). */
  isSoakOrder: (orderId: number) => boolean
  /** How long a packed order waits for the carrier, and a shipped one for its delivery (ms). */
  handoverMs: () => number
  deliveryMs: () => number
  /** Chance that a status change's answer is lost, or that it is sent twice. */
  duplicateChance: number
  events: SoakTabletEvents
}

type Stage = { status: 'shipping' | 'shipped' | 'delivered'; dueAt: number }

const PULL_EVERY_MS = 2000
const CONFLICT_LOOK_MS = 2000
const ORDER_CONFLICTS_EVERY_MS = 5000

export class SoakTablet {
  private offline = false
  private token: string | null = null
  readonly deviceId: string
  private readonly db: PickingDatabase
  private readonly api: StationApi
  private readonly engine: SyncEngine
  private lastKey: string | null = null
  private workTimer: ReturnType<typeof setTimeout> | undefined
  private working: Promise<void> | null = null
  private phase: 'shift' | 'drain' | 'stopped' = 'shift'
  private packBudget = 0
  private lastWorkAt = Date.now()
  private lastPullAt = 0
  private lastOrderConflictsAt = 0
  private readonly stages = new Map<number, Stage>()
  private readonly conflictsSeen = new Map<number, number>()
  private readonly ordersWithConflict = new Set<number>()
  private packRatePerSecond = 0

  constructor(private readonly options: SoakTabletOptions) {
    this.deviceId = `soak-tablet-${options.index + 1}`
    this.db = new PickingDatabase(options.dbName)
    this.api = new StationApi({ baseUrl: options.baseUrl, fetch: (input, init) => this.wifi(input, init) })
    this.engine = new SyncEngine({
      db: this.db,
      api: this.api,
      locks: null,
      clock: () => Date.now(),
      random: options.random,
      makeKey: () => {
        this.lastKey = crypto.randomUUID()
        return this.lastKey
      },
      fetch: globalThis.fetch,
      caches: null,
      openEvents: null,
      warmPhotos: false,
      networkUp: () => !this.offline,
      session: {
        token: () => this.token,
        deviceId: () => this.deviceId,
        userName: () => options.user,
        // The station no longer takes the token: the packer signs in again.
        expired: async () => {
          this.token = (await this.api.signIn(options.user, options.pin, this.deviceId).catch(() => null))?.token ?? null
        },
      },
      onAnswer: (entry, answer) => {
        if (entry.kind === 'status' && answer.status >= 200 && answer.status < 300) options.events.acknowledged(entry.key, Date.now())
      },
    })
  }

  /** The Wi-Fi: nothing gets through while it is down; now and then an answer is lost or a change sent twice. */
  private async wifi(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (this.offline) throw new TypeError('fetch failed (the Wi-Fi is down)')
    const isStatusChange = init?.method === 'POST' && /\/api\/(orders\/\d+\/status|changes)$/.test(String(input))
    if (isStatusChange && this.options.random() < this.options.duplicateChance) {
      if (this.options.random() < 0.5) {
        // The station gets the change, the answer never comes back: the outbox sends it again, same key.
        const response = await fetch(input, init)
        await response.arrayBuffer()
        this.options.events.duplicateSent('lost-answer')
        throw new TypeError('fetch failed (the answer was lost)')
      }
      // Sent twice in a row with the same key (a double tap, a retry racing the answer).
      const first = await fetch(input, init)
      await first.arrayBuffer()
      this.options.events.duplicateSent('twice')
      return fetch(input, init)
    }
    const response = await fetch(input, init)
    if (this.offline) {
      // The Wi-Fi dropped while the answer was on its way.
      await response.arrayBuffer().catch(() => undefined)
      throw new TypeError('fetch failed (the Wi-Fi dropped)')
    }
    return response
  }

  async start(deadline: number): Promise<void> {
    await this.db.open()
    for (let attempt = 0; ; attempt++) {
      try {
        this.token = (await this.api.signIn(this.options.user, this.options.pin, this.deviceId)).token
        break
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`tablet ${this.options.index + 1} could not sign in: ${(error as Error).message}`)
        await sleep(Math.min(2000, 200 * 2 ** attempt))
      }
    }
    this.engine.start({ refreshEveryMs: null })
    await this.pull()
    this.scheduleWork()
  }

  setPackRate(perSecond: number): void {
    this.packRatePerSecond = perSecond
  }

  /** The Wi-Fi drops or comes back; the app hears of it from the browser's online/offline events. */
  setOffline(offline: boolean): void {
    if (this.offline === offline) return
    this.offline = offline
    this.engine.networkChanged()
  }

  /** The shift is over: no new changes, but the outbox still drains and the packer still looks at conflicts. */
  endShift(): void {
    this.phase = 'drain'
    this.setOffline(false)
    void this.engine.sendNow()
  }

  /** Sends what is due, as the app does: only while the station answers. */
  drain(): Promise<void> {
    return this.engine.drain()
  }

  private async pull(): Promise<void> {
    if (!this.token || this.offline) return
    this.lastPullAt = Date.now()
    await this.engine.pull().catch(() => undefined)
  }

  private scheduleWork(): void {
    if (this.phase === 'stopped') return
    this.workTimer = setTimeout(() => {
      this.working = this.work()
        .catch((error: unknown) => {
          if ((error as { name?: string }).name !== 'DatabaseClosedError') console.error(`tablet ${this.options.index + 1}:`, error)
        })
        .finally(() => {
          this.working = null
          this.scheduleWork()
        })
    }, 300 + Math.floor(this.options.random() * 400))
  }

  /** One look at the screen: pull now and then, see conflicts, and do the next pieces of work. */
  private async work(): Promise<void> {
    const now = Date.now()
    if (now - this.lastPullAt >= PULL_EVERY_MS) await this.pull()
    await this.lookAtConflicts(now)
    if (now - this.lastOrderConflictsAt >= ORDER_CONFLICTS_EVERY_MS) await this.lookAtOrderConflicts(now)
    if (this.phase !== 'shift') return
    this.packBudget = Math.min(this.packBudget + ((now - this.lastWorkAt) / 1000) * this.packRatePerSecond, 10)
    this.lastWorkAt = now
    let changed = false
    // Hand over and close what is due, then pack new orders as the pace allows.
    for (const [orderId, stage] of this.stages) {
      if (stage.dueAt > now || stage.status === 'delivered') continue
      if (stage.status === 'shipping') changed = (await this.ship(orderId)) || changed
      else changed = (await this.deliver(orderId)) || changed
    }
    if (this.packBudget >= 1) {
      const open = (await this.db.orders.where('status').equals('open').primaryKeys()) as number[]
      for (const orderId of open) {
        if (this.packBudget < 1) break
        if (orderId % this.options.tablets !== this.options.index || this.stages.has(orderId) || !this.options.isSoakOrder(orderId)) continue
        if (await this.pack(orderId)) {
          this.packBudget -= 1
          changed = true
        }
      }
    }
    if (changed) void this.drain()
  }

  private async change(orderId: number, change: OutboxChange): Promise<boolean> {
    this.lastKey = null
    const refusal = await this.engine.changeStatus(orderId, change)
    if (refusal || !this.lastKey || !change.status) return false
    this.options.events.made({ key: this.lastKey, tablet: this.options.index, orderId, status: change.status, madeAt: Date.now() })
    return true
  }

  private async pack(orderId: number): Promise<boolean> {
    const order = await this.db.orders.get(orderId)
    if (!order || order.status !== 'open' || order.local_pending > 0) return false
    await this.engine.claim(orderId)
    const at = new Date().toISOString()
    const scans = order.items.map((item) => ({ sku: item.id, units: item.quantity, code: item.id, at, source: 'wedge' as const }))
    const made = await this.change(orderId, { status: 'shipping', confirmed: true, ...(scans.length ? { packing: { scans } } : {}) })
    // Packed or not (cancelled meanwhile), this packer is done with the order.
    this.stages.set(orderId, made ? { status: 'shipping', dueAt: Date.now() + this.options.handoverMs() } : { status: 'delivered', dueAt: Infinity })
    return made
  }

  private async ship(orderId: number): Promise<boolean> {
    const number = `SOAK${orderId}T${this.options.index + 1}`
    const made = await this.change(orderId, {
      status: 'shipped',
      tracking_number: number,
      tracking_url: `https://tracking.example.invalid/parcel/${number}`,
    })
    this.stages.set(orderId, made ? { status: 'shipped', dueAt: Date.now() + this.options.deliveryMs() } : { status: 'delivered', dueAt: Infinity })
    return made
  }

  private async deliver(orderId: number): Promise<boolean> {
    const made = await this.change(orderId, { status: 'delivered', delivered_at: formatMallDateTime(Date.now()) })
    this.stages.set(orderId, { status: 'delivered', dueAt: Infinity })
    return made
  }

  /**
   * Refused changes: shown at once; after a moment the packer reads the conflict (the customer
   * cancelled) and discards the change, and with it the changes of that order built on it.
   */
  private async lookAtConflicts(now: number): Promise<void> {
    const conflicts = await this.db.outbox.where('state').equals('conflict').toArray()
    for (const entry of conflicts) {
      const seq = entry.seq as number
      const seenAt = this.conflictsSeen.get(seq)
      if (seenAt === undefined) {
        this.conflictsSeen.set(seq, now)
        this.options.events.conflictShown('change')
        if (entry.kind === 'status') this.options.events.refused(entry.key)
        continue
      }
      if (now - seenAt < CONFLICT_LOOK_MS) continue
      if (entry.kind === 'status') {
        const later = await this.db.outbox
          .where('order_id')
          .equals(entry.order_id)
          .filter((e) => e.kind === 'status' && (e.seq as number) > seq)
          .toArray()
        for (const e of later) this.options.events.discarded(e.key)
        this.stages.set(entry.order_id, { status: 'delivered', dueAt: Infinity })
      }
      await this.engine.discard(seq)
      this.conflictsSeen.delete(seq)
    }
  }

  /** Orders the marketplace refused a change of (the station keeps the conflict on the order). */
  private async lookAtOrderConflicts(now: number): Promise<void> {
    this.lastOrderConflictsAt = now
    const withConflict = await this.db.orders.filter((o) => o.conflict !== null && o.id % this.options.tablets === this.options.index).primaryKeys()
    for (const id of withConflict as number[]) {
      if (this.ordersWithConflict.has(id)) continue
      this.ordersWithConflict.add(id)
      this.options.events.conflictShown('order')
      // Nothing more to do with it: the packer stops working the order.
      this.stages.set(id, { status: 'delivered', dueAt: Infinity })
    }
  }

  /** Changes still to send (not counting refused ones waiting for the packer). */
  async waiting(): Promise<number> {
    return this.db.outbox.filter((e) => e.state !== 'conflict').count()
  }

  async outboxSize(): Promise<number> {
    return this.db.outbox.count()
  }

  /** One last look at the screen (conflicts, pull) during the drain. */
  async settleLook(): Promise<void> {
    await this.pull()
    await this.lookAtOrderConflicts(Date.now())
  }

  async stop(): Promise<void> {
    this.phase = 'stopped'
    clearTimeout(this.workTimer)
    await this.working
    await this.engine.stop()
    await this.db.delete().catch(() => undefined)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export function createTablet(options: SoakTabletOptions): SoakTablet {
  return new SoakTablet(options)
}
