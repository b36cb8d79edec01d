import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startStation, type RunningStation } from '../../support/station.ts'
import {
  appliedPuts,
  changeStatus,
  expectProblem,
  marketplaceOrder,
  newOrder,
  outage,
  pullAll,
  putsOf,
  stationOrder,
  stationReady,
  tracking,
  webhookAddress,
} from './helpers.ts'

const POLL_INTERVAL_MS = 500

describe('a customer cancels at the marketplace', () => {
  let running: RunningStation
  let token: string
  beforeAll(async () => {
    running = await startStation({ env: { POLL_INTERVAL_MS: String(POLL_INTERVAL_MS) } })
    token = await running.signIn('picker', '1111', 'tablet-01')
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
  })

  async function webhook(on: boolean) {
    const url = on ? (await webhookAddress(running)).url : null
    const result = await running.mall('PUT', '/_sim/webhook', { url, interval_ms: 200 })
    expect(result.status).toBe(200)
  }

  it('reaches the mirror by the poll alone within a few poll intervals, and a later change of the order is a conflict', async () => {
    const order = await newOrder(running, token)
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })).status).toBe(200)
    await eventually(async () => (await stationOrder(running, token, order.id)).order.synced)
    const seen = (await stationOrder(running, token, order.id)).order
    const { cursor } = await pullAll(running, token, null)
    await webhook(false)
    try {
      const cancelled = await running.mall('POST', `/_sim/orders/${order.id}/cancel`)
      expect(cancelled.status).toBe(200)
      const started = Date.now()
      const mirrored = await eventually(
        async () => {
          const delta = await pullAll(running, token, cursor)
          return delta.orders.find((o) => o.id === order.id && o.status === 'cancelled')
        },
        3 * POLL_INTERVAL_MS,
        25,
      )
      expect(Date.now() - started).toBeLessThanOrEqual(3 * POLL_INTERVAL_MS)
      expect(mirrored).toMatchObject({ status: 'cancelled', synced: true, conflict: null })
      expect(mirrored.revision).toBeGreaterThan(seen.revision)
    } finally {
      await webhook(true)
    }

    // The packer, not knowing, marks the parcel shipped: 409 with the cancelled order, nothing sent.
    const late = await changeStatus(running, token, order.id, { status: 'shipped', ...tracking(order.id) })
    const problem = expectProblem(late, 409, 'ORDER_FINAL')
    expect(problem.order).toMatchObject({ id: order.id, status: 'cancelled' })
    // A tablet holding the old revision hears that the order changed under it.
    const stale = await changeStatus(running, token, order.id, { status: 'shipped', ...tracking(order.id) }, { ifMatch: seen.revision })
    expect(expectProblem(stale, 409).order).toMatchObject({ id: order.id, status: 'cancelled' })
    expect((await appliedPuts(running, order.id)).map((entry) => entry.body)).toEqual([{ status: 'shipping', confirmed: true }])
    // The order's history tells who did what: the packer started packing, the marketplace cancelled.
    const history = (await stationOrder(running, token, order.id)).history as { actor: string; action: string; details: { from?: string; to?: string } }[]
    expect(history.filter((entry) => entry.action === 'status').map((entry) => [entry.actor, entry.details.from, entry.details.to])).toEqual([
      ['user', 'open', 'shipping'],
      ['marketplace', 'shipping', 'cancelled'],
    ])
  })

  it('turns a change accepted while the marketplace was down into a conflict on the order, never dropping it in silence', async () => {
    const order = await newOrder(running, token)
    const { cursor } = await pullAll(running, token, null)
    const parcel = tracking(order.id)
    try {
      await outage(running, '503')
      const packing = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true }, { deviceId: 'tablet-09' })
      expect(packing.status).toBe(200)
      const shipping = await changeStatus(running, token, order.id, { status: 'shipped', ...parcel }, { deviceId: 'tablet-09' })
      expect(shipping.status).toBe(200)
      expect(shipping.body).toMatchObject({ status: 'shipped', synced: false, pending_changes: 2 })
      // Meanwhile the customer cancels at the marketplace.
      const cancelled = await running.mall('POST', `/_sim/orders/${order.id}/cancel`)
      expect(cancelled.status).toBe(200)
    } finally {
      await outage(running, 'off')
    }

    const after = await eventually(async () => {
      const current = await stationOrder(running, token, order.id)
      return current.order.conflict ? current : null
    }, 10_000)
    expect(after.order).toMatchObject({ status: 'cancelled', synced: true, pending_changes: 0 })
    expect(after.order.conflict).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
      change: { status: 'shipping', confirmed: true },
      dropped_changes: [{ status: 'shipped', ...parcel }],
      user: 'picker',
      device_id: 'tablet-09',
    })
    expect(after.order.conflict.message.length).toBeGreaterThan(10)
    const changes = after.history.filter((entry) => entry.action === 'status')
    expect(changes.map((entry) => entry.marketplace_state)).toEqual(['refused', 'dropped'])
    expect(after.history.some((entry) => entry.action === 'refused' && entry.actor === 'marketplace')).toBe(true)

    // The marketplace applied nothing and was asked once; the shipment was never sent.
    const puts = await putsOf(running, order.id)
    expect(puts.filter((entry) => entry.status === 200)).toEqual([])
    expect(puts.filter((entry) => entry.status !== 503).map((entry) => entry.body)).toEqual([{ status: 'shipping', confirmed: true }])
    expect((await marketplaceOrder(running, order.id)).status).toBe('cancelled')

    // Tablets pull the conflict.
    const delta = await pullAll(running, token, cursor)
    expect(delta.orders.find((o) => o.id === order.id)?.conflict?.code).toBe(after.order.conflict.code)

    // Nothing more goes through for the order; the lead dismisses the conflict once the parcel is unpacked.
    expectProblem(await changeStatus(running, token, order.id, { status: 'shipped', ...parcel }), 409, 'ORDER_FINAL')
    const lead = await running.signIn('lead', '2222', 'lead-desk')
    const dismissed = await running.api('DELETE', `/api/orders/${order.id}/conflict`, { token: lead })
    expect(dismissed.status, dismissed.text).toBe(200)
    expect(dismissed.body).toMatchObject({ id: order.id, status: 'cancelled', conflict: null })
    expect(dismissed.body.revision).toBeGreaterThan(after.order.revision)
    const final = await stationOrder(running, token, order.id)
    expect(final.order.conflict).toBeNull()
    expect(final.history.at(-1)).toMatchObject({ action: 'conflict_dismissed', user: 'lead', device_id: 'lead-desk' })
    const pulled = await pullAll(running, token, delta.cursor)
    expect(pulled.orders.find((o) => o.id === order.id)?.conflict).toBeNull()
  })
})

describe('the marketplace webhook', () => {
  let running: RunningStation
  let token: string
  beforeAll(async () => {
    // Polling once an hour: only the webhook can bring news quickly.
    running = await startStation({ env: { POLL_INTERVAL_MS: '3600000' } })
    token = await running.signIn()
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
  })

  async function simWebhook(on: boolean) {
    const result = await running.mall('PUT', '/_sim/webhook', { url: on ? (await webhookAddress(running)).url : null, interval_ms: 200 })
    expect(result.status).toBe(200)
  }

  it('brings a cancellation to the mirror without waiting for the next poll', async () => {
    const order = await newOrder(running, token)
    expect((await running.mall('POST', `/_sim/orders/${order.id}/cancel`)).status).toBe(200)
    await eventually(async () => (await stationOrder(running, token, order.id)).order.status === 'cancelled', 5000)
  })

  it('takes the ids the marketplace posts and reads those orders', async () => {
    const order = await newOrder(running, token)
    await simWebhook(false)
    try {
      expect((await running.mall('POST', `/_sim/orders/${order.id}/cancel`)).status).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect((await stationOrder(running, token, order.id)).order.status).toBe('open')
      const posted = await running.api('POST', (await webhookAddress(running)).path, { body: [order.id] })
      expect(posted.status).toBe(204)
      await eventually(async () => (await stationOrder(running, token, order.id)).order.status === 'cancelled', 5000)
    } finally {
      await simWebhook(true)
    }
  })

  it('turns a change made before the station heard of a cancellation into a conflict, not a lost shipment', async () => {
    const order = await newOrder(running, token)
    await simWebhook(false)
    try {
      expect((await running.mall('POST', `/_sim/orders/${order.id}/cancel`)).status).toBe(200)
      // The station still shows it open, so the packer's change is accepted on the LAN…
      const packing = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })
      expect(packing.status).toBe(200)
      // …and the marketplace's refusal comes back as a conflict with the cancelled order.
      const after = await eventually(async () => {
        const current = await stationOrder(running, token, order.id)
        return current.order.conflict ? current : null
      })
      expect(after.order).toMatchObject({ status: 'cancelled', synced: true, pending_changes: 0 })
      expect(after.order.conflict).toMatchObject({ change: { status: 'shipping', confirmed: true }, dropped_changes: [] })
      expect(after.history.find((entry) => entry.action === 'status')?.marketplace_state).toBe('refused')
      expect(await appliedPuts(running, order.id)).toEqual([])
    } finally {
      await simWebhook(true)
    }
  })
})
