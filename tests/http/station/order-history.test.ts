import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startStation, type RunningStation } from '../../support/station.ts'
import { changeStatus, newOrder, pullAll, stationReady } from './helpers.ts'

/**
 * The desk's history (`GET /api/orders/history`): every order the station holds, the finished ones
 * that left the working set and test orders included, paged by the delta's cursor.
 */

const DAY_MS = 24 * 60 * 60 * 1000

describe('the order history', () => {
  let running: RunningStation
  let offset = 0
  beforeAll(async () => {
    running = await startStation({ clock: () => Date.now() + offset })
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
  })

  async function history(token: string, since: string | null = null, limit = 5000) {
    const orders: Record<string, unknown>[] = []
    let cursor = since
    for (let pages = 0; pages < 100; pages++) {
      const query = new URLSearchParams({ limit: String(limit) })
      if (cursor !== null) query.set('since', cursor)
      const result = await running.api('GET', `/api/orders/history?${query}`, { token })
      expect(result.status, result.text.slice(0, 300)).toBe(200)
      orders.push(...result.body.orders)
      cursor = result.body.cursor
      if (!result.body.more) break
    }
    return { orders, cursor }
  }

  it('holds an order cancelled long ago and test orders, which the working set leaves out', async () => {
    const token = await running.signIn()
    const cancelled = await newOrder(running, token)
    const test = await newOrder(running, token, { test: true })
    const cancel = await changeStatus(running, token, cancelled.id, { status: 'cancelled', confirmed: true })
    expect(cancel.status, cancel.text.slice(0, 300)).toBe(200)
    await eventually(async () => (await running.api('GET', `/api/orders/${cancelled.id}`, { token })).body?.order?.synced)

    offset = 8 * DAY_MS
    const workingSet = (await pullAll(running, token, null)).orders.map((order) => order.id)
    expect(workingSet).not.toContain(cancelled.id)
    expect(workingSet).not.toContain(test.id)

    const all = await history(token)
    const byId = new Map(all.orders.map((order) => [order.id, order]))
    expect(byId.get(cancelled.id)).toMatchObject({ status: 'cancelled', in_working_set: false })
    expect(byId.get(test.id)).toMatchObject({ test: true })
    expect(all.orders.length).toBeGreaterThan(workingSet.length)

    // Paged, and by cursor: a later change comes alone.
    const paged = await history(token, null, 50)
    expect(paged.orders.map((order) => order.id).sort()).toEqual(all.orders.map((order) => order.id).sort())
    const later = await newOrder(running, token)
    const delta = await history(token, all.cursor)
    expect(delta.orders.map((order) => order.id)).toEqual([later.id])
  })

  it('says who packed each order: the display name on its packing evidence, and nobody for one not packed', async () => {
    offset = 0
    const picker = await running.signIn('picker')
    const lead = await running.signIn('lead')
    const packed = await newOrder(running, picker)
    const byLead = await newOrder(running, picker)
    const untouched = await newOrder(running, picker)
    const scans = [{ sku: 'SKU-1', units: 1, code: '8590000000001', at: new Date().toISOString(), source: 'wedge' }]
    expect((await changeStatus(running, picker, packed.id, { status: 'shipping', confirmed: true, packing: { scans } })).status).toBe(200)
    // A lead's change without the packing evidence (a correction, an import) is not a packing.
    expect((await changeStatus(running, lead, byLead.id, { status: 'shipping', confirmed: true })).status).toBe(200)

    const byId = new Map((await history(picker)).orders.map((order) => [order.id, order]))
    expect(byId.get(packed.id)).toMatchObject({ status: 'shipping', packed_by: 'Demo picker' })
    expect(byId.get(byLead.id)).toMatchObject({ status: 'shipping', packed_by: null })
    expect(byId.get(untouched.id)).toMatchObject({ status: 'open', packed_by: null })
    // The order's own page says the same.
    expect((await running.api('GET', `/api/orders/${packed.id}`, { token: lead })).body.order.packed_by).toBe('Demo picker')
  })
})
