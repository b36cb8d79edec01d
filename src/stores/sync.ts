import { defineStore } from 'pinia'
import { t } from '@/i18n'
import { errorSentence } from '@/i18n/sentences'
import { computed, ref, shallowRef, watch } from 'vue'
import { usePlatform } from '@/app/platform'
import { useLiveQuery } from '@/composables/useLiveQuery'
import { useOnline } from '@/composables/useOnline'
import { getMeta, setMeta, type LabelsRequest, type LocalLabels, type OutboxChange, type OutboxEntry, type StatusEntry } from '@/db/schema'
import type { FlagReason, StationHealth } from '#core/station-api.ts'
import type { Refusal } from '#core/status.ts'
import { ApiError } from '@/services/api/client'
import { discardConflict, drainOutbox, enqueueClaim, enqueueFlag, enqueueUnclaim, enqueueLabels, enqueueStatusChange, reapplyConflict, retryNow } from '@/services/outbox/outbox'
import { estimateStorage, evictPhotos, isQuotaError, type StorageEstimateView } from '@/services/storage'
import { photoUrlsOfOrders, warmPhotos } from '@/services/sync/photos'
import { StationReachability, type Connectivity } from '@/services/sync/reachability'
import { pullAll, writeOrdersPage } from '@/services/sync/pull'
import { useSessionStore } from './session'

const REFRESH_EVERY_MS = 60_000

/**
 * The tablet's connection to the station: pulling, sending the outbox, warming photos, and what
 * the status bar shows (online, changes waiting, last successful sync, conflicts, storage).
 */
export const useSyncStore = defineStore('sync', () => {
  const platform = usePlatform()
  const session = useSessionStore()
  // What the browser says of the device's network; the station's own reachability is below.
  const networkUp = useOnline()
  /** The station's last word on the marketplace (`/api/health`), null until heard. */
  const health = shallowRef<StationHealth | null>(null)
  const reachability = new StationReachability({
    clock: () => Date.now(),
    networkUp: () => networkUp.value,
    probe: async () => {
      try {
        health.value = await platform.api.health()
        return true
      } catch (error) {
        // An answer that is not 2xx still came from the station.
        return error instanceof ApiError && error.answer.status !== 0
      }
    },
    setTimer: (run, ms) => setTimeout(run, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  })
  const connectivity = ref<Connectivity>(reachability.state)
  /** The station answered recently. */
  const online = computed(() => connectivity.value === 'online')
  /**
   * Whether a send may succeed: not while the device has no network, nor while the station is
   * known not to answer (the probe that finds it again drains). Before the first answer a send is
   * tried: it is as good a probe as any.
   */
  const canSend = computed(() => networkUp.value && (connectivity.value === 'online' || connectivity.value === 'checking'))
  reachability.subscribe((state, previous) => {
    connectivity.value = state
    // The station answers again: what waits on the tablet goes now, whether or not the browser
    // ever said it was offline.
    if (state !== 'online') return
    if (previous === 'checking') void drain()
    else void refresh({ now: true })
  })
  platform.api.observe?.((reached, startedAt) => (reached ? reachability.answered() : reachability.failed(startedAt)))
  const syncing = ref(false)
  const lastError = ref<string | null>(null)
  const photoProgress = shallowRef<{ done: number; total: number } | null>(null)
  const storage = shallowRef<StorageEstimateView | null>(null)

  // null until the outbox is first read: until then the status bar claims nothing about it.
  const outbox = useLiveQuery<OutboxEntry[] | null>(() => platform.db.outbox.toArray(), null)
  const outboxRead = computed(() => outbox.value !== null)
  const lastSyncAt = useLiveQuery(() => getMeta('last_sync_at', null, platform.db), null)
  // Every change that waits, claims included: "All changes synced" must be true.
  const waiting = computed(() => (outbox.value ?? []).filter((entry) => entry.state !== 'conflict').length)
  const conflicts = computed(() => (outbox.value ?? []).filter((entry) => entry.state === 'conflict'))

  let drainTimer: ReturnType<typeof setTimeout> | undefined
  let draining: Promise<void> | null = null

  function deps() {
    return {
      db: platform.db,
      clock: platform.clock,
      random: platform.random,
      makeKey: platform.makeKey,
      locks: platform.locks,
      sendBatch: (entries: StatusEntry[]) =>
        platform.api.sendChanges(session.token ?? '', entries.map((entry) => ({ order_id: entry.order_id, key: entry.key, body: entry.body })), session.deviceId),
      send: (entry: OutboxEntry) => {
        const token = session.token ?? ''
        switch (entry.kind) {
          case 'claim':
            return platform.api.claim(token, entry.order_id, entry.key, session.deviceId)
          case 'unclaim':
            return platform.api.unclaim(token, entry.order_id, entry.key, session.deviceId)
          case 'flag':
            return platform.api.flag(token, entry.order_id, { reason: entry.flag.reason, ...(entry.flag.sku ? { sku: entry.flag.sku } : {}), ...(entry.flag.note ? { note: entry.flag.note } : {}) }, entry.key, session.deviceId)
          case 'unflag':
            return platform.api.unflag(token, entry.order_id, entry.key, session.deviceId)
          case 'labels':
            return platform.api.requestLabels(token, entry.order_id, entry.labels, entry.key, session.deviceId)
          case 'status':
            return platform.api.changeStatus(token, entry.order_id, entry.body, entry.key, session.deviceId)
        }
      },
    }
  }

  /** Sends what is waiting; reschedules itself for changes in backoff. */
  let drainAgain = false
  function drain(): Promise<void> {
    if (draining) {
      // A change queued while a drain is on its last round would wait for the next trigger (up to
      // a minute): one more round follows this one instead.
      drainAgain = true
      return draining
    }
    drainAgain = false
    clearTimeout(drainTimer)
    draining = (async () => {
      // While the station does not answer, a send cannot succeed: no attempt is made (or counted
      // into the backoff); the probe that finds the station again drains.
      if (!session.token || !canSend.value) return
      const result = await drainOutbox(deps())
      if (result.sent > 0) await setMeta('last_sync_at', new Date(platform.clock()).toISOString(), platform.db)
      if (result.needsSignIn) {
        session.markExpired()
        await session.signOut()
        return
      }
      const wait = result.busyElsewhere ? 2000 : result.nextAt === null ? null : Math.max(0, result.nextAt - platform.clock())
      if (wait !== null) drainTimer = setTimeout(() => void drain(), wait)
    })()
      .catch((error: unknown) => {
        // The database went away (the app is closing): nothing to report. Anything else is shown;
        // the changes stay in the outbox for the next drain.
        if ((error as { name?: string }).name === 'DatabaseClosedError') return
        lastError.value = t('sync.sendFailed', { reason: (error as Error).message })
      })
      .finally(() => {
        draining = null
        if (drainAgain) void drain()
      })
    return draining
  }

  /**
   * Pulls from the station, warms photos, sends the outbox. `now`: a person pressed Refresh, or
   * the Wi-Fi just came back: changes in backoff are tried at once instead of at their next turn.
   */
  let refreshAgain = false
  async function refresh(options: { now?: boolean } = {}): Promise<void> {
    if (!session.token) return
    if (options.now) {
      await retryNow(platform.db)
      void reachability.probeNow()
    }
    if (syncing.value) {
      // A hint that arrives mid-pull may be about something this pull has already passed.
      refreshAgain = true
      return
    }
    syncing.value = true
    try {
      await drain()
      await pullAll(platform.db, platform.api, session.token)
      await pullSettings(session.token)
      await refreshWaitingLabels()
      health.value = await platform.api.health().catch(() => health.value)
      lastError.value = null
      await setMeta('last_sync_at', new Date(platform.clock()).toISOString(), platform.db)
      void warm()
    } catch (error) {
      if (error instanceof ApiError && error.answer.status === 401) {
        session.markExpired()
        await session.signOut()
      } else if (isQuotaError(error)) {
        await evictPhotos()
        lastError.value = t('sync.storageFull')
      } else if (error instanceof ApiError && error.answer.status === 0) {
        // No answer: the connectivity pill says so already, and the probe finds the station again.
        lastError.value = null
      } else {
        lastError.value = error instanceof ApiError ? errorSentence(error) : t('sync.syncFailed', { reason: (error as Error).message })
      }
    } finally {
      syncing.value = false
      storage.value = await estimateStorage().catch(() => null)
    }
    if (refreshAgain) {
      refreshAgain = false
      await refresh()
    }
  }

  async function warm(): Promise<void> {
    const urls = await photoUrlsOfOrders(platform.db)
    await warmPhotos(urls, { fetch: platform.fetch, caches: platform.caches }, (done, total) => {
      photoProgress.value = total === 0 ? null : { done, total }
    })
  }

  async function changeStatus(orderId: number, change: OutboxChange): Promise<Refusal | null> {
    const refusal = await enqueueStatusChange(deps(), orderId, change, session.user?.name ?? 'unknown')
    if (!refusal) void drain()
    return refusal
  }

  /** Claims the order for this packer (provisional until the station answers). */
  async function claim(orderId: number): Promise<void> {
    try {
      await enqueueClaim(deps(), orderId, session.user?.name ?? 'unknown', session.deviceId)
    } catch (error) {
      if ((error as { name?: string }).name === 'DatabaseClosedError') return
      throw error
    }
    void drain()
  }

  /** Lets go of this packer's claim on the order (offline too: it waits in the outbox). */
  async function unclaim(orderId: number): Promise<void> {
    try {
      await enqueueUnclaim(deps(), orderId, session.user?.name ?? 'unknown')
    } catch (error) {
      // Leaving the screen as the app closes: the claim lapses on the station by itself.
      if ((error as { name?: string }).name === 'DatabaseClosedError') return
      throw error
    }
    void drain()
  }

  /** Reports a problem with the order (a short pick), or clears it with null. */
  async function flag(orderId: number, problem: { reason: FlagReason; sku: string | null; note: string | null } | null): Promise<void> {
    await enqueueFlag(deps(), orderId, problem, session.user?.name ?? 'unknown', session.deviceId)
    void drain()
  }

  /** Asks for MALL Delivery labels; offline the request waits in the outbox. */
  async function requestLabels(orderId: number, request: LabelsRequest): Promise<void> {
    await enqueueLabels(deps(), orderId, request, session.user?.name ?? 'unknown')
    void drain()
  }

  /**
   * Reads the order's labels from the station when it has them and this tablet does not (they
   * were asked for on another tablet, or the station was waiting for the marketplace). Offline
   * or without labels, the tablet keeps what it has.
   */
  async function fetchLabels(orderId: number): Promise<void> {
    if (!session.token || !canSend.value) return
    const local = await platform.db.labels.get(orderId)
    if (local && local.state !== 'waiting') return
    const answer = await platform.api.labels(session.token, orderId)
    const body = answer.body as Partial<LocalLabels> | null
    if (answer.status !== 200 || !body || typeof body.labels_raw !== 'string') return
    // Asked again on this tablet meanwhile: that request stands.
    if ((await platform.db.labels.get(orderId))?.state === 'queued') return
    await platform.db.labels.put({
      order_id: orderId,
      state: 'ready',
      labels_type: body.labels_type === 'zpl' ? 'zpl' : 'pdf',
      parcel_count: Number(body.parcel_count ?? 1),
      labels_raw: body.labels_raw,
      barcodes: Array.isArray(body.barcodes) ? body.barcodes : [],
      requested_at: local?.requested_at ?? new Date(platform.clock()).toISOString(),
    })
  }

  async function refreshWaitingLabels(): Promise<void> {
    const waitingIds = (await platform.db.labels.where('state').equals('waiting').primaryKeys()) as number[]
    for (const id of waitingIds) await fetchLabels(id).catch(() => undefined)
  }

  /** The station's settings (seller, carriers, printers), kept for offline use. */
  async function pullSettings(token: string): Promise<void> {
    try {
      await setMeta('station_settings', await platform.api.settings(token), platform.db)
    } catch {
      // An older station or a passing failure: the settings kept from before stand.
    }
  }

  async function discard(seq: number): Promise<void> {
    const entry = await platform.db.outbox.get(seq)
    await discardConflict(platform.db, seq)
    // Without the station's order in the refusal, the tablet still shows the discarded change:
    // read the order as the station has it now.
    if (entry && !entry.conflict?.order && session.token) {
      try {
        const { order } = await platform.api.order(session.token, entry.order_id)
        await writeOrdersPage(platform.db, { orders: [order], cursor: (await getMeta('orders_cursor', null, platform.db)) ?? '0', more: false }, false)
      } catch {
        // Offline: the next pull brings it.
      }
    }
  }

  async function reapply(seq: number): Promise<Refusal | null> {
    const refusal = await reapplyConflict(deps(), seq, session.user?.name ?? 'unknown')
    if (!refusal) void drain()
    return refusal
  }

  let started = false
  let events: EventSource | null = null
  let refreshTimer: ReturnType<typeof setInterval> | undefined

  /** Starts the background work once signed in: pull now, on `online`, on the station's hints and every minute. */
  function start(): void {
    if (started) return
    started = true
    watch(networkUp, () => reachability.networkChanged())
    reachability.start()
    watch(
      () => session.token,
      (token) => {
        events?.close()
        events = null
        if (!token) return
        void refresh()
        if (platform.openEvents) {
          events = platform.openEvents(`/api/events?access_token=${encodeURIComponent(token)}`)
          events.addEventListener('orders', () => void refresh())
          events.addEventListener('products', () => void refresh())
          // The stream's hello and heartbeat are answers from the station; its error is a doubt.
          events.addEventListener('hello', () => reachability.answered())
          events.addEventListener('ping', () => reachability.answered())
          events.addEventListener('error', () => void reachability.probeNow())
        }
      },
      { immediate: true },
    )
    refreshTimer = setInterval(() => void refresh(), REFRESH_EVERY_MS)
  }

  function stop(): void {
    events?.close()
    clearInterval(refreshTimer)
    clearTimeout(drainTimer)
    reachability.stop()
    started = false
  }

  return { online, connectivity, health, outboxRead, syncing, lastError, lastSyncAt, waiting, conflicts, photoProgress, storage, refresh, drain, changeStatus, claim, unclaim, flag, requestLabels, fetchLabels, discard, reapply, start, stop }
})
