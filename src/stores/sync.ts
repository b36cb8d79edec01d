import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import { usePlatform } from '@/app/platform'
import { useLiveQuery } from '@/composables/useLiveQuery'
import { useOnline } from '@/composables/useOnline'
import { getMeta, type OutboxEntry } from '@/db/schema'
import { SyncEngine, type SyncError } from '@/services/sync/engine'
import { t } from '@/i18n'
import { conflictSentence } from '@/i18n/sentences'
import { useSessionStore } from './session'

/** The status bar's sentence for why the last sync did not go through, in the reader's language. */
function describeSyncError(error: SyncError | null): string | null {
  if (!error) return null
  switch (error.kind) {
    case 'send-failed':
      return t('sync.sendFailed', { reason: error.detail })
    case 'storage-full':
      return t('sync.storageFull')
    case 'sync-failed':
      return t('sync.syncFailed', { reason: error.detail })
    case 'station':
      return error.code ? conflictSentence({ code: error.code, message: error.detail }) : error.detail
  }
}

/**
 * The tablet's connection to the station, for the screens: a thin face over the framework-free
 * `SyncEngine` (src/services/sync/engine.ts), which pulls, sends the outbox, warms photos and
 * judges reachability. The store adds what the status bar reads from the tablet's database (the
 * changes waiting, the conflicts, the last successful sync).
 */
export const useSyncStore = defineStore('sync', () => {
  const platform = usePlatform()
  const session = useSessionStore()
  // What the browser says of the device's network; the station's own reachability is the engine's.
  const networkUp = useOnline()
  const engine = new SyncEngine({
    ...platform,
    networkUp: () => networkUp.value,
    session: {
      token: () => session.token,
      deviceId: () => session.deviceId,
      userName: () => session.user?.name ?? 'unknown',
      expired: async () => {
        session.markExpired()
        await session.signOut()
      },
    },
  })
  const state = shallowRef(engine.state)
  engine.subscribe((next) => (state.value = next))

  const connectivity = computed(() => state.value.connectivity)
  /** The station answered recently. */
  const online = computed(() => connectivity.value === 'online')
  const health = computed(() => state.value.health)
  const syncing = computed(() => state.value.syncing)
  const lastError = computed(() => describeSyncError(state.value.lastError))
  const photoProgress = computed(() => state.value.photoProgress)
  const storage = computed(() => state.value.storage)

  // null until the outbox is first read: until then the status bar claims nothing about it.
  const outbox = useLiveQuery<OutboxEntry[] | null>(() => platform.db.outbox.toArray(), null)
  const outboxRead = computed(() => outbox.value !== null)
  const lastSyncAt = useLiveQuery(() => getMeta('last_sync_at', null, platform.db), null)
  // Every change that waits, claims included: "All changes synced" must be true.
  const waiting = computed(() => (outbox.value ?? []).filter((entry) => entry.state !== 'conflict').length)
  const conflicts = computed(() => (outbox.value ?? []).filter((entry) => entry.state === 'conflict'))

  let started = false
  /** Starts the background work once signed in: pull now, on `online`, on the station's hints and every minute. */
  function start(): void {
    if (started) return
    started = true
    watch(networkUp, () => engine.networkChanged())
    engine.start()
    watch(() => session.token, () => engine.sessionChanged(), { immediate: true })
  }

  function stop(): void {
    started = false
    void engine.stop()
  }

  return {
    online,
    connectivity,
    health,
    outboxRead,
    syncing,
    lastError,
    lastSyncAt,
    waiting,
    conflicts,
    photoProgress,
    storage,
    refresh: engine.refresh.bind(engine),
    drain: engine.drain.bind(engine),
    changeStatus: engine.changeStatus.bind(engine),
    claim: engine.claim.bind(engine),
    unclaim: engine.unclaim.bind(engine),
    flag: engine.flag.bind(engine),
    note: engine.note.bind(engine),
    requestLabels: engine.requestLabels.bind(engine),
    fetchLabels: engine.fetchLabels.bind(engine),
    discard: engine.discard.bind(engine),
    reapply: engine.reapply.bind(engine),
    start,
    stop,
  }
})
