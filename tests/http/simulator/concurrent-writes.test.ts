import { describe, expect } from 'vitest'
import { test as it } from './fixtures.ts'
import { createOrder, expectError, expectPutOk, getOrder, lastLogSeq, put, simLog, trackingFor } from './helpers.ts'

describe('two clients changing one order at once', () => {
  // shipped and cancelled exclude each other whichever lands first (shipping then cancelled would
  // both be allowed, so that pair cannot show a conflict).
  it('exactly one of shipped and cancelled wins, and the order is the winner’s', async ({ sim }) => {
    const winners = new Set<string>()
    for (let round = 0; round < 8; round++) {
      const order = await createOrder(sim, { mdp: false })
      const changes = [
        { confirmed: true, status: 'shipped', ...trackingFor(order.id) },
        { confirmed: true, status: 'cancelled' },
      ]
      if (round % 2 === 1) changes.reverse()
      const answers = await Promise.all(changes.map((change) => put(sim, order.id, change)))
      expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join(' | ')).toEqual([200, 400])
      const winner = changes[answers.findIndex((a) => a.status === 200)]!
      const loser = answers.find((a) => a.status === 400)!
      expectPutOk(answers.find((a) => a.status === 200)!)
      expectError(loser, 400)
      expect(['ORDER_FINAL', 'TRANSITION_NOT_ALLOWED']).toContain(loser.body.errorCodes[0].errorCode)
      const after = await getOrder(sim, order.id)
      expect(after).toMatchObject({ status: winner.status, confirmed: true })
      if (winner.status === 'shipped') expect(after.tracking_number).toBe(trackingFor(order.id).tracking_number)
      else expect(after.tracking_number).toBeNull()
      winners.add(winner.status)
    }
    expect(winners.size).toBeGreaterThan(0)
  })

  // The same status sent again is taken as a no-op (no source refuses it), so the two requests of
  // the winning kind both succeed; the other kind is refused whichever order they land in.
  it('four clients at once: exactly one status wins, and the log tells the same story', async ({ sim }) => {
    for (let round = 0; round < 4; round++) {
      const order = await createOrder(sim, { mdp: false })
      const seq = await lastLogSeq(sim)
      const changes: { confirmed: true; status: string; tracking_number?: string; tracking_url?: string }[] = [
        { confirmed: true, status: 'shipped', ...trackingFor(order.id) },
        { confirmed: true, status: 'cancelled' },
        { confirmed: true, status: 'shipped', tracking_number: 'OTHER1', tracking_url: 'https://t.example/OTHER1' },
        { confirmed: true, status: 'cancelled' },
      ]
      const answers = await Promise.all(changes.map((change) => put(sim, order.id, change)))
      const after = await getOrder(sim, order.id)
      expect(['shipped', 'cancelled']).toContain(after.status)
      expect(answers.map((a) => a.status)).toEqual(changes.map((change) => (change.status === after.status ? 200 : 400)))
      const log = (await simLog(sim, seq)).filter(
        (e) => e.path === `/v1/orders/${order.id}`,
      )
      expect(log).toHaveLength(4)
      const taken = log.filter((e) => e.status === 200).sort((a, b) => a.seq - b.seq)
      expect(taken.map((e) => e.body.status)).toEqual([after.status, after.status])
      // The tracking is that of the last shipped request taken.
      const last = taken.at(-1)!.body as { tracking_number?: string }
      expect(after.tracking_number).toBe(last.tracking_number ?? null)
    }
  })
})
