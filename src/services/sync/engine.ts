import type { FlagReason, StationHealth } from '#core/station-api.ts'
import type { Refusal } from '#core/status.ts'
import { getMeta, setMeta, type LabelsRequest, type LocalLabels, type NoteChange, type OutboxChange, type OutboxEntry, type StatusEntry } from '@/db/schema'
import { ApiError, type ApiAnswer, type StationApi } from '@/services/api/client'
import {
  discardConflict,
  drainOutbox,
  enqueueClaim,
  enqueueFlag,
  enqueueNote,
  enqueueLabels,
  enqueueStatusChange,
  enqueueUnclaim,
  reapplyConflict,
  retryNow,
  type OutboxPlatform,
} from '@/services/outbox/outbox'
import { estimateStorage, evictPhotos, isQuotaError, type StorageEstimateView } from '@/services/storage'
import { photoUrlsOfOrders, warmPhotos, type PhotoWarmPlatform } from './photos'
import { pullAll, writeOrdersPage } from './pull'
import { StationReachability, type Connectivity } from './reachability'

/**
 * The tablet's connection to the station, without a framework: it pulls, sends the outbox,
 * warms photos, listens to the station's events and judges whether the station answers. The
 * app's sync store (src/stores/sync.ts) is a thin Pinia face over it; the soak's simulated
 * tablets (bench/pwa/soak-tablet.ts) drive the same engine in Node.
 */

export const REFRESH_EVERY_MS = 60_000

/** Why the last sync did not go through, for the status bar to word. */
export type SyncError =
  | { kind: 'send-failed'; detail: string }
  | { kind: 'storage-full' }
  | { kind: 'sync-failed'; detail: string }
  /** The station answered with a problem; its own sentence and its code (said in the reader's words). */
  | { kind: 'station'; detail: string; code?: string }

export interface SyncState {
  connectivity: Connectivity
  /** The station's last word on the marketplace (`/api/health`), null until heard. */
  health: StationHealth | null
  syncing: boolean
  lastError: SyncError | null
  photoProgress: { done: number; total: number } | null
  storage: StorageEstimateView | null
}

/** Who is signed in on the tablet, as the engine needs it. */
export interface SyncSession {
  token(): string | null
  deviceId(): string
  userName(): string
  /** The station no longer takes the token: the app signs the person out (the soak signs in again). */
  expired(): Promise<void>
}

export interface SyncEngineDeps extends Omit<OutboxPlatform, 'send' | 'sendBatch'>, PhotoWarmPlatform {
  api: StationApi
  session: SyncSession
  /** What the device says of its network (the browser's `online`). */
  networkUp(): boolean
  openEvents: ((url: string) => EventSource) | null
  /** Called with every answer the station gave to an outbox entry (the soak counts them). */
  onAnswer?(entry: OutboxEntry, answer: ApiAnswer): void
  /** Whether to warm photos and read storage after a pull (the soak does without). */
  warmPhotos?: boolean
}

/** Sends one outbox entry as the station's API takes its kind. */
export function sendEntry(api: StationApi, token: string, deviceId: string, entry: OutboxEntry): Promise<ApiAnswer> {
  switch (entry.kind) {
    case 'claim':
      return api.claim(token, entry.order_id, entry.key, deviceId)
    case 'unclaim':
      return api.unclaim(token, entry.order_id, entry.key, deviceId)
    case 'flag':
      return api.flag(token, entry.order_id, { reason: entry.flag.reason, ...(entry.flag.sku ? { sku: entry.flag.sku } : {}), ...(entry.flag.note ? { note: entry.flag.note } : {}) }, entry.key, deviceId)
    case 'unflag':
      return api.unflag(token, entry.order_id, entry.key, deviceId)
    case 'labels':
      return api.requestLabels(token, entry.order_id, entry.labels, entry.key, deviceId)
    case 'status':
      return api.changeStatus(token, entry.order_id, entry.body, entry.key, deviceId)
    case 'note':
      return entry.note.text === null
        ? api.deleteNote(token, entry.order_id, entry.note.id, deviceId)
        : api.putNote(token, entry.order_id, entry.note.id, entry.note.text, deviceId)
  }
}

function isClosing(error: unknown): boolean {
  return (error as { name?: string }).name === 'DatabaseClosedError'
}

export class SyncEngine {
  private current: SyncState
  private readonly listeners = new Set<(state: SyncState) => void>()
  readonly reachability: StationReachability
  private drainTimer: ReturnType<typeof setTimeout> | undefined
  private draining: Promise<void> | null = null
  private drainAgain = false
  private refreshAgain = false
  private started = false
  /** Stopped for good (the app closes, the soak ends): nothing is scheduled any more. */
  private stopped = false
  private events: EventSource | null = null
  private refreshTimer: ReturnType<typeof setInterval> | undefined

  constructor(private readonly deps: SyncEngineDeps) {
    this.reachability = new StationReachability({
      clock: () => Date.now(),
      networkUp: () => deps.networkUp(),
      probe: async () => {
        try {
          this.set({ health: await deps.api.health() })
          return true
        } catch (error) {
          // An answer that is not 2xx still came from the station.
          return error instanceof ApiError && error.answer.status !== 0
        }
      },
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    })
    this.observeAnswers()
    this.current = { connectivity: this.reachability.state, health: null, syncing: false, lastError: null, photoProgress: null, storage: null }
    this.reachability.subscribe((state, previous) => {
      this.set({ connectivity: state })
      // The station answers again: what waits on the tablet goes now, whether or not the browser
      // ever said it was offline.
      if (state !== 'online' || this.stopped) return
      if (previous === 'checking') void this.drain()
      else void this.refresh({ now: true })
    })
  }

  private unobserve: (() => void) | null = null

  /** Every answer the app gets from the station (or does not) tells whether the station answers. */
  private observeAnswers(): void {
    this.unobserve ??= this.deps.api.observe((reached, startedAt) => (reached ? this.reachability.answered() : this.reachability.failed(startedAt)))
  }

  get state(): SyncState {
    return this.current
  }

  subscribe(listener: (state: SyncState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private set(patch: Partial<SyncState>): void {
    this.current = { ...this.current, ...patch }
    for (const listener of this.listeners) listener(this.current)
  }

  /**
   * Whether a send may succeed: not while the device has no network, nor while the station is
   * known not to answer (the probe that finds it again drains). Before the first answer a send is
   * tried: it is as good a probe as any.
   */
  canSend(): boolean {
    const connectivity = this.current.connectivity
    return this.deps.networkUp() && (connectivity === 'online' || connectivity === 'checking')
  }

  /** The outbox's view of the platform, sending through the station's API as this session. */
  private outbox(): OutboxPlatform {
    const { deps } = this
    return {
      db: deps.db,
      clock: deps.clock,
      random: deps.random,
      makeKey: deps.makeKey,
      locks: deps.locks,
      send: async (entry) => {
        const answer = await sendEntry(deps.api, deps.session.token() ?? '', deps.session.deviceId(), entry)
        deps.onAnswer?.(entry, answer)
        return answer
      },
      sendBatch: async (entries: StatusEntry[]) => {
        const answers = await deps.api.sendChanges(
          deps.session.token() ?? '',
          entries.map((entry) => ({ order_id: entry.order_id, key: entry.key, body: entry.body })),
          deps.session.deviceId(),
        )
        if (Array.isArray(answers)) for (const [i, answer] of answers.entries()) deps.onAnswer?.(entries[i] as StatusEntry, answer)
        return answers
      },
    }
  }

  /** Sends what is waiting; reschedules itself for changes in backoff. */
  drain(): Promise<void> {
    if (this.draining) {
      // A change queued while a drain is on its last round would wait for the next trigger (up to
      // a minute): one more round follows this one instead.
      this.drainAgain = true
      return this.draining
    }
    this.drainAgain = false
    clearTimeout(this.drainTimer)
    const { deps } = this
    this.draining = (async () => {
      // While the station does not answer, a send cannot succeed: no attempt is made (or counted
      // into the backoff); the probe that finds the station again drains.
      if (!deps.session.token() || !this.canSend()) return
      const result = await drainOutbox(this.outbox())
      if (result.sent > 0) await setMeta('last_sync_at', new Date(deps.clock()).toISOString(), deps.db)
      if (result.needsSignIn) {
        await deps.session.expired()
        if (deps.session.token() && !this.stopped) this.drainTimer = setTimeout(() => void this.drain(), 1000)
        return
      }
      const wait = result.busyElsewhere ? 2000 : result.nextAt === null ? null : Math.max(0, result.nextAt - deps.clock())
      // stop() may have come while the drain was sending.
      if (wait !== null && !this.stopped) this.drainTimer = setTimeout(() => void this.drain(), wait)
    })()
      .catch((error: unknown) => {
        // The database went away (the app is closing): nothing to report. Anything else is shown;
        // the changes stay in the outbox for the next drain.
        if (isClosing(error)) return
        this.set({ lastError: { kind: 'send-failed', detail: (error as Error).message } })
      })
      .finally(() => {
        this.draining = null
        if (this.drainAgain) void this.drain()
      })
    return this.draining
  }

  /** Changes in backoff are due now: a person pressed Refresh, or the Wi-Fi came back. */
  async sendNow(): Promise<void> {
    await retryNow(this.deps.db)
    await this.drain()
  }

  /** Pulls the station's orders and products into the tablet. */
  async pull(): Promise<void> {
    const token = this.deps.session.token()
    if (token) await pullAll(this.deps.db, this.deps.api, token)
  }

  /**
   * Pulls from the station, warms photos, sends the outbox. `now`: a person pressed Refresh, or
   * the Wi-Fi just came back: changes in backoff are tried at once instead of at their next turn.
   */
  async refresh(options: { now?: boolean } = {}): Promise<void> {
    const { deps } = this
    const token = deps.session.token()
    if (!token) return
    if (options.now) {
      await retryNow(deps.db)
      void this.reachability.probeNow()
    }
    if (this.current.syncing) {
      // A hint that arrives mid-pull may be about something this pull has already passed.
      this.refreshAgain = true
      return
    }
    this.set({ syncing: true })
    try {
      await this.drain()
      await pullAll(deps.db, deps.api, token)
      await this.pullSettings(token)
      await this.refreshWaitingLabels()
      this.set({ health: await deps.api.health().catch(() => this.current.health), lastError: null })
      await setMeta('last_sync_at', new Date(deps.clock()).toISOString(), deps.db)
      if (deps.warmPhotos !== false) void this.warm()
    } catch (error) {
      if (error instanceof ApiError && error.answer.status === 401) {
        await deps.session.expired()
      } else if (isQuotaError(error)) {
        await evictPhotos()
        this.set({ lastError: { kind: 'storage-full' } })
      } else if (error instanceof ApiError && error.answer.status === 0) {
        // No answer: the connectivity pill says so already, and the probe finds the station again.
        this.set({ lastError: null })
      } else if (error instanceof ApiError) {
        const code = (error.answer.body as { code?: unknown } | null)?.code
        this.set({ lastError: { kind: 'station', detail: error.message, ...(typeof code === 'string' ? { code } : {}) } })
      } else if (!isClosing(error)) {
        this.set({ lastError: { kind: 'sync-failed', detail: (error as Error).message } })
      }
    } finally {
      this.set({ syncing: false, storage: deps.warmPhotos === false ? null : await estimateStorage().catch(() => null) })
    }
    if (this.refreshAgain) {
      this.refreshAgain = false
      await this.refresh()
    }
  }

  private async warm(): Promise<void> {
    const urls = await photoUrlsOfOrders(this.deps.db)
    await warmPhotos(urls, { fetch: this.deps.fetch, caches: this.deps.caches }, (done, total) => {
      this.set({ photoProgress: total === 0 ? null : { done, total } })
    })
  }

  async changeStatus(orderId: number, change: OutboxChange): Promise<Refusal | null> {
    const refusal = await enqueueStatusChange(this.outbox(), orderId, change, this.deps.session.userName())
    if (!refusal) void this.drain()
    return refusal
  }

  /** Claims the order for this packer (provisional until the station answers). */
  async claim(orderId: number): Promise<void> {
    try {
      await enqueueClaim(this.outbox(), orderId, this.deps.session.userName(), this.deps.session.deviceId())
    } catch (error) {
      if (isClosing(error)) return
      throw error
    }
    void this.drain()
  }

  /** Lets go of this packer's claim on the order (offline too: it waits in the outbox). */
  async unclaim(orderId: number): Promise<void> {
    try {
      await enqueueUnclaim(this.outbox(), orderId, this.deps.session.userName())
    } catch (error) {
      // Leaving the screen as the app closes: the claim lapses on the station by itself.
      if (isClosing(error)) return
      throw error
    }
    void this.drain()
  }

  /** Reports a problem with the order (a short pick), or clears it with null. */
  async flag(orderId: number, problem: { reason: FlagReason; sku: string | null; note: string | null } | null): Promise<void> {
    await enqueueFlag(this.outbox(), orderId, problem, this.deps.session.userName(), this.deps.session.deviceId())
    void this.drain()
  }

  /** Writes, changes (`text`) or deletes (`text` null) a note on the order; offline it waits in the outbox. */
  async note(orderId: number, note: NoteChange): Promise<void> {
    await enqueueNote(this.outbox(), orderId, note, this.deps.session.userName(), this.deps.session.deviceId())
    void this.drain()
  }

  /** Asks for MALL Delivery labels; offline the request waits in the outbox. */
  async requestLabels(orderId: number, request: LabelsRequest): Promise<void> {
    await enqueueLabels(this.outbox(), orderId, request, this.deps.session.userName())
    void this.drain()
  }

  /**
   * Reads the order's labels from the station when it has them and this tablet does not (they
   * were asked for on another tablet, or the station was waiting for the marketplace). Offline
   * or without labels, the tablet keeps what it has.
   */
  async fetchLabels(orderId: number): Promise<void> {
    const { db, api, session, clock } = this.deps
    const token = session.token()
    if (!token || !this.canSend()) return
    const local = await db.labels.get(orderId)
    if (local && local.state !== 'waiting') return
    const answer = await api.labels(token, orderId)
    const body = answer.body as Partial<LocalLabels> | null
    if (answer.status !== 200 || !body || typeof body.labels_raw !== 'string') return
    // Asked again on this tablet meanwhile: that request stands.
    if ((await db.labels.get(orderId))?.state === 'queued') return
    await db.labels.put({
      order_id: orderId,
      state: 'ready',
      labels_type: body.labels_type === 'zpl' ? 'zpl' : 'pdf',
      parcel_count: Number(body.parcel_count ?? 1),
      labels_raw: body.labels_raw,
      barcodes: Array.isArray(body.barcodes) ? body.barcodes : [],
      requested_at: local?.requested_at ?? new Date(clock()).toISOString(),
    })
  }

  private async refreshWaitingLabels(): Promise<void> {
    const waitingIds = (await this.deps.db.labels.where('state').equals('waiting').primaryKeys()) as number[]
    for (const id of waitingIds) await this.fetchLabels(id).catch(() => undefined)
  }

  /** The station's settings (seller, carriers, printers), kept for offline use. */
  private async pullSettings(token: string): Promise<void> {
    try {
      await setMeta('station_settings', await this.deps.api.settings(token), this.deps.db)
    } catch {
      // An older station or a passing failure: the settings kept from before stand.
    }
  }

  /** Drops a refused change (and the changes of its order built on it). */
  async discard(seq: number): Promise<void> {
    const { db, api, session } = this.deps
    const entry = await db.outbox.get(seq)
    await discardConflict(db, seq)
    // Without the station's order in the refusal, the tablet still shows the discarded change:
    // read the order as the station has it now.
    const token = session.token()
    if (entry && !entry.conflict?.order && token) {
      try {
        const { order } = await api.order(token, entry.order_id)
        await writeOrdersPage(db, { orders: [order], cursor: (await getMeta('orders_cursor', null, db)) ?? '0', more: false }, false)
      } catch {
        // Offline: the next pull brings it.
      }
    }
  }

  /** Makes a refused change again on the order as the station has it now. */
  async reapply(seq: number): Promise<Refusal | null> {
    const refusal = await reapplyConflict(this.outbox(), seq, this.deps.session.userName())
    if (!refusal) void this.drain()
    return refusal
  }

  /** The browser said the network came or went. */
  networkChanged(): void {
    this.reachability.networkChanged()
  }

  /** Starts the background work: judging reachability, and a refresh every minute. */
  start(options: { refreshEveryMs?: number | null } = {}): void {
    if (this.started) return
    this.started = true
    this.stopped = false
    this.observeAnswers()
    this.reachability.start()
    const every = options.refreshEveryMs === undefined ? REFRESH_EVERY_MS : options.refreshEveryMs
    if (every !== null) this.refreshTimer = setInterval(() => void this.refresh(), every)
  }

  /** The person signed in or out: the station's event stream follows, and a signed-in tablet pulls. */
  sessionChanged(): void {
    this.events?.close()
    this.events = null
    const token = this.deps.session.token()
    if (!token) return
    void this.refresh()
    if (!this.deps.openEvents) return
    const events = this.deps.openEvents(`/api/events?access_token=${encodeURIComponent(token)}`)
    events.addEventListener('orders', () => void this.refresh())
    events.addEventListener('products', () => void this.refresh())
    // The stream's hello and heartbeat are answers from the station; its error is a doubt.
    events.addEventListener('hello', () => this.reachability.answered())
    events.addEventListener('ping', () => this.reachability.answered())
    events.addEventListener('error', () => void this.reachability.probeNow())
    this.events = events
  }

  /** Stops the background work; what is being sent finishes. */
  async stop(): Promise<void> {
    this.started = false
    this.stopped = true
    this.events?.close()
    this.events = null
    clearInterval(this.refreshTimer)
    clearTimeout(this.drainTimer)
    this.reachability.stop()
    this.unobserve?.()
    this.unobserve = null
    await this.draining
  }
}
