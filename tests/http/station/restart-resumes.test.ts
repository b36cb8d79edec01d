import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startStation, type RunningStation } from '../../support/station.ts'
import {
  appliedPuts,
  changeStatus,
  health,
  marketplaceOrder,
  newKey,
  newOrders,
  outage,
  putsOf,
  simLog,
  stationOrder,
  stationReady,
  tracking,
} from './helpers.ts'

describe('a station restart', () => {
  let first: RunningStation
  let running: RunningStation
  let token: string
  beforeAll(async () => {
    first = await startStation()
    running = first
    token = await running.signIn('picker', '1111', 'tablet-01')
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
    // The first station owns the data folder and removes it.
    await first?.close()
  })

  async function restart() {
    running = await running.restart()
    // The test's HTTP client may still hold a connection the old station closed: retry once it is up.
    await eventually(async () => (await running.api('GET', '/api/health')).status === 200, 5000)
    return running
  }

  it('resumes the outbox after a stop while it waited: nothing lost, nothing sent twice, each order in order', async () => {
    const orders = await newOrders(running, token, 4)
    const keys = new Map<number, string>()
    const answers = new Map<number, unknown>()
    try {
      await outage(running, '503')
      for (const order of orders) {
        expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })).status).toBe(200)
      }
      await eventually(async () => (await simLog(running)).some((entry) => entry.method === 'PUT' && entry.status === 503))
      await outage(running, 'hang')
      for (const order of orders) {
        const key = newKey('ship')
        keys.set(order.id, key)
        const answer = await changeStatus(running, token, order.id, { status: 'shipped', ...tracking(order.id) }, { key })
        expect(answer.status).toBe(200)
        answers.set(order.id, answer.body)
      }
      // A change went out into the hang and never came back: the station cannot know whether it arrived.
      await eventually(async () => (await simLog(running)).some((entry) => entry.method === 'PUT' && entry.status === null), 8000)
      expect((await health(running)).outbox.waiting).toBe(8)
    } finally {
      await running.stop()
    }

    await restart()
    await outage(running, 'off')
    // The tablet's token survives the restart, and so does every accepted change.
    const afterRestart = await stationOrder(running, token, orders[0]?.id as number)
    expect(afterRestart.order.status).toBe('shipped')
    expect(afterRestart.history.filter((entry) => entry.action === 'status')).toHaveLength(2)

    await eventually(async () => (await health(running)).outbox.waiting === 0, 20_000)
    for (const order of orders) {
      const parcel = tracking(order.id)
      expect((await appliedPuts(running, order.id)).map((entry) => entry.body), `order ${order.id}`).toEqual([
        { status: 'shipping', confirmed: true },
        { status: 'shipped', ...parcel },
      ])
      expect(await marketplaceOrder(running, order.id)).toMatchObject({ status: 'shipped', confirmed: true, ...parcel })
      const station = await stationOrder(running, token, order.id)
      expect(station.order).toMatchObject({ status: 'shipped', synced: true, pending_changes: 0 })
      // A tablet that never heard the answer retries with its key after the restart: the first answer, no new change.
      const retry = await changeStatus(running, token, order.id, { status: 'shipped', ...parcel }, { key: keys.get(order.id) })
      expect(retry.status).toBe(200)
      expect(retry.body).toEqual(answers.get(order.id))
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (const order of orders) expect(await appliedPuts(running, order.id)).toHaveLength(2)
  }, 45_000)

  it('does not send again a change the marketplace applied just before the station went down without writing it down', async () => {
    const [order] = await newOrders(running, token, 1)
    const id = order?.id as number
    expect((await changeStatus(running, token, id, { status: 'shipping', confirmed: true })).status).toBe(200)
    await eventually(async () => (await stationOrder(running, token, id)).order.synced)
    expect(await appliedPuts(running, id)).toHaveLength(1)
    await running.stop()

    // A crash between the marketplace's answer and the station's commit leaves the entry "in flight".
    const db = new Database(join(running.dataDir, 'station.sqlite'))
    try {
      const changed = db.prepare("UPDATE outbox SET state = 'inflight', finished_at = NULL WHERE order_id = ?").run(id)
      expect(changed.changes).toBe(1)
      db.prepare("UPDATE audit SET marketplace_state = 'queued', marketplace_at = NULL WHERE order_id = ? AND action = 'status'").run(id)
      db.prepare('UPDATE orders SET synced = 0 WHERE id = ?').run(id)
    } finally {
      db.close()
    }

    await restart()
    const settled = await eventually(async () => {
      const station = await stationOrder(running, token, id)
      return station.order.synced ? station : null
    })
    expect(settled.order).toMatchObject({ status: 'shipping', pending_changes: 0 })
    expect(settled.history.find((entry) => entry.action === 'status')?.marketplace_state).toBe('sent')
    expect(await putsOf(running, id)).toHaveLength(1)
    expect((await marketplaceOrder(running, id)).status).toBe('shipping')
  })
})
