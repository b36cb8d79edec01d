import type { PickingDatabase } from '@/db/schema'

/**
 * Warms the service worker's photo cache: every photo of every order on the tablet is fetched
 * once while online, so the pick screens show them offline. Photos already cached are skipped.
 */

export const PHOTO_CACHE = 'product-photos-v1'

export interface PhotoWarmPlatform {
  fetch: typeof fetch
  /** `caches`, or null where the browser has none (then everything is fetched). */
  caches: Pick<CacheStorage, 'open'> | null
}

export async function photoUrlsOfOrders(db: PickingDatabase): Promise<string[]> {
  const skus = new Set<string>()
  await db.orders.each((order) => {
    for (const item of order.items) skus.add(item.id)
  })
  const products = await db.products.bulkGet([...skus])
  const urls = new Set<string>()
  for (const product of products) if (product?.photo_url) urls.add(product.photo_url)
  return [...urls]
}

export async function warmPhotos(
  urls: readonly string[],
  platform: PhotoWarmPlatform,
  onProgress: (done: number, total: number) => void,
  concurrency = 4,
): Promise<{ fetched: number; failed: number }> {
  const cache = platform.caches ? await platform.caches.open(PHOTO_CACHE) : null
  const missing: string[] = []
  for (const url of urls) if (!cache || !(await cache.match(url))) missing.push(url)
  let done = 0
  let fetched = 0
  let failed = 0
  let next = 0
  onProgress(0, missing.length)
  const worker = async () => {
    while (next < missing.length) {
      const url = missing[next++] as string
      try {
        // The service worker answers and stores it (cache first); without one, the HTTP cache does.
        const response = await platform.fetch(url)
        if (response.ok) fetched++
        else failed++
        // A page the service worker does not control yet (a first visit, until the worker claims
        // it) fetches past the worker: store the photo here, as the worker's route would.
        if (cache && response.status === 200) await cache.put(url, response.clone())
        await response.arrayBuffer().catch(() => undefined)
      } catch {
        failed++
      }
      onProgress(++done, missing.length)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { fetched, failed }
}
