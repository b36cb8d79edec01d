// @vitest-environment jsdom
// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PickingDatabase } from '@/db/schema'
import { toLocalOrder } from '@/services/outbox/outbox'
import { useSessionStore } from '@/stores/session'
import { useSyncStore } from '@/stores/sync'
import { stationAfter, stationOrder } from '../unit/pwa/fixtures'
import { freshDatabase, signInOn, usePlatform } from './support/tablet'

/**
 * The sync store's drain: a change queued while a drain is on its way goes in that drain's wake,
 * not a minute later at the next refresh. (The packer's first scan sends the claim; the last scan,
 * a moment later, queues the packing, and it goes in a batch behind the claim.)
 */

const ORDER = 10085339302

let db: PickingDatabase
let requests: string[]
let releaseClaim: () => void

beforeEach(async () => {
  db = freshDatabase()
  requests = []
  const order = stationOrder({ id: ORDER })
  const claimAnswered = new Promise<void>((resolve) => (releaseClaim = resolve))
  // The station: slow to answer the claim; takes the packing in a batch.
  const station: typeof fetch = async (input, init) => {
    const url = String(input)
    requests.push(`${init?.method ?? 'GET'} ${url}`)
    if (url.endsWith('/claim')) {
      await claimAnswered
      return new Response(JSON.stringify({ ...order, claim: null }), { status: 200, headers: { 'content-type': 'application/json' } })
    }
    if (url === '/api/changes') {
      const { changes } = JSON.parse(String(init?.body)) as { changes: { key: string; order_id: number; body: { status: 'shipping'; confirmed: true } }[] }
      const results = changes.map((change) => ({ key: change.key, order_id: change.order_id, status: 200, body: stationAfter(order, change.body) }))
      return new Response(JSON.stringify({ results }), { status: 200, headers: { 'content-type': 'application/json' } })
    }
    throw new TypeError('Failed to fetch')
  }
  usePlatform(db, { clock: () => Date.now(), station })
  await db.orders.put(toLocalOrder(order))
  await signInOn(db)
  setActivePinia(createPinia())
  await useSessionStore().load()
})

afterEach(async () => {
  useSyncStore().stop()
  await flushPromises()
  db.close()
  await db.delete()
})

describe('the drain', () => {
  it('sends a change queued while the drain was waiting for the station, without another trigger', async () => {
    const sync = useSyncStore()
    await sync.claim(ORDER)
    await vi.waitFor(() => expect(requests).toContain(`POST /api/orders/${ORDER}/claim`))
    // The last scan packs the order while the claim's answer is still on its way.
    expect(await sync.changeStatus(ORDER, { status: 'shipping', confirmed: true })).toBeNull()
    releaseClaim()
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(0), { timeout: 3000 })
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([`POST /api/orders/${ORDER}/claim`, 'POST /api/changes'])
    expect((await db.orders.get(ORDER))?.status).toBe('shipping')
  })
})
