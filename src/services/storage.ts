import { PHOTO_CACHE } from './sync/photos'

/**
 * The device's storage: asked to be persistent so the browser does not evict the outbox, and
 * measured so the packer sees how much is used. When the disk fills up, photos go first; the
 * outbox and unsynced work never do.
 */

export interface StorageEstimateView {
  usedBytes: number
  quotaBytes: number
  persisted: boolean
}

export async function requestPersistence(storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<boolean> {
  if (!storage?.persist) return false
  if (await storage.persisted?.()) return true
  return storage.persist()
}

export async function estimateStorage(storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<StorageEstimateView | null> {
  if (!storage?.estimate) return null
  const estimate = await storage.estimate()
  return { usedBytes: estimate.usage ?? 0, quotaBytes: estimate.quota ?? 0, persisted: (await storage.persisted?.()) ?? false }
}

/** Whether an error (or the error inside a Dexie error) means the disk is full. */
export function isQuotaError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current && depth < 4; depth++) {
    const name = (current as { name?: string }).name
    if (name === 'QuotaExceededError') return true
    current = (current as { inner?: unknown }).inner
  }
  return false
}

/** Frees space by dropping the photo cache; photos come back on the next warm-up. */
export async function evictPhotos(cacheStorage: Pick<CacheStorage, 'delete'> | undefined = globalThis.caches): Promise<boolean> {
  if (!cacheStorage) return false
  return cacheStorage.delete(PHOTO_CACHE)
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`
}
