import { db, type PickingDatabase } from '@/db/schema'
import { StationApi } from '@/services/api/client'

/**
 * The pieces of the browser the services use, in one place: production wires the real ones,
 * tests their own (a fake clock, a Dexie on fake-indexeddb, a stubbed fetch).
 */
export interface Platform {
  db: PickingDatabase
  api: StationApi
  locks: Pick<LockManager, 'request'> | null
  clock: () => number
  random: () => number
  makeKey: () => string
  fetch: typeof fetch
  caches: Pick<CacheStorage, 'open' | 'delete'> | null
  /** Opens the station's event stream; null where EventSource is missing. */
  openEvents: ((url: string) => EventSource) | null
}

export function browserPlatform(): Platform {
  return {
    db,
    api: new StationApi(),
    locks: globalThis.navigator?.locks ?? null,
    clock: () => Date.now(),
    random: Math.random,
    makeKey: () => globalThis.crypto.randomUUID(),
    fetch: (input, init) => globalThis.fetch(input, init),
    caches: globalThis.caches ?? null,
    openEvents: typeof EventSource === 'undefined' ? null : (url) => new EventSource(url),
  }
}

let current: Platform | null = null

/** The platform of this app; tests set their own with `setPlatform` before mounting. */
export function usePlatform(): Platform {
  current ??= browserPlatform()
  return current
}

export function setPlatform(platform: Platform): void {
  current = platform
}
