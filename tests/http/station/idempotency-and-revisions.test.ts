import { describe, expect } from 'vitest'
import { eventually } from '../../support/station.ts'
import { test } from './fixtures.ts'
import {
  appliedPuts,
  changeStatus,
  expectProblem,
  marketplaceOrder,
  newKey,
  newOrder,
  putsOf,
  stationOrder,
  tracking,
} from './helpers.ts'

/** Waits until the station has the order's change at the marketplace. */
const it = test.extend<{ synced: (orderId: number) => Promise<unknown> }>({
  synced: async ({ running, token }, use) => {
    await use((orderId) => eventually(async () => (await stationOrder(running, token, orderId)).order.synced))
  },
})

describe('idempotency keys and revisions', () => {
  it('answers the same key again with the first answer and sends the change to the marketplace once', async ({ running, token, synced }) => {
    const order = await newOrder(running, token)
    const key = newKey()
    const change = { status: 'shipping', confirmed: true }
    const first = await changeStatus(running, token, order.id, change, { key })
    expect(first.status).toBe(200)
    const retry = await changeStatus(running, token, order.id, change, { key })
    expect(retry.status).toBe(200)
    expect(retry.body).toEqual(first.body)
    await synced(order.id)
    // A retry long after, when the change has reached the marketplace, still gets the first answer.
    const late = await changeStatus(running, token, order.id, change, { key })
    expect(late.status).toBe(200)
    expect(late.body).toEqual(first.body)
    expect((await putsOf(running, order.id)).map((entry) => [entry.status, entry.body])).toEqual([[200, change]])
    const history = (await stationOrder(running, token, order.id)).history.filter((entry) => entry.action === 'status')
    expect(history).toHaveLength(1)
  })

  it('answers the same key sent twice at once the same way, one change at the marketplace', async ({ running, token, synced }) => {
    const order = await newOrder(running, token)
    const key = newKey()
    const change = { status: 'shipped', confirmed: true, ...tracking(order.id) }
    const answers = await Promise.all([1, 2, 3].map(() => changeStatus(running, token, order.id, change, { key })))
    for (const answer of answers) {
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual(answers[0]?.body)
    }
    await synced(order.id)
    expect(await appliedPuts(running, order.id)).toHaveLength(1)
    expect((await marketplaceOrder(running, order.id)).status).toBe('shipped')
  })

  it('replays a refusal too: the same key after a 422 gets the 422, even once the change would be allowed', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const key = newKey()
    expectProblem(await changeStatus(running, token, order.id, { status: 'shipping' }, { key }), 422, 'CONFIRMATION_REQUIRED')
    expect((await changeStatus(running, token, order.id, { confirmed: true })).status).toBe(200)
    expectProblem(await changeStatus(running, token, order.id, { status: 'shipping' }, { key }), 422, 'CONFIRMATION_REQUIRED')
    expect((await stationOrder(running, token, order.id)).order.status).toBe('open')
  })

  it('refuses a key used again with another body with 422 IDEMPOTENCY_KEY_REUSED, sending nothing more', async ({ running, token, synced }) => {
    const order = await newOrder(running, token)
    const key = newKey()
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true }, { key })).status).toBe(200)
    await synced(order.id)
    const reused = await changeStatus(running, token, order.id, { status: 'cancelled' }, { key })
    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED')
    // The same key for another order is another body too.
    const other = await newOrder(running, token)
    expectProblem(await changeStatus(running, token, other.id, { status: 'shipping', confirmed: true }, { key }), 422, 'IDEMPOTENCY_KEY_REUSED')
    const current = await stationOrder(running, token, order.id)
    expect(current.order.status).toBe('shipping')
    expect(current.order.pending_changes).toBe(0)
    expect((await marketplaceOrder(running, order.id)).status).toBe('shipping')
    expect(await appliedPuts(running, order.id)).toHaveLength(1)
    expect(await putsOf(running, other.id)).toEqual([])
  })

  it('requires an Idempotency-Key with 428 IDEMPOTENCY_KEY_REQUIRED', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const missing = await running.api('POST', `/api/orders/${order.id}/status`, { token, body: { status: 'shipping', confirmed: true } })
    expectProblem(missing, 428, 'IDEMPOTENCY_KEY_REQUIRED')
    for (const key of ['', 'short', 'has spaces in it', 'x'.repeat(201), 'semi;colon;key', '<script>alert(1)</script>']) {
      const result = await running.api('POST', `/api/orders/${order.id}/status`, {
        token,
        body: { status: 'shipping', confirmed: true },
        headers: { 'idempotency-key': key },
      })
      expectProblem(result, 428, 'IDEMPOTENCY_KEY_REQUIRED')
    }
    expect((await stationOrder(running, token, order.id)).order.status).toBe('open')
    expect(await putsOf(running, order.id)).toEqual([])
  })

  it('refuses a stale If-Match with 409 VERSION_CONFLICT and the current order, and takes a current one', async ({ running, token, synced }) => {
    const order = await newOrder(running, token)
    const seen = order.revision as number
    expect((await changeStatus(running, token, order.id, { confirmed: true }, { ifMatch: seen })).status).toBe(200)
    await synced(order.id)
    const now = (await stationOrder(running, token, order.id)).order
    expect(now.revision).toBeGreaterThan(seen)

    const stale = await changeStatus(running, token, order.id, { status: 'cancelled' }, { ifMatch: seen })
    const problem = expectProblem(stale, 409, 'VERSION_CONFLICT')
    expect(problem.order).toMatchObject({ id: order.id, status: 'open', confirmed: true, revision: now.revision })

    // The revision as an entity tag, quoted or weak, is the same revision.
    const current = await changeStatus(running, token, order.id, { status: 'shipping' }, { ifMatch: `W/"${now.revision}"` })
    expect(current.status, current.text).toBe(200)
    expect(current.body.revision).toBeGreaterThan(now.revision)
    expectProblem(await changeStatus(running, token, order.id, { status: 'cancelled' }, { ifMatch: 'yesterday' }), 422, 'VALIDATION_FAILED')

    await synced(order.id)
    expect((await appliedPuts(running, order.id)).map((entry) => entry.body)).toEqual([{ confirmed: true }, { status: 'shipping' }])
  })

  it('lets exactly one of two tablets win when both change one order at once: a cancel against a shipment', async ({ running, token, synced }) => {
    const tabletA = await running.signIn('picker', '1111', 'tablet-A')
    const tabletB = await running.signIn('lead', '2222', 'tablet-B')
    for (let round = 0; round < 3; round++) {
      const order = await newOrder(running, token)
      const parcel = tracking(order.id)
      const [cancel, ship] = await Promise.all([
        changeStatus(running, tabletA, order.id, { status: 'cancelled', confirmed: true }),
        changeStatus(running, tabletB, order.id, { status: 'shipped', confirmed: true, ...parcel }),
      ])
      const winners = [cancel, ship].filter((answer) => answer.status === 200)
      expect(winners, `round ${round}: ${cancel.status} ${ship.status}`).toHaveLength(1)
      const cancelWon = cancel.status === 200
      const loser = cancelWon ? ship : cancel
      // A shipment after a cancel is news the tablet lacked (409); a cancel after shipping breaks a rule (422).
      expectProblem(loser, cancelWon ? 409 : 422, cancelWon ? 'ORDER_FINAL' : 'TRANSITION_NOT_ALLOWED')
      expect(loser.body.order).toMatchObject({ id: order.id, status: cancelWon ? 'cancelled' : 'shipped' })

      await synced(order.id)
      const expected = cancelWon ? { status: 'cancelled', confirmed: true } : { status: 'shipped', confirmed: true, ...parcel }
      expect((await putsOf(running, order.id)).map((entry) => [entry.status, entry.body])).toEqual([[200, expected]])
      expect((await marketplaceOrder(running, order.id)).status).toBe(expected.status)
      const history = (await stationOrder(running, token, order.id)).history.filter((entry) => entry.action === 'status')
      expect(history).toHaveLength(1)
      expect(history[0]).toMatchObject({ device_id: cancelWon ? 'tablet-A' : 'tablet-B', user: cancelWon ? 'picker' : 'lead' })
    }
  })

  it('lets exactly one of two tablets holding the same revision win with If-Match', async ({ running, token, synced }) => {
    const tabletA = await running.signIn('picker', '1111', 'tablet-A')
    const tabletB = await running.signIn('lead', '2222', 'tablet-B')
    const order = await newOrder(running, token)
    const [a, b] = await Promise.all([
      changeStatus(running, tabletA, order.id, { status: 'shipping', confirmed: true }, { ifMatch: order.revision }),
      changeStatus(running, tabletB, order.id, { confirmed: true }, { ifMatch: order.revision }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const loser = a.status === 409 ? a : b
    expectProblem(loser, 409, 'VERSION_CONFLICT')
    await synced(order.id)
    const winnerBody = a.status === 200 ? { status: 'shipping', confirmed: true } : { confirmed: true }
    expect((await putsOf(running, order.id)).map((entry) => entry.body)).toEqual([winnerBody])
  })
})
