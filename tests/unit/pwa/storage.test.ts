import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { estimateStorage, evictPhotos, formatBytes, isQuotaError, requestPersistence } from '../../../src/services/storage.ts'
import { PHOTO_CACHE } from '../../../src/services/sync/photos.ts'

/** A full disk is recognised however IndexedDB reports it; photos go first, the outbox never does. */

describe('isQuotaError', () => {
  it('recognises the browser’s DOMException QuotaExceededError', () => {
    expect(isQuotaError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe(true)
  })

  it('recognises Dexie’s own QuotaExceededError', () => {
    expect(isQuotaError(new Dexie.QuotaExceededError('disk full'))).toBe(true)
  })

  it('recognises a Dexie error with the quota error inside (an aborted transaction)', () => {
    const inner = new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    const aborted = new Dexie.AbortError('Transaction aborted', inner)
    expect(aborted.name).toBe('AbortError')
    expect(isQuotaError(aborted)).toBe(true)
    // Wrapped twice (a bulk write inside a transaction).
    expect(isQuotaError(new Dexie.AbortError('Transaction aborted', aborted))).toBe(true)
  })

  it('is not fooled by other errors', () => {
    expect(isQuotaError(new Dexie.AbortError('Transaction aborted'))).toBe(false)
    expect(isQuotaError(new Dexie.AbortError('Transaction aborted', new DOMException('x', 'ConstraintError')))).toBe(false)
    expect(isQuotaError(new DOMException('Version change', 'VersionError'))).toBe(false)
    expect(isQuotaError(new TypeError('Failed to fetch'))).toBe(false)
    expect(isQuotaError(null)).toBe(false)
    expect(isQuotaError(undefined)).toBe(false)
    expect(isQuotaError('QuotaExceededError')).toBe(false)
  })

  it('does not loop on an error that contains itself', () => {
    const error = new Error('odd') as Error & { inner?: unknown }
    error.inner = error
    expect(isQuotaError(error)).toBe(false)
  })
})

describe('evictPhotos', () => {
  it('drops the photo cache and nothing else', async () => {
    const deleted: string[] = []
    const caches = {
      async delete(name: string) {
        deleted.push(name)
        return true
      },
    }
    expect(await evictPhotos(caches)).toBe(true)
    expect(deleted).toEqual([PHOTO_CACHE])
  })

  it('without Cache Storage there is nothing to drop', async () => {
    expect(await evictPhotos(undefined)).toBe(false)
  })
})

describe('persistence and estimate', () => {
  const storage = (persisted: boolean, grant: boolean) => {
    const calls: string[] = []
    const manager = {
      async persisted() {
        calls.push('persisted')
        return persisted
      },
      async persist() {
        calls.push('persist')
        return grant
      },
      async estimate() {
        return { usage: 5 * 1024 * 1024, quota: 2 * 1024 * 1024 * 1024 }
      },
    }
    return { manager: manager as unknown as StorageManager, calls }
  }

  it('asks for persistent storage only when it is not persistent yet', async () => {
    const already = storage(true, false)
    expect(await requestPersistence(already.manager)).toBe(true)
    expect(already.calls).toEqual(['persisted'])

    const refused = storage(false, false)
    expect(await requestPersistence(refused.manager)).toBe(false)
    expect(refused.calls).toEqual(['persisted', 'persist'])
  })

  it('reports usage and quota, or null without the API', async () => {
    expect(await estimateStorage(storage(true, true).manager)).toEqual({ usedBytes: 5 * 1024 * 1024, quotaBytes: 2 * 1024 * 1024 * 1024, persisted: true })
    expect(await estimateStorage(undefined)).toBeNull()
    expect(await requestPersistence(undefined)).toBe(false)
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB')
  })
})
