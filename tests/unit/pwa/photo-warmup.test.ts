import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { LocalProduct, PickingDatabase } from '../../../src/db/schema.ts'
import { PHOTO_CACHE, photoUrlsOfOrders, warmPhotos, type PhotoWarmPlatform } from '../../../src/services/sync/photos.ts'
import { freshDatabase, putOrders, stationOrder } from './fixtures.ts'

/** After a pull, the photos of the orders on the tablet are fetched once so the pick screens show them offline. */

const photo = (n: number) => `/photos/${n}.webp`

/** The photo cache as the service worker fills it. */
function fakeCaches(cached: string[]) {
  const stored = new Set(cached)
  const opened: string[] = []
  const cache = {
    async match(request: RequestInfo | URL) {
      return stored.has(String(request)) ? new Response('cached') : undefined
    },
    async put(request: RequestInfo | URL) {
      stored.add(String(request))
    },
  }
  const caches = {
    async open(name: string) {
      opened.push(name)
      return cache as unknown as Cache
    },
  }
  return { caches, opened }
}

/** A network where some photos are missing (404) and some requests fail outright. */
function fakeNetwork(outcomes: Record<string, number | 'offline'> = {}) {
  const requested: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  const fetch = (async (input: string | URL | Request) => {
    const url = String(input)
    requested.push(url)
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    try {
      await new Promise((r) => setTimeout(r, 1))
      const outcome = outcomes[url] ?? 200
      if (outcome === 'offline') throw new TypeError('Failed to fetch')
      return new Response(outcome === 200 ? 'image bytes' : 'not found', { status: outcome })
    } finally {
      inFlight--
    }
  }) as typeof globalThis.fetch
  return { fetch, requested, maxInFlight: () => maxInFlight }
}

describe('warmPhotos', () => {
  it('fetches only the photos not cached yet, and reports progress to the end', async () => {
    const { caches, opened } = fakeCaches([photo(2), photo(4)])
    const network = fakeNetwork()
    const progress: [number, number][] = []

    const result = await warmPhotos([1, 2, 3, 4, 5].map(photo), { fetch: network.fetch, caches }, (done, total) => progress.push([done, total]))

    expect(result).toEqual({ fetched: 3, failed: 0 })
    expect(opened).toEqual([PHOTO_CACHE])
    expect([...network.requested].sort()).toEqual([photo(1), photo(3), photo(5)])
    expect(progress).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ])
  })

  it('counts photos that are missing or could not be fetched as failures, and goes on with the rest', async () => {
    const network = fakeNetwork({ [photo(2)]: 404, [photo(3)]: 'offline', [photo(5)]: 500 })
    const progress: [number, number][] = []

    const result = await warmPhotos([1, 2, 3, 4, 5].map(photo), { fetch: network.fetch, caches: fakeCaches([]).caches }, (done, total) =>
      progress.push([done, total]),
    )

    expect(result).toEqual({ fetched: 2, failed: 3 })
    expect(network.requested).toHaveLength(5)
    expect(progress.at(-1)).toEqual([5, 5])
  })

  it('with every photo cached, fetches nothing and says so', async () => {
    const network = fakeNetwork()
    const progress: [number, number][] = []
    const result = await warmPhotos([photo(1), photo(2)], { fetch: network.fetch, caches: fakeCaches([photo(1), photo(2)]).caches }, (done, total) =>
      progress.push([done, total]),
    )
    expect(result).toEqual({ fetched: 0, failed: 0 })
    expect(network.requested).toEqual([])
    expect(progress).toEqual([[0, 0]])
  })

  it('without Cache Storage fetches every photo', async () => {
    const network = fakeNetwork()
    const result = await warmPhotos([photo(1), photo(2)], { fetch: network.fetch, caches: null }, () => {})
    expect(result).toEqual({ fetched: 2, failed: 0 })
    expect(network.requested).toEqual([photo(1), photo(2)])
  })

  it('keeps at most `concurrency` requests in flight and fetches each photo once', async () => {
    const network = fakeNetwork()
    const urls = Array.from({ length: 20 }, (_, i) => photo(i))
    const result = await warmPhotos(urls, { fetch: network.fetch, caches: null } satisfies PhotoWarmPlatform, () => {}, 3)
    expect(result).toEqual({ fetched: 20, failed: 0 })
    expect(network.maxInFlight()).toBe(3)
    expect([...network.requested].sort()).toEqual([...urls].sort())
  })
})

describe('photoUrlsOfOrders', () => {
  let db: PickingDatabase
  afterEach(async () => {
    await db.delete()
  })

  it('lists each photo of the products in the tablet’s orders once', async () => {
    db = freshDatabase()
    const product = (sku: string, photoUrl: string | null): LocalProduct => ({
      sku,
      title: sku,
      barcodes: [],
      case_barcodes: [],
      photo_url: photoUrl,
      bin_location: null,
      codes: [],
    })
    await db.products.bulkPut([product('KETTLE-17', photo(1)), product('100228', photo(2)), product('NO-PHOTO', null), product('NOT-ORDERED', photo(9))])
    const line = (id: string) => ({ id, article_id: 1, title: id, quantity: 1, price: 1, vat: 21, commission: null, serial_numbers: [] })
    await putOrders(
      db,
      stationOrder({ id: 1, items: [line('KETTLE-17'), line('100228')] }),
      stationOrder({ id: 2, items: [line('KETTLE-17'), line('NO-PHOTO'), line('UNKNOWN')] }),
    )

    expect((await photoUrlsOfOrders(db)).sort()).toEqual([photo(1), photo(2)])
  })
})
